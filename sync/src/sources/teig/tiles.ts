import { polygonsOf, type AreaGeometry, type BBox, type Position } from '../../domain/geometry.js';
import { insidePolygon } from '../../geo/inside-polygon.js';

export { insidePolygon };

/**
 * Square tiles over a bounding box, keeping only those that touch the boundary (a kommune's
 * box is mostly sea or neighbours along the coast). A tile is dropped only when it lies wholly
 * outside: no tile corner inside the boundary, no boundary vertex inside the tile, no edge crossing.
 */
export function tilesCovering(bbox: BBox, size: number, boundary: AreaGeometry | null): BBox[] {
  const tiles: BBox[] = [];
  for (let x = bbox[0]; x < bbox[2]; x += size) {
    for (let y = bbox[1]; y < bbox[3]; y += size) {
      const tile: BBox = [x, y, Math.min(x + size, bbox[2]), Math.min(y + size, bbox[3])];
      if (!boundary || touches(tile, boundary)) tiles.push(tile);
    }
  }
  return tiles;
}

function touches(tile: BBox, boundary: AreaGeometry): boolean {
  const corners: Position[] = [
    [tile[0], tile[1]],
    [tile[2], tile[1]],
    [tile[2], tile[3]],
    [tile[0], tile[3]],
  ];
  for (const polygon of polygonsOf(boundary)) {
    if (corners.some((c) => insidePolygon(c, polygon))) return true;
    for (const ring of polygon) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i]!;
        const b = ring[i + 1]!;
        if (insideBox(a, tile)) return true;
        for (let k = 0; k < 4; k++) if (segmentsCross(a, b, corners[k]!, corners[(k + 1) % 4]!)) return true;
      }
    }
  }
  return false;
}

function insideBox(p: Position, box: BBox): boolean {
  return p[0] >= box[0] && p[0] <= box[2] && p[1] >= box[1] && p[1] <= box[3];
}

function segmentsCross(a: Position, b: Position, c: Position, d: Position): boolean {
  const o1 = orientation(a, b, c);
  const o2 = orientation(a, b, d);
  const o3 = orientation(c, d, a);
  const o4 = orientation(c, d, b);
  return o1 * o2 < 0 && o3 * o4 < 0;
}

function orientation(a: Position, b: Position, c: Position): number {
  return Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
}
