import type { Db } from './database.js';

/** The input version a kommune's stored lots were computed from (`jobs/input-version.ts`). */
export function storedInputVersion(db: Db, kommunenummer: string): string | null {
  const row = db.prepare('SELECT version FROM kommune_inputs WHERE kommunenummer = ?').get(kommunenummer) as
    { version: string } | undefined;
  return row?.version ?? null;
}

/** Kept in the kommune's store transaction: the version and the lots it gave are saved together. */
export function saveInputVersion(db: Db, kommunenummer: string, version: string, runId: number): void {
  db.prepare('INSERT OR REPLACE INTO kommune_inputs (kommunenummer, version, run_id) VALUES (?, ?, ?)').run(
    kommunenummer,
    version,
    runId,
  );
}

/** A kommune whose inputs did not change: its active lots were seen again by this run. */
export function touchKommuneLots(db: Db, kommunenummer: string, at: string, runId: number): number {
  return db
    .prepare("UPDATE lots SET last_seen = ?, last_run_id = ? WHERE kommunenummer = ? AND state = 'active'")
    .run(at, runId, kommunenummer).changes;
}
