import type { Tier } from '../domain/lot.js';
import type { KommuneWeekCounts, TierCounts, WeekCounts } from '../domain/week-counts.js';
import type { Db } from './database.js';

export interface WeekSnapshot {
  week: string;
  takenAt: string;
  takenBy: 'nightly' | 'report';
  counts: WeekCounts;
}

const zeroTiers = (): TierCounts => ({ A: 0, B: 0, C: 0, D: 0 });

/** The store's counts now: active lots and their estimated homes by tier and by kommune, owner lookups. */
export function storeWeekCounts(db: Db): Omit<WeekCounts, 'pipeline'> {
  const rows = db
    .prepare(
      `SELECT kommunenummer, kommune_navn AS navn, tier, COUNT(*) AS lots, SUM(COALESCE(homes, 0)) AS homes
       FROM lots WHERE state = 'active' GROUP BY kommunenummer, tier ORDER BY kommunenummer`,
    )
    .all() as Array<{
    kommunenummer: string;
    navn: string | null;
    tier: Tier | null;
    lots: number;
    homes: number;
  }>;
  const lots = zeroTiers();
  const homes = zeroTiers();
  const byKommune = new Map<string, KommuneWeekCounts>();
  for (const row of rows) {
    const tier = row.tier ?? 'D';
    lots[tier] += row.lots;
    homes[tier] += row.homes;
    const kommune = byKommune.get(row.kommunenummer) ?? {
      kommunenummer: row.kommunenummer,
      navn: row.navn ?? row.kommunenummer,
      lots: 0,
      homes: 0,
      lotsAB: 0,
    };
    kommune.lots += row.lots;
    kommune.homes += row.homes;
    if (tier === 'A' || tier === 'B') kommune.lotsAB += row.lots;
    byKommune.set(row.kommunenummer, kommune);
  }
  return { lots, homes, byKommune: [...byKommune.values()], ownerLookups: ownerLookupCounts(db) };
}

function ownerLookupCounts(db: Db): WeekCounts['ownerLookups'] {
  const row = db
    .prepare(
      `SELECT COALESCE(SUM(state = 'done'), 0) AS done, COALESCE(SUM(state IN ('queued', 'running')), 0) AS pending
       FROM owner_lookup_jobs`,
    )
    .get() as { done: number; pending: number };
  return { done: row.done, pending: row.pending };
}

/**
 * Keeps a week's snapshot. `replace` (the week is still going: the latest state of the week is
 * what it is remembered by) overwrites the week's row, keeping its pipeline counts when the new
 * snapshot could not read them; otherwise a week that has one keeps it (a past week is frozen).
 * Returns whether the row was written.
 */
export function saveWeekSnapshot(db: Db, snapshot: WeekSnapshot, options: { replace: boolean }): boolean {
  const existing = weekSnapshot(db, snapshot.week);
  if (existing && !options.replace) return false;
  const counts: WeekCounts = {
    ...snapshot.counts,
    pipeline: snapshot.counts.pipeline ?? existing?.counts.pipeline ?? null,
  };
  db.prepare(
    `INSERT INTO week_snapshots (week, taken_at, taken_by, counts) VALUES (?, ?, ?, ?)
     ON CONFLICT (week) DO UPDATE SET taken_at = excluded.taken_at, taken_by = excluded.taken_by, counts = excluded.counts`,
  ).run(snapshot.week, snapshot.takenAt, snapshot.takenBy, JSON.stringify(counts));
  return true;
}

interface SnapshotRow {
  week: string;
  taken_at: string;
  taken_by: WeekSnapshot['takenBy'];
  counts: string;
}

const snapshotOf = (row: SnapshotRow): WeekSnapshot => ({
  week: row.week,
  takenAt: row.taken_at,
  takenBy: row.taken_by,
  counts: JSON.parse(row.counts) as WeekCounts,
});

export function weekSnapshot(db: Db, week: string): WeekSnapshot | null {
  const row = db.prepare('SELECT * FROM week_snapshots WHERE week = ?').get(week) as SnapshotRow | undefined;
  return row ? snapshotOf(row) : null;
}

/** The snapshots of the weeks named (those that have one), oldest first. */
export function weekSnapshots(db: Db, weeks: string[]): WeekSnapshot[] {
  const wanted = new Set(weeks);
  const rows = db.prepare('SELECT * FROM week_snapshots ORDER BY week').all() as SnapshotRow[];
  return rows.filter((row) => wanted.has(row.week)).map(snapshotOf);
}
