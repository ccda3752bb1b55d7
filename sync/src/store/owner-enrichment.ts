import type { EnhetLookup } from '../sources/brreg/enhet.js';
import type { Db } from './database.js';

/** The register's last answer for an organisation, when fetched at or after `freshAfter` (ISO). */
export function cachedEnhet(db: Db, organisasjonsnummer: string, freshAfter: string): EnhetLookup | null {
  const row = db
    .prepare('SELECT answer FROM enhet_cache WHERE organisasjonsnummer = ? AND fetched_at >= ?')
    .get(organisasjonsnummer, freshAfter) as { answer: string } | undefined;
  return row ? (JSON.parse(row.answer) as EnhetLookup) : null;
}

export function saveEnhet(db: Db, organisasjonsnummer: string, answer: EnhetLookup, fetchedAt: string): void {
  db.prepare(
    `INSERT INTO enhet_cache (organisasjonsnummer, fetched_at, answer) VALUES (?, ?, ?)
     ON CONFLICT (organisasjonsnummer) DO UPDATE SET fetched_at = excluded.fetched_at, answer = excluded.answer`,
  ).run(organisasjonsnummer, fetchedAt, JSON.stringify(answer));
}

/** A current organisation owner of a lot, as the lookups stored it. */
export interface OrganisationOwnership {
  ownershipId: string;
  tomtId: string;
  organisasjonsnummer: string;
}

export function currentOrganisationOwnerships(db: Db): OrganisationOwnership[] {
  return db
    .prepare(
      `SELECT ownership_id AS ownershipId, tomt_id AS tomtId, organisasjonsnummer FROM lot_owners
       WHERE current = 1 AND organisasjonsnummer IS NOT NULL AND organisasjonsnummer <> ''
       ORDER BY tomt_id, ownership_id`,
    )
    .all() as OrganisationOwnership[];
}

export interface DeveloperMarkRow {
  tomtId: string;
  mark: 'eier' | 'nabo';
  organisasjonsnummer: string;
  company: string;
}

export function developerMarks(db: Db): Map<string, DeveloperMarkRow> {
  const rows = db
    .prepare('SELECT tomt_id AS tomtId, mark, organisasjonsnummer, company FROM lot_developer_marks')
    .all() as DeveloperMarkRow[];
  return new Map(rows.map((r) => [r.tomtId, r]));
}

/** Replaces the marks with this set (a lot no longer marked loses its row). */
export function saveDeveloperMarks(db: Db, marks: readonly DeveloperMarkRow[], at: string): void {
  db.transaction(() => {
    db.prepare('DELETE FROM lot_developer_marks').run();
    const insert = db.prepare(
      'INSERT INTO lot_developer_marks (tomt_id, mark, organisasjonsnummer, company, marked_at) VALUES (?, ?, ?, ?, ?)',
    );
    for (const m of marks) insert.run(m.tomtId, m.mark, m.organisasjonsnummer, m.company, at);
  })();
}
