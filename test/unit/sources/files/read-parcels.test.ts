import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readParcels } from '../../../../sync/src/sources/files/index.js';
import { InputError } from '../../../../sync/src/util/errors.js';
import { zipOf } from '../../../helpers/zip.js';
import { areaOf, collectWarnings, reference, squareCoordinates, tempFolder } from './helpers.js';

const temp = tempFolder();
afterAll(() => temp.remove());
const teigXml = readFileSync(reference('matrikkel-teig-bergen-4601-167.xml'), 'utf8');

describe('readParcels: teig WFS GML', () => {
  it('reads the three recorded Bergen teiger (numberReturned="0" notwithstanding)', async () => {
    const parcels = await readParcels(reference('matrikkel-teig-bergen-4601-167.xml'));
    expect(parcels.map((p) => [p.teigId, p.matrikkelnummertekst, p.lagretArealM2])).toEqual([
      ['261221547', '167/714', 809.3],
      ['261221623', '167/717', 165.6],
      ['261221636', '167/718', 226.3],
    ]);
    expect(parcels[0]).toMatchObject({
      kommunenummer: '4601',
      matrikkelenhetId: '255889191',
      matrikkelenheter: [{ kommunenummer: '4601', gnr: 167, bnr: 714, fnr: 0, snr: 0 }],
    });
    // The polygon, not the representasjonspunkt; its area agrees with the cadastre's stored area.
    for (const parcel of parcels) {
      expect(parcel.geometry.type).toBe('Polygon');
      expect(Math.abs(areaOf(parcel.geometry) - parcel.lagretArealM2!) / parcel.lagretArealM2!).toBeLessThan(
        0.01,
      );
    }
  });

  it('reads pages concatenated into one file and de-duplicates parcels seen on two pages', async () => {
    const file = temp.write('pages.xml', teigXml + '\n' + teigXml);
    expect((await readParcels(file)).map((p) => p.teigId)).toEqual(['261221547', '261221623', '261221636']);
  });

  it('reads a folder and a zip of page files, de-duplicating across them', async () => {
    const page2 = teigXml.replace(/261221636/g, '261221999').replace('167/718', '167/999');
    temp.write('page-1.xml', teigXml);
    temp.write('page-2.xml', page2);
    const fromZip = await readParcels(
      temp.write('teig.zip', zipOf({ 'teig/page-1.xml': teigXml, 'teig/page-2.xml': page2 })),
    );
    expect(fromZip.map((p) => p.matrikkelnummertekst)).toEqual(['167/714', '167/717', '167/718', '167/999']);
  });

  it('keeps every matrikkelenhet of a teig shared by several units', async () => {
    const unit = (bnr: number, fnr?: number) =>
      `<app:matrikkelenhet><app:Matrikkelenhet><app:kommunenummer>4601</app:kommunenummer><app:gardsnummer>167</app:gardsnummer><app:bruksnummer>${bnr}</app:bruksnummer>${fnr ? `<app:festenummer>${fnr}</app:festenummer>` : ''}<app:matrikkelenhetId>${bnr}00</app:matrikkelenhetId></app:Matrikkelenhet></app:matrikkelenhet>`;
    const shared = teigXml.replace(
      /<app:matrikkelenhet>[\s\S]*?<\/app:matrikkelenhet>/,
      unit(714) + unit(715, 3),
    );
    const [first] = await readParcels(temp.write('shared.xml', shared));
    expect(first!.matrikkelenheter).toEqual([
      { kommunenummer: '4601', gnr: 167, bnr: 714, fnr: 0, snr: 0 },
      { kommunenummer: '4601', gnr: 167, bnr: 715, fnr: 3, snr: 0 },
    ]);
    expect(first!.matrikkelenhetId).toBe('71400');
  });

  it('skips and reports a teig without matrikkel number, naming its gml:id', async () => {
    const { warnings, onWarning } = collectWarnings();
    const broken = teigXml
      .replace('<app:matrikkelnummerTekst>167/717</app:matrikkelnummerTekst>', '')
      .replace(/(gml:id="teig\.261221623"[\s\S]*?)<app:matrikkelenhet>[\s\S]*?<\/app:matrikkelenhet>/, '$1');
    const parcels = await readParcels(temp.write('broken.xml', broken), { onWarning });
    expect(parcels).toHaveLength(2);
    expect(warnings).toEqual([
      expect.objectContaining({
        feature: 'gml:id teig.261221623',
        problem: expect.stringMatching(/skipped: no matrikkel number/),
      }),
    ]);
  });

  it('refuses the WFS exception report and a truncated page', async () => {
    await expect(readParcels(reference('matrikkel-typename-error.xml'))).rejects.toThrow(
      /service exception: InvalidParameterValue \(typeName\): Feature type with name 'Teigg' is not served/,
    );
    const truncated = temp.write('truncated.xml', teigXml.slice(0, 6000));
    const error = await readParcels(truncated).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/truncated/);
  });
});

describe('readParcels: GeoJSON and GeoPackage', () => {
  it('reads Kartverket eiendom-style GeoJSON (gardsnummer/bruksnummer/lokalid, lon/lat)', async () => {
    const lonlat = [
      [
        [5.3241, 60.4012],
        [5.3245, 60.4012],
        [5.3245, 60.4014],
        [5.3241, 60.4014],
        [5.3241, 60.4012],
      ],
    ];
    const file = temp.write(
      'eiendom.geojson',
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            geometry: { type: 'Polygon', coordinates: lonlat },
            properties: {
              kommunenummer: '4601',
              gardsnummer: 167,
              bruksnummer: 714,
              festenummer: 0,
              seksjonsnummer: 0,
              matrikkelnummertekst: '167/714',
              objekttype: 'Teig',
              lokalid: 261221547,
            },
          },
        ],
      }),
    );
    const [parcel] = await readParcels(file);
    expect(parcel).toMatchObject({
      teigId: '261221547',
      matrikkelnummertekst: '167/714',
      lagretArealM2: null,
    });
    expect(parcel!.geometry.coordinates[0]![0]![0]).toBeLessThan(0); // Bergen has negative eastings in 25833
  });

  it('reads the teig GeoPackage GDAL writes from the WFS GML (flattened columns) to the same parcels', async () => {
    const fromGpkg = await readParcels(reference('matrikkel-teig-bergen-4601-167.gpkg'));
    const fromGml = await readParcels(reference('matrikkel-teig-bergen-4601-167.xml'));
    expect(fromGpkg).toEqual(fromGml);
  });

  it('refuses a parcel document whose only feature is a point', async () => {
    const { warnings, onWarning } = collectWarnings();
    const file = temp.write(
      'points.geojson',
      JSON.stringify({
        type: 'FeatureCollection',
        crs: { type: 'name', properties: { name: 'EPSG:25833' } },
        features: [
          {
            type: 'Feature',
            geometry: { type: 'Point', coordinates: [300_000, 6_600_000] },
            properties: { kommunenummer: '3218', matrikkelnummertekst: '1/2', teigId: 'p' },
          },
          {
            type: 'Feature',
            geometry: { type: 'Polygon', coordinates: squareCoordinates(300_000, 6_600_000, 30) },
            properties: { kommunenummer: '3218', matrikkelnummertekst: '1/3', teigId: 'q' },
          },
        ],
      }),
    );
    const parcels = await readParcels(file, { onWarning });
    expect(parcels.map((p) => p.teigId)).toEqual(['q']);
    expect(warnings[0]!.problem).toBe('skipped: geometry is a Point, not an area');
  });
});
