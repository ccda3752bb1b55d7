import type { Position } from '../../domain/geometry.js';
import { checkedGet, type SourceHttp } from '../checked-get.js';
import { classifyMarkup } from '../files/geojson.js';
import { FormatError } from '../files/format-error.js';

export interface Ar5WmsOptions {
  url: string;
  /** The WMS layer, `Arealtype`: its GML answer holds `<Arealtype_feature>` blocks with `<artype>`. */
  layer: string;
  kommune: string;
  signal?: AbortSignal;
}

/** Half the side (m) of the box the point is asked in; the pixel asked is its middle. */
const HALF_BOX_M = 5;
const PIXELS = 11;

/**
 * The AR5 arealtype at a point (EPSG:25833) from NIBIO's open WMS (MapServer) GetFeatureInfo,
 * `INFO_FORMAT=application/vnd.ogc.gml`, WMS 1.1.1 with `SRS=EPSG:25833`. Null: the answer is a
 * valid `msGMLOutput` with no feature there (outside AR5's mapping). An HTML page, a
 * ServiceException or a body that is not MapServer's GML fails.
 */
export async function ar5TypeAt(
  http: SourceHttp,
  point: Position,
  options: Ar5WmsOptions,
): Promise<number | null> {
  const url = new URL(options.url);
  const [x, y] = point;
  const params: Record<string, string> = {
    SERVICE: 'WMS',
    VERSION: '1.1.1',
    REQUEST: 'GetFeatureInfo',
    LAYERS: options.layer,
    QUERY_LAYERS: options.layer,
    STYLES: '',
    SRS: 'EPSG:25833',
    BBOX: [x - HALF_BOX_M, y - HALF_BOX_M, x + HALF_BOX_M, y + HALF_BOX_M].map((v) => v.toFixed(1)).join(','),
    WIDTH: String(PIXELS),
    HEIGHT: String(PIXELS),
    X: String((PIXELS - 1) / 2),
    Y: String((PIXELS - 1) / 2),
    INFO_FORMAT: 'application/vnd.ogc.gml',
    FEATURE_COUNT: '1',
  };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return checkedGet(http, { url: url.toString(), kommune: options.kommune, signal: options.signal }, (r) =>
    readGfiArtype(r.text(), options.layer),
  );
}

/** The `artype` of the first `<{layer}_feature>` in MapServer's GML GetFeatureInfo answer. */
export function readGfiArtype(text: string, layer: string): number | null {
  const head = text.slice(0, 4000);
  if (/ServiceException/.test(head)) throw classifyServiceException(head);
  if (!/<msGMLOutput[\s>]/.test(head)) {
    if (head.trimStart().startsWith('<')) throw classifyMarkup(head.trimStart());
    throw new FormatError('malformed', 'not a GetFeatureInfo GML answer (msGMLOutput)');
  }
  if (!/<\/msGMLOutput>\s*$/.test(text)) throw new FormatError('truncated', 'the GML answer ends early');
  const feature = new RegExp(`<${layer}_feature>([\\s\\S]*?)</${layer}_feature>`).exec(text)?.[1];
  if (feature === undefined) return null;
  const artype = /<artype>\s*(\d+)\s*<\/artype>/.exec(feature)?.[1];
  if (artype === undefined) throw new FormatError('malformed', `a ${layer} feature without <artype>`);
  return Number(artype);
}

function classifyServiceException(head: string): FormatError {
  const message = /<ServiceException[^>]*>([\s\S]*?)<\/ServiceException>/.exec(head)?.[1];
  return new FormatError(
    'service-exception',
    `service exception: ${(message ?? '').replace(/\s+/g, ' ').trim() || 'no text'}`,
  );
}
