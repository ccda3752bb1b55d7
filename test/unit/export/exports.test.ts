import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Lot } from '../../../sync/src/domain/lot.js';
import { writeLotsGeoPackage } from '../../../sync/src/export/geopackage.js';
import { lotsToGeoJson } from '../../../sync/src/export/geojson.js';
import { decodeGpkgGeometry } from '../../../sync/src/geo/wkb.js';
import { polygon, rect } from '../../helpers/plan-data.js';

const lot = (id: string, geometry: Lot['geometry']): Lot => ({
  tomtId: id,
  kommunenummer: '3218',
  matrikkelnummertekst: '45/12',
  matrikkelenheter: [{ kommunenummer: '3218', gnr: 45, bnr: 12, fnr: 0, snr: 0 }],
  matrikkelenhetId: '255889191',
  teigId: '261221547',
  zone: {
    lokalId: 'zone-1',
    planId: '3218-2019001',
    objekttypenavn: 'KpArealformålOmråde',
    arealformal: 1110,
    arealbruk: null,
    arealbruksstatus: 2,
    omradenavn: 'B12',
    utnytting: null,
  },
  arealM2: 5000,
  parcelArealM2: 10000,
  opportunityId: 'zone-1#0',
  opportunityArealM2: 20000,
  parcelsInOpportunity: 4,
  planarbeidPagar: ['3218-2025001', '3218-2025002'],
  zoneRepairs: 0,
  geometry,
});

// A clockwise exterior ring with a counter-clockwise hole: the opposite of RFC 7946's rule.
const clockwise = polygon([...rect(0, 0, 100, 100)].reverse(), rect(40, 40, 60, 60));

describe('GeoJSON output', () => {
  it('is RFC 7946: lon/lat in Norway, no crs member, exterior counter-clockwise and holes clockwise', () => {
    const collection = JSON.parse(lotsToGeoJson([lot('3218-45/12-zone-1', clockwise)]));
    expect(collection.crs).toBeUndefined();
    const feature = collection.features[0];
    expect(feature.properties).toMatchObject({
      tomt_id: '3218-45/12-zone-1',
      areal_m2: 5000,
      planarbeid_pagar: '3218-2025001,3218-2025002',
    });
    const [exterior, hole] = feature.geometry.coordinates as number[][][];
    const [lon, lat] = exterior![0]!;
    expect(lon).toBeGreaterThan(10.7);
    expect(lon).toBeLessThan(10.9);
    expect(lat).toBeGreaterThan(59.6);
    expect(lat).toBeLessThan(59.8);
    const signed = (ring: number[][]) =>
      ring.slice(0, -1).reduce((s, p, i) => s + p[0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * p[1]!, 0);
    expect(signed(exterior!)).toBeGreaterThan(0);
    expect(signed(hole!)).toBeLessThan(0);
  });
});

describe('GeoPackage output', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'gpkg-')), 'lots.gpkg');
  writeLotsGeoPackage(file, [lot('a', clockwise), lot('b', polygon(rect(200, 0, 300, 100)))]);

  it('has the GeoPackage core tables, the application id and EPSG:25833 geometry', () => {
    const db = new Database(file, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(0x47504b47);
    expect(
      db.prepare('SELECT srs_id, data_type FROM gpkg_contents WHERE table_name = ?').get('tomter'),
    ).toEqual({
      srs_id: 25833,
      data_type: 'features',
    });
    const rows = db.prepare('SELECT tomt_id, geom FROM tomter ORDER BY fid').all() as Array<{
      tomt_id: string;
      geom: Buffer;
    }>;
    expect(rows.map((r) => r.tomt_id)).toEqual(['a', 'b']);
    const decoded = decodeGpkgGeometry(rows[1]!.geom);
    expect(decoded.srsId).toBe(25833);
    expect(decoded.geometry?.type).toBe('MultiPolygon');
    db.close();
  });

  it('opens in GDAL: ogrinfo lists the layer, its feature count and EPSG:25833', () => {
    const info = execFileSync('ogrinfo', ['-so', file, 'tomter'], { encoding: 'utf8' });
    expect(info).toMatch(/Layer name: tomter/);
    expect(info).toMatch(/Feature Count: 2/);
    expect(info).toMatch(/ID\["EPSG",25833\]|EPSG","25833"/);
    expect(readFileSync(file).subarray(0, 16).toString()).toBe('SQLite format 3\u0000');
  });
});
