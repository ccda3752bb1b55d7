import { describe, expect, it } from 'vitest';
import {
  countCells,
  dataUrl,
  encodeValueCodes,
  halveQuery,
  missingMandatory,
  normaliseQuery,
  postBody,
  splitQuery,
  type SsbQuery,
} from '../../../../sync/src/sources/ssb/query.js';

const kommuner = Array.from({ length: 357 }, (_, i) => `K-${String(100 + i).padStart(4, '0')}`);

describe('PxWebApi v2 queries', () => {
  it('drops duplicate value codes (SSB answers 500 with an empty body to one), case-insensitively', () => {
    const q = normaliseQuery({
      selection: [
        { variableCode: 'Region', valueCodes: ['K-0301', 'K-0301', 'k-0301', 'K-4601'] },
        { variableCode: 'region', valueCodes: ['K-4601', 'K-5001'] },
        { variableCode: 'Tid', valueCodes: ['2026', 'top(1)'] },
      ],
    });
    expect(q.selection).toEqual([
      { variableCode: 'Region', valueCodes: ['K-0301', 'K-4601', 'K-5001'] },
      { variableCode: 'Tid', valueCodes: ['2026', 'top(1)'] },
    ]);
  });

  it('brackets expressions holding a comma in a GET URL, and only those', () => {
    expect(encodeValueCodes(['2020', 'range(2020,2022)', 'top(5)', '[top(2,1)]'])).toBe(
      '2020,[range(2020,2022)],top(5),[top(2,1)]',
    );
    const url = dataUrl(
      'https://data.ssb.no/api/pxwebapi/v2/',
      '07459',
      { lang: 'no' },
      {
        selection: [
          {
            variableCode: 'Region',
            valueCodes: ['K-3103'],
            codelist: 'agg_KommSummer',
            outputValues: 'aggregated',
          },
          { variableCode: 'ContentsCode', valueCodes: ['Personer1'] },
          { variableCode: 'Tid', valueCodes: ['range(2020,2022)'] },
        ],
      },
    );
    expect(url).toBe(
      'https://data.ssb.no/api/pxwebapi/v2/tables/07459/data?lang=no&valueCodes[Region]=K-3103&codelist[Region]=agg_KommSummer' +
        '&outputValues[Region]=aggregated&valueCodes[ContentsCode]=Personer1&valueCodes[Tid]=[range(2020,2022)]',
    );
  });

  it('writes the POST body as the user guide shows: selection of variableCode, codelist, valueCodes', () => {
    expect(
      JSON.parse(
        postBody({
          selection: [
            {
              variableCode: 'Region',
              codelist: 'agg_KommSummer',
              valueCodes: ['K-3103'],
              outputValues: 'aggregated',
            },
          ],
        }),
      ),
    ).toEqual({
      selection: [{ variableCode: 'Region', codelist: 'agg_KommSummer', valueCodes: ['K-3103'] }],
    });
  });

  it('names the never-eliminable variables a query leaves out', () => {
    expect(missingMandatory({ selection: [{ variableCode: 'Region', valueCodes: ['0301'] }] })).toEqual([
      'ContentsCode',
      'Tid',
    ]);
    expect(
      missingMandatory({
        selection: [
          { variableCode: 'contentscode', valueCodes: ['x'] },
          { variableCode: 'TID', valueCodes: ['2026'] },
        ],
      }),
    ).toEqual([]);
  });

  it('counts cells (empty ones too) and splits a query to stay under the limit, along its largest selection', () => {
    const query: SsbQuery = {
      selection: [
        { variableCode: 'Region', valueCodes: kommuner },
        { variableCode: 'ContentsCode', valueCodes: ['KvPris', 'Omsetninger'] },
        { variableCode: 'Tid', valueCodes: ['2019', '2020', '2023', '2024', '2025'] },
      ],
    };
    expect(countCells(query)).toBe(357 * 2 * 5);
    const parts = splitQuery(query, 1_000);
    expect(parts.every((p) => countCells(p) <= 1_000)).toBe(true);
    expect(parts.flatMap((p) => p.selection[0]!.valueCodes)).toEqual(kommuner);
    expect(parts).toHaveLength(Math.ceil(357 / 100));
    expect(splitQuery(query, 800_000)).toEqual([query]);
    const [a, b] = halveQuery(query)!;
    expect(a.selection[0]!.valueCodes).toHaveLength(179);
    expect(b.selection[0]!.valueCodes).toHaveLength(178);
    expect(() => splitQuery({ selection: [{ variableCode: 'Tid', valueCodes: ['*'] }] }, 0)).toThrow(
      /cannot be split/,
    );
  });
});
