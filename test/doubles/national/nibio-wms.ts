import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startDouble, type Double } from '../double.js';
import { param, rowAt, type LayerRow } from './layer-data.js';

const fixture = (name: string) => readFileSync(path.resolve('test/fixtures/national', name), 'utf8');
/** MapServer's GetFeatureInfo GML with no feature (recorded shape, OAPI `TOM_GML`). */
export const EMPTY_GFI = fixture('mapserver-gfi-empty.xml');
const FEATURE_GFI = fixture('nibio-ar5-gfi-arealtype.xml');

/**
 * NIBIO's AR5 WMS (MapServer CGI) GetFeatureInfo: WMS 1.1.1, `SRS=EPSG:25833`, the pixel `X`/`Y`
 * of a `WIDTH`×`HEIGHT` image over `BBOX`; `INFO_FORMAT=application/vnd.ogc.gml` answers
 * `msGMLOutput` with an `Arealtype_feature` (artype and the other AR5 fields) or nothing.
 * Counts the points asked.
 */
export async function startNibioWmsDouble(rows: LayerRow[]): Promise<Double> {
  return startDouble((url) => {
    const [minx, miny, maxx, maxy] = (param(url, 'BBOX') ?? '').split(',').map(Number) as number[];
    const width = Number(param(url, 'WIDTH'));
    const height = Number(param(url, 'HEIGHT'));
    const x = minx! + ((Number(param(url, 'X')) + 0.5) / width) * (maxx! - minx!);
    const y = maxy! - ((Number(param(url, 'Y')) + 0.5) / height) * (maxy! - miny!);
    const hit = param(url, 'SRS') === 'EPSG:25833' ? rowAt(rows, [x, y]) : null;
    const body = hit
      ? FEATURE_GFI.replace(/<artype>\d+<\/artype>/, `<artype>${hit.properties.artype}</artype>`)
      : EMPTY_GFI;
    return { contentType: 'application/vnd.ogc.gml', body };
  });
}
