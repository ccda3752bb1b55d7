import type { AreaGeometry } from '../domain/geometry.js';
import type { Tier } from '../domain/lot.js';
import type { LotRecord } from '../lot-record/lot-record.js';
import type { ReportLot } from '../presentation/report/report-data.js';
import type { Db } from './database.js';

/** A lot the store first saw in a period, with what the report shows of it. */
export interface NewLotFact extends ReportLot {
  firstSeen: string;
}

/** Active lots first seen in [from, to), best first, in the tiers asked for. */
export function lotsFirstSeenBetween(db: Db, from: string, to: string, tiers: readonly Tier[]): NewLotFact[] {
  const rows = db
    .prepare(
      `SELECT record, geometry, first_seen AS firstSeen FROM lots
       WHERE state = 'active' AND first_seen >= ? AND first_seen < ?
         AND tier IN (${tiers.map(() => '?').join(',')})
       ORDER BY score DESC, tomt_id`,
    )
    .all(from, to, ...tiers) as Array<{ record: string; geometry: string; firstSeen: string }>;
  return rows.map((row) => {
    const record = JSON.parse(row.record) as Omit<LotRecord, 'geometry'>;
    return {
      tomtId: record.tomtId,
      kommunenummer: record.kommunenummer,
      kommuneNavn: record.kommuneNavn,
      matrikkelnummertekst: record.matrikkelnummertekst,
      tier: record.score.tier,
      score: record.score.total,
      homes: record.score.capacity.homes,
      arealM2: record.arealM2,
      firstSeen: row.firstSeen,
      geometry: JSON.parse(row.geometry) as AreaGeometry,
    };
  });
}

/** How many lots vanished in [from, to), by the reason the store gave. */
export function lotsVanishedBetween(db: Db, from: string, to: string): number {
  return (
    db
      .prepare(
        `SELECT COUNT(*) AS n FROM lots WHERE state = 'vanished' AND vanished_at >= ? AND vanished_at < ?`,
      )
      .get(from, to) as { n: number }
  ).n;
}

/** A kommune whose last run in the period did not end well: it kept its last good lots. */
export interface KommuneTrouble {
  kommunenummer: string;
  navn: string;
  outcome: 'failed' | 'skipped';
  stage: string | null;
  /** The error as the run recorded it (names source and stage, never a person). */
  error: string | null;
  at: string;
}

/** Each kommune's last outcome in the non-dry runs of [from, to); only the troubled ones. */
export function kommuneTroubleBetween(db: Db, from: string, to: string): KommuneTrouble[] {
  const rows = db
    .prepare(
      `SELECT k.kommunenummer, COALESCE(k.kommune_navn, k.kommunenummer) AS navn, k.outcome,
         k.failed_stage AS stage, k.error, k.finished_at AS at
       FROM run_kommuner k JOIN runs r ON r.id = k.run_id AND r.dry_run = 0
       WHERE k.finished_at >= ? AND k.finished_at < ?
         AND k.run_id = (SELECT MAX(k2.run_id) FROM run_kommuner k2 JOIN runs r2 ON r2.id = k2.run_id AND r2.dry_run = 0
                         WHERE k2.kommunenummer = k.kommunenummer AND k2.finished_at >= ? AND k2.finished_at < ?)
       ORDER BY k.kommunenummer`,
    )
    .all(from, to, from, to) as Array<KommuneTrouble & { outcome: string }>;
  return rows.filter((row): row is KommuneTrouble => row.outcome === 'failed' || row.outcome === 'skipped');
}

/** Kommuner that had a successful run in [from, to). */
export function kommunerRunOkBetween(db: Db, from: string, to: string): Set<string> {
  const rows = db
    .prepare(
      `SELECT DISTINCT k.kommunenummer FROM run_kommuner k JOIN runs r ON r.id = k.run_id AND r.dry_run = 0
       WHERE k.outcome = 'ok' AND k.finished_at >= ? AND k.finished_at < ?`,
    )
    .all(from, to) as Array<{ kommunenummer: string }>;
  return new Set(rows.map((r) => r.kommunenummer));
}

/** Owner lookups finished in [from, to), successful or not (counts only: nothing about owners). */
export function ownerLookupsFinishedBetween(
  db: Db,
  from: string,
  to: string,
): { done: number; failed: number } {
  const row = db
    .prepare(
      `SELECT COALESCE(SUM(state = 'done'), 0) AS done, COALESCE(SUM(state = 'failed'), 0) AS failed
       FROM owner_lookup_jobs WHERE finished_at >= ? AND finished_at < ?`,
    )
    .get(from, to) as { done: number; failed: number };
  return row;
}

/** The kommuner the non-dry runs started in [from, to) set out to cover. */
export function kommunerPlannedBetween(db: Db, from: string, to: string): string[] {
  const rows = db
    .prepare(
      `SELECT kommuner FROM runs WHERE dry_run = 0 AND started_at >= ? AND started_at < ? AND kommuner IS NOT NULL`,
    )
    .all(from, to) as Array<{ kommuner: string }>;
  return [...new Set(rows.flatMap((row) => JSON.parse(row.kommuner) as string[]))].sort();
}

/** Owner lookups waiting or running now. */
export function ownerLookupsPending(db: Db): number {
  return (
    db.prepare(`SELECT COUNT(*) AS n FROM owner_lookup_jobs WHERE state IN ('queued', 'running')`).get() as {
      n: number;
    }
  ).n;
}

/** Kommune names as the newest kommune ranking has them (numbers it does not know are left out). */
export function kommuneNamesOf(db: Db, kommunenummer: string[]): Map<string, string> {
  const rows = db
    .prepare(
      `SELECT kommunenummer, navn FROM kommune_score
       WHERE refresh_id = (SELECT MAX(id) FROM kommune_refresh WHERE status = 'ok')`,
    )
    .all() as Array<{ kommunenummer: string; navn: string }>;
  const wanted = new Set(kommunenummer);
  return new Map(rows.filter((r) => wanted.has(r.kommunenummer)).map((r) => [r.kommunenummer, r.navn]));
}
