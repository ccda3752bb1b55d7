import { z } from 'zod';

/** One step of the outreach plan: what to do, and on which day counted from the day the lot turned "Kontaktet". */
export const outreachStepSchema = z
  .object({
    day: z.number().int('must be a whole number of days').min(0).max(365),
    /** Norwegian: written to the lot's "Neste handling" as the team reads it. */
    action: z.string().trim().min(1).max(100),
  })
  .strict();

/** The customer's plan (issue 14, point 7): day 0 letter, day 3 phone, day 14 follow-up, day 30 final. */
export const DEFAULT_OUTREACH_STEPS: Array<z.infer<typeof outreachStepSchema>> = [
  { day: 0, action: 'Send brev til eier' },
  { day: 3, action: 'Ring eier' },
  { day: 14, action: 'Følg opp eier' },
  { day: 30, action: 'Siste henvendelse' },
];

/**
 * The outreach cadence: when the team sets a lot's Status to `startStatus`, the service fills the
 * lot's "Neste handling" and "Neste handling dato" with the next step, only while both are empty.
 * See docs/owner-lookup.md "Outreach cadence".
 */
export const outreachRulesSchema = z
  .object({
    startStatus: z.string().trim().min(1).default('Kontaktet'),
    steps: z
      .array(outreachStepSchema)
      .min(1, 'give at least one step')
      .max(20)
      .refine(
        (steps) => steps.every((step, i) => i === 0 || step.day > steps[i - 1]!.day),
        'steps must be in order of day, each day later than the one before',
      )
      .default(DEFAULT_OUTREACH_STEPS),
  })
  .strict()
  .prefault({});

export type OutreachRules = z.infer<typeof outreachRulesSchema>;
