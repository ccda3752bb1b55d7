import { crsName } from '../../geo/crs.js';
import type { SourceHttp } from '../checked-get.js';
import { resolveSourceCrs } from '../files/source-crs.js';
import { pageWfs } from '../wfs/wfs-paging.js';
import { boxIn } from './box-in.js';
import { readLayerPage } from './layer-answer.js';
import type { LayerFetch, LayerRequest } from './layer-request.js';

/**
 * A WFS 2.0 typeName answered as GeoJSON (`outputFormat=application/json`, GeoServer: Statens
 * vegvesen's Norstøy) within the kommune's box, `count`/`startIndex` paging to the end. The box
 * and `srsName` are in `request.epsg`.
 */
export async function fetchWfsLayer(http: SourceHttp, request: LayerRequest): Promise<LayerFetch> {
  const crs = resolveSourceCrs(`EPSG:${request.epsg}`)!;
  const box = boxIn(request.bbox, request.epsg);
  let skipped = 0;
  const { items, pages } = await pageWfs(
    http,
    request.url,
    {
      TYPENAMES: request.typeName ?? '',
      SRSNAME: crsName(request.epsg),
      BBOX: `${box.map((v) => v.toFixed(1)).join(',')},${crsName(request.epsg)}`,
      OUTPUTFORMAT: 'application/json',
    },
    request.pageSize,
    async (response) => {
      const page = readLayerPage(response.text(), crs, request.bbox);
      skipped += page.skipped;
      return { items: page.features, members: page.members, numberMatched: page.document.numberMatched };
    },
    { kommune: request.kommune, signal: request.signal, maxPages: request.maxPages },
  );
  return { features: items, skipped, pages };
}
