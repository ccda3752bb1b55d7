import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startDouble, type Double } from '../double.js';

export interface TeigParcel {
  teigId: number;
  kommunenummer: string;
  gnr: number;
  bnr: number;
  /** Square: lower-left corner and side, EPSG:25833. */
  x: number;
  y: number;
  size: number;
}

const APP = 'http://skjema.geonorge.no/SOSI/produktspesifikasjon/Matrikkelen-Eiendomskart-Teig/20211101';
const TYPENAME_ERROR = readFileSync(
  path.resolve('test/fixtures/reference/matrikkel-typename-error.xml'),
  'utf8',
);

/**
 * Parcels on a grid: `columns` × `rows` squares of `size` m from `origin`. The last column
 * belongs to the neighbouring kommune `neighbour` (tiles spill over kommune borders).
 */
export function parcelGrid(
  kommune: string,
  origin: [number, number],
  columns: number,
  rows: number,
  size: number,
  neighbour = '9999',
): TeigParcel[] {
  const parcels: TeigParcel[] = [];
  let teigId = 261_000_000;
  for (let c = 0; c < columns; c++) {
    for (let r = 0; r < rows; r++) {
      parcels.push({
        teigId: teigId++,
        kommunenummer: c === columns - 1 ? neighbour : kommune,
        gnr: 100 + c,
        bnr: r + 1,
        x: origin[0] + c * size,
        y: origin[1] + r * size,
        size,
      });
    }
  }
  return parcels;
}

/** One `wfs:member` exactly as the recorded teig WFS writes it (element order, ids, srsName). */
export function teigMember(p: TeigParcel): string {
  const ring = [p.x, p.y, p.x + p.size, p.y, p.x + p.size, p.y + p.size, p.x, p.y + p.size, p.x, p.y]
    .map((v) => v.toFixed(3))
    .join(' ');
  const id = `teig.${p.teigId}`;
  return `  <wfs:member>
    <app:Teig xmlns:app="${APP}" gml:id="${id}">
      <app:identTeig><app:IdentTeig><app:teigId>${p.teigId}</app:teigId><app:navnerom>https://data.geonorge.no/sosi/matrikkel/eiendomskart_teig</app:navnerom><app:versjonId>3</app:versjonId></app:IdentTeig></app:identTeig>
      <app:datafangstdato>1995-02-26T23:00:00</app:datafangstdato>
      <app:oppdateringsdato>2020-06-16T05:03:54.904</app:oppdateringsdato>
      <app:representasjonspunkt>
        <!--Inlined geometry '${id}_APP_REPRESENTASJONSPUNKT'-->
        <gml:Point gml:id="${id}_APP_REPRESENTASJONSPUNKT" srsName="urn:ogc:def:crs:EPSG::25833"><gml:pos>${(p.x + p.size / 2).toFixed(3)} ${(p.y + p.size / 2).toFixed(3)}</gml:pos></gml:Point>
      </app:representasjonspunkt>
      <app:område>
        <!--Inlined geometry '${id}_APP_OMRÅDE'-->
        <gml:Polygon gml:id="${id}_APP_OMRÅDE" srsName="urn:ogc:def:crs:EPSG::25833"><gml:exterior><gml:LinearRing><gml:posList>${ring}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>
      </app:område>
      <app:kommunenummer>${p.kommunenummer}</app:kommunenummer>
      <app:kommunenavn>GENERERT</app:kommunenavn>
      <app:matrikkelenhet><app:Matrikkelenhet><app:kommunenummer>${p.kommunenummer}</app:kommunenummer><app:gardsnummer>${p.gnr}</app:gardsnummer><app:bruksnummer>${p.bnr}</app:bruksnummer><app:matrikkelenhetstype>Grunneiendom</app:matrikkelenhetstype><app:matrikkelenhetId>${p.teigId + 1_000_000}</app:matrikkelenhetId></app:Matrikkelenhet></app:matrikkelenhet>
      <app:matrikkelnummerTekst>${p.gnr}/${p.bnr}</app:matrikkelnummerTekst>
      <app:teigMedFlereMatrikkelenheter>false</app:teigMedFlereMatrikkelenheter>
      <app:teigareal><app:Areal><app:lagretBeregnetAreal>${(p.size * p.size).toFixed(1)}</app:lagretBeregnetAreal></app:Areal></app:teigareal>
      <app:noyaktighetsklasseTeig>Gult</app:noyaktighetsklasseTeig>
    </app:Teig>
  </wfs:member>`;
}

export function teigCollection(members: string[]): string {
  return `<?xml version='1.0' encoding='UTF-8'?>
<wfs:FeatureCollection xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:wfs="http://www.opengis.net/wfs/2.0" timeStamp="2026-09-01T16:59:44Z" xmlns:gml="http://www.opengis.net/gml/3.2" numberMatched="unknown" numberReturned="0">
  <!--NOTE: numberReturned attribute should be 'unknown' as well, but this would not validate against the current version of the WFS 2.0 schema (change upcoming). See change request (CR 144): https://portal.opengeospatial.org/files?artifact_id=43925.-->
${members.join('\n')}
</wfs:FeatureCollection>`;
}

export interface TeigDouble extends Double {
  setParcels(parcels: TeigParcel[]): void;
}

/**
 * The teig WFS (`wfs.matrikkelen-eiendomskart-teig`): GetFeature for `app:Teig` only, BBOX in
 * EPSG:25833, `count`/`startIndex` paging, GML 3.2.1 with the recorded quirks
 * (numberMatched="unknown", numberReturned="0" while members are present, `app:område`), a
 * wrong typeName answered with the recorded ExceptionReport and HTTP 400. KVP names are
 * case-insensitive, as WFS requires.
 */
export async function startTeigDouble(initial: TeigParcel[]): Promise<TeigDouble> {
  let parcels = initial;
  const double = await startDouble(
    (url) => {
      const params = new Map([...url.searchParams.entries()].map(([k, v]) => [k.toUpperCase(), v]));
      if (params.get('REQUEST') !== 'GetFeature')
        return { status: 400, contentType: 'text/plain', body: 'only GetFeature' };
      if (params.get('TYPENAMES') !== 'app:Teig') {
        return {
          status: 400,
          contentType: 'application/xml',
          body: TYPENAME_ERROR.replace('Teigg', params.get('TYPENAMES') ?? ''),
        };
      }
      const [minx, miny, maxx, maxy] = (params.get('BBOX') ?? '').split(',').map(Number) as [
        number,
        number,
        number,
        number,
      ];
      const count = Number(params.get('COUNT') ?? 10);
      const start = Number(params.get('STARTINDEX') ?? 0);
      const hits = parcels.filter(
        (p) => p.x <= maxx && p.x + p.size >= minx && p.y <= maxy && p.y + p.size >= miny,
      );
      return {
        contentType: 'text/xml; subtype=gml/3.2.1',
        body: teigCollection(hits.slice(start, start + count).map(teigMember)),
      };
    },
    { etags: true },
  );
  return Object.assign(double, { setParcels: (next: TeigParcel[]) => void (parcels = next) });
}
