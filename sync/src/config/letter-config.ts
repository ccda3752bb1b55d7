import { z } from 'zod';
import { loadJsonConfig } from './json-config.js';

const line = z.string().trim().min(1).max(200);

/**
 * The owner letters' letterhead and signature (LETTER_CONFIG_FILE, or `owners letters --config`):
 * who writes, how to answer, who signs. Norwegian text, as the owner reads it. See
 * docs/owner-lookup.md "Letters".
 */
export const letterConfigSchema = z
  .object({
    sender: z
      .object({
        name: line,
        /** Street, postcode and place, one line each. */
        address: z.array(line).min(1).max(4),
        phone: line.optional(),
        email: z.email('must be an e-mail address').optional(),
        organisasjonsnummer: z
          .string()
          .regex(/^\d{9}$/, 'nine digits')
          .optional(),
        /** A small logo as an inline SVG document (`<svg …>…</svg>`); nothing is fetched. */
        logoSvg: z
          .string()
          .regex(/^\s*<svg[\s>][\s\S]*<\/svg>\s*$/, 'an inline <svg>…</svg> document')
          .refine(
            (svg) => !/<script|on\w+\s*=|href\s*=\s*["']?(?!#)/i.test(svg),
            'no scripts, handlers or links',
          )
          .optional(),
      })
      .strict(),
    signature: z.object({ name: line, title: line.optional() }).strict(),
    /** The place written before the date, e.g. "Ås". */
    place: line.optional(),
    /** Replaces the standard paragraphs after the lots (one string per paragraph). */
    closing: z.array(z.string().trim().min(1).max(2000)).max(6).optional(),
  })
  .strict();

export type LetterConfig = z.infer<typeof letterConfigSchema>;

export function loadLetterConfig(file: string): LetterConfig {
  return loadJsonConfig(letterConfigSchema, file, 'letter configuration');
}
