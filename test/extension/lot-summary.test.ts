import TestDriver from '@airtable/blocks-testing';
import { describe, expect, it } from 'vitest';
import { TomterField } from '@tomtejakt/sync/crm/schema';
import { LotSummaryCache } from '../../extension/frontend/lots/lot-summary.js';
import { fieldsToLoad, resolveLotSchema } from '../../extension/frontend/settings/lot-schema.js';
import { tomtejaktBaseFixture } from './fixtures/base-fixture.js';
import { fixtureLotRows } from './fixtures/lots.js';

describe('LotSummaryCache', () => {
  it('re-reads only the lots whose cells changed', async () => {
    const driver = new TestDriver(tomtejaktBaseFixture({ lots: fixtureLotRows() }));
    const schema = resolveLotSchema(driver.base, driver.globalConfig);
    const table = schema.table!;
    const query = await table.selectRecordsAsync({ fields: fieldsToLoad(schema) });
    const cache = new LotSummaryCache();

    const first = cache.summarize(query.records, schema);
    expect(first.find((l) => l.recordId === 'recLotA000000001')).toMatchObject({
      tomtId: '3205-81/12-kp8112',
      score: 91,
      klasse: 'A',
      konfidens: 'Høy',
      hasPlanWork: false,
    });
    expect(first.find((l) => l.recordId === 'recLotB000000001')?.hasPlanWork).toBe(true);

    await table.updateRecordAsync('recLotA000000001', {
      [TomterField.score]: 55,
      [TomterField.klasse]: { name: 'C' },
    });
    const second = cache.summarize(query.records, schema);
    const changed = second.findIndex((l) => l.recordId === 'recLotA000000001');
    expect(second[changed]).toMatchObject({ score: 55, klasse: 'C' });
    expect(second[changed]).not.toBe(first[changed]);
    second.forEach((summary, i) => {
      if (i !== changed) expect(summary).toBe(first[i]); // same object: nothing re-parsed
    });
    query.unloadData();
  });
});
