import type { EngineRules } from '../config/engine-rules.js';
import type { Geos, GeomPtr } from '../geo/geos.js';
import type { ZoneTotals } from './zone-batch.js';

/** One polygon of a zone's opportunity. */
export interface OpportunityPart {
  /** GEOS geometry, owned by whoever holds the part. */
  ptr: GeomPtr;
  area: number;
  /** Position among the zone's opened polygons: part of the lot's opportunityId. */
  index: number;
}

/** Zone parts smaller than this are not counted as dropped small parts (they are slivers). */
const SLIVER_M2 = 1;

/**
 * What is left of a zone after subtraction, opened to remove slivers and split into polygons; the
 * parts of at least `minOpportunityM2` are the zone's opportunity (new geometries the caller owns).
 * Adds slivers, small parts and the opportunity to `totals`.
 */
export function openedParts(
  geos: Geos,
  remaining: GeomPtr,
  remainingArea: number,
  rules: EngineRules,
  totals: ZoneTotals,
): OpportunityPart[] {
  const opened = openArea(geos, remaining, rules);
  let polygons: GeomPtr[];
  try {
    // The opening may come back a hair larger than it went in (float noise): nothing was removed then.
    totals.sliverAreaM2 += Math.max(0, remainingArea - geos.area(opened));
    polygons = geos.polygonParts(opened);
  } finally {
    geos.destroy(opened);
  }
  const kept: OpportunityPart[] = [];
  polygons.forEach((ptr, index) => {
    const area = geos.area(ptr);
    if (area >= rules.minOpportunityM2) kept.push({ ptr, area, index });
    else {
      if (area > SLIVER_M2) totals.smallParts += 1;
      totals.smallPartsAreaM2 += area;
      geos.destroy(ptr);
    }
  });
  totals.opportunityParts += kept.length;
  for (const part of kept) totals.opportunityAreaM2 += part.area;
  return kept;
}

/**
 * Morphological opening: inward buffer then outward buffer by the same distance. Removes slivers
 * and necks narrower than twice the distance (plan and zone boundaries digitised from the same
 * lines leave millimetre strips) while giving larger areas back their shape.
 */
function openArea(geos: Geos, area: GeomPtr, rules: EngineRules): GeomPtr {
  if (rules.sliverOpeningM <= 0) return geos.clone(area);
  const style = { join: rules.openingJoin, mitreLimit: 5 } as const;
  const eroded = geos.buffer(area, -rules.sliverOpeningM, style);
  try {
    return geos.buffer(eroded, rules.sliverOpeningM, style);
  } finally {
    geos.destroy(eroded);
  }
}
