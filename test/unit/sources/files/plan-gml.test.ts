import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  polygonsOf,
  type AreaGeometry,
  type LineStringGeometry,
} from '../../../../sync/src/domain/geometry.js';
import { codeOf, planIdOf, type PlanFeature } from '../../../../sync/src/domain/plan.js';
import { readPlanFeatures } from '../../../../sync/src/sources/files/index.js';
import { InputError } from '../../../../sync/src/util/errors.js';
import { areaOf, collectWarnings, gmlSquare, reference, tempFolder, wfsCollection } from './helpers.js';

const temp = tempFolder();
afterAll(() => temp.remove());

const read = async (xml: string, options = {}) =>
  readPlanFeatures(temp.write(`f${Math.random().toString(36).slice(2)}.gml`, xml), options);

const zone = (id: string, geometry: string, extra = '') => `
  <app:KpArealformålOmråde gml:id="${id}">
    <app:identifikasjon><app:Identifikasjon><app:lokalId>${id}-lokal</app:lokalId><app:navnerom>http://data.geonorge.no/3218/Kommuneplaner</app:navnerom></app:Identifikasjon></app:identifikasjon>
    <app:arealplanId><app:NasjonalArealplanId><app:kommunenummer>3218</app:kommunenummer><app:planidentifikasjon>2019001</app:planidentifikasjon></app:NasjonalArealplanId></app:arealplanId>
    <app:område>${geometry}</app:område>
    <app:arealformål>1110</app:arealformål>
    <app:arealbruksstatus>2</app:arealbruksstatus>
    <app:utnytting><app:Utnytting><app:utnyttingstype>16</app:utnyttingstype><app:utnyttingstall>30</app:utnyttingstall></app:Utnytting></app:utnytting>
    <app:utnytting><app:Utnytting><app:utnyttingstype>17</app:utnyttingstype><app:utnyttingstall>900</app:utnyttingstall></app:Utnytting></app:utnytting>
    ${extra}
  </app:KpArealformålOmråde>`;

describe('readPlanFeatures: SOSI-GML, real samples', () => {
  it('reads Reguleringsplanforslag 5.0 and copies the Arealplan attributes onto RpOmråde, the plan id onto every feature', async () => {
    const features = await readPlanFeatures(reference('rp-reguleringsplanforslag50-avgr-pass.gml'), {
      bounds: null,
    });
    expect(features.map((f) => f.objekttypenavn)).toEqual([
      'RpOmråde',
      'RpArealformålOmråde',
      'RpArealformålOmråde',
      'RpArealformålOmråde',
      'RpFormålGrense',
      'RpFormålGrense',
      'RpFormålGrense',
    ]);
    const [outline, formal] = features as [PlanFeature, PlanFeature];
    // nasjonalArealplanId/NasjonalArealplanId/administrativEnhet/AdministrativEnhetskode/kommunenummer
    // (validator test data: the values are placeholders).
    expect(outline.properties).toMatchObject({
      'arealplanId.kommunenummer': 'String',
      'arealplanId.planidentifikasjon': 'String',
      plantype: '34',
      planstatus: '2',
      lovreferanse: '6',
      plannavn: 'String',
      vertikalnivå: '5', // its own, not overwritten
      'identifikasjon.lokalId': '9f7ecfb2-02a2-4827-b11a-eb607a36ef4d', // its own, not the plan's
    });
    expect(formal.properties).toMatchObject({
      arealformål: '1169',
      feltbetegnelse: 'o_BTAN1',
      'utnytting.utnyttingstype': '16',
      'utnytting.utnyttingstall': '43',
      'utnytting.utnyttingstall_minimum': '20',
      'arealplanId.planidentifikasjon': 'String',
    });
    expect(formal.properties.planstatus).toBeUndefined();
    expect(features[4]!.geometry?.type).toBe('LineString');
  });

  it('refuses the same file under the default Norway bounds (its coordinates sit near 0,0)', async () => {
    const error = await readPlanFeatures(reference('rp-reguleringsplanforslag50-avgr-pass.gml')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/all 7 feature\(s\) lie outside Norway/);
  });

  it('reads Arendal 4203 (Ring of curveMembers with Arcs) and links the only Arealplan despite dangling xlinks', async () => {
    const { warnings, onWarning } = collectWarnings();
    const [outline, bestemmelse] = await readPlanFeatures(
      reference('rp-reguleringsplanforslag50-his-4203-pass.gml'),
      { onWarning },
    );
    expect(outline!.objekttypenavn).toBe('RpOmråde');
    expect(planIdOf(outline!)).toBe('4203-09062018-2');
    expect(outline!.properties).toMatchObject({
      plannavn: 'Områderegulering HIS',
      planstatus: '2',
      plantype: '35',
      vertikalnivå: '2',
    });
    expect(planIdOf(bestemmelse!)).toBe('4203-09062018-2');
    expect(bestemmelse!.properties.bestemmelseOmrådeNavn).toBe('#7');
    expect(outline!.geometry!.type).toBe('MultiPolygon');
    const ring = polygonsOf(outline!.geometry as AreaGeometry)[0]![0]!;
    // Two arcs were densified: far more vertices than the posLists hold, and the ring is closed.
    expect(ring.length).toBeGreaterThan(60);
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    // EPSG:25832 → 25833 moves Arendal's eastings by ~ +300 km west→east of zone 32's centre.
    expect(ring[0]![0]).toBeGreaterThan(100_000);
    expect(ring[0]![0]).toBeLessThan(200_000);
    expect(warnings.map((w) => w.problem)).toEqual([
      expect.stringMatching(/xlink #_1e39744f.* points nowhere; used the file's only Arealplan/),
      expect.stringMatching(/xlink #_cf872b4e.* points nowhere; used the file's only Arealplan/),
    ]);
  });
});

describe('readPlanFeatures: SOSI-GML rules', () => {
  it('flattens nested elements to NAP names and keeps the first of repeated utnytting groups', async () => {
    const [feature] = await read(wfsCollection([zone('z1', gmlSquare(300_000, 6_600_000, 100))]));
    expect(feature).toMatchObject({ objekttypenavn: 'KpArealformålOmråde' });
    expect(feature!.properties).toMatchObject({
      'identifikasjon.lokalId': 'z1-lokal',
      'arealplanId.kommunenummer': '3218',
      'arealplanId.planidentifikasjon': '2019001',
      'utnytting.utnyttingstype': '16',
      'utnytting.utnyttingstall': '30',
    });
    expect(codeOf(feature!, 'arealformål')).toBe(1110);
    expect(areaOf(feature!.geometry as AreaGeometry)).toBeCloseTo(10_000, 6);
  });

  it('reads Surface/PolygonPatch, MultiSurface with a hole, srsDimension 3 and inherits srsName from the collection envelope', async () => {
    const surface = `<gml:Surface gml:id="s1"><gml:patches><gml:PolygonPatch><gml:exterior><gml:LinearRing>
        <gml:posList srsDimension="3">300000 6600000 12 300100 6600000 12 300100 6600100 13 300000 6600100 13 300000 6600000 12</gml:posList>
      </gml:LinearRing></gml:exterior></gml:PolygonPatch></gml:patches></gml:Surface>`;
    const withHole = `<gml:MultiSurface gml:id="m1"><gml:surfaceMember><gml:Polygon gml:id="m1p">
        <gml:exterior><gml:LinearRing><gml:posList>301000 6600000 301100 6600000 301100 6600100 301000 6600100 301000 6600000</gml:posList></gml:LinearRing></gml:exterior>
        <gml:interior><gml:LinearRing><gml:pos>301040 6600040</gml:pos><gml:pos>301060 6600040</gml:pos><gml:pos>301060 6600060</gml:pos><gml:pos>301040 6600060</gml:pos><gml:pos>301040 6600040</gml:pos></gml:LinearRing></gml:interior>
      </gml:Polygon></gml:surfaceMember></gml:MultiSurface>`;
    const xml = wfsCollection([zone('a', surface), zone('b', withHole)]).replace(
      '<wfs:member>',
      '<gml:boundedBy><gml:Envelope srsName="http://www.opengis.net/def/crs/EPSG/0/25833"><gml:lowerCorner>0 0</gml:lowerCorner><gml:upperCorner>1 1</gml:upperCorner></gml:Envelope></gml:boundedBy><wfs:member>',
    );
    const [a, b] = await read(xml);
    expect(areaOf(a!.geometry as AreaGeometry)).toBeCloseTo(10_000, 6);
    expect(b!.geometry!.type).toBe('MultiPolygon');
    expect(areaOf(b!.geometry as AreaGeometry)).toBeCloseTo(10_000 - 400, 6);
  });

  it('reads lat,lon order for a geographic URN (EPSG:4258) and lon,lat for a plain EPSG code', async () => {
    const latLon = `<gml:Point gml:id="p1" srsName="urn:ogc:def:crs:EPSG::4258"><gml:pos>59.91 10.75</gml:pos></gml:Point>`;
    const lonLat = `<gml:Point gml:id="p2" srsName="EPSG:4258"><gml:pos>10.75 59.91</gml:pos></gml:Point>`;
    const [first, second] = await read(wfsCollection([zone('a', latLon), zone('b', lonLat)]));
    const a = first!.geometry!.coordinates as number[];
    const b = second!.geometry!.coordinates as number[];
    expect(a[0]).toBeCloseTo(b[0]!, 6);
    expect(a[1]).toBeCloseTo(b[1]!, 6);
    expect(a[1]).toBeGreaterThan(6_640_000);
  });

  it('densifies a semicircular Arc within 1 cm: the half-disc area comes out right', async () => {
    const r = 100;
    const [cx, cy] = [300_000, 6_600_000];
    const curve = `<gml:Polygon gml:id="arc" srsName="urn:ogc:def:crs:EPSG::25833"><gml:exterior><gml:Ring><gml:curveMember><gml:Curve gml:id="c"><gml:segments>
        <gml:Arc><gml:posList>${cx - r} ${cy} ${cx} ${cy + r} ${cx + r} ${cy}</gml:posList></gml:Arc>
        <gml:LineStringSegment><gml:posList>${cx + r} ${cy} ${cx - r} ${cy}</gml:posList></gml:LineStringSegment>
      </gml:segments></gml:Curve></gml:curveMember></gml:Ring></gml:exterior></gml:Polygon>`;
    const [feature] = await read(wfsCollection([zone('arc', curve)]));
    const exact = (Math.PI * r * r) / 2;
    expect(Math.abs(areaOf(feature!.geometry as AreaGeometry) - exact) / exact).toBeLessThan(0.0005);
    const ring = (feature!.geometry as AreaGeometry).coordinates[0] as unknown as number[][];
    // Every densified vertex lies on the circle.
    for (const [x, y] of ring.slice(0, -2)) expect(Math.hypot(x! - cx, y! - cy)).toBeCloseTo(r, 6);
  });

  it('reads a boundary Curve of LineStringSegments as one LineString', async () => {
    const grense = `<app:KpArealGrense gml:id="g1"><app:grense><gml:Curve gml:id="gc" srsName="urn:ogc:def:crs:EPSG::25833"><gml:segments>
      <gml:LineStringSegment><gml:posList>300000 6600000 300010 6600000</gml:posList></gml:LineStringSegment>
      <gml:LineStringSegment><gml:posList>300010 6600000 300010 6600010</gml:posList></gml:LineStringSegment>
    </gml:segments></gml:Curve></app:grense></app:KpArealGrense>`;
    const [line] = await read(wfsCollection([grense]));
    expect(line!.objekttypenavn).toBe('KpArealGrense');
    expect((line!.geometry as LineStringGeometry).coordinates).toEqual([
      [300000, 6600000],
      [300010, 6600000],
      [300010, 6600010],
    ]);
  });

  it('skips and reports (by gml:id) a feature whose posList does not divide into positions', async () => {
    const { warnings, onWarning } = collectWarnings();
    const broken = gmlSquare(300_000, 6_600_000, 10).replace(
      '300000 6600000 300010',
      '300000 6600000 300010 7',
    );
    const features = await read(
      wfsCollection([zone('good', gmlSquare(300_000, 6_600_000, 10)), zone('bad', broken)]),
      { onWarning },
    );
    expect(features.map((f) => f.properties['identifikasjon.lokalId'])).toEqual(['good-lokal']);
    expect(warnings).toEqual([
      expect.objectContaining({
        feature: 'gml:id bad',
        problem: expect.stringMatching(/skipped: <posList> of 11 numbers does not divide into 2D positions/),
      }),
    ]);
  });

  it('reads gml:featureMember collections (GML 3.2 without WFS) and ISO-8859-1 encoded files', async () => {
    const xml = `<?xml version="1.0" encoding="ISO-8859-1"?>
      <gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:app="urn:x">
        <gml:featureMember>${zone('latin', gmlSquare(300_000, 6_600_000, 10), '<app:områdenavn>Bjørnåsen</app:områdenavn>')}</gml:featureMember>
      </gml:FeatureCollection>`;
    const [feature] = await readPlanFeatures(temp.write('latin1.gml', Buffer.from(xml, 'latin1')));
    expect(feature!.objekttypenavn).toBe('KpArealformålOmråde');
    expect(feature!.properties['områdenavn']).toBe('Bjørnåsen');
  });

  it('reads a gzip-compressed GML file', async () => {
    const file = temp.write(
      'kommuneplan.gml.gz',
      gzipSync(wfsCollection([zone('gz', gmlSquare(300_000, 6_600_000, 10))])),
    );
    const [feature] = await readPlanFeatures(file);
    expect(feature!.properties['identifikasjon.lokalId']).toBe('gz-lokal');
  });

  it.each([
    [
      'a truncated document',
      wfsCollection([zone('t', gmlSquare(300_000, 6_600_000, 10))]).slice(0, 900),
      /truncated/,
    ],
    [
      'a geometry without any srsName',
      wfsCollection([zone('n', gmlSquare(300_000, 6_600_000, 10).replace(/ srsName="[^"]+"/, ''))]),
      /gml:id n: the geometry names no srsName.*unknown CRS/,
    ],
    [
      'an unknown srsName',
      wfsCollection([zone('u', gmlSquare(300_000, 6_600_000, 10, 'urn:ogc:def:crs:EPSG::31466'))]),
      /gml:id u: unknown or unsupported CRS "urn:ogc:def:crs:EPSG::31466"/,
    ],
    [
      'an OWS exception report',
      '<?xml version="1.0"?><ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1"><ows:Exception exceptionCode="NoApplicableCode"><ows:ExceptionText>java.lang.OutOfMemoryError</ows:ExceptionText></ows:Exception></ows:ExceptionReport>',
      /service exception: NoApplicableCode: java.lang.OutOfMemoryError/,
    ],
    ['an HTML page', '<html><body>Gateway Time-out</body></html>', /HTML page/],
    ['text that is not XML', 'SOSI-NIVÅ 4', /not XML|unrecognised content/],
    [
      'malformed XML',
      '<gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml/3.2"><a></b></gml:FeatureCollection>',
      /not well-formed XML/,
    ],
    [
      'another XML vocabulary',
      '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"/>',
      /not a GML FeatureCollection \(root element <kml>\)/,
    ],
    [
      'a WFS truncatedResponse',
      wfsCollection([]).replace(
        '</wfs:FeatureCollection>',
        '<wfs:truncatedResponse/></wfs:FeatureCollection>',
      ),
      /truncated its response/,
    ],
  ])('refuses %s with an InputError naming the file', async (_label, xml, problem) => {
    const file = temp.write(`bad-${Math.random().toString(36).slice(2)}.gml`, xml);
    const error = await readPlanFeatures(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message.startsWith(file)).toBe(true);
    expect((error as InputError).message).toMatch(problem);
  });
});
