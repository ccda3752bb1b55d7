import type { Alert } from '../../sync/src/domain/alert.js';
import { takeWeekSnapshot } from '../../sync/src/jobs/weekly-report.js';
import type { LotRecord } from '../../sync/src/lot-record/lot-record.js';
import { saveRecordCount } from '../../sync/src/store/airtable-record-count.js';
import type { Db } from '../../sync/src/store/database.js';
import { emptyCounts, recordKommuneResult } from '../../sync/src/store/run-kommuner.js';
import { finishRun, startRun } from '../../sync/src/store/runs.js';
import { aasLots, aasRecords } from '../fixtures/crm/lots.js';
import { writeKommuneRun } from './map-lots.js';

/** The report's week in the scenario, and the nights of it and of the week before (UTC). */
export const WEEK = '2026-W49';
export const WEEK_BEFORE = '2026-W48';
export const NIGHT_BEFORE = '2026-11-25T01:00:00.000Z';
export const NIGHT = '2026-12-02T01:00:00.000Z';
export const TIME_ZONE = 'Europe/Oslo';

/** Three of the new lots are A lots (the fixture's scores top out in B). */
const lifted = (record: LotRecord, i: number): LotRecord =>
  i >= 100 && i < 103 ? { ...record, score: { ...record.score, total: 81 + i - 100, tier: 'A' } } : record;

/** 140 Ås lots: the week before found the first 100, the week 5 fewer and 40 new ones. */
export const AAS = aasRecords(aasLots({ count: 140, seed: 11 })).map(lifted);
export const BEFORE = AAS.slice(0, 100);
export const AFTER = AAS.slice(5, 140);
/** Someone who must never appear in a report (an owner's name in the store's owner tables). */
export const OWNER_NAME = 'Kari Nordmann';

function night(db: Db, at: string, kommuner: string[], lots: readonly LotRecord[]): number {
  const runId = startRun(db, { startedAt: at, trigger: 'schedule', airtable: false, kommuner });
  writeKommuneRun(db, '3218', lots, { runId, now: at });
  const result = (kommunenummer: string, outcome: 'ok' | 'failed', error: string | null) =>
    recordKommuneResult(db, runId, {
      kommunenummer,
      kommuneNavn: kommunenummer === '3218' ? 'Ås' : 'Lillestrøm',
      outcome,
      failedStage: outcome === 'failed' ? 'load' : null,
      error,
      startedAt: at,
      finishedAt: at,
      counts: emptyCounts(),
    });
  result('3218', 'ok', null);
  if (kommuner.includes('3205')) result('3205', 'failed', 'source nap, timeout: no answer in 60 s');
  finishRun(db, runId, { finishedAt: at, status: 'ok', airtableRequests: 0, summary: {} });
  takeWeekSnapshot(db, { now: new Date(at), timeZone: TIME_ZONE });
  return runId;
}

function ownerLookup(db: Db, state: string, finishedAt: string | null): void {
  db.prepare(
    `INSERT INTO owner_lookup_jobs (tomt_id, kommunenummer, parcels_json, purpose, state, requested_at, finished_at)
     VALUES (?, '3218', '[]', 'test', ?, ?, ?)`,
  ).run(AAS[10]!.tomtId, state, finishedAt ?? NIGHT, finishedAt);
}

/**
 * Two nights in the store (one in week 48, one in week 49), a kommune that failed and one that
 * was planned but not reached, Nordre Follo entering the top list, owner lookups, a record count.
 */
export function writeReportScenario(db: Db): void {
  night(db, NIGHT_BEFORE, ['3218'], BEFORE);
  night(db, NIGHT, ['3218', '3205', '3207'], AFTER);
  const refresh = db
    .prepare(
      `INSERT INTO kommune_refresh (started_at, finished_at, status, trigger) VALUES (?, ?, 'ok', 'schedule')`,
    )
    .run('2026-12-01T11:15:00.000Z', '2026-12-01T11:20:00.000Z').lastInsertRowid;
  db.prepare(
    `INSERT INTO kommune_top_change (refresh_id, kommunenummer, navn, at, change, rank, previous_rank)
     VALUES (?, '3207', 'Nordre Follo', '2026-12-01T11:20:00.000Z', 'entered', 48, 53)`,
  ).run(refresh);
  ownerLookup(db, 'done', '2026-12-01T09:00:00.000Z');
  ownerLookup(db, 'done', '2026-12-03T09:00:00.000Z');
  ownerLookup(db, 'failed', '2026-12-03T10:00:00.000Z');
  ownerLookup(db, 'done', '2026-11-24T10:00:00.000Z');
  ownerLookup(db, 'queued', null);
  saveRecordCount(db, { countedAt: NIGHT, total: 41_234, tables: { Tomter: 40_000 } });
}

/** The week's alerts as the alerts store (issue-15a) would hand them over. */
export function scenarioAlerts(): Alert[] {
  const lost = AAS[2]!;
  const worked = AAS[40]!;
  const base = { runId: 2, createdAt: '2026-12-02T01:30:00.000Z', kommunenummer: '3218' };
  return [
    {
      ...base,
      key: `tomt_tapt:${lost.tomtId}:3218-2026007`,
      type: 'tomt_tapt',
      lotId: lost.tomtId,
      title: `Tomt tapt i Ås: ${lost.matrikkelnummertekst}, reguleringsplan «Nordby hageby» vedtatt`,
      text: 'Reguleringsplan 3218-2026007 «Nordby hageby» ble vedtatt 2026-11-27.',
      details: { planId: '3218-2026007', planNavn: 'Nordby hageby', vedtatt: '2026-11-27' },
    },
    {
      ...base,
      key: `planarbeid:${worked.tomtId}:3218-2026011`,
      type: 'planarbeid',
      lotId: worked.tomtId,
      title: 'Planarbeid ved tomt i Ås: «Brekkeveien 12» (forslag) 140 m unna',
      text: 'Planforslag 3218-2026011 «Brekkeveien 12».',
      details: {
        planId: '3218-2026011',
        link: 'https://www.arealplaner.no/aas3218/arealplaner/3218-2026011',
      },
    },
  ];
}
