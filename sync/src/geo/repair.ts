import type { AnyGeometry } from '../domain/geometry.js';
import type { Geos, GeomPtr } from './geos.js';

export interface RepairedArea {
  /** A valid polygonal GEOS geometry (owned by the caller), or null when nothing polygonal is left. */
  ptr: GeomPtr | null;
  repaired: boolean;
  /** Why the input was invalid, when it was. */
  reason: string | null;
}

/**
 * Turns an input area into a valid GEOS geometry. Invalid input is fixed with GEOS MakeValid,
 * which keeps every lobe of a self-crossing ring (buffer(0) would silently drop one); line or
 * point leftovers of collapsed rings are discarded, as they hold no area.
 */
export function toValidArea(geos: Geos, geometry: AnyGeometry): RepairedArea {
  const input = geos.fromGeometry(geometry);
  if (geos.isEmpty(input)) {
    geos.destroy(input);
    return { ptr: null, repaired: true, reason: 'no ring with three or more distinct points' };
  }
  if (geos.isValid(input)) return { ptr: input, repaired: false, reason: null };
  const fixed = geos.makeValid(input);
  geos.destroy(input);
  const parts = geos.polygonParts(fixed);
  geos.destroy(fixed);
  if (parts.length === 0) return { ptr: null, repaired: true, reason: 'collapsed to lines or points' };
  const polygonal = parts.length === 1 ? parts[0]! : geos.collection(parts, 'multiPolygon');
  return { ptr: polygonal, repaired: true, reason: 'invalid geometry repaired with MakeValid' };
}
