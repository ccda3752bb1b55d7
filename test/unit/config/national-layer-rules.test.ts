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
});
