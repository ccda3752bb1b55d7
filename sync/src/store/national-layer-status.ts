import type { LayerStatus, LayerStatusKind } from '../domain/kommune.js';
import type { Db } from './database.js';

interface StatusRow {
  kommunenummer: string;
  layer: string;
  status: LayerStatusKind;
  cause: string | null;
  features: number;
  fetched_at: string | null;
  checked_at: string;
}

export interface StoredLayerStatus extends Omit<LayerStatus, 'label'> {
  kommunenummer: string;
  checkedAt: string;
}

/** Keeps each national layer's status for a kommune (migration 440), replacing the previous run's row. */
export function saveLayerStatuses(
  db: Db,
  kommunenummer: string,
  statuses: readonly LayerStatus[],
  checkedAt: string,
): void {
  const upsert = db.prepare(
    `INSERT INTO national_layer_status (kommunenummer, layer, status, cause, features, fetched_at, checked_at)
     VALUES (@kommunenummer, @layer, @status, @cause, @features, @fetchedAt, @checkedAt)
     ON CONFLICT (kommunenummer, layer) DO UPDATE SET status = excluded.status, cause = excluded.cause,
       features = excluded.features, fetched_at = excluded.fetched_at, checked_at = excluded.checked_at`,
  );
  db.transaction(() => {
    for (const s of statuses)
      upsert.run({
        kommunenummer,
        layer: s.layer,
        status: s.status,
        cause: s.cause,
        features: s.features,
        fetchedAt: s.fetchedAt,
        checkedAt,
      });
  })();
}

/** The kept statuses of a kommune's layers, by layer id. */
export function layerStatusesOf(db: Db, kommunenummer: string): StoredLayerStatus[] {
  const rows = db
    .prepare('SELECT * FROM national_layer_status WHERE kommunenummer = ? ORDER BY layer')
    .all(kommunenummer) as StatusRow[];
  return rows.map((row) => ({
    kommunenummer: row.kommunenummer,
    layer: row.layer,
    status: row.status,
    cause: row.cause,
    features: row.features,
    fetchedAt: row.fetched_at,
    checkedAt: row.checked_at,
  }));
}
