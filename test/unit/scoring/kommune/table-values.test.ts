import { describe, expect, it } from 'vitest';
import { readJsonStat } from '../../../../sync/src/sources/ssb/jsonstat.js';
import type { TablePlan } from '../../../../sync/src/scoring/kommune/table-plan.js';
import { readTableValues } from '../../../../sync/src/scoring/kommune/table-values.js';
import { jsonStat } from './json-stat.js';

/** Table 01180-like: votes per party, with Region codes valid in the election year (no agg_KommSummer). */
function electionPlan(overrides: Partial<TablePlan> = {}): TablePlan {
  return {
    tableId: '01180',
    query: { selection: [] },
    regionVariable: 'Region',
    regionMode: 'harmonise',
    regionCodes: {},
    harmonise: 'sum',
    timeVariable: 'Tid',
    contentsVariable: 'ContentsCode',
    measures: { votes: 'Godkjente1' },
    periods: ['2019'],
    all: {},
    fixed: {},
    spread: {},
    ...overrides,
  };
}

// Trondheim 1601 and Klæbu 1663 became 5001 on 2020-01-01; Ås kept 3218 until 2024's renumbering.
const trondheimMerger = [
  { oldCode: '1601', newCode: '5001', changeOccurred: '2020-01-01' },
  { oldCode: '1663', newCode: '5001', changeOccurred: '2020-01-01' },
];

function votes2019(values: number[]) {
  return readJsonStat(
    jsonStat(
      [
        {
          code: 'Region',
          values: [
            ['1601', 'Trondheim (-2017)'],
            ['1663', 'Klæbu (-2019)'],
            ['3218', 'Ås'],
          ],
        },
        { code: 'ContentsCode', values: [['Godkjente1', 'Godkjente stemmer']] },
        { code: 'Tid', values: [['2019', '2019']] },
      ],
      values,
    ),
  );
}

describe('a fetched SSB table read per kommune', () => {
  it('sums the figures of merged kommuner into today’s kommune and keeps a kommune that did not change', () => {
    const values = readTableValues(electionPlan(), [votes2019([110_000, 4_000, 11_000])], {
      kommuner: ['5001', '3218'],
      changes: trondheimMerger,
    });
    expect(values.get('5001', { measure: 'votes', period: '2019' })).toEqual({ value: 114_000 });
    expect(values.get('3218', { measure: 'votes', period: '2019' })).toEqual({ value: 11_000 });
  });

  it('leaves today’s kommune without a figure when its predecessors’ changes are not known', () => {
    const values = readTableValues(electionPlan(), [votes2019([110_000, 4_000, 11_000])], {
      kommuner: ['5001', '3218'],
      changes: [],
    });
    expect(values.get('5001', { measure: 'votes', period: '2019' })).toEqual({
      value: null,
      missing: 'not-in-extract',
    });
  });

  it('answers "not in the extract" for a period or a measure the table did not bring, and for no table at all', () => {
    const values = readTableValues(electionPlan(), [votes2019([110_000, 4_000, 11_000])], {
      kommuner: ['5001', '3218'],
      changes: trondheimMerger,
    });
    const notInExtract = { value: null, missing: 'not-in-extract' };
    expect(values.get('3218', { measure: 'votes', period: '2023' })).toEqual(notInExtract);
    expect(values.get('3218', { measure: 'turnout', period: '2019' })).toEqual(notInExtract);
    const none = readTableValues(electionPlan(), [], { kommuner: ['3218'], changes: [] });
    expect(none.get('3218', { measure: 'votes', period: '2019' })).toEqual(notInExtract);
  });
});
