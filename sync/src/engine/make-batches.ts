import type { BBox } from '../domain/geometry.js';
import type { KommuneData } from '../domain/kommune.js';
import { bboxOf } from '../geo/crs.js';
import { BoxIndex } from '../geo/spatial-index.js';
import type { CandidateZone, ClassifiedPlans } from './classify.js';
import type { ZoneBatch } from './zone-batch.js';

/**
 * Groups zones into spatially compact batches (sorted along a Hilbert curve, then cut into runs of
 * similar size), each with only the plans and parcels near its zones, so a worker receives a
 * fraction of the kommune. At most `count` (≥ 1) batches; none without zones.
 */
export function makeBatches(
  kommunenummer: string,
  plans: ClassifiedPlans,
  data: KommuneData,
  count: number,
): ZoneBatch[] {
  const boxes = new Map(plans.zones.map((z) => [z, bboxOf(z.geometry)]));
  const sorted = hilbertOrder(plans.zones, boxes);
  const subtractIndex = new BoxIndex(plans.regulated, (s) => bboxOf(s.geometry));
  const outlineIndex = new BoxIndex(plans.kommuneplanOutlines, (o) => bboxOf(o.geometry));
  const inProgressIndex = new BoxIndex(plans.inProgress, (o) => bboxOf(o.geometry));
  const parcelIndex = new BoxIndex(data.parcels, (p) => bboxOf(p.geometry));
  const size = Math.ceil(sorted.length / count);
  const batches: ZoneBatch[] = [];
  for (let i = 0; i < sorted.length; i += size) {
    const zones = sorted.slice(i, i + size);
    const inBatch = new Set(zones);
    // Items near the batch's zones, kept in their original order: results must not depend on batching.
    const near = <T>(index: BoxIndex<T>, all: readonly T[]) => {
      const found = new Set<T>();
      for (const zone of zones) for (const item of index.search(boxes.get(zone)!)) found.add(item);
      return all.filter((item) => found.has(item));
    };
    batches.push({
      kommunenummer,
      zones: plans.zones.filter((zone) => inBatch.has(zone)),
      subtract: near(subtractIndex, plans.regulated),
      kommuneplanOutlines: near(outlineIndex, plans.kommuneplanOutlines),
      inProgress: near(inProgressIndex, plans.inProgress),
      parcels: near(parcelIndex, data.parcels),
    });
  }
  return batches;
}

/** The zones sorted by the Hilbert position of their box centres (nearby zones end up together). */
function hilbertOrder(zones: readonly CandidateZone[], boxes: Map<CandidateZone, BBox>): CandidateZone[] {
  const all = [...boxes.values()];
  const extent = [
    Math.min(...all.map((b) => b[0])),
    Math.min(...all.map((b) => b[1])),
    Math.max(...all.map((b) => b[2])),
    Math.max(...all.map((b) => b[3])),
  ] as const;
  const keyOf = (zone: CandidateZone) => {
    const b = boxes.get(zone)!;
    const x = ((b[0] + b[2]) / 2 - extent[0]) / (extent[2] - extent[0] || 1);
    const y = ((b[1] + b[3]) / 2 - extent[1]) / (extent[3] - extent[1] || 1);
    return hilbert(Math.floor(x * 65535), Math.floor(y * 65535));
  };
  return zones
    .map((zone) => ({ zone, key: keyOf(zone) }))
    .sort((a, b) => a.key - b.key)
    .map((s) => s.zone);
}

/** Position along a Hilbert curve of order 16. */
function hilbert(x: number, y: number): number {
  let d = 0;
  for (let s = 1 << 15; s > 0; s >>= 1) {
    const rx = (x & s) > 0 ? 1 : 0;
    const ry = (y & s) > 0 ? 1 : 0;
    // Stryker disable next-line ArithmeticOperator: rx is 0 or 1, and 3 / 0 = Infinity becomes 0 under ^ just as 3 * 0 does
    const quadrant = (3 * rx) ^ ry;
    d += s * s * quadrant;
    if (ry === 0) {
      if (rx === 1) {
        x = 65535 - x;
        y = 65535 - y;
      }
      [x, y] = [y, x];
    }
  }
  return d;
}
