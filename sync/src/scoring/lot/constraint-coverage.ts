import type { LotScoreRules } from '../../config/lot-score-rules.js';
import type { BBox } from '../../domain/geometry.js';
import type { ConstraintCoverage } from '../../domain/lot.js';
import { coveredArea } from '../../geo/covered-area.js';
import type { Geos, GeomPtr } from '../../geo/geos.js';
import type { PreparedSet } from '../../geo/prepared-set.js';
import { clamp01 } from './curves.js';
import type { ConstraintZone } from './constraint-zones.js';

export interface LotConstraints {
  /** Every configured type, in config order, with the share of the lot it covers. */
  constraints: ConstraintCoverage[];
  /** Share of the lot under any severe constraint (their union: overlaps count once), 0–1. */
  severeFraction: number;
}

const fractionOf = (area: number, lotArea: number) => Math.round(clamp01(area / lotArea) * 10_000) / 10_000;

/**
 * The share of a lot each constraint type covers, 0–1 (four decimals). Zones of one type that
 * overlap count once; the sources list the zones that cover part of the lot. Less than
 * `minCoveredM2` is a digitising sliver along a shared edge and counts as none. `lotArea` is the
 * lot's GEOS area, above 0 (a valid, non-empty polygon).
 */
export function constraintCoverageOf(
  geos: Geos,
  zones: PreparedSet<ConstraintZone>,
  lot: GeomPtr,
  lotBox: BBox,
  lotArea: number,
  rules: Pick<LotScoreRules['constraints'], 'types' | 'minCoveredM2'>,
  fallbackGrid: number,
): LotConstraints {
  const byKey = new Map<string, number[]>();
  for (const index of zones.candidates(lotBox)) {
    const key = zones.items[index]!.key;
    const list = byKey.get(key) ?? [];
    list.push(index);
    byKey.set(key, list);
  }
  const severeIndexes: number[] = [];
  const constraints = Object.entries(rules.types).map(([key, type]): ConstraintCoverage => {
    const candidates = byKey.get(key);
    const found = candidates ? coveredArea(geos, zones, candidates, lot, lotArea, fallbackGrid) : null;
    const covered = found && found.area >= rules.minCoveredM2 ? found : null;
    if (covered && type.severe) severeIndexes.push(...covered.indexes);
    return {
      key,
      label: type.label,
      fraction: covered ? fractionOf(covered.area, lotArea) : 0,
      weight: type.weight,
      severe: type.severe,
      sources: covered ? [...new Set(covered.indexes.map((i) => zones.items[i]!.source))].sort() : [],
    };
  });
  // The union of the severe types' zones: where two overlap, the land counts once.
  const severe = coveredArea(geos, zones, severeIndexes, lot, lotArea, fallbackGrid);
  return { constraints, severeFraction: fractionOf(severe.area, lotArea) };
}
