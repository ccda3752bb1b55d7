import { z } from 'zod';

/**
 * Which organisation owners are "Utbygger" (issue 14, point 6): their NACE code in the
 * Enhetsregisteret is one of these. The register moved to SN2025 around 2025-09-01 (41.109 became
 * 68.120, 41.200 became 41.000; national-layers.md §6), so the list holds the SN2025 codes and the
 * SN2007 ones a unit may still show. A code matches an entry equal to it, or an entry that is its
 * start ("41" matches every 41.xxx).
 */
export const developerRulesSchema = z
  .object({
    naceCodes: z
      .array(z.string().regex(/^\d{2}(\.\d{1,3})?$/, 'a NACE code such as 68.120 or a division such as 41'))
      .min(1)
      .default([
        '41.000', // SN2025 Oppføring av bygninger
        '68.120', // SN2025 Utvikling og salg av byggeprosjekter
        '41.101', // SN2007 Boligbyggelag
        '41.109', // SN2007 Utvikling og salg av egen fast eiendom ellers
        '41.200', // SN2007 Oppføring av bygninger
        '68.100', // SN2007 Kjøp og salg av egen fast eiendom
      ]),
    /** Land within this many metres of a lot borders it ("Utbygger nabo"). */
    neighbourMetres: z.number().min(0).max(100).default(5),
    /** An organisation's answer from the register is kept this many days. */
    cacheDays: z.number().int().min(1).max(365).default(7),
  })
  .strict()
  .prefault({});

export type DeveloperRules = z.infer<typeof developerRulesSchema>;
