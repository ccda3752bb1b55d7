import type { LotScoreRules } from '../../config/lot-score-rules.js';
import type { BBox } from '../../domain/geometry.js';
import type { TransitStop } from '../../domain/transit.js';
import type { Geos, GeomPtr } from '../../geo/geos.js';
import { boxDistance } from '../../geo/nearest.js';
import { PreparedSet } from '../../geo/prepared-set.js';
import { expandBox } from '../../geo/spatial-index.js';
import { distanceDecay } from './curves.js';

type TransitRules = LotScoreRules['sentralitet']['transit'];

/** The stop that gives a lot its transit value, how far it is and what it is worth (0–1). */
export interface TransitMeasure {
  name: string;
  /** The modes the stop is regular for (all its modes when departures were not counted). */
  modes: string[];
  lines: number;
  /** Departures an hour of those modes in the counted window; null when not counted (an old copy). */
  departuresPerHour: number | null;
  distance: number;
  /** The stop's mode weight (its best mode). */
  weight: number;
  /** weight × distance decay. */
  value: number;
}

/** A stop's mode weight: its best mode's, `otherModeWeight` for modes not listed. */
export function modeWeightOf(modes: readonly string[], rules: TransitRules): number {
  const weights = modes.map((m) => rules.modeWeights[m] ?? rules.otherModeWeight);
  return weights.length ? Math.max(...weights) : rules.otherModeWeight;
}

/** A stop that counts for Sentralitet: the modes it has regular departures for, and how many. */
interface RegularStop {
  stop: TransitStop;
  modes: string[];
  departuresPerHour: number | null;
}

/**
 * Which of a stop's modes have regular departures: those with at least `minPerHour[mode]` an hour
 * in the counted window; a stop without counted departures (a copy kept before they were counted,
 * a `--stops` file) is regular for all its modes when at least `minLines` lines serve it.
 */
export function regularStop(stop: TransitStop, rules: TransitRules): RegularStop | null {
  const counted = stop.departuresPerHour;
  if (!counted)
    return stop.lines >= rules.minLines ? { stop, modes: stop.modes, departuresPerHour: null } : null;
  const { minPerHour, otherMinPerHour } = rules.departures;
  const modes = Object.keys(counted)
    .filter((m) => counted[m]! >= (minPerHour[m] ?? otherMinPerHour))
    .sort();
  if (modes.length === 0) return null;
  return { stop, modes, departuresPerHour: modes.reduce((sum, m) => sum + counted[m]!, 0) };
}

/**
 * The stops with regular departures (`regularStop`), indexed once per kommune: for
 * each lot the stop with the best mode-weighted value, measured exactly (GEOS) from the lot's
 * edge; the search stops once no farther stop could beat the best. `dispose()` frees GEOS memory.
 */
export class TransitIndex {
  private readonly set: PreparedSet<RegularStop>;
  private readonly weights: number[];
  private readonly maxWeight: number;

  constructor(
    private readonly geos: Geos,
    stops: readonly TransitStop[],
    private readonly rules: TransitRules,
  ) {
    const regular = stops.flatMap((s) => regularStop(s, rules) ?? []);
    this.set = new PreparedSet(geos, regular, (r) => ({ type: 'Point', coordinates: r.stop.position }));
    this.weights = regular.map((r) => modeWeightOf(r.modes, rules));
    this.maxWeight = Math.max(0, ...this.weights);
  }

  get stopCount(): number {
    return this.set.items.length;
  }

  best(lot: GeomPtr, lotBox: BBox): TransitMeasure | null {
    const { fullScoreM, zeroScoreM } = this.rules;
    const candidates: Array<{ index: number; bound: number }> = [];
    for (const index of this.set.candidates(expandBox(lotBox, zeroScoreM))) {
      const bound = boxDistance(lotBox, this.set.boxes[index]!);
      // Stryker disable next-line ConditionalExpression,EqualityOperator: saves work only; a stop at or beyond zeroScoreM is worth 0 and skipped below
      if (bound < zeroScoreM) candidates.push({ index, bound });
    }
    candidates.sort(
      (a, b) =>
        a.bound - b.bound ||
        // Stryker disable next-line ArithmeticOperator: orders stops at the same box distance only; the search order of the index is fixed for the same stops either way, and a tie it breaks is between stops worth the same at the same distance
        a.index - b.index,
    );
    let best: TransitMeasure | null = null;
    for (const { index, bound } of candidates) {
      // Stryker disable next-line ConditionalExpression,ArithmeticOperator: the early stop saves work only; without it every farther stop is measured and none beats the best
      if (best && this.maxWeight * distanceDecay(bound, fullScoreM, zeroScoreM) < best.value) break;
      const distance = this.geos.distance(this.set.ptr(index)!, lot);
      const weight = this.weights[index]!;
      const value = weight * distanceDecay(distance, fullScoreM, zeroScoreM);
      if (value <= 0) continue;
      if (!best || value > best.value || (value === best.value && distance < best.distance)) {
        const { stop, modes, departuresPerHour } = this.set.items[index]!;
        best = { name: stop.name, modes, lines: stop.lines, departuresPerHour, distance, weight, value };
      }
    }
    return best;
  }

  // Stryker disable next-line BlockStatement: frees GEOS memory only; no score changes
  dispose(): void {
    this.set.dispose();
  }
}
