import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lonLatGeometry } from '../../../sync/src/geo/lon-lat.js';
import type { LotRecord } from '../../../sync/src/lot-record/lot-record.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { lotMapVersion } from '../../../sync/src/store/lot-map.js';
import {
  MAP_BANDS,
  NO_MAP_FILTER,
  lotMapKommuner,
  queryLotMap,
  searchLotMap,
  SEARCH_LIMIT,
  type LonLatBox,
  type MapFilter,
  type MapLayer,
} from '../../../sync/src/store/lot-map-query.js';
import { aasLots, aasRecords } from '../../fixtures/crm/lots.js';
import { movedRecord, writeKommuneRun } from '../../helpers/map-lots.js';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function store(): { db: Db; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-lot-map-'));
  dirs.push(dir);
  const file = path.join(dir, 'store.sqlite');
  const db = openStore(file);
  dbs.push(db);
  return { db, file };
}

const AAS = aasRecords(aasLots({ count: 120, seed: 7 }));
/** The same lots 40 km north, as Lillestrøm's. */
const LILLESTROM = AAS.map((r) =>
  movedRecord(r, { east: 0, north: 40_000, kommunenummer: '3205', kommuneNavn: 'Lillestrøm' }),
);
const NORWAY: LonLatBox = [4, 57, 32, 72];
const around = (r: LotRecord, metres: number): LonLatBox => {
  const dLat = metres / 111_320;
  const dLon = dLat / Math.cos((r.centre.lat * Math.PI) / 180);
  return [r.centre.lon - dLon, r.centre.lat - dLat, r.centre.lon + dLon, r.centre.lat + dLat];
};
function lonLatBoxOf(record: LotRecord): LonLatBox {
  const ring = (lonLatGeometry(record.geometry).coordinates as number[][][])[0]!;
  const lons = ring.map((p) => p[0]!);
  const lats = ring.map((p) => p[1]!);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}
const ids = (layer: MapLayer) => (layer.kind === 'clusters' ? [] : layer.lots.map((l) => l.tomtId).sort());
const filter = (patch: Partial<MapFilter>): MapFilter => ({ ...NO_MAP_FILTER, ...patch });

function twoKommuner(): Db {
  const { db } = store();
  writeKommuneRun(db, '3218', AAS, { runId: 1, now: '2025-03-01T02:00:00.000Z' });
  writeKommuneRun(db, '3205', LILLESTROM, { runId: 1, now: '2025-03-01T02:05:00.000Z' });
  return db;
}

describe('lot map index: bounding boxes', () => {
  it('answers a box with exactly the lots whose outline reaches into it', () => {
    const db = twoKommuner();
    const lot = AAS[61]!;
    const near = queryLotMap(db, { bbox: around(lot, 20), zoom: 17, filter: NO_MAP_FILTER });
    expect(near.kind).toBe('polygons');
    expect(ids(near)).toEqual([lot.tomtId]);
    // 150 m each way reaches the neighbours 110 m apart (rows of 60), not Lillestrøm.
    const wider = queryLotMap(db, { bbox: around(lot, 150), zoom: 17, filter: NO_MAP_FILTER });
    const box = around(lot, 150);
    const expected = AAS.filter((r) => {
      const [west, south, east, north] = lonLatBoxOf(r);
      return east >= box[0] && west <= box[2] && north >= box[1] && south <= box[3];
    });
    expect(ids(wider)).toEqual(expected.map((r) => r.tomtId).sort());
    expect(wider.total).toBeGreaterThanOrEqual(5);
  });

  it('keeps each outline in lon/lat, inside its box, with the label point the record has', () => {
    const db = twoKommuner();
    const layer = queryLotMap(db, { bbox: NORWAY, zoom: 16, filter: filter({ kommuner: ['3205'] }) });
    expect(layer.kind).toBe('polygons');
    if (layer.kind === 'clusters') return;
    expect(layer.lots).toHaveLength(LILLESTROM.length);
    for (const lot of layer.lots) {
      const record = LILLESTROM.find((r) => r.tomtId === lot.tomtId)!;
      expect([lot.lon, lot.lat]).toEqual([record.centre.lon, record.centre.lat]);
      const geometry = JSON.parse(lot.geometry!) as { type: string; coordinates: number[][][] };
      expect(geometry.type).toBe('Polygon');
      for (const [lon, lat] of geometry.coordinates[0]!) {
        expect(Math.abs(lon! - lot.lon)).toBeLessThan(0.001);
        expect(Math.abs(lat! - lot.lat)).toBeLessThan(0.001);
      }
    }
  });
});

describe('lot map index: zoom bands', () => {
  it('clusters below the points zoom, points, then coarse and fine outlines', () => {
    const db = twoKommuner();
    const all = AAS.length + LILLESTROM.length;
    const clusters = queryLotMap(db, { bbox: NORWAY, zoom: 9, filter: NO_MAP_FILTER });
    expect(clusters.kind).toBe('clusters');
    if (clusters.kind !== 'clusters') return;
    expect(clusters.total).toBe(all);
    expect(clusters.clusters.reduce((n, c) => n + c.count, 0)).toBe(all);
    // Two kommuner 40 km apart never share a 64-pixel cell at zoom 9 (about 0.18° wide).
    expect(clusters.clusters.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...clusters.clusters.map((c) => c.best))).toBe(
      Math.max(...AAS.map((r) => Math.round(r.score.total))),
    );
    const points = queryLotMap(db, { bbox: NORWAY, zoom: MAP_BANDS.pointsFromZoom, filter: NO_MAP_FILTER });
    expect(points.kind).toBe('points');
    if (points.kind === 'clusters') return;
    expect(points.lots).toHaveLength(all);
    expect(points.lots.every((l) => l.geometry === null)).toBe(true);
    const coarse = queryLotMap(db, { bbox: NORWAY, zoom: 14, filter: NO_MAP_FILTER });
    const fine = queryLotMap(db, { bbox: NORWAY, zoom: 16, filter: NO_MAP_FILTER });
    expect([coarse.kind, fine.kind]).toEqual(['polygons', 'polygons']);
    const vertices = (layer: MapLayer) =>
      layer.kind === 'clusters'
        ? 0
        : layer.lots.reduce(
            (n, l) => n + (JSON.parse(l.geometry!) as { coordinates: unknown[][] }).coordinates[0]!.length,
            0,
          );
    expect(vertices(coarse)).toBeLessThanOrEqual(vertices(fine));
    expect(vertices(fine)).toBeGreaterThanOrEqual(all * 4);
  });

  it('answers with clusters at any zoom when the view holds more lots than one answer may', () => {
    const { db } = store();
    const many = aasRecords(aasLots({ count: MAP_BANDS.maxLots + 1, seed: 3 }));
    writeKommuneRun(db, '3218', many, { runId: 1, now: '2025-03-01T02:00:00.000Z' });
    const layer = queryLotMap(db, { bbox: NORWAY, zoom: 17, filter: NO_MAP_FILTER });
    expect(layer.kind).toBe('clusters');
    expect(layer.total).toBe(many.length);
    const fewer = queryLotMap(db, { bbox: NORWAY, zoom: 17, filter: filter({ tiers: ['A'] }) });
    expect(fewer.kind).toBe('polygons');
    expect(fewer.total).toBe(many.filter((r) => r.score.tier === 'A').length);
  });
});

describe('lot map index: filters', () => {
  const everything = (db: Db, f: MapFilter) => ids(queryLotMap(db, { bbox: NORWAY, zoom: 12, filter: f }));
  const expected = (records: LotRecord[], keep: (r: LotRecord) => boolean) =>
    records
      .filter(keep)
      .map((r) => r.tomtId)
      .sort();
  const both = [...AAS, ...LILLESTROM];

  it('filters on score range, tier, kommune, confidence and plans in progress', () => {
    const db = twoKommuner();
    const score = (r: LotRecord) => Math.round(r.score.total);
    expect(everything(db, filter({ minScore: 50, maxScore: 60 }))).toEqual(
      expected(both, (r) => score(r) >= 50 && score(r) <= 60),
    );
    expect(everything(db, filter({ tiers: ['B', 'D'] }))).toEqual(
      expected(both, (r) => ['B', 'D'].includes(r.score.tier)),
    );
    expect(everything(db, filter({ kommuner: ['3205'] }))).toEqual(expected(LILLESTROM, () => true));
    expect(everything(db, filter({ confidences: ['medium'] }))).toEqual(
      expected(both, (r) => r.score.confidence === 'medium'),
    );
    const withPlans = everything(db, filter({ planWork: 'med' }));
    expect(withPlans).toEqual(expected(both, (r) => r.planarbeidPagar.length > 0));
    expect(withPlans.length).toBeGreaterThan(0);
    expect(everything(db, filter({ planWork: 'uten' }))).toHaveLength(both.length - withPlans.length);
    expect(
      everything(db, filter({ kommuner: ['3218'], tiers: ['C'], confidences: ['high'], minScore: 45 })),
    ).toEqual(expected(AAS, (r) => r.score.tier === 'C' && r.score.confidence === 'high' && score(r) >= 45));
  });

  it('shows lots no longer found only under the vanished status, and counts them in no kommune', () => {
    const db = twoKommuner();
    const kept = AAS.slice(0, 100);
    writeKommuneRun(db, '3218', kept, { runId: 2, now: '2025-03-02T02:00:00.000Z' });
    const gone = AAS.slice(100)
      .map((r) => r.tomtId)
      .sort();
    expect(everything(db, filter({ kommuner: ['3218'] }))).toEqual(kept.map((r) => r.tomtId).sort());
    expect(everything(db, filter({ states: ['vanished'] }))).toEqual(gone);
    expect(everything(db, filter({ states: ['active', 'vanished'], kommuner: ['3218'] }))).toHaveLength(
      AAS.length,
    );
    expect(lotMapKommuner(db).map((k) => [k.kommunenummer, k.navn, k.count])).toEqual([
      ['3205', 'Lillestrøm', LILLESTROM.length],
      ['3218', 'Ås', kept.length],
    ]);
  });
});

describe('lot map index: gnr/bnr search', () => {
  it('finds a lot by gnr/bnr, in every kommune unless one is named', () => {
    const db = twoKommuner();
    const lot = AAS[75]!;
    const { gnr, bnr } = lot.matrikkelenheter[0]!;
    const hits = searchLotMap(db, { gnr, bnr, kommune: null });
    expect(hits.map((h) => h.kommunenummer).sort()).toEqual(['3205', '3218']);
    const [hit] = searchLotMap(db, { gnr, bnr, kommune: '3218' });
    expect(hit).toMatchObject({
      tomtId: lot.tomtId,
      matrikkel: `${gnr}/${bnr}`,
      kommuneNavn: 'Ås',
      state: 'active',
    });
    expect(hit!.bbox[0]).toBeLessThan(lot.centre.lon);
    expect(hit!.bbox[2]).toBeGreaterThan(lot.centre.lon);
    // A whole gnr: its best lots first, at most SEARCH_LIMIT of them.
    const onGnr = searchLotMap(db, { gnr, bnr: null, kommune: '3218' });
    const gnrScores = AAS.filter((r) => r.matrikkelenheter[0]!.gnr === gnr)
      .map((r) => Math.round(r.score.total))
      .sort((a, b) => b - a);
    expect(gnrScores.length).toBeGreaterThan(SEARCH_LIMIT);
    expect(onGnr.map((h) => h.score)).toEqual(gnrScores.slice(0, SEARCH_LIMIT));
    expect(onGnr.every((h) => h.matrikkel.startsWith(`${gnr}/`))).toBe(true);
    expect(searchLotMap(db, { gnr: 9999, bnr: null, kommune: null })).toEqual([]);
  });
});

describe('lot map index: version and backfill', () => {
  it('moves the version on a run that changes lots, not on one that finds them as they were', () => {
    const { db } = store();
    expect(lotMapVersion(db)).toBeNull();
    writeKommuneRun(db, '3218', AAS, { runId: 1, now: '2025-03-01T02:00:00.000Z' });
    const first = lotMapVersion(db)!;
    expect(first).toMatchObject({ runId: 1, changedAt: '2025-03-01T02:00:00.000Z' });
    writeKommuneRun(db, '3218', AAS, { runId: 2, now: '2025-03-02T02:00:00.000Z' });
    expect(lotMapVersion(db)).toEqual(first);
    const rescored = AAS.map((r, i) =>
      i === 5 ? { ...r, score: { ...r.score, total: 99, tier: 'A' as const } } : r,
    );
    writeKommuneRun(db, '3218', rescored, { runId: 3, now: '2025-03-03T02:00:00.000Z' });
    const third = lotMapVersion(db)!;
    expect(third.generation).toBeGreaterThan(first.generation);
    expect(third.runId).toBe(3);
    const top = queryLotMap(db, { bbox: NORWAY, zoom: 16, filter: filter({ minScore: 99 }) });
    expect(ids(top)).toEqual([AAS[5]!.tomtId]);
  });

  it('indexes the lots of a store made before the index existed (migration 20)', () => {
    const { db, file } = store();
    writeKommuneRun(db, '3218', AAS, { runId: 1, now: '2025-03-01T02:00:00.000Z' });
    writeKommuneRun(db, '3218', AAS.slice(0, 110), { runId: 2, now: '2025-03-02T02:00:00.000Z' });
    const query = { bbox: NORWAY, zoom: 16, filter: filter({ states: ['active', 'vanished'] }) };
    const before = queryLotMap(db, query);
    db.exec(`DROP TABLE lot_map_shape; DROP TABLE lot_map; DROP TABLE lot_map_rtree; DROP TABLE lot_map_version;
      DELETE FROM schema_migrations WHERE version = 20`);
    db.close();
    dbs.splice(dbs.indexOf(db), 1);
    const reopened = openStore(file);
    dbs.push(reopened);
    const after = queryLotMap(reopened, query);
    expect(ids(after)).toEqual(ids(before));
    const byId = (layer: MapLayer) =>
      layer.kind === 'clusters' ? [] : [...layer.lots].sort((a, b) => a.tomtId.localeCompare(b.tomtId));
    expect(byId(after)).toEqual(byId(before));
    expect(ids(queryLotMap(reopened, { ...query, filter: filter({ states: ['vanished'] }) }))).toHaveLength(
      10,
    );
    expect(lotMapVersion(reopened)).toMatchObject({
      generation: 1,
      runId: 2,
      changedAt: '2025-03-02T02:00:00.000Z',
    });
  });
});
