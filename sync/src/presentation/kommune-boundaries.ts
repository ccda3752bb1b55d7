/*
 * The kommune boundaries the dashboard map draws: the bundled file (sync/data, 1.26 MB with
 * 15–17 decimals) cut to what a map of kommuner needs. Coordinates are rounded to `decimals`
 * (3 by default: 0.001° is about 110 m north–south and 55 m east–west at 60° N, finer than the
 * file's own simplification, whose points lie further apart than that), repeated points dropped
 * and rings left with fewer than four points removed. Shared borders stay shared: the same point
 * rounds the same way in both kommuner. Properties are cut to `kommunenummer` and `kommunenavn`.
 */

type Ring = number[][];

interface InFeature {
  properties: { kommunenummer: string | number; kommunenavn?: string; name?: string } | null;
  geometry: { type: string; coordinates: unknown } | null;
}

export interface KommuneBoundaryFeature {
  type: 'Feature';
  properties: { kommunenummer: string; kommunenavn: string };
  geometry: { type: 'MultiPolygon'; coordinates: Ring[][] };
}

export interface KommuneBoundaryCollection {
  type: 'FeatureCollection';
  features: KommuneBoundaryFeature[];
}

export function compactKommuneBoundaries(
  collection: { features: readonly InFeature[] },
  decimals = 3,
): KommuneBoundaryCollection {
  const scale = 10 ** decimals;
  const q = (v: number) => Math.round(v * scale) / scale;
  const features: KommuneBoundaryFeature[] = [];
  for (const feature of collection.features) {
    const geometry = feature.geometry;
    if (!feature.properties || !geometry) continue;
    const polygons =
      geometry.type === 'Polygon'
        ? [geometry.coordinates as Ring[]]
        : geometry.type === 'MultiPolygon'
          ? (geometry.coordinates as Ring[][])
          : [];
    const coordinates: Ring[][] = [];
    for (const polygon of polygons) {
      const rings = polygon.map((ring) => compactRing(ring, q));
      // A polygon whose outer ring vanished goes with its holes.
      if (rings[0] && rings[0].length >= 4) coordinates.push(rings.filter((ring) => ring.length >= 4));
    }
    if (!coordinates.length) continue;
    const nr = String(feature.properties.kommunenummer).padStart(4, '0');
    features.push({
      type: 'Feature',
      properties: {
        kommunenummer: nr,
        kommunenavn: feature.properties.kommunenavn ?? feature.properties.name ?? nr,
      },
      geometry: { type: 'MultiPolygon', coordinates },
    });
  }
  return { type: 'FeatureCollection', features };
}

function compactRing(ring: Ring, q: (v: number) => number): Ring {
  const out: Ring = [];
  for (const point of ring) {
    const x = q(point[0]!);
    const y = q(point[1]!);
    const last = out[out.length - 1];
    if (!last || last[0] !== x || last[1] !== y) out.push([x, y]);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) out.push([first[0]!, first[1]!]);
  return out;
}
