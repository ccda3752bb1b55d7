import { isAreaGeometry, type AreaGeometry, type BBox } from '../../domain/geometry.js';
import type { MappedArea } from '../../domain/kommune.js';
import { coveredArea } from '../../geo/covered-area.js';
import type { Geos, GeomPtr } from '../../geo/geos.js';
import { PreparedSet } from '../../geo/prepared-set.js';
import { clamp01 } from './curves.js';

/** A share of the lot outside NVE's mapping of a layer or a hazard, 0–1 (four decimals). */
export interface UnmappedShare {
  /** The layer's label ("flomsoner") or the hazard ("flomfare"). */
  label: string;
  fraction: number;
}

/**
 * What of the lot NVE has not mapped: per hazard over all its layers (confidence), and per layer
 * for those hazards only (the explanation).
 */
export interface LotMapping {
  layers: UnmappedShare[];
  hazards: UnmappedShare[];
}

interface MappedPiece {
  layer: number;
  hazard: string;
  geometry: AreaGeometry;
}

/** Under half a percent unmapped reads "0 %": counted as mapped. */
const MIN_SHARE = 0.005;

export const NO_MAPPING: LotMapping = { layers: [], hazards: [] };

/**
 * NVE's mapped areas (coverage layers) indexed once per kommune: for each lot, the share outside
 * each layer's mapping and outside every mapping of each hazard (a lot outside the detailed flood
 * zones but inside the flood awareness map is mapped for flood). A miss outside the mapping means
 * "not mapped", never "safe", so this feeds confidence and the explanation, never the points.
 * Less than `minUnmappedM2` or half a percent unmapped is an edge sliver and counts as mapped.
 */
export class MappingIndex {
  private readonly set: PreparedSet<MappedPiece>;
  private readonly hazards: string[];

  constructor(
    private readonly geos: Geos,
    private readonly areas: readonly MappedArea[],
    private readonly minUnmappedM2: number,
    private readonly fallbackGrid: number,
  ) {
    const pieces = areas.flatMap((area, layer): MappedPiece[] =>
      area.features.flatMap((f) =>
        isAreaGeometry(f.geometry) ? [{ layer, hazard: area.hazard, geometry: f.geometry }] : [],
      ),
    );
    this.set = new PreparedSet(geos, pieces, (p) => p.geometry);
    this.hazards = [...new Set(areas.map((a) => a.hazard))];
  }

  unmapped(lot: GeomPtr, box: BBox, lotArea: number): LotMapping {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a lot without area has nothing unmapped either way (0 m² missing is under the minimum); this skips the overlay only
    if (lotArea <= 0) return NO_MAPPING;
    const candidates = this.set.candidates(box);
    const outside = (indexes: number[]) => {
      const covered = coveredArea(this.geos, this.set, indexes, lot, lotArea, this.fallbackGrid).area;
      const missing = lotArea - covered;
      const fraction = Math.round(clamp01(missing / lotArea) * 10_000) / 10_000;
      return missing < this.minUnmappedM2 || fraction < MIN_SHARE ? 0 : fraction;
    };
    const share = (label: string, keep: (p: MappedPiece) => boolean): UnmappedShare[] => {
      const fraction = outside(candidates.filter((i) => keep(this.set.items[i]!)));
      return fraction > 0 ? [{ label, fraction }] : [];
    };
    const hazards = this.hazards.flatMap((hazard) => share(hazard, (p) => p.hazard === hazard));
    const open = new Set(hazards.map((h) => h.label));
    // A layer is named only where its hazard has no other mapping: outside the detailed flood zones
    // but inside the flood awareness map, flood is mapped.
    const layers = this.areas.flatMap((area, layer) =>
      open.has(area.hazard) ? share(area.label, (p) => p.layer === layer) : [],
    );
    return { layers, hazards };
  }

  // Stryker disable next-line BlockStatement: frees GEOS memory only; no share changes
  dispose(): void {
    this.set.dispose();
  }
}
