import type { LotScoreRules } from '../../config/lot-score-rules.js';
import type { MappedArea } from '../../domain/kommune.js';
import type { ConstraintCoverage, Lot } from '../../domain/lot.js';
import type { TransitData } from '../../domain/transit.js';
import { bboxOf } from '../../geo/crs.js';
import type { Geos, GeomPtr } from '../../geo/geos.js';
import { nearestWithin } from '../../geo/nearest.js';
import { PreparedSet } from '../../geo/prepared-set.js';
import { toValidArea } from '../../geo/repair.js';
import { accessFeaturesOf, type AccessFeature } from './access-features.js';
import type { Centres } from './centres.js';
import { constraintCoverageOf } from './constraint-coverage.js';
import { constraintZonesOf, type ConstraintZone } from './constraint-zones.js';
import type { AccessDistance } from './factors/infrastructure.js';
import type { CentreDistance } from './factors/centrality.js';
import { MappingIndex, NO_MAPPING, type LotMapping } from './mapped-share.js';
import { TransitIndex, type TransitMeasure } from './transit-measure.js';
import type { LotScoreContext } from './types.js';

/** What the score needs to know about a lot's geometry. */
export interface LotMeasures {
  /** GEOS area of the lot geometry (m²); the constraint fractions are shares of it. */
  areaM2: number;
  constraints: ConstraintCoverage[];
  /** Share of the lot under any severe constraint (union), 0–1. */
  severeFraction: number;
  access: AccessDistance | null;
  centre: CentreDistance | null;
  /** The stop with regular departures that gives the best transit value (null: none within reach). */
  transit: TransitMeasure | null;
  /** What of the lot NVE has not mapped (outside the hazard layers' coverage). */
  mapping: LotMapping;
}

/** What lots are measured against, picked out of the kommune's data once: plain data, no GEOS. */
export interface MeasuredZones {
  constraints: ConstraintZone[];
  access: AccessFeature[];
  transit: TransitData | undefined;
  mappedAreas: MappedArea[];
}

export function measuredZonesOf(
  context: Pick<LotScoreContext, 'data' | 'extraLayers'>,
  rules: LotScoreRules,
): MeasuredZones {
  return {
    // Stryker disable next-line ArrayDeclaration: constraintZonesOf skips a layer whose constraint is no configured type, as a stand-in entry is
    constraints: constraintZonesOf(context.data, context.extraLayers ?? [], rules.constraints),
    access: accessFeaturesOf(context.data, rules.infrastruktur),
    transit: context.data.transit,
    mappedAreas: context.data.mappedAreas ?? [],
  };
}

/**
 * Measures lots against the kommune's constraint zones, roads, built zones and centres. The zones
 * are indexed once (flatbush) and built, repaired and prepared in GEOS on first use, then reused
 * for every lot; `dispose()` frees all of it.
 */
export class LotMeasurer {
  private readonly constraints: PreparedSet<ConstraintZone>;
  private readonly access: PreparedSet<AccessFeature>;
  private readonly centrePoints: Array<{ name: string; ptr: GeomPtr }>;
  private readonly transit: TransitIndex | null;
  private readonly transitStatus: string | null;
  private readonly mapping: MappingIndex;

  constructor(
    private readonly geos: Geos,
    zones: MeasuredZones,
    centres: Centres,
    private readonly rules: LotScoreRules,
    private readonly fallbackGrid: number,
  ) {
    this.constraints = new PreparedSet(geos, zones.constraints, (z) => z.geometry);
    this.access = new PreparedSet(geos, zones.access, (f) => f.geometry);
    const transit = zones.transit;
    this.transitStatus = transit?.status ?? null;
    this.transit =
      transit && transit.status !== 'unavailable'
        ? new TransitIndex(geos, transit.stops, rules.sentralitet.transit)
        : null;
    this.mapping = new MappingIndex(geos, zones.mappedAreas, rules.constraints.minCoveredM2, fallbackGrid);
    this.centrePoints = centres.points.map((c) => ({
      name: c.name,
      ptr: geos.fromGeometry({ type: 'Point', coordinates: c.position }),
    }));
  }

  get constraintZoneCount(): number {
    return this.constraints.items.length;
  }

  get transitStopCount(): number {
    return this.transit?.stopCount ?? 0;
  }

  /** Whether the kommune has stop data: without it Sentralitet is measured from the centre alone. */
  get transitKnown(): boolean {
    return this.transit !== null;
  }

  /** Stop data was sought and not found (as opposed to not loaded at all, e.g. a file analysis). */
  get transitUnavailable(): boolean {
    return this.transitStatus === 'unavailable';
  }

  measure(lot: Lot): LotMeasures {
    const valid = toValidArea(this.geos, lot.geometry);
    if (!valid.ptr)
      return {
        areaM2: 0,
        constraints: [],
        severeFraction: 0,
        access: null,
        centre: null,
        transit: null,
        mapping: NO_MAPPING,
      };
    const ptr = valid.ptr;
    try {
      const box = bboxOf(lot.geometry);
      const areaM2 = this.geos.area(ptr);
      const { constraints, severeFraction } = constraintCoverageOf(
        this.geos,
        this.constraints,
        ptr,
        box,
        areaM2,
        this.rules.constraints,
        this.fallbackGrid,
      );
      const nearestAccess = nearestWithin(
        this.geos,
        this.access,
        ptr,
        box,
        this.rules.infrastruktur.zeroScoreM,
      );
      const access = nearestAccess
        ? { label: this.access.items[nearestAccess.index]!.label, distance: nearestAccess.distance }
        : null;
      let centre: CentreDistance | null = null;
      for (const point of this.centrePoints) {
        const distance = this.geos.distance(point.ptr, ptr);
        if (!centre || distance < centre.distance) centre = { name: point.name, distance };
      }
      const transit = this.transit?.best(ptr, box) ?? null;
      const mapping = this.mapping.unmapped(ptr, box, areaM2);
      return { areaM2, constraints, severeFraction, access, centre, transit, mapping };
    } finally /* Stryker disable next-line BlockStatement: frees GEOS memory only, no score changes */ {
      this.geos.destroy(ptr);
    }
  }

  // Stryker disable next-line BlockStatement: frees GEOS memory only; no score changes
  dispose(): void {
    this.constraints.dispose();
    this.access.dispose();
    this.transit?.dispose();
    this.mapping.dispose();
    // Stryker disable next-line ArrowFunction: frees GEOS memory only; no score changes
    this.geos.destroy(...this.centrePoints.map((c) => c.ptr));
    this.centrePoints.length = 0;
  }
}
