import { SourceError } from '../../util/errors.js';
import { redactUrl } from '../../util/redact.js';
import { checkedGet, type SourceHttp } from '../checked-get.js';
import { FormatError } from '../files/format-error.js';
import { LONLAT } from '../files/source-crs.js';
import { boxIn } from './box-in.js';
import { readLayerPage } from './layer-answer.js';
import type { LayerFetch, LayerRequest } from './layer-request.js';

/**
 * An OGC API Features collection (Riksantikvaren's api.ra.no): `items?bbox=<lon,lat,lon,lat>&limit=`
 * in CRS84, following `links[rel=next]` to the end. A `Content-Crs` other than CRS84 fails as the
 * wrong CRS; fewer features than `numberMatched` promised fails as truncated.
 */
export async function fetchOgcFeaturesLayer(http: SourceHttp, request: LayerRequest): Promise<LayerFetch> {
  const first = new URL(request.url);
  first.searchParams.set(
    'bbox',
    boxIn(request.bbox, 4326)
      .map((v) => v.toFixed(6))
      .join(','),
  );
  first.searchParams.set('limit', String(request.pageSize));
  first.searchParams.set('f', 'json');
  const features: LayerFetch['features'] = [];
  let skipped = 0;
  let received = 0;
  let matched: number | null = null;
  let next: string | null = first.toString();
  let pages = 0;
  const where = (url: string) => ({
    source: http.client.source,
    kommune: request.kommune,
    url: redactUrl(url),
  });
  while (next) {
    if (pages >= request.maxPages)
      throw new SourceError('malformed', `more than ${request.maxPages} pages; stopped`, where(next));
    const url: string = next;
    const page = await checkedGet(http, { url, kommune: request.kommune, signal: request.signal }, (r) => {
      const crs = r.headers['content-crs'];
      if (crs && !/CRS84/i.test(crs))
        throw new FormatError('unexpected-crs', `Content-Crs ${crs}, asked for CRS84`);
      return readLayerPage(r.text(), LONLAT, request.bbox);
    });
    pages += 1;
    features.push(...page.features);
    skipped += page.skipped;
    received += page.members;
    matched = page.document.numberMatched ?? matched;
    const link = page.document.links.find((l) => l.rel === 'next')?.href;
    next = link && page.members > 0 ? new URL(link, url).toString() : null;
  }
  if (matched !== null && received < matched)
    throw new SourceError(
      'truncated',
      `numberMatched=${matched} but only ${received} features arrived`,
      where(request.url),
    );
  return { features, skipped, pages };
}
