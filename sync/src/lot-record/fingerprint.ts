import { createHash } from 'node:crypto';
import { mapPositions } from '../geo/crs.js';
import { stableJson } from '../util/stable-json.js';
import type { LotRecord } from './lot-record.js';

/** Millimetres: below what any survey or plan means, above floating-point noise between runs. */
const roundMm = (value: number) => Math.round(value * 1000) / 1000;

/**
 * A short hash of everything the record says. Equal fingerprints mean the lot is the same as the
 * sales team last saw it; the label point is derived from the geometry and left out.
 */
export function lotFingerprint(record: LotRecord): string {
  const { centre: _centre, geometry, ...facts } = record;
  const rounded = mapPositions(geometry, ([x, y]) => [roundMm(x), roundMm(y)]);
  return createHash('sha1')
    .update(stableJson({ ...facts, geometry: rounded }))
    .digest('base64url')
    .slice(0, 16);
}
