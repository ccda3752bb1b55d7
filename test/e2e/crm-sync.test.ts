import { afterEach, describe, expect, it } from 'vitest';
import type { AirtableClient } from '../../sync/src/crm/airtable/client.js';
import { runNightly } from '../../sync/src/jobs/nightly.js';
import { openStore, type Db } from '../../sync/src/store/database.js';
import { createMemoryLogger } from '../../sync/src/util/logger.js';
import { clientFor, doubleWithBase } from '../doubles/airtable/harness.js';
import type { AirtableDouble } from '../doubles/airtable/server.js';
import { aasLots, everyLotRules, fixtureStages } from '../fixtures/crm/lots.js';

let double: AirtableDouble | undefined;
let client: AirtableClient | undefined;
let db: Db | undefined;
afterEach(async () => {
  await client?.close();
  await double?.close();
  db?.close();
  double = client = db = undefined;
});

const run = (lots: ReturnType<typeof aasLots>) =>
  runNightly({
    db: db!,
    stages: fixtureStages(() => lots),
    kommuner: ['3218'],
    airtable: client!,
    rules: everyLotRules(),
    timeZone: 'Europe/Oslo',
    trigger: 'cli',
    logger: createMemoryLogger(),
  });

const recordsById = () => new Map(double!.records('Tomter').map((r) => [r.fields['Tomt-ID'] as string, r]));

describe('Airtable sync against the double, 5 requests/s enforced', () => {
  it('keeps the team’s fields when a re-run changes the computed ones', async () => {
    double = await doubleWithBase({ rateLimit: { requestsPerSecond: 5, windowMs: 1000, penaltyMs: 30_000 } });
    client = clientFor(double, { requestsPerSecond: 4.8 });
    db = openStore(':memory:');
    const lots = aasLots({ count: 40 });
    await run(lots);
    const edited = lots.slice(0, 10);
    for (const [i, lot] of edited.entries())
      double.editRecord('Tomter', recordsById().get(lot.tomtId)!.id, {
        Status: i % 2 ? 'Kontaktet' : 'Dialog',
        Notater: `Ringte eier ${i}`,
        Ansvarlig: 'Kari',
        'Neste handling': 'Send brev',
        Kontaktstatus: 'Ringt',
      });

    const rescored = aasLots({ count: 40, variant: 1 });
    double.clearRequests();
    const summary = await run(rescored);
    expect(summary.totals).toMatchObject({ lotsChanged: 40, airtableUpdated: 40, airtableCreated: 0 });
    for (const [i, lot] of rescored.slice(0, 10).entries()) {
      expect(recordsById().get(lot.tomtId)!.fields).toMatchObject({
        Score: Math.round(lot.score.total),
        Klasse: lot.score.tier,
        Status: i % 2 ? 'Kontaktet' : 'Dialog',
        Notater: `Ringte eier ${i}`,
        Ansvarlig: 'Kari',
        'Neste handling': 'Send brev',
        Kontaktstatus: 'Ringt',
      });
    }
    const teamFields = [
      'Status',
      'Notater',
      'Ansvarlig',
      'Neste handling',
      'Neste handling dato',
      'Kontaktstatus',
    ];
    for (const request of double.writeRequests())
      for (const record of (request.body as { records: Array<{ fields: Record<string, unknown> }> }).records)
        for (const field of teamFields) expect(record.fields).not.toHaveProperty(field);
    expect(double.requests.filter((r) => r.status === 429)).toHaveLength(0);
    expect(double.records('Tomter')).toHaveLength(40);
  });

  it('with 20 % of requests failing (429, 500, 503, timeouts) still ends with every lot exactly once', async () => {
    double = await doubleWithBase({
      rateLimit: { requestsPerSecond: 5, windowMs: 1000, penaltyMs: 30_000 },
      faults: { rate: 0.2, kinds: [429, 500, 503, 'timeout'], seed: 7 },
    });
    client = clientFor(double, {
      requestsPerSecond: 4.8,
      timeoutMs: 300,
      rateLimitPauseMs: 300,
      maxRetries: 8,
    });
    db = openStore(':memory:');
    const lots = aasLots({ count: 150 });
    const summary = await run(lots);
    expect(summary.kommuner[0]!.outcome).toBe('ok');
    const faults = double.requests.filter((r) => r.fault);
    expect(faults.length).toBeGreaterThanOrEqual(3);
    expect(new Set(faults.map((r) => r.fault)).size).toBeGreaterThanOrEqual(3);
    const ids = double.records('Tomter').map((r) => r.fields['Tomt-ID']);
    expect(ids).toHaveLength(150);
    expect(new Set(ids)).toEqual(new Set(lots.map((l) => l.tomtId)));
    for (const lot of lots) expect(recordsById().get(lot.tomtId)!.fields.Status).toBe('Ny');
    expect(double.requests.filter((r) => r.status === 429 && !r.fault)).toHaveLength(0);

    double.setFaults(null);
    double.clearRequests();
    const again = await run(lots);
    expect(again.totals.airtableUnchanged).toBe(150);
    expect(double.writeRequests()).toHaveLength(0);
  });
});
