import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startDouble, type Double } from '../double.js';

export const TETTSTED_PATH = '/api/mapserver/v1/wfs/tettsteder';

/** The sample kommune's generated tettsteder, as SSB's WFS answers GetFeature (…/tettsteder.gml). */
export const sampleTettstedGml = (): string =>
  readFileSync(path.resolve('sync/samples/3218-generated/tettsteder.gml'), 'utf8');

export interface TettstedDouble extends Double {
  /** The query of every GetFeature asked. */
  queries: URLSearchParams[];
}

/**
 * SSB's tettsted WFS (MapServer, `kart.ssb.no/api/mapserver/v1/wfs/tettsteder`): GetFeature for
 * the year's `ms:tettsted_<year>` answers `body` (GML 3.2); an unknown typeName gets an OWS
 * ExceptionReport with HTTP 200, as MapServer answers. Faults through `inject`.
 */
export async function startTettstedDouble(body: string = sampleTettstedGml()): Promise<TettstedDouble> {
  const queries: URLSearchParams[] = [];
  const double = await startDouble((url) => {
    if (url.pathname !== TETTSTED_PATH)
      return { status: 404, contentType: 'text/html', body: '<html><body>Not found</body></html>' };
    queries.push(url.searchParams);
    if (!/^ms:tettsted_\d{4}$/.test(url.searchParams.get('typeNames') ?? ''))
      return {
        contentType: 'application/xml',
        body: '<?xml version="1.0" encoding="UTF-8"?><ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0"><ows:Exception exceptionCode="InvalidParameterValue" locator="typename"><ows:ExceptionText>msWFSGetFeature(): WFS server error. TYPENAME not found</ows:ExceptionText></ows:Exception></ows:ExceptionReport>',
      };
    return { contentType: 'text/xml; subtype=gml/3.2.1; charset=UTF-8', body };
  });
  return Object.assign(double, { queries });
}
