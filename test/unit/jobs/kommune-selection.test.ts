import { describe, expect, it } from 'vitest';
import type { KommunePin } from '../../../sync/src/domain/kommune.js';
import { selectKommuner, type SelectionInput } from '../../../sync/src/jobs/kommune-selection.js';
import { ConfigError } from '../../../sync/src/util/errors.js';
import { frozenRanking } from '../../fixtures/kommune-selection/ranking.js';

const ranking = frozenRanking();
const flagged = ranking.kommuner.filter((k) => k.top);

/** The inputs of a night with sources configured, the frozen ranking, no KOMMUNER and no pins. */
const night = (extra: Partial<SelectionInput> = {}): SelectionInput => ({
  ranking,
  topN: 50,
  pins: new Map(),
  sampleKommune: null,
  ...extra,
});
const pins = (entries: Array<[string, KommunePin]>) => new Map(entries);
const numbers = (list: Array<{ kommunenummer: string }>) => list.map((k) => k.kommunenummer);
const find = (list: Array<{ kommunenummer: string; reasons: string[] }>, nr: string) =>
  list.find((k) => k.kommunenummer === nr);

describe('the nightly run’s kommuner (selectKommuner)', () => {
  it('covers the ranking’s top 50 by rank, each with its rank as the reason', () => {
    const selection = selectKommuner(night());
    expect(selection.kommuner).toHaveLength(50);
    expect(numbers(selection.kommuner)).toEqual(numbers(flagged));
    expect(selection.kommuner[0]).toEqual({
      kommunenummer: '1144',
      navn: 'Kvitsøy',
      rank: 1,
      reasons: ['top 50 (rank 1)'],
    });
    expect(find(selection.kommuner, '3218')!.reasons).toEqual(['top 50 (rank 34)']);
    // The flag decides, not the rank: Utsira (rank 4, too little data) is out, rank 51 is in.
    expect(find(selection.kommuner, '1151')).toBeUndefined();
    expect(selection.kommuner.at(-1)!.reasons).toEqual(['top 50 (rank 51)']);
    expect(selection).toMatchObject({ excluded: [], warnings: [], notes: [] });
  });

  it('adds KOMMUNER first, merging the reasons of a kommune that is in the top 50 too', () => {
    const selection = selectKommuner(night({ envKommuner: ['4601', '3212', '3207'] }));
    expect(selection.kommuner).toHaveLength(52);
    expect(numbers(selection.kommuner).slice(0, 3)).toEqual(['4601', '3212', '3207']);
    expect(find(selection.kommuner, '4601')).toMatchObject({
      navn: 'Bergen',
      rank: 62,
      reasons: ['KOMMUNER'],
    });
    expect(find(selection.kommuner, '3207')!.reasons).toEqual(['top 50 (rank 16)', 'KOMMUNER']);
    expect(numbers(selection.kommuner).filter((nr) => nr === '3207')).toHaveLength(1);
  });

  it('always runs a kommune pinned "Alltid med" and never one pinned "Ikke aktuell"', () => {
    const selection = selectKommuner(
      night({
        pins: pins([
          ['3212', 'always'], // Nesodden, rank 156
          ['5001', 'always'], // Trondheim, top 50
          ['0301', 'never'], // Oslo, rank 13
          ['4601', 'never'], // Bergen, not a candidate anyway
        ]),
      }),
    );
    expect(find(selection.kommuner, '3212')).toMatchObject({ rank: 156, reasons: ['Prioritet: Alltid med'] });
    expect(find(selection.kommuner, '5001')!.reasons).toEqual([
      expect.stringMatching(/^top 50 \(rank \d+\)$/),
      'Prioritet: Alltid med',
    ]);
    expect(find(selection.kommuner, '0301')).toBeUndefined();
    expect(selection.kommuner).toHaveLength(50 + 1 - 1);
    expect(selection.excluded).toEqual([
      {
        kommunenummer: '0301',
        navn: 'Oslo - Oslove',
        rank: 13,
        reasons: ['Prioritet: Ikke aktuell'],
        candidateFor: ['top 50 (rank 13)'],
      },
    ]);
    expect(selection.warnings).toEqual([]);
  });

  it('runs a kommune named in KOMMUNER even when the team marked it "Ikke aktuell", and says so', () => {
    const selection = selectKommuner(night({ envKommuner: ['3207'], pins: pins([['3207', 'never']]) }));
    expect(find(selection.kommuner, '3207')!.reasons).toEqual([
      'top 50 (rank 16)',
      'KOMMUNER',
      'Prioritet: Ikke aktuell, but named in KOMMUNER',
    ]);
    expect(selection.excluded).toEqual([]);
    expect(selection.warnings).toEqual([
      { code: 'ikke-aktuell-overridden', message: expect.stringMatching(/3207 .*KOMMUNER wins/) },
    ]);
  });

  it('means exactly --kommune: no top 50, no KOMMUNER, no pins', () => {
    const selection = selectKommuner(
      night({ requested: ['3218', '9999'], envKommuner: ['4601'], pins: pins([['3218', 'never']]) }),
    );
    expect(selection.kommuner).toEqual([
      { kommunenummer: '3218', navn: 'Ås', rank: 34, reasons: ['--kommune'] },
      { kommunenummer: '9999', navn: null, rank: null, reasons: ['--kommune'] },
    ]);
    expect(selection.excluded).toEqual([]);
  });

  it('without a ranking: KOMMUNER alone, else the sample kommune, else a configuration error', () => {
    expect(selectKommuner(night({ ranking: null, envKommuner: ['3218', '3207'] })).kommuner).toEqual([
      { kommunenummer: '3218', navn: null, rank: null, reasons: ['KOMMUNER'] },
      { kommunenummer: '3207', navn: null, rank: null, reasons: ['KOMMUNER'] },
    ]);
    expect(selectKommuner(night({ ranking: null, sampleKommune: '3218' })).kommuner).toEqual([
      { kommunenummer: '3218', navn: null, rank: null, reasons: ['the sample kommune'] },
    ]);
    expect(() => selectKommuner(night({ ranking: null }))).toThrow(ConfigError);
    expect(() => selectKommuner(night({ ranking: null }))).toThrow(/no kommune ranking yet.*KOMMUNER/);
    const noTop = { ...ranking, kommuner: ranking.kommuner.map((k) => ({ ...k, top: false })) };
    expect(() => selectKommuner(night({ ranking: noTop }))).toThrow(/ranking of 2026-03-10 flags no top/);
  });

  it('with no sources configured runs the sample, not the top 50, and lists the top 50 as left out', () => {
    const selection = selectKommuner(night({ sampleKommune: '3218' }));
    expect(selection.kommuner).toEqual([
      { kommunenummer: '3218', navn: 'Ås', rank: 34, reasons: ['top 50 (rank 34)', 'the sample kommune'] },
    ]);
    expect(selection.excluded).toHaveLength(49);
    expect(selection.excluded[0]).toEqual({
      kommunenummer: '1144',
      navn: 'Kvitsøy',
      rank: 1,
      reasons: ['no sources configured (SOURCES_FILE or NAP)'],
      candidateFor: ['top 50 (rank 1)'],
    });
    expect(selection.notes).toEqual([expect.stringMatching(/top 50 is not run: .*sample kommune 3218/)]);
    // KOMMUNER still means those kommuner, as before there was a ranking.
    const named = selectKommuner(night({ sampleKommune: '3218', envKommuner: ['3207'] }));
    expect(named.kommuner).toEqual([
      { kommunenummer: '3207', navn: 'Nordre Follo', rank: 16, reasons: ['top 50 (rank 16)', 'KOMMUNER'] },
    ]);
  });

  it('runs nothing, with a warning, when the team marked every candidate "Ikke aktuell"', () => {
    const selection = selectKommuner(
      night({ pins: pins(flagged.map((k) => [k.kommunenummer, 'never'] as [string, KommunePin])) }),
    );
    expect(selection.kommuner).toEqual([]);
    expect(selection.excluded).toHaveLength(50);
    expect(selection.warnings.map((w) => w.code)).toEqual(['nothing-to-run']);
  });

  it('passes on the warnings met while reading the inputs', () => {
    const warning = { code: 'prioritet-read-failed' as const, message: 'Airtable answered 503' };
    expect(selectKommuner(night({ warnings: [warning] })).warnings).toEqual([warning]);
  });
});
