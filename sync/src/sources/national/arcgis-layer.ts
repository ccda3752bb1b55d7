import type { BBox } from '../../domain/geometry.js';
import { SourceError } from '../../util/errors.js';
import { redactUrl } from '../../util/redact.js';
import { checkedGet, type SourceHttp } from '../checked-get.js';
import { resolveSourceCrs } from '../files/source-crs.js';
import { boxIn } from './box-in.js';
import { readLayerPage } from './layer-answer.js';
import type { LayerFetch, LayerRequest } from './layer-request.js';

/**
 * An ArcGIS REST MapServer layer (NVE, Miljødirektoratet) queried within a box:
 * `{layer}/query?where=1=1&geometry=<box>&geometryType=esriGeometryEnvelope&inSR=&outSR=&f=geojson`,
 * paged with `resultOffset`/`resultRecordCount` while the answer says `exceededTransferLimit`
 * (at the top or under `properties`). The box is sent in `request.epsg`; the answer is read back
 * into EPSG:25833. Errors sent as HTTP 200 (`{"error": …}`) fail the layer.
 */
/** `exceededTransferLimit: true`, at the top (f=json) or under `properties` (some f=geojson answers). */
const EXCEEDED = /"exceededTransferLimit"\s*:\s*true/;

export async function fetchArcgisLayer(http: SourceHttp, request: LayerRequest): Promise<LayerFetch> {
  const crs = resolveSourceCrs(`EPSG:${request.epsg}`)!;
  const box = boxIn(request.bbox, request.epsg);
  const features: LayerFetch['features'] = [];
  let skipped = 0;
  for (let page = 0, offset = 0; ; page++) {
    const url = queryUrl(request, box, offset);
    if (page >= request.maxPages)
      throw new SourceError('malformed', `more than ${request.maxPages} pages; stopped`, {
        source: http.client.source,
        kommune: request.kommune,
        url: redactUrl(url),
      });
    const read = await checkedGet(http, { url, kommune: request.kommune, signal: request.signal }, (r) => {
      const answer = readLayerPage(r.text(), crs, request.bbox);
      return { ...answer, more: EXCEEDED.test(r.text()) };
    });
    features.push(...read.features);
    skipped += read.skipped;
    offset += read.members;
    if (!read.more) return { features, skipped, pages: page + 1 };
    if (read.members === 0)
      throw new SourceError('malformed', 'exceededTransferLimit with an empty page', {
        source: http.client.source,
        kommune: request.kommune,
        url: redactUrl(url),
      });
  }
}

function queryUrl(request: LayerRequest, box: BBox, offset: number): string {
  const url = new URL(`${request.url.replace(/\/+$/, '')}/query`);
  const params: Record<string, string> = {
    where: '1=1',
    geometry: box.map((v) => v.toFixed(1)).join(','),
    geometryType: 'esriGeometryEnvelope',
    inSR: String(request.epsg),
    spatialRel: 'esriSpatialRelIntersects',
    outFields: '*',
    returnGeometry: 'true',
    outSR: String(request.epsg),
    // Centimetres are plenty in a projected CRS; quick-clay zones can have 100 000+ vertices.
    geometryPrecision: '2',
    resultOffset: String(offset),
    resultRecordCount: String(request.pageSize),
    f: 'geojson',
  };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}
