import { z } from 'zod';
import { TIERS_BEST_FIRST } from './airtable-rules.js';

/**
 * What makes a change alert (issue 15, docs/alerts.md). Keys never change what was already found:
 * an alert is kept once by its key whatever these say later.
 */
export const alertRulesSchema = z
  .object({
    /** A new lot, or a lot whose tier rose, alerts when it lands in this tier or better ("B": A and B). */
    newLotMinTier: z.enum(['A', 'B']).default('B'),
    /** A plan in progress this close (metres, edge to edge) to a lot the team works alerts. */
    planNearWorkedLotMetres: z.number().min(0).max(5_000).default(200),
    /**
     * A plan in progress newly touching a lot alerts when the lot is worked or of this tier or
     * better; lower-tier lots are many and nobody works them.
     */
    planTouchingMinTier: z.enum(TIERS_BEST_FIRST).default('B'),
    /** Planstatus codes of a plan in progress (SOSI Planstatus: 1 planlegging igangsatt, 2 planforslag). */
    planInProgressStatus: z.array(z.number().int().min(1)).min(1).default([1, 2]),
    /** A worked lot whose score fell by this many points or more (0–100 scale) alerts. */
    scoreFallPoints: z.number().positive().max(100).default(15),
  })
  .strict()
  .prefault({});

export type AlertRules = z.infer<typeof alertRulesSchema>;
