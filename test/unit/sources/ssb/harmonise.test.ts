import { describe, expect, it } from 'vitest';
import { bundledKommuneChanges } from '../../../../sync/src/sources/ssb/bundled.js';
import { harmoniseRegions, successorsOf } from '../../../../sync/src/sources/ssb/harmonise.js';

// From the bundled mapping (KLASS 131 and 14288): Ski 0213 + Oppegård 0217 → Nordre Follo 3020
// (2020) → 3207 (2024); Våler 3018 → 3114 (2024); Snillfjord 5012 split into Heim, Hitra, Orkland.
const changes = bundledKommuneChanges();
const current = new Set(['3207', '5055', '5056', '5059', '3114', '0301']);

describe('harmonising kommunenummer onto today’s kommuner', () => {
  it('follows the changes to today’s code; a split has several successors', () => {
    expect(successorsOf('0213', changes, current)).toEqual(['3207']);
    expect(successorsOf('3018', changes, current)).toEqual(['3114']);
    expect(successorsOf('0301', changes, current)).toEqual(['0301']);
    const split = ['5055', '5056', '5059'].map((newCode) => ({
      oldCode: '5012',
      newCode,
      changeOccurred: '2020-01-01',
    }));
    expect(successorsOf('5012', split, current).sort()).toEqual(['5055', '5056', '5059']);
    expect(harmoniseRegions(new Map([['5012', 980]]), current, split, 'sum').size).toBe(0);
    expect(successorsOf('5012', changes, current).sort()).toEqual(['5055', '5056', '5059']);
  });

  it('sums counts of merged kommuner, drops a split, and keeps levels only across a pure renumbering', () => {
    const values = new Map<string, number | null>([
      ['0213', 31_000],
      ['0217', 27_000],
      ['3018', 5_600],
      ['0301', null],
    ]);
    const summed = harmoniseRegions(values, current, changes, 'sum');
    expect(summed.get('3207')).toEqual({ value: 58_000, sources: ['0213', '0217'] });
    expect(summed.get('3114')).toEqual({ value: 5_600, sources: ['3018'] });
    expect(summed.has('0301')).toBe(false);
    const levels = harmoniseRegions(values, current, changes, 'renumber-only');
    expect(levels.has('3207')).toBe(false);
    expect(levels.get('3114')!.value).toBe(5_600);
  });
});
