import { TIERS_BEST_FIRST, type AirtableRules } from '../../config/airtable-rules.js';
import type { Tier } from '../../domain/lot.js';
import type { TrackedLot } from '../../lot-record/lifecycle.js';

/** Whether a tier is the policy's minimum tier or better. */
export function meetsMinTier(tier: Tier, rules: Pick<AirtableRules, 'minTier'>): boolean {
  return TIERS_BEST_FIRST.indexOf(tier) <= TIERS_BEST_FIRST.indexOf(rules.minTier);
}

/**
 * Whether the sync may create a Tomter record for a lot: a current lot of the policy's tier or
 * better. A lot below it cannot have been touched by the team (team fields live in its record),
 * so "touched" never decides a create; a vanished lot is never created after the fact.
 */
export function mayCreateRecord(lot: TrackedLot, rules: AirtableRules): boolean {
  return lot.state === 'active' && meetsMinTier(lot.record.score.tier, rules);
}

/**
 * Whether a current lot's record is below the policy and gets "Under terskel": under the minimum
 * tier and, when touched records are kept, not touched by the team. Vanished lots are not judged
 * (their record says "Utgått" instead), hence null: leave the mark as it is.
 */
export function belowPolicy(lot: TrackedLot, touched: boolean, rules: AirtableRules): boolean | null {
  if (lot.state !== 'active') return null;
  if (meetsMinTier(lot.record.score.tier, rules)) return false;
  return !(rules.keepTouched && touched);
}
