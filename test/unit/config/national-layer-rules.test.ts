import { describe, expect, it } from 'vitest';
import { defaultRules, parseRules } from '../../../sync/src/config/rules.js';
import { NATIONAL_LAYERS } from '../../../sync/src/sources/national/catalogue.js';
import { ConfigError } from '../../../sync/src/util/errors.js';

const national = (value: unknown) =>
  parseRules({ lotScore: { constraints: { nationalLayers: value } } }, 'rules.json');
const refusal = (value: unknown) => {
  try {
    national(value);
    return 'accepted';
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
};

describe('lotScore.constraints.nationalLayers', () => {
  it('is on by default, keyless, for every layer of the catalogue, each mapped onto a known constraint type', () => {
    const rules = defaultRules().lotScore.constraints;
    const layers = rules.nationalLayers.layers;
    expect(Object.keys(layers)).toEqual(NATIONAL_LAYERS.map((l) => l.id));
    expect(
      Object.entries(layers)
        .filter(([, l]) => !l.enabled)
        .map(([id]) => id),
    ).toEqual([]);
    expect(
      Object.values(layers).every((l) => l.url.startsWith('https://') && !/key|token/i.test(l.url)),
    ).toBe(true);
    expect([
      rules.nationalLayers.enabled,
      rules.nationalLayers.refreshDays,
      rules.nationalLayers.landbruk.wms.enabled,
    ]).toEqual([true, 7, true]);
    const keys = NATIONAL_LAYERS.flatMap((l) => [
      l.constraintOf({}),
      l.constraintOf({ vernetype: 'IKKEV' }),
      l.constraintOf({ STØYSONEKATEGORI: 'R' }),
      l.constraintOf({ stoysonekategori: 'g' }),
    ]).filter((k): k is string => k !== null);
    expect(keys.filter((k) => !(k in rules.types))).toEqual([]);
  });

  it('switches one layer off or moves it, and refuses what it cannot use, naming the key', () => {
    const rules = national({
      layers: {
        kvikkleire: { enabled: false },
        flomsoner: { url: 'https://nve.example/Flomsoner2/MapServer/17', epsg: 25832 },
      },
    });
    const layers = rules.lotScore.constraints.nationalLayers.layers;
    expect(layers.kvikkleire.enabled).toBe(false);
    expect(layers.flomsoner).toEqual({
      enabled: true,
      url: 'https://nve.example/Flomsoner2/MapServer/17',
      epsg: 25832,
      coverage: { enabled: true, url: 'https://kart.nve.no/enterprise/rest/services/Flomsoner2/MapServer/0' },
    });
    expect(refusal({ layers: { flomsoner: { coverage: { url: 'nve' } } } })).toMatch(
      /flomsoner\.coverage\.url/,
    );
    expect(refusal({ layers: { verneomrader: { coverage: { enabled: false } } } })).toMatch(
      /layers\.verneomrader/,
    );
    expect(refusal({ layers: { flomsoner: { epsg: 4326 } } })).toMatch(
      /lotScore\.constraints\.nationalLayers\.layers\.flomsoner\.epsg/,
    );
    expect(refusal({ layers: { radon: { enabled: true } } })).toMatch(/nationalLayers\.layers/);
    expect(refusal({ layers: { flomsoner: { url: 'ftp://x' } } })).toMatch(/flomsoner\.url/);
    expect(refusal({ refreshDays: -1 })).toMatch(/nationalLayers\.refreshDays/);
  });

  it('reads each NVE hazard layer with its coverage layer, on the same service (national-layers.md §1)', () => {
    const layers = defaultRules().lotScore.constraints.nationalLayers.layers;
    const coverage = Object.fromEntries(
      Object.entries(layers).flatMap(([id, l]) => ('coverage' in l ? [[id, l.coverage.url]] : [])),
    );
    const nve = 'https://kart.nve.no/enterprise/rest/services';
    expect(coverage).toEqual({
      flomsoner: `${nve}/Flomsoner2/MapServer/0`,
      flomaktsomhet: `${nve}/Flomaktsomhet/MapServer/2`,
      kvikkleire: `${nve}/KvikkleireskredAktsomhet/MapServer/1`,
      skredfaresoner: `${nve}/Skredfaresoner3/MapServer/0`,
      skredaktsomhet: `${nve}/SkredSnoSteinAkt/MapServer/1`,
    });
    expect(NATIONAL_LAYERS.filter((l) => l.coverage).map((l) => l.id)).toEqual(Object.keys(coverage));
    expect(NATIONAL_LAYERS.filter((l) => l.coverage?.clip).map((l) => l.id)).toEqual(['flomaktsomhet']);
  });

  it('sorts quick-clay zones by status and heritage by protection', () => {
    const of = (id: string) => NATIONAL_LAYERS.find((l) => l.id === id)!;
    expect([
      of('kvikkleire').constraintOf({ statusskredomr: 1 }),
      of('kvikkleire').constraintOf({ statusskredomr: 0 }),
      of('kvikkleire').constraintOf({}),
    ]).toEqual(['kvikkleire', null, 'kvikkleire']);
    expect([
      of('kulturminner').constraintOf({ vernetype: 'AUT' }),
      of('kulturminner').constraintOf({ vernetype: 'IKKEV' }),
    ]).toEqual(['kulturminne', 'kulturmiljo']);
    expect([
      of('stoyVeg').constraintOf({ STØYSONEKATEGORI: 'R' }),
      of('stoyVeg').constraintOf({ STOYSONEKATEGORI: 'G' }),
      of('stoyVeg').constraintOf({ STØYSONEKATEGORI: 'X' }),
      of('stoyBane').constraintOf({ støysonekategori: 'R' }),
      of('stoyBane').constraintOf({ støysonekategori: 'gulSone' }),
      of('stoyBane').constraintOf({ støysonekategori: null }),
    ]).toEqual(['stoyRod', 'stoyGul', null, 'stoyRod', 'stoyGul', null]);
  });
  it.each([
    ['refreshDays', -1, 366, [0, 365]],
    ['timeoutMs', 999, 600_001, [1_000, 600_000]],
    ['maxRetries', -1, 7, [0, 6]],
    ['pageSize', 9, 5_001, [10, 5_000]],
    ['landbruk.wms.cellM', 4.5, 501, [5, 500]],
    ['landbruk.wms.maxSamplesPerLot', 0, 101, [1, 100]],
    ['landbruk.wms.maxSamplesPerKommune', 0, 200_001, [1, 200_000]],
    ['landbruk.wms.requestsPerSecond', 0.09, 20.5, [0.1, 20]],
  ] as Array<[string, number, number, number[]]>)(
    '%s: refuses %d and %d, accepts %j',
    (path, below, above, fine) => {
      const at = (value: unknown) =>
        path
          .split('.')
          .reverse()
          .reduce<unknown>((inner, key) => ({ [key]: inner }), value);
      const named = new RegExp(`nationalLayers\\.${path.replaceAll('.', '\\.')}: `);
      expect(refusal(at(below))).toMatch(named);
      expect(refusal(at(above))).toMatch(named);
      for (const value of fine) expect(refusal(at(value))).toBe('accepted');
    },
  );

  it('takes http and https URLs only, for layers, coverage and the farmland WMS', () => {
    const urls = (url: string) => [
      { layers: { stoyVeg: { url } } },
      { layers: { flomsoner: { coverage: { url } } } },
      { landbruk: { wms: { url } } },
    ];
    for (const value of [...urls('http://kart.example/x'), ...urls('https://kart.example/x')])
      expect(refusal(value)).toBe('accepted');
    for (const bad of ['ftp://kart.example/x', 'git+https://kart.example/x', 'https+x://kart.example/x'])
      for (const value of urls(bad)) expect(refusal(value)).toMatch(/\.url: /);
  });

  it('checks the farmland settings: a file name, a WMS layer and at least one area type', () => {
    const landbruk = (value: unknown) => refusal({ landbruk: value });
    expect(
      landbruk({ file: 'ar5/{kommunenummer}.gpkg', wms: { layer: 'Arealtype' }, arealtyper: [21, 22] }),
    ).toBe('accepted');
    expect(landbruk({ file: '' })).toMatch(/landbruk\.file/);
    expect(landbruk({ wms: { layer: '' } })).toMatch(/landbruk\.wms\.layer/);
    expect(landbruk({ arealtyper: [] })).toMatch(/landbruk\.arealtyper/);
    expect(landbruk({ arealtyper: [21.5] })).toMatch(/landbruk\.arealtyper\.0/);
  });
});
