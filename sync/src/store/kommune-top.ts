import type { Db } from './database.js';

/** A kommune entering or leaving the top 50 (the ranking's `top` flag) with a successful refresh. */
export interface TopChange {
  refreshId: number;
  /** When the refresh that made the change finished (ISO time). */
  at: string;
  /** Its date, YYYY-MM-DD. */
  date: string;
  kommunenummer: string;
  navn: string;
  change: 'entered' | 'left';
  /** Rank in that refresh (null when unranked or gone from the list). */
  rank: number | null;
  /** Rank in the refresh before (null for the first ranking or a kommune new to the list). */
  previousRank: number | null;
}

/** One kommune of the latest successful ranking, as the nightly run's choice of kommuner needs it. */
export interface RankedEntry {
  kommunenummer: string;
  navn: string;
  rank: number | null;
  top: boolean;
}

export interface LatestRanks {
  refreshId: number;
  finishedAt: string;
  /** Every kommune of that refresh, best first (unranked last). */
  kommuner: RankedEntry[];
}

interface ChangeRow {
  refresh_id: number;
  at: string;
  kommunenummer: string;
  navn: string;
  change: TopChange['change'];
  rank: number | null;
  previous_rank: number | null;
}

const ENTERED = `INSERT INTO kommune_top_change (refresh_id, kommunenummer, navn, at, change, rank, previous_rank)
  SELECT @refresh, s.kommunenummer, s.navn, @at, 'entered', s.rank, p.rank
  FROM kommune_score s LEFT JOIN kommune_score p ON p.refresh_id = @previous AND p.kommunenummer = s.kommunenummer
  WHERE s.refresh_id = @refresh AND s.top = 1 AND COALESCE(p.top, 0) = 0`;
const LEFT = `INSERT INTO kommune_top_change (refresh_id, kommunenummer, navn, at, change, rank, previous_rank)
  SELECT @refresh, p.kommunenummer, COALESCE(s.navn, p.navn), @at, 'left', s.rank, p.rank
  FROM kommune_score p LEFT JOIN kommune_score s ON s.refresh_id = @refresh AND s.kommunenummer = p.kommunenummer
  WHERE p.refresh_id = @previous AND p.top = 1 AND COALESCE(s.top, 0) = 0`;

/**
 * Records who entered and who left the top 50 with a refresh that has just completed, compared
 * with the successful refresh before it (the first ranking: every flagged kommune enters). Call it
 * inside the transaction that marks the refresh ok; returns how many changes were recorded.
 */
export function recordTopChanges(db: Db, refreshId: number): number {
  const refresh = db
    .prepare(`SELECT finished_at FROM kommune_refresh WHERE id = ? AND status = 'ok'`)
    .get(refreshId) as { finished_at: string } | undefined;
  if (!refresh) throw new Error(`kommune refresh ${refreshId} is not a completed refresh`);
  const previous = db
    .prepare(`SELECT id FROM kommune_refresh WHERE status = 'ok' AND id < ? ORDER BY id DESC LIMIT 1`)
    .get(refreshId) as { id: number } | undefined;
  const params = { refresh: refreshId, previous: previous?.id ?? -1, at: refresh.finished_at };
  return db.prepare(ENTERED).run(params).changes + db.prepare(LEFT).run(params).changes;
}

/**
 * The top-50 changes, newest first (within a refresh: entered before left, then by rank), for one
 * kommune or all, optionally since a date (YYYY-MM-DD, inclusive).
 */
export function topChanges(
  db: Db,
  options: { kommunenummer?: string; since?: string; limit?: number } = {},
): TopChange[] {
  const rows = db
    .prepare(
      `SELECT * FROM kommune_top_change
       WHERE (@kommunenummer IS NULL OR kommunenummer = @kommunenummer) AND (@since IS NULL OR at >= @since)
       ORDER BY refresh_id DESC, change, COALESCE(rank, previous_rank, 9999), kommunenummer
       LIMIT @limit`,
    )
    .all({
      kommunenummer: options.kommunenummer ?? null,
      since: options.since ?? null,
      limit: options.limit ?? -1,
    }) as ChangeRow[];
  return rows.map((row) => ({
    refreshId: row.refresh_id,
    at: row.at,
    date: row.at.slice(0, 10),
    kommunenummer: row.kommunenummer,
    navn: row.navn,
    change: row.change,
    rank: row.rank,
    previousRank: row.previous_rank,
  }));
}

/** Rank and top flag of every kommune in the newest successful refresh; null before the first. */
export function latestRanks(db: Db): LatestRanks | null {
  const latest = db
    .prepare(`SELECT id, finished_at FROM kommune_refresh WHERE status = 'ok' ORDER BY id DESC LIMIT 1`)
    .get() as { id: number; finished_at: string } | undefined;
  if (!latest) return null;
  const rows = db
    .prepare(
      `SELECT kommunenummer, navn, rank, top FROM kommune_score WHERE refresh_id = ?
       ORDER BY rank IS NULL, rank, kommunenummer`,
    )
    .all(latest.id) as Array<{ kommunenummer: string; navn: string; rank: number | null; top: number }>;
  return {
    refreshId: latest.id,
    finishedAt: latest.finished_at,
    kommuner: rows.map((r) => ({ ...r, top: r.top === 1 })),
  };
}
