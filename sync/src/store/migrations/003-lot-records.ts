import type { AreaGeometry } from '../../domain/geometry.js';
import { lotFingerprint } from '../../lot-record/fingerprint.js';
import { lotCentreOf, type LotRecord, type LotSources } from '../../lot-record/lot-record.js';
import type { Migration } from './index.js';

interface OldRow {
  tomt_id: string;
  lot: string;
  geometry: string;
  content: string;
}

/** Before version 3 a lot's Kilde cell was the only place its sources were kept. */
function sourcesOf(kilde: unknown): LotSources {
  const match = /^Kommuneplan: (.*); reguleringsplan: (.*); eiendom: (.*)$/.exec(String(kilde ?? ''));
  return match
    ? { kommuneplan: match[1]!, reguleringsplan: match[2]!, parcels: match[3]! }
    : { kommuneplan: 'unknown', reguleringsplan: 'unknown', parcels: 'unknown' };
}

/**
 * Lots keep the lot record (the lot as the product knows it) instead of their Airtable cells:
 * `lot` becomes `record` with the kommune name and sources read back from the old cells
 * ("Kommune", "Kilde"), the label point is computed, fingerprints are taken of the record, and
 * the `content` column goes.
 */
export const lotRecordsMigration: Migration = {
  version: 3,
  name: 'lots: keep the lot record, not Airtable cells',
  up(db) {
    const rows = db.prepare('SELECT tomt_id, lot, geometry, content FROM lots').all() as OldRow[];
    db.exec('ALTER TABLE lots RENAME COLUMN lot TO record');
    const update = db.prepare('UPDATE lots SET record = ?, fingerprint = ? WHERE tomt_id = ?');
    for (const row of rows) {
      const cells = JSON.parse(row.content) as Record<string, unknown>;
      const geometry = JSON.parse(row.geometry) as AreaGeometry;
      const record = {
        ...(JSON.parse(row.lot) as Omit<LotRecord, 'geometry' | 'kommuneNavn' | 'sources' | 'centre'>),
        kommuneNavn: typeof cells.Kommune === 'string' ? cells.Kommune : '',
        sources: sourcesOf(cells.Kilde),
        centre: lotCentreOf(geometry),
      };
      update.run(JSON.stringify(record), lotFingerprint({ ...record, geometry }), row.tomt_id);
    }
    db.exec('ALTER TABLE lots DROP COLUMN content');
  },
};
