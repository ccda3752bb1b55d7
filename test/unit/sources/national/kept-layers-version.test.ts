import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../../sync/src/config/rules.js';
import { LastGoodStore } from '../../../../sync/src/sources/last-good-store.js';
import { keptNationalLayersVersion } from '../../../../sync/src/sources/national/kept-layers-version.js';

// 3203 falls due at 12:00 UTC on 6 and 13 December 2026 (every 7 days, kept-fetch.ts).
const NOW = new Date('2026-12-13T02:00:00Z');
const daysBefore = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

/** Only flood zones and quick clay switched on, farmland from the WMS unless said otherwise. */
function rules(changes: { enabled?: boolean; landbrukFile?: string } = {}) {
  const layers = Object.fromEntries(
    ['flomaktsomhet', 'skredfaresoner', 'skredaktsomhet', 'jordflomskred', 'kulturminner', 'sikringssoner']
      .concat(['kulturmiljoer', 'verneomrader', 'stoyVeg', 'stoyBane'])
      .map((id) => [id, { enabled: false }]),
  );
  return parseRules({
    lotScore: {
      constraints: {
        nationalLayers: {
          enabled: changes.enabled ?? true,
          layers,
          landbruk: changes.landbrukFile ? { file: changes.landbrukFile } : {},
        },
      },
    },
  }).lotScore.constraints.nationalLayers;
}

function storeWith(parts: Record<string, string>) {
  const store = new LastGoodStore(mkdtempSync(path.join(tmpdir(), 'kept-')));
  for (const [part, savedAt] of Object.entries(parts))
    store.save({
      kommunenummer: '3203',
      part: part as `national-${string}`,
      source: `national:${part}`,
      coverage: 'covered',
      savedAt,
      data: [],
    });
  return store;
}

describe('keptNationalLayersVersion', () => {
  it("names each layer's kept fetch when all are fresh, and is null when one would be fetched", () => {
    const fresh = {
      'national-flomsoner': daysBefore(1),
      'national-flomsonerDekning': daysBefore(1),
      'national-kvikkleire': daysBefore(6),
      'national-kvikkleireDekning': daysBefore(6),
      'national-landbruk-wms': daysBefore(2),
    };
    const version = keptNationalLayersVersion('3203', { rules: rules(), store: storeWith(fresh), now: NOW });
    expect(version).toBe(
      [
        `flomsoner@${fresh['national-flomsoner']}`,
        `flomsonerDekning@${fresh['national-flomsonerDekning']}`,
        `kvikkleire@${fresh['national-kvikkleire']}`,
        `kvikkleireDekning@${fresh['national-kvikkleireDekning']}`,
        `landbruk-wms@${fresh['national-landbruk-wms']}`,
      ].join(';'),
    );
    // The coverage is asked for with its layer: without a kept coverage the layer is read again.
    const { ['national-flomsonerDekning']: _coverage, ...noCoverage } = fresh;
    expect(
      keptNationalLayersVersion('3203', { rules: rules(), store: storeWith(noCoverage), now: NOW }),
    ).toBeNull();
    // Under 7 days old, but fetched before the kommune's point at noon on 6 December: due.
    const stale = { ...fresh, 'national-kvikkleire': daysBefore(6.6) };
    expect(
      keptNationalLayersVersion('3203', { rules: rules(), store: storeWith(stale), now: NOW }),
    ).toBeNull();
    const { ['national-landbruk-wms']: _, ...noSamples } = fresh;
    expect(
      keptNationalLayersVersion('3203', { rules: rules(), store: storeWith(noSamples), now: NOW }),
    ).toBeNull();
    expect(keptNationalLayersVersion('3203', { rules: rules(), store: null, now: NOW })).toBeNull();
  });

  it("reads farmland from the customer's AR5 file by its size and time, and says 'off' when layers are off", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ar5-'));
    const file = path.join(dir, 'ar5-{kommunenummer}.geojson');
    writeFileSync(file.replace('{kommunenummer}', '3203'), '{"type":"FeatureCollection","features":[]}');
    const store = storeWith({
      'national-flomsoner': daysBefore(1),
      'national-flomsonerDekning': daysBefore(1),
      'national-kvikkleire': daysBefore(1),
      'national-kvikkleireDekning': daysBefore(1),
    });
    const version = keptNationalLayersVersion('3203', {
      rules: rules({ landbrukFile: file }),
      store,
      now: NOW,
    });
    expect(version).toMatch(/;landbruk .*ar5-3203\.geojson 42 \d/);
    expect(keptNationalLayersVersion('3203', { rules: rules({ enabled: false }), store: null })).toBe('off');
  });

  it('versions the bundled sample by its layer files, so regenerating them forces a rerun', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sample-'));
    mkdirSync(path.join(dir, 'layers'));
    writeFileSync(path.join(dir, 'layers', 'flomsoner.json'), '{}');
    const bundled = { kommunenummer: '3218', dir };
    const before = keptNationalLayersVersion('3218', { rules: rules(), store: null, bundled });
    writeFileSync(path.join(dir, 'layers', 'flomsoner.json'), '{"features":[]}');
    const after = keptNationalLayersVersion('3218', { rules: rules(), store: null, bundled });
    expect(before).toMatch(/^bundled .*flomsoner\.json 2 /);
    expect(after).not.toBe(before);
  });
});

describe('LastGoodStore.savedAtOf', () => {
  it('reads when a copy was fetched from the head of a large file, as load would', () => {
    const store = new LastGoodStore(mkdtempSync(path.join(tmpdir(), 'kept-')));
    // 200,000 random-ish coordinates: far more than the head read, compressed.
    const data = Array.from({ length: 200_000 }, (_, i) => [(i * 7919) % 100_003, (i * 104_729) % 65_537]);
    const entry = {
      kommunenummer: '3203',
      part: 'national-kvikkleire' as const,
      source: 'national:kvikkleire',
      coverage: 'covered' as const,
      savedAt: '2026-12-06T01:02:03.456Z',
      data,
    };
    store.save(entry);
    expect(store.savedAtOf('3203', 'national-kvikkleire')).toBe(entry.savedAt);
    expect(store.load('3203', 'national-kvikkleire')!.savedAt).toBe(entry.savedAt);
    expect(store.savedAtOf('3203', 'national-flomsoner')).toBeNull();
  });

  it('is null for a damaged file or one kept under another kommune, as load is', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kept-'));
    const store = new LastGoodStore(dir);
    mkdirSync(path.join(dir, '3203'));
    writeFileSync(path.join(dir, '3203', 'national-flomsoner.json.gz'), 'not gzip');
    expect(store.savedAtOf('3203', 'national-flomsoner')).toBeNull();
    const other = {
      kommunenummer: '3218',
      part: 'national-flomsoner',
      savedAt: '2026-12-06T00:00:00Z',
      data: [],
    };
    writeFileSync(path.join(dir, '3203', 'national-flomsoner.json.gz'), gzipSync(JSON.stringify(other)));
    expect(store.savedAtOf('3203', 'national-flomsoner')).toBeNull();
    expect(store.load('3203', 'national-flomsoner')).toBeNull();
  });
});
