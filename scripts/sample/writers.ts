/**
 * Writes generated plan data in the formats the real services deliver, so the sample exercises the
 * same readers as real data: NAP OGC API-Features GeoJSON, SOSI-GML 5.0 (the Geonorge/NAP file
 * download) and the teig WFS's GML 3.2.1 pages. Shapes follow the recorded samples in
 * shared/reference/geodata/ (SOURCES.md there).
 */
import { polygonsOf, type AreaGeometry, type Position } from '../../sync/src/domain/geometry.js';
import type { Parcel } from '../../sync/src/domain/parcel.js';
import { lokalIdOf, textOf, type PlanFeature, type PropertyValue } from '../../sync/src/domain/plan.js';
import { transformFor } from '../../sync/src/geo/crs.js';
import { planarArea } from '../../sync/src/geo/measure.js';

/** NAP's OGC API-Features GeoJSON: flat dotted properties, `objekttypenavn`, a legacy `crs` member. */
export function napGeoJson(features: PlanFeature[]): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::25833' } },
    features: features.map((f, i) => ({
      type: 'Feature',
      id: `${f.objekttypenavn.toLowerCase()}.${i + 1}`,
      geometry: f.geometry,
      properties: { objid: i + 1, objekttypenavn: f.objekttypenavn, ...f.properties },
    })),
  });
}

const xml = (value: PropertyValue): string =>
  String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function posList(ring: Position[], transform: (p: Position) => Position): string {
  return ring
    .map((p) => {
      const [x, y] = transform(p);
      return `${x.toFixed(3)} ${y.toFixed(3)}`;
    })
    .join(' ');
}

function gmlPolygon(
  rings: Position[][],
  id: string,
  srsName: string,
  transform: (p: Position) => Position,
): string {
  const [exterior, ...interiors] = rings;
  return (
    `<gml:Polygon gml:id="${id}" srsName="${srsName}"><gml:exterior><gml:LinearRing><gml:posList>${posList(exterior!, transform)}</gml:posList></gml:LinearRing></gml:exterior>` +
    interiors
      .map(
        (r) =>
          `<gml:interior><gml:LinearRing><gml:posList>${posList(r, transform)}</gml:posList></gml:LinearRing></gml:interior>`,
      )
      .join('') +
    `</gml:Polygon>`
  );
}

function multiSurface(
  geometry: AreaGeometry,
  id: string,
  srsName: string,
  transform: (p: Position) => Position,
): string {
  return (
    `<gml:MultiSurface gml:id="${id}" srsName="${srsName}">` +
    polygonsOf(geometry)
      .map(
        (p, i) =>
          `<gml:surfaceMember>${gmlPolygon(p, `${id}-${i + 1}`, srsName, transform)}</gml:surfaceMember>`,
      )
      .join('') +
    `</gml:MultiSurface>`
  );
}

const identifikasjon = (lokalId: string, navnerom: string) =>
  `<app:identifikasjon><app:Identifikasjon><app:lokalId>${xml(lokalId)}</app:lokalId><app:navnerom>${xml(navnerom)}</app:navnerom></app:Identifikasjon></app:identifikasjon>`;

/**
 * SOSI-GML "Reguleringsplan 5.0": one app:Arealplan per plan carrying the plan attributes (status,
 * type, dates), linked from its RpOmråde; RpArealformålOmråde linked to the RpOmråde. Coordinates
 * in `epsg` (the sample uses EPSG:25832, as many kommuner deliver their own files).
 */
export function sosiReguleringsplanGml(features: PlanFeature[], epsg: number): string {
  const transform = transformFor(25833, epsg);
  const srsName = `http://www.opengis.net/def/crs/EPSG/0/${epsg}`;
  const navnerom = (f: PlanFeature) =>
    textOf(f, 'identifikasjon.navnerom') ?? 'http://data.geonorge.no/Reguleringsplaner/so';
  const members: string[] = [];
  const omradeIdOfPlan = new Map<string, string>();
  let n = 0;
  for (const f of features.filter((f) => f.objekttypenavn === 'RpOmråde')) {
    const plan = textOf(f, 'arealplanId.planidentifikasjon')!;
    const kommune = textOf(f, 'arealplanId.kommunenummer')!;
    const planGmlId = `ap-${kommune}-${plan}`;
    const omradeGmlId = `rpo-${kommune}-${plan}`;
    omradeIdOfPlan.set(`${kommune}-${plan}`, omradeGmlId);
    const planProps = ['plantype', 'planstatus', 'plannavn', 'ikrafttredelsesdato', 'lovreferanse']
      .map((key) =>
        f.properties[key] === null || f.properties[key] === undefined
          ? ''
          : `<app:${key}>${xml(f.properties[key]!)}</app:${key}>`,
      )
      .join('');
    members.push(
      `<gml:featureMember><app:Arealplan gml:id="${planGmlId}">${identifikasjon(`plan-${kommune}-${plan}`, navnerom(f))}` +
        `<app:nasjonalArealplanId><app:NasjonalArealplanId><app:administrativEnhet><app:AdministrativEnhetskode><app:kommunenummer>${kommune}</app:kommunenummer></app:AdministrativEnhetskode></app:administrativEnhet><app:planidentifikasjon>${xml(plan)}</app:planidentifikasjon></app:NasjonalArealplanId></app:nasjonalArealplanId>` +
        `${planProps}<app:rpOmråde xlink:type="simple" xlink:href="#${omradeGmlId}"/></app:Arealplan></gml:featureMember>`,
    );
    const vertikalniva = textOf(f, 'vertikalnivå');
    members.push(
      `<gml:featureMember><app:RpOmråde gml:id="${omradeGmlId}">${identifikasjon(lokalIdOf(f)!, navnerom(f))}` +
        `<app:område>${multiSurface(f.geometry as AreaGeometry, `${omradeGmlId}-g`, srsName, transform)}</app:område>` +
        (vertikalniva ? `<app:vertikalnivå>${vertikalniva}</app:vertikalnivå>` : '') +
        `<app:arealplan xlink:type="simple" xlink:href="#${planGmlId}"/></app:RpOmråde></gml:featureMember>`,
    );
  }
  for (const f of features.filter((f) => f.objekttypenavn !== 'RpOmråde')) {
    n += 1;
    const planKey = `${textOf(f, 'arealplanId.kommunenummer')}-${textOf(f, 'arealplanId.planidentifikasjon')}`;
    const id = `${f.objekttypenavn === 'RpArealformålOmråde' ? 'rpaf' : 'rpx'}-${n}`;
    const attributes = Object.entries(f.properties)
      .filter(([key, value]) => !key.includes('.') && value !== null && value !== undefined)
      .map(
        ([key, value]) =>
          `<app:${key === 'feltbetegnelse' ? 'feltnavn' : key}>${xml(value)}</app:${key === 'feltbetegnelse' ? 'feltnavn' : key}>`,
      )
      .join('');
    members.push(
      `<gml:featureMember><app:${f.objekttypenavn} gml:id="${id}">${identifikasjon(lokalIdOf(f)!, navnerom(f))}` +
        `<app:område>${multiSurface(f.geometry as AreaGeometry, `${id}-g`, srsName, transform)}</app:område>${attributes}` +
        (omradeIdOfPlan.has(planKey)
          ? `<app:planområde xlink:type="simple" xlink:href="#${omradeIdOfPlan.get(planKey)}"/>`
          : '') +
        `</app:${f.objekttypenavn}></gml:featureMember>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n` +
    `<gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:app="http://skjema.geonorge.no/SOSI/produktspesifikasjon/Reguleringsplan/5.0" xmlns:xlink="http://www.w3.org/1999/xlink" gml:id="generated-reguleringsplaner">\n` +
    members.join('\n') +
    `\n</gml:FeatureCollection>\n`
  );
}

const TEIG_NS = 'http://skjema.geonorge.no/SOSI/produktspesifikasjon/Matrikkelen-Eiendomskart-Teig/20211101';

/** One GetFeature page of the teig WFS (GML 3.2.1; `numberReturned="0"` as the live service writes it). */
export function teigWfsPage(parcels: Parcel[], kommunenavn: string): string {
  const identity = (p: Position) => p;
  const members = parcels.map((parcel) => {
    const id = `teig.${parcel.teigId}`;
    const [polygon] = polygonsOf(parcel.geometry);
    const ring = polygon![0]!;
    const centre: Position = [
      ring.reduce((s, p) => s + p[0], 0) / ring.length,
      ring.reduce((s, p) => s + p[1], 0) / ring.length,
    ];
    const enheter = parcel.matrikkelenheter
      .map(
        (m) =>
          `<app:matrikkelenhet><app:Matrikkelenhet><app:kommunenummer>${m.kommunenummer}</app:kommunenummer><app:gardsnummer>${m.gnr}</app:gardsnummer><app:bruksnummer>${m.bnr}</app:bruksnummer>` +
          (m.fnr ? `<app:festenummer>${m.fnr}</app:festenummer>` : '') +
          `<app:matrikkelenhetstype>Grunneiendom</app:matrikkelenhetstype><app:matrikkelenhetId>${parcel.matrikkelenhetId ?? ''}</app:matrikkelenhetId></app:Matrikkelenhet></app:matrikkelenhet>`,
      )
      .join('');
    return (
      `  <wfs:member>\n    <app:Teig xmlns:app="${TEIG_NS}" gml:id="${id}">` +
      `<app:identTeig><app:IdentTeig><app:teigId>${parcel.teigId}</app:teigId><app:navnerom>https://data.geonorge.no/sosi/matrikkel/eiendomskart_teig</app:navnerom><app:versjonId>1</app:versjonId></app:IdentTeig></app:identTeig>` +
      `<app:representasjonspunkt><gml:Point gml:id="${id}_APP_REPRESENTASJONSPUNKT" srsName="urn:ogc:def:crs:EPSG::25833"><gml:pos>${centre[0].toFixed(3)} ${centre[1].toFixed(3)}</gml:pos></gml:Point></app:representasjonspunkt>` +
      `<app:område>${gmlPolygon(polygon!, `${id}_APP_OMRÅDE`, 'urn:ogc:def:crs:EPSG::25833', identity)}</app:område>` +
      `<app:kommunenummer>${parcel.kommunenummer}</app:kommunenummer><app:kommunenavn>${xml(kommunenavn.toUpperCase())}</app:kommunenavn>${enheter}` +
      `<app:matrikkelnummerTekst>${xml(parcel.matrikkelnummertekst)}</app:matrikkelnummerTekst><app:teigMedFlereMatrikkelenheter>false</app:teigMedFlereMatrikkelenheter>` +
      `<app:teigareal><app:Areal><app:lagretBeregnetAreal>${planarArea(parcel.geometry).toFixed(1)}</app:lagretBeregnetAreal></app:Areal></app:teigareal>` +
      `<app:noyaktighetsklasseTeig>Gult</app:noyaktighetsklasseTeig></app:Teig>\n  </wfs:member>`
    );
  });
  return (
    `<?xml version='1.0' encoding='UTF-8'?>\n` +
    `<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2" timeStamp="2026-11-01T02:00:00Z" numberMatched="unknown" numberReturned="0">\n` +
    members.join('\n') +
    `\n</wfs:FeatureCollection>\n`
  );
}
