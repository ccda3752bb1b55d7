import { z } from 'zod';

/** The lot tiers, best first (domain/lot.ts `tierOf`: A 80–100, B 60–79, C 40–59, D under 40). */
export const TIERS_BEST_FIRST = ['A', 'B', 'C', 'D'] as const;

/**
 * Which lots get a record in Airtable's Tomter table (issue 13). An Airtable base holds a limited
 * number of records across all its tables (AIRTABLE_RECORD_LIMIT), so only the lots worth working
 * are created there. Every lot stays in the store, on the map and in the exports whatever this says.
 * See docs/crm.md "Which lots go to Airtable".
 */
export const airtableRulesSchema = z
  .object({
    /** A lot of this tier or better gets a record: "B" means A and B (a score of 60 or more). */
    minTier: z.enum(TIERS_BEST_FIRST).default('B'),
    /**
     * A record the team has touched (Status other than "Ny", or any team field filled in) is worth
     * working whatever its tier, so it is not marked "Under terskel". A record is never deleted
     * either way; a lot below the policy that has a record keeps it and is kept up to date.
     */
    keepTouched: z.boolean().default(true),
  })
  .strict()
  .prefault({});

export type AirtableRules = z.infer<typeof airtableRulesSchema>;
