import { z } from 'zod';
import { Refusal } from './refusal.js';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalText = (max: number) => z.preprocess(blankToUndefined, z.string().trim().max(max).optional());

/** The webhook body: one lot (by Airtable record id or Tomt-ID) and, when known, who asked and why. */
export const ownerLookupRequestSchema = z
  .object({
    recordId: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(
          /^rec[A-Za-z0-9]{14}$/,
          'must be an Airtable record id: "rec" followed by 14 letters or digits',
        )
        .optional(),
    ),
    tomtId: z.preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .max(200, 'must be at most 200 characters')
        .regex(
          /^\d{4}-\S+$/,
          'must be a Tomt-ID: the kommunenummer, a dash and the rest, e.g. "3218-12/34-…"',
        )
        .optional(),
    ),
    baseId: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^app[A-Za-z0-9]{14}$/, 'must be an Airtable base id: "app" followed by 14 letters or digits')
        .optional(),
    ),
    requestedBy: z
      .union([
        optionalText(200),
        z
          .object({
            name: optionalText(200),
            email: z.preprocess(blankToUndefined, z.email('must be an e-mail address').max(200).optional()),
          })
          .strict(),
      ])
      .optional(),
    purpose: optionalText(500),
    /** Makes two otherwise identical calls in the same second distinct (the replay guard refuses repeats). */
    nonce: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, "-" or "_"')
        .optional(),
    ),
  })
  .strict()
  .refine((v) => Boolean(v.recordId) !== Boolean(v.tomtId), {
    message: 'give exactly one of recordId or tomtId',
  });

export type OwnerLookupRequestBody = z.infer<typeof ownerLookupRequestSchema>;

/** "Kari Nordmann <kari@firma.no>", or whichever part is known; null when neither is. */
export function requesterLabel(requestedBy: OwnerLookupRequestBody['requestedBy']): string | null {
  if (!requestedBy) return null;
  if (typeof requestedBy === 'string') return requestedBy;
  const { name, email } = requestedBy;
  if (name && email) return `${name} <${email}>`;
  return name ?? email ?? null;
}

/** The first problem, as "field: message", for a 400 answer. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid request';
  if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
  const path = issue.path.join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** The raw body as a request for this service's base; throws a 400 Refusal naming the first problem. */
export function readOwnerLookupRequest(
  raw: Buffer,
  baseId: string | null | undefined,
): OwnerLookupRequestBody {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new Refusal(400, 'malformed-json', 'the body is not valid JSON');
  }
  const parsed = ownerLookupRequestSchema.safeParse(json);
  if (!parsed.success) throw new Refusal(400, 'invalid-request', firstIssue(parsed.error));
  const body = parsed.data;
  if (body.baseId && baseId && body.baseId !== baseId) {
    throw new Refusal(400, 'wrong-base', `baseId ${body.baseId} is not the base this service writes to`);
  }
  return body;
}
