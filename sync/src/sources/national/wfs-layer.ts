import { crsName } from '../../geo/crs.js';
import type { SourceHttp } from '../checked-get.js';
import { resolveSourceCrs } from '../files/source-crs.js';
import { pageWfs } from '../wfs/wfs-paging.js';
import { boxIn } from './box-in.js';
import { readLayerPage } from './layer-answer.js';
import { readLayerGml } from './layer-gml.js';
import type { LayerFetch, LayerRequest } from './layer-request.js';

/**
 * A WFS 2.0 typeName within the kommune's box, `count`/`startIndex` paging to the end. The box
 * and `srsName` are in `request.epsg`. `geojson`: `outputFormat=application/json` (GeoServer:
 * Statens vegvesen's Norstøy); `gml`: the WFS 2.0 default GML 3.2 (deegree: Geonorge's `wfs.*`,
 * where JSON output is not confirmed), with `NAMESPACES` for the type's prefix when known.
 */
export async function fetchWfsLayer(
  http: SourceHttp,
  request: LayerRequest,
  format: 'geojson' | 'gml' = 'geojson',
): Promise<LayerFetch> {
  const crs = resolveSourceCrs(`EPSG:${request.epsg}`)!;
  const box = boxIn(request.bbox, request.epsg);
  const typeName = request.typeName ?? '';
  const prefix = typeName.includes(':') ? typeName.slice(0, typeName.indexOf(':')) : null;
  let skipped = 0;
  const { items, pages } = await pageWfs(
    http,
    request.url,
    {
      TYPENAMES: typeName,
      SRSNAME: crsName(request.epsg),
      BBOX: `${box.map((v) => v.toFixed(1)).join(',')},${crsName(request.epsg)}`,
      ...(format === 'geojson' ? { OUTPUTFORMAT: 'application/json' } : {}),
      ...(format === 'gml' && prefix && request.namespace
        ? { NAMESPACES: `xmlns(${prefix},${request.namespace})` }
        : {}),
    },
    request.pageSize,
    async (response) => {
      if (format === 'gml') {
        const page = await readLayerGml(response.text(), crs, request.bbox);
        skipped += page.skipped;
        return { items: page.features, members: page.members, numberMatched: page.numberMatched };
      }
      const page = readLayerPage(response.text(), crs, request.bbox);
      skipped += page.skipped;
      return { items: page.features, members: page.members, numberMatched: page.document.numberMatched };
    },
    { kommune: request.kommune, signal: request.signal, maxPages: request.maxPages },
  );
  return { features: items, skipped, pages };
}
