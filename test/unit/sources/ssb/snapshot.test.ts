import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSsbSnapshot } from '../../../../sync/src/sources/ssb/snapshot.js';

const DIR = new URL('../../../../sync/assets/ssb/snapshot/', import.meta.url);
const snapshot = loadSsbSnapshot();
const ssb = snapshot.client();

describe('the bundled SSB snapshot', () => {
  it('is dated, and SOURCES.md names every file with its origin, commit and licence', () => {
    expect(snapshot.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(snapshot.tables.map((t) => t.id).sort()).toEqual(['01180', '06035', '06944', '07459', '14288']);
    const sources = readFileSync(new URL('SOURCES.md', DIR), 'utf8');
    const manifest = JSON.parse(readFileSync(new URL('snapshot.json', DIR), 'utf8')) as {
      tables: Record<string, { file: string }>;
    };
    for (const { file } of Object.values(manifest.tables)) {
      expect(sources).toContain(`\`${file}\``);
      readFileSync(new URL(file, DIR)); // exists
    }
    for (const word of ['Commit', 'Licence', 'Statistisk sentralbyrå', snapshot.date])
      expect(sources).toContain(word);
  });

  it('answers as SSB does: table info, metadata with agg_KommSummer, and data by codelist', async () => {
    expect(await ssb.tableInfo('05940')).toBeNull(); // not in the snapshot
    expect(await ssb.tableInfo('07459')).toMatchObject({
      id: '07459',
      lastPeriod: '2026',
      discontinued: false,
    });
    const metadata = await ssb.metadata('07459');
    expect(metadata.region?.codelists.map((c) => c.id)).toEqual(['agg_KommSummer']);
    expect(metadata.region?.values).toHaveLength(357);
    const codelist = await ssb.codelist('agg_KommSummer');
    expect(codelist.values.find((v) => v.code === 'K-0301')).toMatchObject({ valueMap: ['0301'] });
    const [data] = await ssb.data('07459', {
      selection: [
        { variableCode: 'Region', codelist: 'agg_KommSummer', valueCodes: ['K-0301', 'K-1580'] },
        { variableCode: 'ContentsCode', valueCodes: ['Personer1'] },
        { variableCode: 'Tid', valueCodes: ['2021', '2026'] },
      ],
    });
    expect(data!.cell({ Region: 'K-0301', ContentsCode: 'Personer1', Tid: '2026' })?.value).toBe(728_714);
    expect(data!.cell({ Region: 'K-1580', ContentsCode: 'Personer1', Tid: '2021' })?.value).toBe(0);
  });

  it('serves prices, sales, income and projections, and a figure SSB did not publish as ".."', async () => {
    const [prices] = await ssb.data('06035', {
      selection: [
        { variableCode: 'Region', valueCodes: ['0301', '1151'] },
        { variableCode: 'Boligtype', valueCodes: ['01'] },
        { variableCode: 'ContentsCode', valueCodes: ['KvPris', 'Omsetninger'] },
        { variableCode: 'Tid', valueCodes: ['2016'] },
      ],
    });
    expect(
      prices!.cell({ Region: '0301', Boligtype: '01', ContentsCode: 'KvPris', Tid: '2016' }),
    ).toMatchObject({
      value: 51_941,
    });
    expect(
      prices!.cell({ Region: '0301', Boligtype: '01', ContentsCode: 'Omsetninger', Tid: '2016' })?.value,
    ).toBe(797);
    expect(
      prices!.cell({ Region: '1151', Boligtype: '01', ContentsCode: 'KvPris', Tid: '2016' }),
    ).toMatchObject({
      value: null,
      missing: 'not-available',
    });
    const [income] = await ssb.data('06944', {
      selection: [
        { variableCode: 'Region', valueCodes: ['1580'] },
        { variableCode: 'HusholdType', valueCodes: ['0000'] },
        { variableCode: 'ContentsCode', valueCodes: ['InntSkatt'] },
        { variableCode: 'Tid', valueCodes: ['2021', '2024'] },
      ],
    });
    const haram = (Tid: string) =>
      income!.cell({ Region: '1580', HusholdType: '0000', ContentsCode: 'InntSkatt', Tid });
    expect(haram('2024')?.value).toBe(701_100);
    expect(haram('2021')?.missing).toBe('not-available');
    const [projection] = await ssb.data('14288', {
      selection: [
        { variableCode: 'Region', valueCodes: ['0301'] },
        { variableCode: 'Framskrivingsalternativ', valueCodes: ['MMMM'] },
        { variableCode: 'ContentsCode', valueCodes: ['Personer'] },
        { variableCode: 'Tid', valueCodes: ['2024', '2040'] },
      ],
    });
    const oslo = (Tid: string) =>
      projection!.cell({ Region: '0301', Framskrivingsalternativ: 'MMMM', ContentsCode: 'Personer', Tid })!
        .value!;
    expect(oslo('2040') - oslo('2024')).toBe(76_514); // SSB's main alternative: Oslo +76 514 by 2040
  });

  it('has population on each kommune’s own boundary before the splits (14288)', () => {
    const own = snapshot.ownBoundaryPopulation();
    expect(own.size).toBe(357);
    expect([2020, 2021, 2022, 2023].map((y) => own.get('1508')!.get(y))).toEqual([
      56_954, 57_308, 57_690, 58_039,
    ]);
    expect([2020, 2021, 2022, 2023].map((y) => own.get('1580')!.get(y))).toEqual([
      9_304, 9_362, 9_424, 9_481,
    ]);
    expect(own.get('5055')!.get(2019)).toBe(5_975);
    expect(own.get('1508')!.has(2025)).toBe(false); // projections are not population
  });
});
