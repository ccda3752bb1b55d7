import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JsonStatError, readJsonStat } from '../../../../sync/src/sources/ssb/jsonstat.js';
import { readSsbMetadata } from '../../../../sync/src/sources/ssb/metadata.js';

/** Three dimensions (2 × 3 × 2), the category index given out of order as SSB does for Kjonn in 05810. */
const threeDims = {
  version: '2.0',
  class: 'dataset',
  id: ['Region', 'Kjonn', 'Tid'],
  size: [2, 3, 2],
  role: { time: ['Tid'], geo: ['Region'] },
  dimension: {
    Region: {
      label: 'region',
      category: { index: { '0301': 0, '4601': 1 }, label: { '0301': 'Oslo', '4601': 'Bergen' } },
    },
    Kjonn: {
      label: 'kjønn',
      category: { index: { '0': 0, '1': 2, '2': 1 }, label: { '0': 'Begge', '1': 'Menn', '2': 'Kvinner' } },
    },
    Tid: { label: 'år', category: { index: ['2025', '2026'] } },
  },
  // flat index = region·6 + kjønn position·2 + tid
  value: [10, 11, 20, 21, 30, 31, 40, 41, 50, 51, 60, 61],
};

describe('JSON-stat 2.0 reader', () => {
  it('reads row-major values over id/size, whatever order the index object is written in', () => {
    const ds = readJsonStat(threeDims);
    expect(ds.ids).toEqual(['Region', 'Kjonn', 'Tid']);
    expect(ds.dimensions.Kjonn!.categories.map((c) => c.code)).toEqual(['0', '2', '1']);
    // Kjonn "1" (Menn) sits at position 2: Oslo·6 + 2·2 + 2026(1) = 5 → 31
    expect(ds.cell({ Region: '0301', Kjonn: '1', Tid: '2026' })).toEqual({ value: 31 });
    // Bergen·6 + Kvinner(position 1)·2 + 2025(0) = 8 → 50
    expect(ds.cell({ Region: '4601', Kjonn: '2', Tid: '2025' })!.value).toBe(50);
    expect(ds.cell({ Region: '9999', Kjonn: '1', Tid: '2026' })).toBeUndefined();
    const all = [...ds.observations()];
    expect(all).toHaveLength(12);
    expect(all[5]).toEqual({ coords: { Region: '0301', Kjonn: '1', Tid: '2026' }, cell: { value: 31 } });
    expect(ds.role).toEqual({ time: ['Tid'], geo: ['Region'], metric: [] });
  });

  it('turns SSB status symbols into missing reasons; "-" is a true zero and "*" a preliminary figure', () => {
    const ds = readJsonStat({
      version: '2.0',
      class: 'dataset',
      id: ['Region', 'ContentsCode', 'Tid'],
      size: [7, 1, 1],
      dimension: {
        Region: { category: { index: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] } },
        ContentsCode: { category: { index: { KvPris: 0 }, label: { KvPris: 'Kvadratmeterpris' } } },
        Tid: { category: { index: { '2025': 0 } } },
      },
      value: [null, null, null, null, null, 41250, null],
      status: { '0': '.', '1': '..', '2': ':', '3': '...', '4': '-', '5': '*' },
    });
    const at = (r: string) => ds.cell({ Region: r, ContentsCode: 'KvPris', Tid: '2025' });
    expect(at('a')).toEqual({ value: null, status: '.', missing: 'not-applicable' });
    expect(at('b')).toEqual({ value: null, status: '..', missing: 'not-available' });
    expect(at('c')).toEqual({ value: null, status: ':', missing: 'confidential' });
    expect(at('d')).toEqual({ value: null, status: '...', missing: 'not-yet-available' });
    expect(at('e')).toEqual({ value: 0, status: '-' });
    expect(at('f')).toEqual({ value: 41250, status: '*', preliminary: true });
    expect(at('g')).toEqual({ value: null, missing: 'unknown' });
  });

  it('reads status as one string or an array, values as a sparse object, and a one-category dimension without index', () => {
    const sparse = readJsonStat({
      version: '2.0',
      class: 'dataset',
      id: ['ContentsCode', 'Tid'],
      size: [1, 3],
      dimension: {
        ContentsCode: { category: { label: { Personer1: 'Personer' } } },
        Tid: { category: { index: ['2024', '2025', '2026'] } },
      },
      value: { '0': 5, '2': 7 },
      status: [null, '..', null],
    });
    expect([0, 1, 2].map((i) => sparse.cellAt(i))).toEqual([
      { value: 5 },
      { value: null, status: '..', missing: 'not-available' },
      { value: 7 },
    ]);
    expect(sparse.cell({ Tid: '2026' })!.value).toBe(7);
    const confidential = readJsonStat({
      version: '2.0',
      class: 'dataset',
      id: ['Tid'],
      size: [2],
      dimension: { Tid: { category: { index: ['2024', '2025'] } } },
      value: [null, null],
      status: ':',
    });
    expect(confidential.cellAt(1)).toEqual({ value: null, status: ':', missing: 'confidential' });
  });

  it('reads a v1-API json-stat2 response: 07459 Oslo, top(5) years (janbrus json-stat2.md)', () => {
    const ds = readJsonStat({
      version: '2.0',
      class: 'dataset',
      label: '07459: Befolkning, etter region og år',
      source: 'Statistisk sentralbyrå',
      updated: '2026-02-25T07:00:00Z',
      id: ['Region', 'ContentsCode', 'Tid'],
      size: [1, 1, 5],
      dimension: {
        Region: { label: 'region', category: { index: { '0301': 0 }, label: { '0301': 'Oslo - Oslove' } } },
        ContentsCode: {
          label: 'statistikkvariabel',
          category: {
            index: { Personer1: 0 },
            label: { Personer1: 'Personer' },
            unit: { Personer1: { base: 'personer', decimals: 0 } },
          },
        },
        Tid: { label: 'år', category: { index: { '2022': 0, '2023': 1, '2024': 2, '2025': 3, '2026': 4 } } },
      },
      value: [699827, 709037, 717710, 724290, 728714],
      role: { time: ['Tid'], geo: ['Region'], metric: ['ContentsCode'] },
    });
    expect(ds.cell({ Region: '0301', ContentsCode: 'Personer1', Tid: '2026' })!.value).toBe(728714);
    expect(ds.dimensions.ContentsCode!.categories[0]!.unit).toEqual({ base: 'personer', decimals: 0 });
    expect(ds.label).toBe('07459: Befolkning, etter region og år');
  });

  it('rejects what is not a consistent dataset', () => {
    expect(() => readJsonStat({ ...threeDims, class: 'collection' })).toThrow(JsonStatError);
    expect(() => readJsonStat({ ...threeDims, size: [2, 3, 3] })).toThrow(/categories but size/);
    expect(() => readJsonStat({ ...threeDims, value: [1, 2, 3] })).toThrow(
      /value has 3 cells but size implies 12/,
    );
    expect(() => readJsonStat({ ...threeDims, id: ['Region', 'Kjonn'] })).toThrow(/id has 2 entries/);
  });

  it('reads the PxWebApi v2 user guide metadata example (05810): order, elimination, roles, codelists', () => {
    // The guide line-wraps two strings; join them to read the example.
    const text = readFileSync(
      new URL(
        '../../../fixtures/reference/ssb/pxtools-userguide-v2-metadata-05810.example.json',
        import.meta.url,
      ),
      'utf8',
    ).replace(/"[^"]*"/gs, (s) => s.replace(/\s*\n\s*/g, ' '));
    const meta = readSsbMetadata(JSON.parse(text), '05810');
    expect(meta.variables.map((v) => [v.code, v.elimination, v.role])).toEqual([
      ['Kjonn', true, 'other'],
      ['Alder', true, 'other'],
      ['ContentsCode', false, 'metric'],
      ['Tid', false, 'time'],
    ]);
    expect(meta.variable('kjonn')!.values.map((v) => v.code)).toEqual(['0', '2', '1']);
    expect(meta.time.values).toHaveLength(49);
    expect(meta.time.values.at(-1)).toEqual({ code: '2025', label: '2025' });
    expect(meta.contents.values).toEqual([{ code: 'Personer', label: 'Persons' }]);
    expect(meta.region).toBeUndefined();
    expect(meta.dataset.note[0]).toMatch(/^Until 1990 the figures correspond per 31 Desember/);
  });
});
