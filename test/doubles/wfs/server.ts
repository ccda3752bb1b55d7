import { mapPositions, transformFor } from '../../../sync/src/geo/crs.js';
import type { PolygonGeometry } from '../../../sync/src/domain/geometry.js';
import { startDouble, type Double } from '../double.js';

/** A row of a kommune's own plan table, as its GeoServer publishes it (its own schema, EPSG:25833 stored). */
export interface KommunePlanRow {
  fid: number;
  attributes: Record<string, string | number>;
  geometry: PolygonGeometry;
}

export interface WfsDoubleOptions {
  /** typeName (with prefix) → rows. */
  layers: Record<string, KommunePlanRow[]>;
  /** The namespace behind the typeName prefix. */
  namespace?: string;
  /** The feature's geometry property (GeoServer `geom`; Geonorge's SOSI services `område`). */
  geometryName?: string;
  /** GetCapabilities declares each type's prefix on its FeatureType element instead of the root. */
  prefixOnFeatureType?: boolean;
}

export interface WfsDouble extends Double {
  setLayers(layers: Record<string, KommunePlanRow[]>): void;
}

/**
 * A kommune's own WFS 2.0 (GeoServer style): GetFeature with `typeNames`, `count`/`startIndex`,
 * `srsName` (EPSG:25832 or 25833, coordinates reprojected), GML 3.2 with numberMatched and
 * numberReturned, or GeoServer GeoJSON with `outputFormat=application/json`. Unknown typeNames
 * answer an OWS ExceptionReport with HTTP 400.
 */
export async function startWfsDouble(options: WfsDoubleOptions): Promise<WfsDouble> {
  let layers = options.layers;
  const ns = options.namespace ?? 'https://kart.kommune.example/plan';
  const geometryName = options.geometryName ?? 'geom';
  const double = await startDouble(
    (url) => {
      const q = new Map([...url.searchParams.entries()].map(([k, v]) => [k.toUpperCase(), v]));
      const typeName = q.get('TYPENAMES') ?? q.get('TYPENAME') ?? '';
      if (q.get('REQUEST') === 'GetCapabilities')
        return {
          contentType: 'text/xml',
          body: capabilities(Object.keys(layers), ns, options.prefixOnFeatureType ?? false),
        };
      const rows = layers[typeName];
      if (q.get('REQUEST') !== 'GetFeature' || !rows) {
        return {
          status: 400,
          contentType: 'application/xml',
          body: `<?xml version="1.0" encoding="UTF-8"?><ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0"><ows:Exception exceptionCode="InvalidParameterValue" locator="typeName"><ows:ExceptionText>Feature type ${typeName} unknown</ows:ExceptionText></ows:Exception></ows:ExceptionReport>`,
        };
      }
      const srsName = q.get('SRSNAME') ?? 'urn:ogc:def:crs:EPSG::25833';
      const epsg = Number(/(\d+)$/.exec(srsName)?.[1] ?? 25833);
      const to = transformFor(25833, epsg);
      const count = Number(q.get('COUNT') ?? 1_000_000);
      const start = Number(q.get('STARTINDEX') ?? 0);
      const page = rows
        .slice(start, start + count)
        .map((row) => ({ ...row, geometry: mapPositions(row.geometry, to) }));
      const [prefix, local] = typeName.split(':') as [string, string];
      if ((q.get('OUTPUTFORMAT') ?? '').includes('json')) {
        return {
          contentType: 'application/json',
          body: JSON.stringify({
            type: 'FeatureCollection',
            features: page.map((row) => ({
              type: 'Feature',
              id: `${local}.${row.fid}`,
              geometry: row.geometry,
              geometry_name: 'geom',
              properties: row.attributes,
            })),
            totalFeatures: rows.length,
            numberMatched: rows.length,
            numberReturned: page.length,
            timeStamp: '2026-09-01T10:00:00Z',
            crs: { type: 'name', properties: { name: srsName } },
          }),
        };
      }
      const members = page.map((row) => {
        const ring = row.geometry.coordinates[0]!.map((p) => `${p[0]} ${p[1]}`).join(' ');
        const attributes = Object.entries(row.attributes)
          .map(
            ([k, v]) =>
              `<${prefix}:${k}>${String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</${prefix}:${k}>`,
          )
          .join('');
        return `<wfs:member><${typeName} gml:id="${local}.${row.fid}">${attributes}<${prefix}:${geometryName}><gml:MultiSurface srsName="${srsName}" srsDimension="2" gml:id="${local}.${row.fid}.geom"><gml:surfaceMember><gml:Polygon gml:id="${local}.${row.fid}.geom.0"><gml:exterior><gml:LinearRing><gml:posList>${ring}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember></gml:MultiSurface></${prefix}:${geometryName}></${typeName}></wfs:member>`;
      });
      return {
        contentType: 'application/gml+xml; version=3.2',
        body: `<?xml version="1.0" encoding="UTF-8"?><wfs:FeatureCollection xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:${prefix}="${ns}" xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2" numberMatched="${rows.length}" numberReturned="${page.length}" timeStamp="2026-09-01T10:00:00Z">${members.join('')}</wfs:FeatureCollection>`,
      };
    },
    { etags: true },
  );
  return Object.assign(double, {
    setLayers: (next: Record<string, KommunePlanRow[]>) => void (layers = next),
  });
}

/**
 * WFS 2.0 GetCapabilities as deegree writes it (Geonorge's `wfs.geonorge.no/skwms1/wfs.*`): the
 * service sections, GetFeature's output formats (GML first; no JSON promised), and one FeatureType
 * per type with its prefixed Name, CRSs and WGS 84 box.
 */
function capabilities(typeNames: string[], ns: string, prefixOnFeatureType: boolean): string {
  const prefixes = [...new Set(typeNames.map((t) => t.split(':')[0]!))];
  const declare = (prefix: string) => ` xmlns:${prefix}="${ns}"`;
  const types = typeNames
    .map((name) => {
      const local = name.split(':')[1] ?? name;
      return `<wfs:FeatureType${prefixOnFeatureType ? declare(name.split(':')[0]!) : ''}><wfs:Name>${name}</wfs:Name><wfs:Title>${local}</wfs:Title><wfs:DefaultCRS>urn:ogc:def:crs:EPSG::25833</wfs:DefaultCRS><wfs:OtherCRS>urn:ogc:def:crs:EPSG::25832</wfs:OtherCRS><wfs:OtherCRS>urn:ogc:def:crs:EPSG::25835</wfs:OtherCRS><wfs:OtherCRS>urn:ogc:def:crs:EPSG::4258</wfs:OtherCRS><ows:WGS84BoundingBox><ows:LowerCorner>4.0 57.9</ows:LowerCorner><ows:UpperCorner>31.2 71.2</ows:UpperCorner></ows:WGS84BoundingBox></wfs:FeatureType>`;
    })
    .join('');
  const formats = [
    'application/gml+xml; version=3.2',
    'text/xml; subtype=gml/3.2.1',
    'text/xml; subtype=gml/3.1.1',
  ]
    .map((f) => `<ows:Value>${f}</ows:Value>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><wfs:WFS_Capabilities xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:ows="http://www.opengis.net/ows/1.1" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:fes="http://www.opengis.net/fes/2.0"${prefixOnFeatureType ? '' : prefixes.map(declare).join('')} version="2.0.0"><ows:ServiceIdentification><ows:Title>Støysoner jernbanenett (double)</ows:Title><ows:ServiceType codeSpace="OGC">WFS</ows:ServiceType><ows:ServiceTypeVersion>2.0.0</ows:ServiceTypeVersion><ows:Fees>NONE</ows:Fees><ows:AccessConstraints>NONE</ows:AccessConstraints></ows:ServiceIdentification><ows:OperationsMetadata><ows:Operation name="GetCapabilities"/><ows:Operation name="DescribeFeatureType"/><ows:Operation name="GetFeature"><ows:Parameter name="outputFormat"><ows:AllowedValues>${formats}</ows:AllowedValues></ows:Parameter></ows:Operation><ows:Constraint name="ImplementsResultPaging"><ows:NoValues/><ows:DefaultValue>TRUE</ows:DefaultValue></ows:Constraint></ows:OperationsMetadata><wfs:FeatureTypeList>${types}</wfs:FeatureTypeList><fes:Filter_Capabilities/></wfs:WFS_Capabilities>`;
}

/** `n` reguleringsplan outlines in a kommune's own schema (upper-case ArcGIS-style names). */
export function kommunePlanRows(n: number, origin: [number, number]): KommunePlanRow[] {
  return Array.from({ length: n }, (_, i) => {
    const x = origin[0] + (i % 12) * 150;
    const y = origin[1] + Math.floor(i / 12) * 150;
    return {
      fid: i + 1,
      attributes: {
        PLANID: `2019${String(i).padStart(3, '0')}`,
        PLANNAVN: `Plan ${i + 1} & co`,
        PLANSTAT: i % 10 === 9 ? 2 : 3,
        VERTNIV: 2,
        LOKALID: `kommune-rp-${i + 1}`,
      },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [x, y],
            [x + 100, y],
            [x + 100, y + 100],
            [x, y + 100],
            [x, y],
          ],
        ],
      },
    };
  });
}
