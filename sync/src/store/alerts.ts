import type { Alert, AlertType } from '../domain/alert.js';
import type { Db } from './database.js';

interface AlertRow {
  key: string;
  type: AlertType;
  run_id: number | null;
  created_at: string;
  kommunenummer: string;
  lot_id: string | null;
  title: string;
  text: string;
  details: string;
}

const COLUMNS = 'key, type, run_id, created_at, kommunenummer, lot_id, title, text, details';
const ORDER = 'ORDER BY created_at, key';

function alertOf(row: AlertRow): Alert {
  return {
    key: row.key,
    type: row.type,
    // A stored alert always came from a run; 0 only for a row written without one.
    runId: row.run_id ?? 0,
    createdAt: row.created_at,
    kommunenummer: row.kommunenummer,
    lotId: row.lot_id,
    title: row.title,
    text: row.text,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}

/**
 * Keeps the alerts whose key the store does not have yet, in one transaction, and returns those
 * (the new ones, in the order given): an alert found again by a rerun is not kept twice.
 */
export function insertNewAlerts(db: Db, alerts: readonly Alert[]): Alert[] {
  const insert = db.prepare(
    `INSERT INTO alerts (${COLUMNS})
     VALUES (@key, @type, @runId, @createdAt, @kommunenummer, @lotId, @title, @text, @details)
     ON CONFLICT (key) DO NOTHING`,
  );
  return db.transaction(() =>
    alerts.filter((alert) => insert.run({ ...alert, details: JSON.stringify(alert.details) }).changes === 1),
  )();
}

/** Alerts found from `fromIso` (inclusive) to `toIso` (exclusive), oldest first: a week's for the report. */
export function alertsBetween(db: Db, fromIso: string, toIso: string): Alert[] {
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM alerts WHERE created_at >= ? AND created_at < ? ${ORDER}`)
    .all(fromIso, toIso) as AlertRow[];
  return rows.map(alertOf);
}

/** A lot's alerts, newest first (the map panel). */
export function alertsOfLot(db: Db, lotId: string, limit = 20): Alert[] {
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM alerts WHERE lot_id = ? ORDER BY created_at DESC, key LIMIT ?`)
    .all(lotId, limit) as AlertRow[];
  return rows.map(alertOf);
}

export function alertsByKey(db: Db, keys: readonly string[]): Alert[] {
  const select = db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE key = ?`);
  return keys.flatMap((key) => {
    const row = select.get(key) as AlertRow | undefined;
    return row ? [alertOf(row)] : [];
  });
}

/**
 * Alerts that have no record in the Airtable table `table` yet (the record index of the table
 * sync, `airtable_records`, does not know them), oldest first.
 */
export function alertsNotInAirtable(db: Db, table: string): Alert[] {
  const rows = db
    .prepare(
      `SELECT ${COLUMNS.split(', ')
        .map((c) => `a.${c}`)
        .join(', ')} FROM alerts a
       LEFT JOIN airtable_records r ON r.table_name = ? AND r.key = a.key
       WHERE r.key IS NULL OR r.record_id = '' ORDER BY a.created_at, a.key`,
    )
    .all(table) as AlertRow[];
  return rows.map(alertOf);
}

/** Alerts the incoming webhook has not had yet, found since `sinceIso`, oldest first. */
export function alertsNotSentToWebhook(db: Db, sinceIso = ''): Alert[] {
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM alerts WHERE webhook_sent_at IS NULL AND created_at >= ? ${ORDER}`)
    .all(sinceIso) as AlertRow[];
  return rows.map(alertOf);
}

export function markSentToWebhook(db: Db, keys: readonly string[], at: string): void {
  const mark = db.prepare('UPDATE alerts SET webhook_sent_at = ? WHERE key = ?');
  db.transaction(() => keys.forEach((key) => mark.run(at, key)))();
}

export function countAlerts(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM alerts').get() as { n: number }).n;
}

/** The first successful kommune ranking (its top-50 "changes" are the starting point); null before it. */
export function firstRankingRefreshId(db: Db): number | null {
  const row = db.prepare(`SELECT MIN(id) AS id FROM kommune_refresh WHERE status = 'ok'`).get() as {
    id: number | null;
  };
  return row.id;
}
