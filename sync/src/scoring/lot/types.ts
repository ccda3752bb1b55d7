import type { LotFactorKey, LotScoreRules } from '../../config/lot-score-rules.js';
import type { ConstraintLayerFeature, KommuneData } from '../../domain/kommune.js';
import type { Progress } from '../../util/progress.js';
import type { KommuneFigures } from '../kommune/types.js';

/** A factor's outcome before weighting: 0–1 (null without data) and one Norwegian sentence. */
export interface FactorResult {
  value: number | null;
  reason: string;
  /** Without data: the value to count instead of the general rule (`missingFactorValue`). */
  assumed?: number;
}

export type FactorResults = Record<LotFactorKey, FactorResult>;

/** An extra constraint layer for one kommune, as the source layer read it (see `constraintLayerOf`). */
export interface ConstraintLayer {
  /** Shown as the source, e.g. "NVE flomsone". */
  name: string;
  /** The constraint type its areas count as (a key of `lotScore.constraints.types`). */
  constraint: string;
  features: readonly ConstraintLayerFeature[];
}

/** Everything the lot score needs besides the lots, for one kommune. */
export interface LotScoreContext {
  /** The kommune's plan features, coverage flags and representative point. */
  data: KommuneData;
  /**
   * From the kommune ranking (`kommuneFigures(kommunenummer)`): Byggevilje for Kommunal vilje, the
   * price per m² for the estimated value, SSB's centrality class for capacity. Absent: none known.
   */
  kommune?: KommuneFigures;
  rules: LotScoreRules;
  /** Owners of each lot's property once looked up, by tomtId (feeds Eierstruktur). */
  ownerCounts?: ReadonlyMap<string, number>;
  extraLayers?: readonly ConstraintLayer[];
  progress?: Progress;
  /** Grid (m) for the robust fallback of an overlay on near-coincident edges. */
  fallbackPrecisionM?: number;
}
