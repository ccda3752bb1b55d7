import type { Position } from '../../domain/geometry.js';
import type { PlanFeature } from '../../domain/plan.js';
import { FormatError } from '../files/format-error.js';
import { parseGeoJson } from '../files/geojson.js';
import { planFeaturesFromGeoJson } from '../files/plan-geojson.js';
import type { ReadWarning } from '../files/read-options.js';
import { checkedGet, type SourceHttp } from '../checked-get.js';
import type { FetchOptions, PlanProbe, PlanSource } from '../plan-source.js';

export interface NapWmsConfig {
  /** e.g. https://nap.ft.dibk.no/services/wms/reguleringsplaner */
  url: string;
  /** Vertikalnivåer to probe; each is its own set of layers (`…_vn1` … `…_vn5`). */
  vertikalniva: number[];
  /** Layer groups per vertikalnivå (suffixed `_vn<N>`). */
  layers: string[];
  /** Half the window around the point, metres. GeoServer returns nothing beyond a scale cliff (800 m empty, 400 m ok). */
  halfWindowM: number;
}

export const DEFAULT_WMS_LAYERS = ['arealformal', 'rpomrade', 'hensynssoner', 'bestemmelsesomrader'];

/** The window is WIDTH × HEIGHT pixels with the point in the centre pixel. */
const PIXELS = 101;

/**
 * NAP's keyless WMS GetFeatureInfo as a point probe (notes/geodata.md, probe log 2026-09-01):
 * GeoJSON in EPSG:25833 from a small window around the point, one request per vertikalnivå.
 * Its recorded quirks are handled here: an unknown layer answers a ServiceExceptionReport with
 * HTTP 200 (→ SourceError service-exception); a wrong CRS answers an empty collection with
 * `crs: null` (we only ever ask EPSG:25833, and a non-empty answer in another CRS is refused);
 * `utnyttingstall` arrives as "[Ljava.lang.Double;@…" (→ null, reported); feature ids change per
 * request (never used as identity: lokalId is).
 */
export class NapWmsProbe implements PlanSource {
  readonly name: string;

  constructor(
    private readonly config: NapWmsConfig,
    private readonly http: SourceHttp,
    name = 'nap-wms',
  ) {
    this.name = name;
  }

  async probe(point: Position, options: FetchOptions & { kommunenummer?: string } = {}): Promise<PlanProbe> {
    const [e, n] = point;
    const h = this.config.halfWindowM;
    const bbox = [e - h, n - h, e + h, n + h].map((v) => v.toFixed(3)).join(',');
    const features: PlanFeature[] = [];
    const warnings: ReadWarning[] = [];
    for (const vn of this.config.vertikalniva) {
      const layers = this.config.layers.map((layer) => `${layer}_vn${vn}`).join(',');
      const url = new URL(this.config.url);
      const params: Record<string, string> = {
        SERVICE: 'WMS',
        VERSION: '1.3.0',
        REQUEST: 'GetFeatureInfo',
        LAYERS: layers,
        QUERY_LAYERS: layers,
        STYLES: '',
        CRS: 'EPSG:25833',
        BBOX: bbox,
        WIDTH: String(PIXELS),
        HEIGHT: String(PIXELS),
        I: String((PIXELS - 1) / 2),
        J: String((PIXELS - 1) / 2),
        INFO_FORMAT: 'application/json',
        FEATURE_COUNT: '50',
      };
      for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
      const label = `${this.name} vn${vn}`;
      const found = await checkedGet(
        this.http,
        { url: url.toString(), kommune: options.kommunenummer, signal: options.signal },
        (response) => {
          const document = parseGeoJson(response.text(), {
            epsg: 25833,
            latFirst: false,
            name: 'EPSG:25833',
          });
          if (document.features.length > 0 && document.crsDeclared && document.crs.epsg !== 25833) {
            throw new FormatError(
              'unexpected-crs',
              `asked for EPSG:25833, the answer is in ${document.crs.name}`,
            );
          }
          return planFeaturesFromGeoJson(document, label, { onWarning: (w) => warnings.push(w) });
        },
      );
      features.push(...found);
    }
    return { features, warnings, window: `EPSG:25833 ±${h} m around ${e.toFixed(1)} ${n.toFixed(1)}` };
  }
}
