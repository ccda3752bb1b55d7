import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startDouble, type Double } from '../double.js';
import type { NapFeature } from '../nap/plan-data.js';

const reference = (name: string) => readFileSync(path.resolve('test/fixtures/reference', name), 'utf8');
const LAYER_NOT_DEFINED = reference('nap-gfi-layer-not-defined.xml');
const EMPTY_WRONG_CRS = reference('nap-gfi-empty-wrong-crs.json');
/** The recorded vertikalnivå-1 answer at Bergen 167/714. */
export const RECORDED_VN1 = JSON.parse(reference('nap-gfi-vn1-bergen-167-714.json')) as {
  features: NapFeature[];
};

export const GROUPS = [
  'arealformal',
  'rpomrade',
  'hensynssoner',
  'bestemmelsesomrader',
  'rpregulerthoyde',
  'rpjuridisklinje',
  'rppaskrift',
];

export interface WmsDoubleOptions {
  /** Features per vertikalnivå (EPSG:25833). */
  byLevel: Record<number, NapFeature[]>;
  /** Serialise utnyttingstall the way GeoServer loses it ("[Ljava.lang.Double;@…"). */
  leakUtnyttingstall?: boolean;
}

/**
 * NAP's reguleringsplaner WMS GetFeatureInfo (GeoServer) with the recorded quirks: an unknown
 * layer answers the ServiceExceptionReport with HTTP 200, a CRS other than EPSG:25833/3857 the
 * empty `crs: null` collection, windows beyond the scale cliff (> 800 m) nothing, feature ids are
 * regenerated per request, utnyttingstall may leak as a Java array name.
 */
export async function startWmsDouble(options: WmsDoubleOptions): Promise<Double> {
  return startDouble((url) => {
    const q = new Map([...url.searchParams.entries()].map(([k, v]) => [k.toUpperCase(), v]));
    const layers = (q.get('QUERY_LAYERS') ?? '').split(',');
    for (const layer of layers) {
      const match = /^(\w+)_vn([1-5])$/.exec(layer);
      if (!match || !GROUPS.includes(match[1]!)) {
        return { contentType: 'text/xml', body: LAYER_NOT_DEFINED.replace('arealformal_vn9', layer) };
      }
    }
    if (q.get('CRS') !== 'EPSG:25833') return { contentType: 'application/json', body: EMPTY_WRONG_CRS };
    const [minx, miny, maxx, maxy] = (q.get('BBOX') ?? '').split(',').map(Number) as [
      number,
      number,
      number,
      number,
    ];
    const width = Number(q.get('WIDTH'));
    const height = Number(q.get('HEIGHT'));
    const x = minx + ((Number(q.get('I')) + 0.5) / width) * (maxx - minx);
    const y = maxy - ((Number(q.get('J')) + 0.5) / height) * (maxy - miny);
    const levels = new Set(layers.map((l) => Number(l.slice(-1))));
    const tooWide = maxx - minx > 800;
    const hits = tooWide
      ? []
      : [...levels].flatMap((vn) => (options.byLevel[vn] ?? []).filter((f) => contains(f, x, y)));
    const features = hits.map((f) => ({
      ...f,
      id: `${String(f.properties.objekttypenavn).toLowerCase().replace(/å/g, 'a')}_vn.fid-${randomBytes(6).toString('hex')}`,
      geometry_name: 'område',
      properties:
        options.leakUtnyttingstall && 'utnytting.utnyttingstall' in f.properties
          ? {
              ...f.properties,
              'utnytting.utnyttingstall': `[Ljava.lang.Double;@${randomBytes(4).toString('hex')}`,
            }
          : f.properties,
    }));
    return {
      contentType: 'application/json;charset=UTF-8',
      body: JSON.stringify({
        type: 'FeatureCollection',
        features,
        totalFeatures: 'unknown',
        numberReturned: features.length,
        timeStamp: new Date().toISOString(),
        crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::25833' } },
      }),
    };
  });
}

/** Point in the feature's outer ring (even-odd). */
function contains(feature: NapFeature, x: number, y: number): boolean {
  const ring = feature.geometry.coordinates[0]!;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
