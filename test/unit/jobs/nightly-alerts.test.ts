import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AirtableClient } from '../../../sync/src/crm/airtable/client.js';
import type { Position } from '../../../sync/src/domain/geometry.js';
import { tierOf, type ScoredLot } from '../../../sync/src/domain/lot.js';
import type { PlanFeature } from '../../../sync/src/domain/plan.js';
import { createAlertWebhook } from '../../../sync/src/jobs/alerts/webhook.js';
import { runNightly, type NightlyOptions } from '../../../sync/src/jobs/nightly.js';
import { formatRunSummary } from '../../../sync/src/jobs/nightly-summary.js';
import { alertsBetween, alertsOfLot, countAlerts } from '../../../sync/src/store/alerts.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { recordTopChanges } from '../../../sync/src/store/kommune-top.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { aasData, aasLots, everyLotRules, fixtureStages } from '../../fixtures/crm/lots.js';
import { clientFor, doubleWithBase } from '../../doubles/airtable/harness.js';
import type { AirtableDouble } from '../../doubles/airtable/server.js';
import { readBody, startServer, type TestServer } from '../../helpers/http-server.js';

/**
 * Issue 15's first "done when": two nights on Ås with changes injected between them find each
 * alert exactly once in the store and in Airtable's Varsler; the second night run again adds none.
 */
let db: Db;
let double: AirtableDouble;
let client: AirtableClient;
let webhook: TestServer;
const posted: unknown[] = [];

beforeEach(async () => {
  db = openStore(':memory:');
  double = await doubleWithBase();
  client = clientFor(double, { requestsPerSecond: 1000 });
  posted.length = 0;
  webhook = await startServer(async (req, res) => {
    posted.push(JSON.parse(await readBody(req)));
    res.end('1');
  });
});
afterEach(async () => {
  await client.close();
  await double.close();
  await webhook.close();
  db.close();
});

/** The lot with every factor's points scaled so the total is `total` (the factors move with it). */
function rescored(lot: ScoredLot, total: number): ScoredLot {
  const k = total / lot.score.total;
  const factors = lot.score.factors.map((f) => ({ ...f, points: Math.round(f.points * k * 100) / 100 }));
  return { ...lot, score: { ...lot.score, total, tier: tierOf(total), factors } };
}

const square = (east: number, north: number, half: number): Position[][] => [
  [
    [east - half, north - half],
    [east + half, north - half],
    [east + half, north + half],
    [east - half, north + half],
    [east - half, north - half],
  ],
];

function rpOmrade(
  id: string,
  planstatus: number,
  name: string,
  ring: Position[][],
  date?: string,
): PlanFeature {
  return {
    objekttypenavn: 'RpOmråde',
    properties: {
      planstatus,
      plannavn: name,
      forslagsstillerType: 2,
      ikrafttredelsesdato: date ?? null,
      link: `https://www.arealplaner.no/aas3218/gi?funksjon=VisPlan&kommunenummer=3218&planidentifikasjon=${id}`,
      'arealplanId.kommunenummer': '3218',
      'arealplanId.planidentifikasjon': id,
    },
    geometry: { type: 'Polygon', coordinates: ring },
  };
}

function kpOmrade(id: string, name: string, date: string): PlanFeature {
  return {
    objekttypenavn: 'KpOmråde',
    properties: {
      planstatus: 3,
      plannavn: name,
      ikrafttredelsesdato: `${date}Z`,
      'arealplanId.kommunenummer': '3218',
      'arealplanId.planidentifikasjon': id,
    },
    geometry: { type: 'Polygon', coordinates: square(263_000, 6_621_000, 3_000) },
  };
}

/** A ranking refresh of three kommuner with `top` flagged, and its top-50 changes, as the refresh job stores them. */
function storeRefresh(at: string, top: string[]): void {
  const id = Number(
    db
      .prepare(
        `INSERT INTO kommune_refresh (started_at, finished_at, status, trigger) VALUES (?, ?, 'ok', 'test')`,
      )
      .run(at, at).lastInsertRowid,
  );
  const kommuner = [
    ['0301', 'Oslo', '03'],
    ['3218', 'Ås', '32'],
    ['4601', 'Bergen', '46'],
  ];
  const ranked = [...kommuner].sort((a, b) => Number(top.includes(b[0]!)) - Number(top.includes(a[0]!)));
  ranked.forEach(([nr, navn, fylke], i) =>
    db
      .prepare(
        `INSERT INTO kommune_score (refresh_id, kommunenummer, navn, fylkesnummer, score, rank, top, confidence,
           weight_share, missing_json) VALUES (?, ?, ?, ?, ?, ?, ?, 'high', 1, '[]')`,
      )
      .run(id, nr, navn, fylke, 90 - i * 10, i + 1, top.includes(nr!) ? 1 : 0),
  );
  recordTopChanges(db, id);
}

const base = aasLots({ count: 31 });
const LOST = 0; // tier A, an adopted plan takes it
const WORKED_NEAR = 5; // the team works it; a plan proposal comes up beside it
const RISES = 10; // C → B
const WORKED_FALLS = 20; // the team works it; its score falls 20 points
const NEW = 30; // appears on night 2, tier A

const night1 = base.slice(0, NEW).map((lot, i) => {
  if (i === LOST) return rescored(lot, 85);
  if (i === RISES) return rescored(lot, 50);
  if (i === WORKED_FALLS) return rescored(lot, 70);
  return lot;
});
const night2 = [
  ...night1
    .filter((_, i) => i !== LOST)
    .map((lot) => {
      if (lot.tomtId === night1[RISES]!.tomtId) return rescored(lot, 65);
      if (lot.tomtId === night1[WORKED_FALLS]!.tomtId) return rescored(lot, 50);
      return lot;
    }),
  rescored(base[NEW]!, 88),
];

/**
 * Plans of each night: the kommuneplan of 2019 (and a new one on night 2), on night 2 a plan
 * adopted over the lost lot (its centre, E 262000 N 6621000) and a proposal 40–120 m north of the
 * worked lot (E 262550 N 6621000).
 */
function dataOf(night: 1 | 2) {
  return (lots: ScoredLot[]) => {
    const data = aasData(night === 2 ? [...lots, night1[LOST]!] : lots);
    data.kommuneplan.push(kpOmrade('2019001', 'Kommuneplanens arealdel 2019–2031', '2019-06-19'));
    if (night === 2) {
      data.kommuneplan.push(kpOmrade('2026001', 'Kommuneplanens arealdel 2026–2038', '2026-03-02'));
      data.reguleringsplan = [
        rpOmrade('2025011', 3, 'Detaljregulering Nordby gård', square(262_000, 6_621_000, 50), '2026-02-26'),
        rpOmrade('2026004', 2, 'Detaljregulering Brekkeveien 4', square(262_550, 6_621_130, 40)),
      ];
    }
    return data;
  };
}

let clock = 0;
function options(night: 1 | 2, startIso: string): NightlyOptions {
  clock = Date.parse(startIso);
  const lots = night === 1 ? night1 : night2;
  return {
    db,
    stages: fixtureStages(() => lots, { data: dataOf(night) }),
    kommuner: ['3218'],
    airtable: client,
    alertWebhook: createAlertWebhook(webhook.url, 'slack'),
    rules: everyLotRules(),
    timeZone: 'Europe/Oslo',
    trigger: 'cli',
    logger: createMemoryLogger(),
    now: () => new Date((clock += 1_000)),
  };
}

const varsler = () => double.records('Varsler');
const tomtRecord = (tomtId: string) => double.records('Tomter').find((r) => r.fields['Tomt-ID'] === tomtId)!;

describe('change alerts over two nights', () => {
  it('finds each injected change exactly once, in the store and in Varsler; the second night again adds none', async () => {
    storeRefresh('2026-03-01T12:00:00.000Z', ['0301', '4601']);
    const first = await runNightly(options(1, '2026-03-02T01:00:00Z'));
    expect(first.status).toBe('ok');
    // The first scan is the starting point: nothing is news yet.
    expect(first.alerts).toMatchObject({ found: 0, added: 0, failures: [] });

    for (const i of [WORKED_NEAR, WORKED_FALLS])
      double.editRecord('Tomter', tomtRecord(night1[i]!.tomtId).id, { Status: 'Kontaktet' });
    storeRefresh('2026-03-02T12:00:00.000Z', ['0301', '3218']);

    const second = await runNightly(options(2, '2026-03-03T01:00:00Z'));
    expect(second.status).toBe('ok');
    const alerts = alertsBetween(db, '2026-03-01T00:00:00Z', '2026-03-04T00:00:00Z');
    const byType = Object.fromEntries(alerts.map((a) => [a.type, a]));
    expect(alerts.map((a) => a.type).sort()).toEqual([
      'klasse_opp',
      'kommune_inn_topp',
      'kommune_ut_topp',
      'kommuneplan_endret',
      'ny_tomt',
      'planarbeid',
      'score_fall',
      'tomt_tapt',
    ]);
    expect(second.alerts).toMatchObject({
      found: 8,
      added: 8,
      airtableCreated: 8,
      webhookSent: 8,
      failures: [],
    });

    expect(byType.tomt_tapt).toMatchObject({
      lotId: night1[LOST]!.tomtId,
      details: { planId: '3218-2025011', planName: 'Detaljregulering Nordby gård', planDate: '2026-02-26' },
    });
    expect(byType.tomt_tapt!.text).toContain('«Detaljregulering Nordby gård» (3218-2025011)');
    expect(byType.planarbeid).toMatchObject({
      lotId: night1[WORKED_NEAR]!.tomtId,
      details: { planId: '3218-2026004', planstatus: 2, proposerType: 2, worked: true },
    });
    expect(byType.planarbeid!.details.distanceM).toBeGreaterThan(0);
    expect(byType.planarbeid!.details.distanceM).toBeLessThanOrEqual(200);
    expect(byType.planarbeid!.text).toMatch(
      /Forslagsstiller: privat\. Se planen: https:\/\/www\.arealplaner\.no\//,
    );
    expect(byType.klasse_opp).toMatchObject({
      lotId: night1[RISES]!.tomtId,
      details: { tierFrom: 'C', tierTo: 'B' },
    });
    expect(byType.score_fall).toMatchObject({
      lotId: night1[WORKED_FALLS]!.tomtId,
      details: { scoreFrom: 70, scoreTo: 50, fall: 20 },
    });
    expect((byType.score_fall!.details.factors as unknown[]).length).toBeGreaterThan(0);
    expect(byType.ny_tomt).toMatchObject({ lotId: base[NEW]!.tomtId, details: { tier: 'A' } });
    expect(byType.kommune_inn_topp).toMatchObject({ kommunenummer: '3218', lotId: null });
    expect(byType.kommune_ut_topp).toMatchObject({ kommunenummer: '4601' });
    expect(byType.kommuneplan_endret).toMatchObject({
      details: { planId: '3218-2026001', planDate: '2026-03-02' },
    });

    // Airtable: one Varsler record per alert, typed and linked to the lot's Tomter record.
    const records = varsler();
    expect(records.map((r) => r.fields['Varsel-ID']).sort()).toEqual(alerts.map((a) => a.key).sort());
    const lost = records.find((r) => r.fields['Varsel-ID'] === byType.tomt_tapt!.key)!;
    expect(lost.fields).toMatchObject({
      Type: 'Tapt til regulering',
      Dato: '2026-03-03',
      Kommunenummer: '3218',
      Tomt: [tomtRecord(night1[LOST]!.tomtId).id],
    });
    expect(lost.fields.Lest).toBeUndefined();
    expect(alertsOfLot(db, night1[LOST]!.tomtId).map((a) => a.type)).toEqual(['tomt_tapt']);
    expect(JSON.stringify(posted)).toContain(byType.planarbeid!.title);
    expect(formatRunSummary(second).join('\n')).toMatch(
      /Alerts: 8 new of 8 found; 8 to Airtable Varsler, 8 to the webhook/,
    );

    // The team reads one; the second night again finds nothing new and writes nothing.
    double.editRecord('Varsler', lost.id, { Lest: true });
    double.clearRequests();
    const again = await runNightly(options(2, '2026-03-04T01:00:00Z'));
    expect(again.alerts).toMatchObject({ added: 0, airtableCreated: 0, webhookSent: 0, failures: [] });
    expect(countAlerts(db)).toBe(8);
    expect(varsler()).toHaveLength(8);
    expect(double.writeRequests().filter((r) => r.path.includes('Varsler'))).toEqual([]);
    expect(varsler().find((r) => r.id === lost.id)!.fields.Lest).toBe(true);
  });

  it('never fails the kommune when alerting fails: the failure is named, and the next run delivers', async () => {
    storeRefresh('2026-03-01T12:00:00.000Z', ['0301', '4601']);
    await runNightly(options(1, '2026-03-02T01:00:00Z'));
    storeRefresh('2026-03-02T12:00:00.000Z', ['0301', '3218']);
    await webhook.close();
    webhook = await startServer((_req, res) => {
      res.statusCode = 400;
      res.end('invalid_payload');
    });
    let varslerDown = true;
    double.injectFault(500, 100, (r) => varslerDown && r.path.endsWith('/Varsler'));

    const second = await runNightly(options(2, '2026-03-03T01:00:00Z'));
    expect(second.status).toBe('ok');
    expect(second.kommuner[0]).toMatchObject({ outcome: 'ok', counts: { lotsNew: 1, lotsVanished: 1 } });
    // No lot is worked here: the six alerts that do not depend on the team's work.
    expect(second.alerts).toMatchObject({ added: 6, airtableCreated: 0, webhookSent: 0 });
    // Each target fails once a run: the ranking's alerts are not tried against them again.
    expect(second.alerts!.failures.map((f) => [f.kommunenummer, f.stage])).toEqual([
      ['3218', 'airtable'],
      ['3218', 'webhook'],
    ]);
    expect(second.alerts!.failures[1]!.error).toMatch(/^alert webhook: .*400/);
    const summary = formatRunSummary(second).join('\n');
    expect(summary).toMatch(/alert step airtable failed for 3218: /);
    expect(summary).toMatch(/alert step webhook failed for 3218: alert webhook: /);
    expect(varsler()).toEqual([]);

    varslerDown = false;
    const next = await runNightly({ ...options(2, '2026-03-04T01:00:00Z'), alertWebhook: null });
    expect(next.alerts).toMatchObject({ added: 0, airtableCreated: 6, failures: [] });
    expect(varsler()).toHaveLength(6);
  });
});
