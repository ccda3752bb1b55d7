import type { KommuneRules } from '../../config/kommune-rules.js';
import type { Kommune } from '../../domain/kommune.js';
import { FACTORS, type FactorDefinition } from './factors.js';
import { percentileRanks } from './percentile.js';
import {
  KOMMUNE_FACTOR_KEYS,
  type FactorRaw,
  type FactorResult,
  type KommuneConfidence,
  type KommuneFactorKey,
  type KommuneRanking,
  type RankedKommune,
} from './types.js';

/** Each factor's 0–1 value per kommune: its components percentile-ranked across kommuner and averaged by weight. */
export function normaliseFactor(
  raws: ReadonlyMap<string, FactorRaw>,
  componentWeights: Record<string, number>,
): Map<string, number> {
  const ranks = new Map<string, Map<string, number>>();
  for (const component of Object.keys(componentWeights)) {
    const values = new Map([...raws].map(([nr, raw]) => [nr, raw.components[component]]));
    ranks.set(component, percentileRanks(values));
  }
  const result = new Map<string, number>();
  for (const nr of raws.keys()) {
    let sum = 0;
    let weight = 0;
    for (const [component, w] of Object.entries(componentWeights)) {
      const rank = ranks.get(component)!.get(nr);
      if (rank === undefined) continue;
      sum += rank * w;
      weight += w;
    }
    if (weight > 0) result.set(nr, sum / weight);
  }
  return result;
}

export function confidenceOf(missingShare: number, rules: KommuneRules): KommuneConfidence {
  // Stryker disable next-line EqualityOperator: a share of exactly 1e-9 is float noise either way
  if (missingShare <= 1e-9) return 'high';
  return missingShare > rules.lowConfidenceMissingShare ? 'low' : 'medium';
}

/**
 * Scores and ranks every kommune. A missing factor keeps its place in the result (shown as
 * missing), its weight is spread over the kommune's present factors, and confidence drops. The
 * top flag goes to the best `topN` among kommuner of at least `minPopulation` inhabitants with at
 * least `topMinWeightShare` of the weight
 * of the factors that have figures at all (a factor missing for every kommune counts against
 * confidence, not against the top flag).
 */
export function rankKommuner(
  kommuner: Kommune[],
  raws: Partial<Record<KommuneFactorKey, ReadonlyMap<string, FactorRaw>>>,
  rules: KommuneRules,
  definitions: FactorDefinition[] = FACTORS,
): KommuneRanking {
  const weights = rules.weights;
  const totalWeight = KOMMUNE_FACTOR_KEYS.reduce((sum, key) => sum + weights[key], 0);
  const normalised = new Map<KommuneFactorKey, Map<string, number>>();
  for (const def of definitions) {
    const factorRaws = raws[def.key];
    normalised.set(def.key, factorRaws ? normaliseFactor(factorRaws, def.components(rules)) : new Map());
  }

  // Weight of the factors with a figure for any kommune: a factor missing for all (its table not
  // in the snapshot, or changed shape) lowers confidence but does not keep everyone from the top.
  const availableWeight = definitions
    .filter((d) => normalised.get(d.key)!.size > 0)
    .reduce((sum, d) => sum + weights[d.key], 0);
  const eligible = new Set<string>();
  const populationOf = (nr: string): number | null => {
    const value = raws.befolkningsvekst?.get(nr)?.detail?.folketall;
    return Number.isFinite(value) ? (value as number) : null;
  };
  // The minimum population applies when population is known at all (07459 reached).
  const knowPopulation = kommuner.some((k) => populationOf(k.kommunenummer) !== null);

  const ranked: RankedKommune[] = kommuner.map((kommune) => {
    const nr = kommune.kommunenummer;
    const present = definitions.filter((d) => weights[d.key] > 0 && normalised.get(d.key)!.has(nr));
    const presentWeight = present.reduce((sum, d) => sum + weights[d.key], 0);
    const factors = {} as Record<KommuneFactorKey, FactorResult>;
    let score = 0;
    for (const def of definitions) {
      const raw = raws[def.key]?.get(nr);
      const value = normalised.get(def.key)!.get(nr) ?? null;
      const points = presentWeight > 0 ? ((value ?? 0) * weights[def.key] * 100) / presentWeight : 0;
      score += points;
      factors[def.key] = {
        key: def.key,
        label: def.label,
        weight: weights[def.key],
        raw: raw?.value ?? null,
        year: raw?.year ?? null,
        normalised: value,
        points,
        detail: raw?.detail ?? {},
        missing:
          value === null ? (raw?.missing ?? (raws[def.key] ? 'not-available' : 'factor not fetched')) : null,
      };
    }
    const missing = definitions
      .filter((d) => weights[d.key] > 0 && factors[d.key].normalised === null)
      .map((d) => d.key);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the rule file refuses all-zero weights
    const weightShare = totalWeight > 0 ? presentWeight / totalWeight : 0;
    const population = populationOf(nr);
    // Unknown population counts as none: under any minimum, but not when the minimum is 0.
    const belowMinPopulation = knowPopulation && (population ?? 0) < rules.minPopulation;
    if (
      // Stryker disable next-line ConditionalExpression,EqualityOperator: with no weight available the share below is NaN and fails anyway
      availableWeight > 0 &&
      // Stryker disable next-line EqualityOperator: with the float tolerance, > and >= differ only at a share of exactly topMinWeightShare − 1e-9 (the boundary itself is pinned by a test)
      presentWeight / availableWeight >= rules.topMinWeightShare - 1e-9 &&
      !belowMinPopulation
    )
      eligible.add(nr);
    return {
      kommune,
      score: present.length > 0 ? score : null,
      rank: null,
      top: false,
      confidence: present.length > 0 ? confidenceOf(1 - weightShare, rules) : 'low',
      weightShare,
      missing,
      factors,
      population,
      belowMinPopulation,
    };
  });

  ranked.sort(
    (a, b) =>
      (b.score ?? -1) - (a.score ?? -1) ||
      b.weightShare - a.weightShare ||
      a.kommune.kommunenummer.localeCompare(b.kommune.kommunenummer),
  );
  let flagged = 0;
  ranked.forEach((k, i) => {
    if (k.score === null) return;
    k.rank = i + 1;
    if (flagged < rules.topN && eligible.has(k.kommune.kommunenummer)) {
      k.top = true;
      flagged += 1;
    }
  });
  return { kommuner: ranked };
}
