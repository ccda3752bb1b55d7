import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { isAreaGeometry, type AreaGeometry } from '../../../../sync/src/domain/geometry.js';
import { codeOf, planIdOf, type PlanFeature } from '../../../../sync/src/domain/plan.js';
import { encodeGpkgGeometry } from '../../../../sync/src/geo/wkb.js';
import { readPlanFeatures } from '../../../../sync/src/sources/files/index.js';
import { InputError } from '../../../../sync/src/util/errors.js';
import {
  areaOf,
  collectWarnings,
  NAP_CRS_25833,
  reference,
  squareCoordinates,
  tempFolder,
} from './helpers.js';

const temp = tempFolder();
afterAll(() => temp.remove());

const byType = (features: PlanFeature[], type: string) => features.filter((f) => f.objekttypenavn === type);

describe('readPlanFeatures: NAP GeoJSON (recorded GetFeatureInfo answers)', () => {
  it('reads the five vertikalnivå-1 features of Bergen 167/714 with their types, plan ids and EPSG:25833 geometry', async () => {
    const features = await readPlanFeatures(reference('nap-gfi-vn1-bergen-167-714.json'));
    expect(features.map((f) => f.objekttypenavn)).toEqual([
      'RpArealformålOmråde',
      'RpOmråde',
      'RpBåndleggingSone',
      'RpSikringSone',
      'RpBestemmelseOmråde',
    ]);
    expect(features.every((f) => planIdOf(f) === '4601-65800000')).toBe(true);
    const [zone, outline] = features;
    expect(codeOf(zone!, 'arealformål')).toBe(2022);
    expect(zone!.properties.feltbetegnelse).toBe('o_STS3');
    expect(outline!.properties).toMatchObject({ planstatus: '3', plantype: '35', vertikalnivå: '1' });
    // The crs member says EPSG:25833, so coordinates pass unchanged (negative eastings are valid).
    expect((outline!.geometry as AreaGeometry).coordinates[0]![0]).toEqual([
      -31842.03729943, 6735392.18922739,
    ]);
  });

  it('sets a value the server lost as "[Ljava.lang.Double;@…" to null, reports it, and reprojects EPSG:3857', async () => {
    const { warnings, onWarning } = collectWarnings();
    const [feature] = await readPlanFeatures(reference('nap-gfi-utnyttingstall-array-leak.json'), {
      onWarning,
    });
    expect(feature!.properties['utnytting.utnyttingstall']).toBeNull();
    expect(warnings.map((w) => w.problem)).toEqual([
      expect.stringContaining('utnytting.utnyttingstall was lost'),
      expect.stringContaining('utnytting.utnyttingstall_minimum was lost'),
    ]);
    // Web-mercator y 8485264 is Bergen: in EPSG:25833 that is around E -32 000, N 6 735 000.
    const [e, n] = (feature!.geometry as AreaGeometry).coordinates[0]![0] as [number, number];
    expect(e).toBeGreaterThan(-60_000);
    expect(e).toBeLessThan(0);
    expect(n).toBeGreaterThan(6_700_000);
    expect(n).toBeLessThan(6_770_000);
  });

  it('reads the empty answer to a wrong-CRS request as no features (crs: null, features: [])', async () => {
    await expect(readPlanFeatures(reference('nap-gfi-empty-wrong-crs.json'))).resolves.toEqual([]);
  });

  it('refuses the LayerNotDefined exception report with an InputError that quotes the service', async () => {
    const error = await readPlanFeatures(reference('nap-gfi-layer-not-defined.xml')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(
      /nap-gfi-layer-not-defined\.xml: service exception: LayerNotDefined/,
    );
  });
});

describe('readPlanFeatures: GeoJSON rules', () => {
  const feature = (
    properties: Record<string, unknown>,
    coordinates = squareCoordinates(300_000, 6_600_000, 100),
  ) => ({
    type: 'Feature',
    properties,
    geometry: { type: 'Polygon', coordinates },
  });

  it('treats a document without crs as lon/lat (RFC 7946) and reprojects to EPSG:25833', async () => {
    const file = temp.write(
      'lonlat.geojson',
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { objekttypenavn: 'KpArealformålOmråde', arealformål: '1110' },
            geometry: { type: 'Point', coordinates: [10.75, 59.91] },
          },
        ],
      }),
    );
    const [point] = await readPlanFeatures(file);
    const [e, n] = point!.geometry!.coordinates as [number, number];
    // Oslo sentrum in UTM 33: about E 262 000, N 6 650 000.
    expect(e).toBeGreaterThan(255_000);
    expect(e).toBeLessThan(270_000);
    expect(n).toBeGreaterThan(6_640_000);
    expect(n).toBeLessThan(6_660_000);
  });

  it('reprojects EPSG:25832 and EPSG:25835 named by URN, keeping areas within 0.5 %', async () => {
    for (const [epsg, x, y] of [
      [25832, 600_000, 6_650_000],
      [25835, 400_000, 7_800_000],
    ] as const) {
      const file = temp.write(
        `utm-${epsg}.geojson`,
        JSON.stringify({
          type: 'FeatureCollection',
          crs: { type: 'name', properties: { name: `urn:ogc:def:crs:EPSG::${epsg}` } },
          features: [feature({ objekttypenavn: 'KpArealformålOmråde' }, squareCoordinates(x, y, 200))],
        }),
      );
      const [zone] = await readPlanFeatures(file);
      const area = areaOf(zone!.geometry as AreaGeometry);
      expect(Math.abs(area - 40_000) / 40_000).toBeLessThan(0.005);
      const [e] = (zone!.geometry as AreaGeometry).coordinates[0]![0] as [number, number];
      expect(Math.abs(e - x)).toBeGreaterThan(1_000); // really moved to zone 33
    }
  });

  it('maps nested objects, NAP (flat) names, ASCII names and GeoPackage-style columns onto the dotted SOSI names', async () => {
    const file = temp.write(
      'spellings.geojson',
      JSON.stringify({
        type: 'FeatureCollection',
        crs: NAP_CRS_25833,
        features: [
          feature({
            objekttypenavn: 'kparealformalomrade',
            arealformal: 1110,
            AREALBRUKSSTATUS: '2',
            identifikasjon: { lokalId: 'a-1', navnerom: 'ns' },
            planidentifikasjon: '2020001',
            kommunenummer: 301,
            utnytting_utnyttingstall: [35, 40],
          }),
        ],
      }),
    );
    const [zone] = await readPlanFeatures(file);
    expect(zone!.objekttypenavn).toBe('KpArealformålOmråde');
    expect(zone!.properties).toMatchObject({
      arealformål: 1110,
      arealbruksstatus: '2',
      'identifikasjon.lokalId': 'a-1',
      'identifikasjon.navnerom': 'ns',
      'arealplanId.planidentifikasjon': '2020001',
      'arealplanId.kommunenummer': '0301',
      'utnytting.utnyttingstall': 35,
    });
    expect(planIdOf(zone!)).toBe('0301-2020001');
  });

  it('takes the type from the file name when features carry no objekttypenavn', async () => {
    const file = temp.write(
      'KpFareSone.geojson',
      JSON.stringify({ type: 'FeatureCollection', crs: NAP_CRS_25833, features: [feature({ fare: '320' })] }),
    );
    const [zone] = await readPlanFeatures(file);
    expect(zone!.objekttypenavn).toBe('KpFareSone');
  });

  it('skips and reports unusable features (by index) while keeping the good ones', async () => {
    const { warnings, onWarning } = collectWarnings();
    const file = temp.write(
      'mixed.geojson',
      JSON.stringify({
        type: 'FeatureCollection',
        crs: NAP_CRS_25833,
        features: [
          feature({ objekttypenavn: 'RpOmråde', planstatus: '3' }),
          feature({ objekttypenavn: 'RpOmråde' }, [
            [
              [300_000, 6_600_000],
              ['x', 6_600_000],
            ],
          ] as never),
          feature({ planstatus: '3' }),
          {
            type: 'Feature',
            properties: { objekttypenavn: 'RpOmråde' },
            geometry: { type: 'Polygon', coordinates: [[[1, 2]]] },
          },
          feature({ objekttypenavn: 'RpOmråde' }, squareCoordinates(-900_000, 100, 10)),
          42,
        ],
      }),
    );
    const features = await readPlanFeatures(file, { onWarning });
    expect(features).toHaveLength(1);
    expect(warnings.map((w) => `${w.feature}: ${w.problem}`)).toEqual([
      expect.stringMatching(/^feature #2: skipped: coordinate .* is not a pair of numbers/),
      expect.stringMatching(/^feature #3: skipped: no objekttypenavn/),
      expect.stringMatching(/^feature #4: skipped: a Polygon whose outer ring has fewer than 4 positions/),
      expect.stringMatching(/^feature #6: skipped: the entry is not a Feature object/),
      expect.stringMatching(/^feature #5: skipped: lies outside Norway/),
    ]);
    expect(warnings.every((w) => w.file === file)).toBe(true);
  });

  it('closes an unclosed ring and says so', async () => {
    const { warnings, onWarning } = collectWarnings();
    const open = squareCoordinates(300_000, 6_600_000, 10)[0]!.slice(0, 4);
    const file = temp.write(
      'unclosed.geojson',
      JSON.stringify({
        type: 'FeatureCollection',
        crs: NAP_CRS_25833,
        features: [feature({ objekttypenavn: 'RpOmråde' }, [open])],
      }),
    );
    const [outline] = await readPlanFeatures(file, { onWarning });
    expect(areaOf(outline!.geometry as AreaGeometry)).toBeCloseTo(100, 6);
    expect(warnings[0]!.problem).toBe('closed an unclosed ring');
  });

  it.each([
    ['not JSON at all', 'plan data', /not valid JSON/],
    ['a truncated document', '{"type":"FeatureCollection","features":[{"type":"Feature","prop', /truncated/],
    ['a JSON array', '[1,2,3]', /not a GeoJSON FeatureCollection/],
    [
      'an object that is no FeatureCollection',
      '{"type":"Topology","objects":{}}',
      /not a GeoJSON FeatureCollection \(type "Topology"/,
    ],
    [
      'an HTML error page',
      '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>',
      /HTML page \("502 Bad Gateway"\)/,
    ],
    [
      'an unknown CRS',
      JSON.stringify({
        type: 'FeatureCollection',
        crs: { type: 'name', properties: { name: 'EPSG:2056' } },
        features: [],
      }),
      /unknown or unsupported CRS "EPSG:2056"/,
    ],
  ])('refuses %s with an InputError naming the file', async (_label, content, problem) => {
    const file = temp.write(`bad-${Math.random().toString(36).slice(2)}.json`, content);
    const error = await readPlanFeatures(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).file).toBe(file);
    expect((error as InputError).message).toMatch(problem);
  });

  it('refuses a document whose every feature lies outside Norway (swapped axes)', async () => {
    const swapped = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { objekttypenavn: 'RpOmråde' },
          geometry: { type: 'Point', coordinates: [59.91, 10.75] },
        },
      ],
    });
    const error = await readPlanFeatures(temp.write('swapped.geojson', swapped)).catch((e: unknown) => e);
    expect((error as InputError).message).toMatch(/all 1 feature\(s\) lie outside Norway .*swapped axes/);
  });
});

describe('readPlanFeatures: GeoPackage', () => {
  it('reads a GeoPackage written by GDAL, one table per feature type', async () => {
    const features = await readPlanFeatures(reference('nap-gfi-vn1-bergen-167-714.gpkg'));
    const fromJson = await readPlanFeatures(reference('nap-gfi-vn1-bergen-167-714.json'));
    expect(features.map((f) => f.objekttypenavn).sort()).toEqual(
      fromJson.map((f) => f.objekttypenavn).sort(),
    );
    const outline = byType(features, 'RpOmråde')[0]!;
    expect(planIdOf(outline)).toBe('4601-65800000');
    expect(outline.properties.planstatus).toBe('3');
    expect(outline.geometry).toEqual(byType(fromJson, 'RpOmråde')[0]!.geometry);
  });

  it('takes the type from the table name, reprojects from the layer CRS and reports a broken blob', async () => {
    const file = `${temp.dir}/kommuneplan.gpkg`;
    const db = new Database(file);
    db.exec(`
      CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY, organization TEXT, organization_coordsys_id INTEGER, definition TEXT, description TEXT);
      INSERT INTO gpkg_spatial_ref_sys VALUES ('ETRS89 / UTM zone 32N', 25832, 'EPSG', 25832, 'undefined', NULL);
      CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, identifier TEXT, description TEXT, last_change TEXT, min_x REAL, min_y REAL, max_x REAL, max_y REAL, srs_id INTEGER);
      CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT, srs_id INTEGER, z INTEGER, m INTEGER);
      CREATE TABLE kparealformalomrade (fid INTEGER PRIMARY KEY, geom BLOB, "arealformål" TEXT, "arealbruksstatus" TEXT, "identifikasjon.lokalId" TEXT);
      INSERT INTO gpkg_contents (table_name, data_type, srs_id) VALUES ('kparealformalomrade', 'features', 25832);
      INSERT INTO gpkg_geometry_columns VALUES ('kparealformalomrade', 'geom', 'POLYGON', 25832, 0, 0);
    `);
    const insert = db.prepare(
      'INSERT INTO kparealformalomrade (geom, "arealformål", arealbruksstatus, "identifikasjon.lokalId") VALUES (?, ?, ?, ?)',
    );
    insert.run(
      encodeGpkgGeometry({ type: 'Polygon', coordinates: squareCoordinates(600_000, 6_650_000, 100) }, 25832),
      '1110',
      '2',
      'z1',
    );
    insert.run(Buffer.from('GP\0\x01garbage'), '1110', '2', 'z2');
    db.close();
    const { warnings, onWarning } = collectWarnings();
    const [zone, ...rest] = await readPlanFeatures(file, { onWarning });
    expect(rest).toEqual([]);
    expect(zone!.objekttypenavn).toBe('KpArealformålOmråde');
    expect(zone!.properties['identifikasjon.lokalId']).toBe('z1');
    expect(isAreaGeometry(zone!.geometry)).toBe(true);
    expect(Math.abs(areaOf(zone!.geometry as AreaGeometry) - 10_000)).toBeLessThan(50);
    expect(warnings).toEqual([
      {
        file,
        feature: 'kparealformalomrade fid 2',
        problem: expect.stringMatching(/^skipped: unreadable geometry/),
      },
    ]);
  });

  it('refuses a file that is SQLite but no GeoPackage', async () => {
    const file = `${temp.dir}/plain.gpkg`;
    new Database(file).exec('CREATE TABLE t (a); INSERT INTO t VALUES (1);');
    await expect(readPlanFeatures(file)).rejects.toThrow(/plain\.gpkg: not a GeoPackage/);
  });
});
