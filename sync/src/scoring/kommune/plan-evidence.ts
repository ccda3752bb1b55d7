import type { FactorRaw } from './types.js';

/**
 * What a nightly run measured of a kommune's own plans (issue 12, point 3): how much kommuneplan
 * housing land it regulated in recent years and how much of the kommuneplan's housing reserve is
 * left. Only for the kommuner the product scans, with both plan sources covered.
 */
export interface KommunePlanEvidence {
  kommunenummer: string;
  /** The run's date (ISO): the figures describe the plans as they stood then. */
  runDate: string;
  /** Years counted back from `runDate` as recent (engine rule `planEvidenceYears`). */
  years: number;
  /** Candidate housing zones covered by reguleringsplaner in force within `years` before `runDate`, m². */
  recentlyRegulatedM2: number;
  /** The kommuneplan's housing reserve left after every reguleringsplan (the engine's opportunity area), m². */
  reserveM2: number;
}

/** Where the ranking reads the stored plan evidence (the store implements it; tests hand in a map). */
export interface PlanEvidenceReader {
  /** The latest good figures per kommunenummer. */
  planEvidence(): ReadonlyMap<string, KommunePlanEvidence>;
}

/**
 * The share of the housing reserve regulated per year: recent regulation per year over the
 * reserve as it stood `years` ago (what was regulated since plus what is left). It ranks the
 * kommuner exactly as recent-per-year ÷ reserve does (one is an increasing function of the other),
 * but stays finite where the reserve is used up. Null without any reserve then or now.
 */
export function reserveShareRegulatedPerYear(evidence: KommunePlanEvidence): number | null {
  const reserveThen = evidence.recentlyRegulatedM2 + evidence.reserveM2;
  if (!(reserveThen > 0) || !(evidence.years > 0)) return null;
  return evidence.recentlyRegulatedM2 / evidence.years / reserveThen;
}

const daa = (m2: number) => Math.round(m2 / 100) / 10;

/**
 * Byggevilje's figures with the plan component added where the kommune has plan evidence: the
 * raw figure stays dwellings started per 1,000 (null where SSB has none); the plan figures go to
 * the detail. A kommune with plan evidence but no starts figure is scored on the plan component
 * alone; one without plan evidence keeps the starts component alone.
 */
export function withPlanEvidence(
  started: ReadonlyMap<string, FactorRaw> | undefined,
  evidence: ReadonlyMap<string, KommunePlanEvidence>,
  kommuner: readonly string[],
): Map<string, FactorRaw> | undefined {
  if (evidence.size === 0) return started ? new Map(started) : undefined;
  const out = new Map<string, FactorRaw>();
  for (const nr of kommuner) {
    const raw = started?.get(nr);
    const plan = evidence.get(nr);
    const share = plan ? reserveShareRegulatedPerYear(plan) : null;
    if (!plan || share === null) {
      // Without 05940 at all, the others are missing for the same reason as before plan evidence.
      out.set(nr, raw ?? { value: null, year: null, components: {}, missing: 'factor not fetched' });
      continue;
    }
    const startedValue = raw?.value ?? null;
    out.set(nr, {
      value: startedValue,
      year: raw?.year ?? null,
      components: { value: startedValue, plan: share },
      detail: {
        ...raw?.detail,
        regulertBoligDaa: daa(plan.recentlyRegulatedM2),
        reserveDaa: daa(plan.reserveM2),
        planAr: plan.years,
        planDato: plan.runDate,
        reserveAndelPerAr: share,
      },
      ...(raw?.missing ? { missing: raw.missing } : {}),
    });
  }
  return out;
}
