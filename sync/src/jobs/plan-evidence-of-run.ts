import type { KommuneData } from '../domain/kommune.js';
import type { EngineSummary } from '../engine/find-lots.js';
import type { KommunePlanEvidence } from '../scoring/kommune/plan-evidence.js';

/**
 * A kommune's plan evidence from one engine run, or null when its plan data cannot say it: a
 * source that does not cover kommuneplan or reguleringsplaner (or cannot tell) would read missing
 * plans as an untouched reserve, so the stored figures of an earlier run stay instead.
 */
export function planEvidenceOfRun(
  summary: Pick<EngineSummary, 'kommunenummer' | 'recentlyRegulatedAreaM2' | 'opportunityAreaM2'>,
  data: Pick<KommuneData, 'coverage'>,
  run: { date: string; years: number },
): KommunePlanEvidence | null {
  const { kommuneplan, reguleringsplan } = data.coverage;
  if (kommuneplan !== 'covered' || reguleringsplan !== 'covered') return null;
  return {
    kommunenummer: summary.kommunenummer,
    runDate: run.date,
    years: run.years,
    recentlyRegulatedM2: summary.recentlyRegulatedAreaM2,
    reserveM2: summary.opportunityAreaM2,
  };
}
