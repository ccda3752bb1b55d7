import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import GeometryFactory from 'jsts/org/locationtech/jts/geom/GeometryFactory.js';
import GeoJSONReader from 'jsts/org/locationtech/jts/io/GeoJSONReader.js';
import OverlayOp from 'jsts/org/locationtech/jts/operation/overlay/OverlayOp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../../sync/src/config/env.js';
import { parseRules } from '../../../sync/src/config/rules.js';
import type { AreaGeometry } from '../../../sync/src/domain/geometry.js';
import type { KommuneData } from '../../../sync/src/domain/kommune.js';
import type { ScoredLot } from '../../../sync/src/domain/lot.js';
import { NationalLayersStage } from '../../../sync/src/jobs/national-layers-stage.js';
import { scoreLots } from '../../../sync/src/scoring/lot/score-lots.js';
import { LastGoodStore } from '../../../sync/src/sources/last-good-store.js';
import { openStore } from '../../../sync/src/store/database.js';
import { layerStatusesOf } from '../../../sync/src/store/national-layer-status.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { startArcgisDouble, type ArcgisDouble } from '../../doubles/national/arcgis.js';
import type { LayerRow } from '../../doubles/national/layer-data.js';
import { startNibioWmsDouble } from '../../doubles/national/nibio-wms.js';
import { startOgcFeaturesDouble, type OgcFeaturesDouble } from '../../doubles/national/ogc-features.js';
import type { Double } from '../../doubles/double.js';
import { at, kommuneData, polygon, rect } from '../../helpers/plan-data.js';
import { makeLot } from '../scoring/lot/lot-fixtures.js';

/**
 * Issue 16, "Done when" (point 1): lots under flood, quick clay, farmland and heritage, the layers
 * served by doubles in the services' own formats, get the covered shares an independent overlay
 * (JSTS) finds and a lower Konfliktfrihet; a kommune whose quick-clay layer fails shows it in its
 * confidence and text, and the run goes on.
 */
const shape = (...points: [number, number][]): AreaGeometry =>
  polygon([...points.map(([x, y]) => at(x, y)), at(...points[0]!)]);
const row = (properties: LayerRow['properties'], geometry: AreaGeometry): LayerRow => ({
  properties,
  geometry,
});

// Five 100 × 100 m lots side by side; the zones below cut them at odd angles.
const lots = {
  flood: makeLot(polygon(rect(0, 0, 100, 100)), { matrikkel: '10/1' }),
  quickClay: makeLot(polygon(rect(200, 0, 300, 100)), { matrikkel: '10/2' }),
  farmland: makeLot(polygon(rect(400, 0, 500, 100)), { matrikkel: '10/3' }),
  heritage: makeLot(polygon(rect(600, 0, 700, 100)), { matrikkel: '10/4' }),
  free: makeLot(polygon(rect(800, 0, 900, 100)), { matrikkel: '10/5' }),
};
const zones = {
  /** NVE Flomsoner2 layer 17 (200-year), recorded attribute names (national-layers.md §1). */
  flood: row(
    {
      objektType: 'FlomAreal',
      flomsoneID: 'fs002_37',
      gjentaksinterval: '200',
      statusKartlegging: 'gjeldende',
    },
    shape([-50, -20], [70, -20], [20, 130], [-50, 130]),
  ),
  /** NVE SkredKvikkleire2 layer 0, query field names. */
  quickClay: row(
    {
      skredomrnavn: 'Hafella',
      objekttype: 'KvikkleireFaregrad',
      faregrad: 'Høy',
      risiko: 3,
      statusskredomr: 1,
    },
    shape([180, 50], [300, -40], [330, 60], [260, 140]),
  ),
  /** AR5 fulldyrka (21) from the customer's file; an L over the lot. */
  farmland: row(
    { arealtype: 21 },
    shape([380, -10], [460, -10], [460, 40], [520, 40], [520, 120], [380, 120]),
  ),
  /** Riksantikvaren lokalitet, automatisk fredet. */
  heritage: row(
    { navn: 'Gravfelt', kulturminneId: '41907', vernetype: 'AUT' },
    shape([650, 20], [690, 50], [650, 80], [610, 50]),
  ),
};
const jsts = new GeoJSONReader(new GeometryFactory());
const independentShare = (lot: AreaGeometry, zone: AreaGeometry) =>
  OverlayOp.intersection(jsts.read(lot), jsts.read(zone)).getArea() / jsts.read(lot).getArea();

const summaries = new Map<string, string | null>();
/** Whether the stage said the kommune's lots must all be found before scoring (farmland sampled at them). */
const needsLotsOf = new Map<string, boolean>();
let nve: ArcgisDouble;
let ra: OgcFeaturesDouble;
let nibio: Double;
const dir = mkdtempSync(path.join(tmpdir(), 'national-'));
const db = openStore(path.join(dir, 'store.sqlite'));
const ar5File = path.join(dir, 'ar5-{kommunenummer}.geojson');
writeFileSync(
  ar5File.replace('{kommunenummer}', '3218'),
  JSON.stringify({
    type: 'FeatureCollection',
    crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::25833' } },
    features: [{ type: 'Feature', properties: zones.farmland.properties, geometry: zones.farmland.geometry }],
  }),
);

function rules(wms: boolean) {
  const off = { enabled: false };
  return parseRules({
    lotScore: {
      constraints: {
        nationalLayers: {
          layers: {
            flomsoner: {
              url: `${nve.url}/Flomsoner2/MapServer/17`,
              coverage: { url: `${nve.url}/Flomsoner2/MapServer/0` },
            },
            kvikkleire: {
              url: `${nve.url}/SkredKvikkleire2/MapServer/0`,
              coverage: { url: `${nve.url}/KvikkleireskredAktsomhet/MapServer/1` },
            },
            kulturminner: {
              url: `${ra.url}/LokaliteterEnkeltminnerOgSikringssoner/collections/lokaliteter/items`,
            },
            ...Object.fromEntries(
              [
                'flomaktsomhet',
                'skredfaresoner',
                'skredaktsomhet',
                'jordflomskred',
                'sikringssoner',
                'kulturmiljoer',
                'verneomrader',
                'stoyVeg',
                'stoyBane',
              ].map((id) => [id, off]),
            ),
          },
          landbruk: {
            file: ar5File,
            wms: {
              enabled: wms,
              url: `${nibio.url}/cgi-bin/ar5`,
              cellM: 20,
              maxSamplesPerLot: 25,
              requestsPerSecond: 20,
            },
          },
        },
      },
    },
  });
}

const stageOf = (wms: boolean) =>
  new NationalLayersStage(
    { env: loadEnv({ source: {} }), rules: rules(wms), logger: createMemoryLogger(), db },
    {
      cache: null,
      lastGood: new LastGoodStore(path.join(dir, 'sources')),
      // NIBIO's 20 requests a second (the rules' ceiling) would make the 125 samples here 6 s;
      // the rate itself is ar5-wms.test's subject. Short retry delays for the 503s likewise.
      http: { rateLimit: { requests: 1_000, perMs: 1_000 }, minRetryDelayMs: 1, maxRetryDelayMs: 10 },
    },
    null,
  );

async function runKommune(kommunenummer: string, wms = true): Promise<ScoredLot[]> {
  const stage = stageOf(wms);
  const context = { rules: rules(wms) };
  const base = kommuneData({});
  const data: KommuneData = {
    ...base,
    kommune: { ...base.kommune, kommunenummer },
    boundary: polygon(rect(-200, -200, 1100, 300)),
  };
  try {
    const loaded = await stage.load(data);
    needsLotsOf.set(kommunenummer, stage.needsLots(kommunenummer));
    const lotList = Object.values(lots).map((l) => ({ ...l, kommunenummer }));
    const ready = await stage.beforeScoring(lotList, loaded.data);
    summaries.set(kommunenummer, ready.summary);
    return await scoreLots(lotList, {
      data: ready.data,
      kommune: { byggevilje: { value: 60, raw: null, year: null }, pricePerM2: null, centralityClass: null },
      rules: context.rules.lotScore,
      extraLayers: ready.data.nationalLayers,
    });
  } finally {
    await stage.close();
  }
}

beforeAll(async () => {
  nve = await startArcgisDouble({
    layers: {
      'Flomsoner2/MapServer/17': [zones.flood],
      'SkredKvikkleire2/MapServer/0': [zones.quickClay],
      // NVE's flood analysis area ends halfway across the free lot (x 850); quick clay is mapped everywhere.
      'Flomsoner2/MapServer/0': [row({ objektType: 'Analyseomrade' }, polygon(rect(-200, -200, 850, 300)))],
      'KvikkleireskredAktsomhet/MapServer/1': [
        row({ dekningstatus: 'grundigKartlagtMedFunn' }, polygon(rect(-200, -200, 1100, 300))),
      ],
    },
  });
  ra = await startOgcFeaturesDouble({
    collections: { 'LokaliteterEnkeltminnerOgSikringssoner/collections/lokaliteter': [zones.heritage] },
  });
  nibio = await startNibioWmsDouble([{ properties: { artype: 21 }, geometry: zones.farmland.geometry }]);
});
afterAll(async () => {
  db.close();
  await Promise.all([nve.close(), ra.close(), nibio.close()]);
});

describe('national layers through the pipeline stage into the lot score', () => {
  it('gives each lot the share an independent overlay finds, and a lower Konfliktfrihet', async () => {
    const scored = await runKommune('3218');
    expect(needsLotsOf.get('3218')).toBe(false); // farmland from the AR5 file
    const byMatrikkel = new Map(scored.map((l) => [l.matrikkelnummertekst, l]));
    const cases = [
      ['10/1', 'flom', zones.flood],
      ['10/2', 'kvikkleire', zones.quickClay],
      ['10/3', 'landbruk', zones.farmland],
      ['10/4', 'kulturminne', zones.heritage],
    ] as const;
    const konflikt = (lot: ScoredLot) => lot.score.factors.find((f) => f.key === 'konfliktfrihet')!.value!;
    const free = byMatrikkel.get('10/5')!;
    expect(konflikt(free)).toBe(1);
    for (const [matrikkel, key, zone] of cases) {
      const lot = byMatrikkel.get(matrikkel)!;
      const expected = independentShare(lot.geometry, zone.geometry);
      expect(expected).toBeGreaterThan(0.1);
      expect(expected).toBeLessThan(0.9);
      const constraint = lot.score.constraints.find((c) => c.key === key)!;
      expect(constraint.fraction, `${key} on ${matrikkel}`).toBeCloseTo(expected, 3);
      expect(konflikt(lot)).toBeCloseTo(1 - constraint.weight * expected, 3);
      expect(konflikt(lot)).toBeLessThan(konflikt(free));
      expect(lot.score.total).toBeLessThan(free.score.total);
    }
    expect(byMatrikkel.get('10/1')!.score.constraints.find((c) => c.key === 'flom')!.sources).toEqual([
      'NVE flomsone 200 år',
    ]);
    expect(scored.flatMap((l) => l.score.confidenceReasons).filter((r) => /ikke sjekket/.test(r))).toEqual(
      [],
    );
    expect(layerStatusesOf(db, '3218').map((s) => [s.layer, s.status])).toEqual([
      ['flomsoner', 'fetched'],
      ['flomsonerDekning', 'fetched'],
      ['kulturminner', 'fetched'],
      ['kvikkleire', 'fetched'],
      ['kvikkleireDekning', 'fetched'],
      ['landbruk', 'fetched'],
    ]);
    // Half the free lot lies outside NVE's flood mapping: not a hazard (Konfliktfrihet stays full), but said.
    expect(free.score.confidence).toBe('medium');
    expect(free.score.confidenceReasons[0]).toBe('NVE har ikke kartlagt flomfare for 50 % av tomten.');
    expect(free.score.explanation).toContain('Ikke kartlagt av NVE: flomsoner (50 % av tomten).');
    for (const lot of scored.filter((l) => l !== free)) {
      expect(lot.score.explanation).not.toContain('kartlagt');
      expect(lot.score.confidenceReasons.join(' ')).not.toContain('kartlagt');
    }
  });

  it('samples the WMS where there is no AR5 file, on the overlay where the zone follows the 20 m grid', async () => {
    const scored = await runKommune('3220');
    // Sampled at the lots: the nightly run cannot score them while the engine still finds others.
    expect(needsLotsOf.get('3220')).toBe(true);
    const lot = scored.find((l) => l.matrikkelnummertekst === '10/3')!;
    const fraction = lot.score.constraints.find((c) => c.key === 'landbruk')!.fraction;
    expect(fraction).toBeCloseTo(independentShare(lot.geometry, zones.farmland.geometry), 3);
    expect(layerStatusesOf(db, '3220').find((s) => s.layer === 'landbruk')!.cause).toBe(
      'NIBIO WMS GetFeatureInfo, 125 samples (cells from 20 m), 0 reused',
    );
  });

  it('a kommune whose quick-clay layer fails says so in confidence and text, and the run goes on', async () => {
    ra.inject({ kind: '503', times: 10 });
    nve.inject({ kind: 'html', match: /SkredKvikkleire2/ });
    const scored = await runKommune('3203', false);
    expect(scored).toHaveLength(5);
    for (const lot of scored) {
      expect(lot.score.confidence).toBe('medium');
      expect(lot.score.confidenceReasons).toContain(
        'Kvikkleire, kulturminner og dyrka mark er ikke sjekket fordi kartdataene ikke var tilgjengelige.',
      );
      expect(lot.score.explanation).toMatch(/kvikkleire, kulturminner og dyrka mark (er ikke sjekket|\.)/i);
    }
    // The flood layer still counted.
    expect(scored[0]!.score.constraints.find((c) => c.key === 'flom')!.fraction).toBeGreaterThan(0.1);
    const statuses = layerStatusesOf(db, '3203');
    expect(statuses.map((s) => [s.layer, s.status])).toEqual([
      ['flomsoner', 'fetched'],
      ['flomsonerDekning', 'fetched'],
      ['kulturminner', 'failed'],
      ['kvikkleire', 'failed'],
      ['landbruk', 'not-available'],
    ]);
    expect(statuses.find((s) => s.layer === 'kvikkleire')!.cause).toMatch(/html-error-page/);
    expect(summaries.get('3203')).toBe(
      'Kommune 3203: national layers 2 fetched, 2 failed (kvikkleire, kulturminner), 1 not-available (landbruk); farmland: not-available',
    );
    expect(summaries.get('3218')).toBe(
      'Kommune 3218: national layers 6 fetched; farmland: AR5 file ar5-3218.geojson',
    );
    expect(statuses.find((s) => s.layer === 'kulturminner')!.cause).toMatch(/HTTP 503/);
  });
});

describe("the layers' version for the next night's run", () => {
  it('is known without asking once every layer is kept, and moves with each kept copy', async () => {
    const stage = stageOf(true);
    try {
      await runKommune('3220');
      const version = stage.keptVersion('3220');
      expect(version).toMatch(
        /^flomsoner@.*;flomsonerDekning@.*;kvikkleire@.*;kvikkleireDekning@.*;kulturminner@.*;landbruk-wms@/,
      );
      expect(stage.keptVersion('3220')).toBe(version);
      // Every copy the run kept counts: a newer fetch of any one of them gives another version.
      const store = new LastGoodStore(path.join(dir, 'sources'));
      const parts = readdirSync(path.join(dir, 'sources', '3220')).map((f) => f.replace('.json.gz', ''));
      expect(parts.sort()).toEqual([
        'national-flomsoner',
        'national-flomsonerDekning',
        'national-kulturminner',
        'national-kvikkleire',
        'national-kvikkleireDekning',
        'national-landbruk-wms',
      ]);
      let previous = version;
      for (const part of parts) {
        const kept = store.load<unknown>('3220', part as `national-${string}`)!;
        store.save({ ...kept, savedAt: new Date(Date.parse(kept.savedAt) + 1000).toISOString() });
        const next = stage.keptVersion('3220');
        expect(next, part).not.toBeNull();
        expect(next, part).not.toBe(previous);
        previous = next;
      }
    } finally {
      await stage.close();
    }
  });

  it('is unknown while a layer has no kept copy (it failed, or was never fetched), so the kommune is read again', async () => {
    const stage = stageOf(false);
    try {
      expect(stage.keptVersion('3203')).toBeNull(); // its quick-clay and heritage layers failed above
      expect(stage.keptVersion('4601')).toBeNull();
    } finally {
      await stage.close();
    }
  });
});
