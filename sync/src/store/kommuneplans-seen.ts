import type { Db } from './database.js';

/** A kommuneplan a kommune's run saw (plan id, name, date in force). */
export interface SeenKommuneplan {
  planId: string;
  name: string | null;
  /** ISO date in force (ikrafttredelsesdato, else vedtakEndeligPlanDato), when the data has one. */
  date: string | null;
}

/** The kommuneplaner the kommune's last good run saw; null before the first (no comparison yet). */
export function seenKommuneplans(db: Db, kommunenummer: string): SeenKommuneplan[] | null {
  const row = db
    .prepare('SELECT plans FROM kommune_kommuneplan_seen WHERE kommunenummer = ?')
    .get(kommunenummer) as { plans: string } | undefined;
  return row ? (JSON.parse(row.plans) as SeenKommuneplan[]) : null;
}

/** Replaces what an earlier run saw. */
export function saveSeenKommuneplans(
  db: Db,
  kommunenummer: string,
  plans: readonly SeenKommuneplan[],
  run: { runId: number; at: string },
): void {
  db.prepare(
    `INSERT INTO kommune_kommuneplan_seen (kommunenummer, plans, run_id, seen_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (kommunenummer) DO UPDATE SET plans = excluded.plans, run_id = excluded.run_id,
       seen_at = excluded.seen_at`,
  ).run(kommunenummer, JSON.stringify(plans), run.runId, run.at);
}
