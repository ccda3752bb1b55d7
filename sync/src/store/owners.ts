import {
  formatShare,
  parcelLabel,
  type LotOwnership,
  type OwnerKind,
  type OwnerRole,
} from '../domain/owner.js';
import type { Db } from './database.js';

/**
 * The owners found per lot. This table and Airtable's Eiere are the only places owner names are
 * kept. A later lookup marks owners that no longer hold the parcel as not current.
 */
export interface StoredOwner {
  ownershipId: string;
  tomtId: string;
  recordId: string | null;
  jobId: number;
  parcel: string;
  matrikkelPersonId: string;
  kind: OwnerKind;
  name: string;
  organisasjonsnummer: string | null;
  share: string | null;
  role: OwnerRole;
  registered: boolean;
  fetchedAt: string;
  current: boolean;
}

interface Row {
  ownership_id: string;
  tomt_id: string;
  record_id: string | null;
  job_id: number;
  parcel: string;
  matrikkel_person_id: string;
  kind: OwnerKind;
  name: string;
  organisasjonsnummer: string | null;
  share: string | null;
  role: OwnerRole;
  registered: number;
  fetched_at: string;
  current: number;
}

const toOwner = (row: Row): StoredOwner => ({
  ownershipId: row.ownership_id,
  tomtId: row.tomt_id,
  recordId: row.record_id,
  jobId: row.job_id,
  parcel: row.parcel,
  matrikkelPersonId: row.matrikkel_person_id,
  kind: row.kind,
  name: row.name,
  organisasjonsnummer: row.organisasjonsnummer,
  share: row.share,
  role: row.role,
  registered: row.registered === 1,
  fetchedAt: row.fetched_at,
  current: row.current === 1,
});

/** Owners current for the lot now who are not among these ownerships (they sold, or died). */
export function formerOwnersOf(db: Db, tomtId: string, ownerships: LotOwnership[]): StoredOwner[] {
  const now = new Set(ownerships.map((o) => o.id));
  return currentOwnersOfLot(db, tomtId).filter((o) => !now.has(o.ownershipId));
}

/**
 * Stores a lookup's ownerships as the lot's current owners and returns the ones that were
 * current before and are not any more.
 */
export function replaceLotOwners(
  db: Db,
  lot: { tomtId: string; recordId: string | null },
  jobId: number,
  fetchedAt: Date,
  ownerships: LotOwnership[],
): { former: StoredOwner[] } {
  return db.transaction(() => {
    const former = formerOwnersOf(db, lot.tomtId, ownerships);
    const markFormer = db.prepare('UPDATE lot_owners SET current = 0 WHERE ownership_id = ? AND tomt_id = ?');
    for (const owner of former) markFormer.run(owner.ownershipId, lot.tomtId);
    const upsert = db.prepare(
      `INSERT INTO lot_owners (ownership_id, tomt_id, record_id, job_id, parcel, matrikkel_person_id, kind, name,
         organisasjonsnummer, share, role, registered, fetched_at, current)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
       ON CONFLICT (ownership_id, tomt_id) DO UPDATE SET record_id = excluded.record_id, job_id = excluded.job_id,
         parcel = excluded.parcel, kind = excluded.kind, name = excluded.name,
         organisasjonsnummer = excluded.organisasjonsnummer, share = excluded.share, role = excluded.role,
         registered = excluded.registered, fetched_at = excluded.fetched_at, current = 1`,
    );
    for (const { id, owner, share } of ownerships) {
      upsert.run(
        id,
        lot.tomtId,
        lot.recordId,
        jobId,
        parcelLabel(owner.parcel),
        owner.matrikkelPersonId,
        owner.kind,
        owner.name,
        owner.organisasjonsnummer,
        formatShare(share),
        owner.role,
        owner.registered ? 1 : 0,
        fetchedAt.toISOString(),
      );
    }
    return { former };
  })();
}

export function currentOwnersOfLot(db: Db, tomtId: string): StoredOwner[] {
  return (
    db
      .prepare('SELECT * FROM lot_owners WHERE tomt_id = ? AND current = 1 ORDER BY parcel, name')
      .all(tomtId) as Row[]
  ).map(toOwner);
}

export function ownersOfLot(db: Db, tomtId: string): StoredOwner[] {
  return (
    db.prepare('SELECT * FROM lot_owners WHERE tomt_id = ? ORDER BY parcel, name').all(tomtId) as Row[]
  ).map(toOwner);
}

/**
 * Which of these ownership ids the service has written before, for any lot. Only those can
 * already have an Eiere record in Airtable (the service is the only writer of Eier-IDs).
 */
export function knownOwnershipIds(db: Db, ids: string[]): Set<string> {
  const known = new Set<string>();
  const query = db.prepare('SELECT 1 FROM lot_owners WHERE ownership_id = ? LIMIT 1');
  for (const id of ids) if (query.get(id)) known.add(id);
  return known;
}

/** Other lots that hold the same ownership (the same owner of the same parcel). */
export function lotsSharingOwnership(db: Db, ownershipId: string, exceptTomtId: string): StoredOwner[] {
  return (
    db
      .prepare('SELECT * FROM lot_owners WHERE ownership_id = ? AND tomt_id <> ?')
      .all(ownershipId, exceptTomtId) as Row[]
  ).map(toOwner);
}

/**
 * Owners whose name has every word of the query as a whole word (any order, case- and
 * accent-insensitive), for a subject-access request: "Kari Hansen" finds "Hansen Kari" and
 * "Kari M. Hansen", "Bjorn" finds "Bjørn", and "Berg" finds "Ola Berg" but not "Arne Skisseberg".
 */
export function findOwnersByName(db: Db, query: string): StoredOwner[] {
  const words = nameWords(query);
  if (words.length === 0) return [];
  const rows = (db.prepare('SELECT * FROM lot_owners ORDER BY name, parcel, tomt_id').all() as Row[]).filter(
    (row) => {
      const name = new Set(nameWords(row.name));
      return words.every((w) => name.has(w));
    },
  );
  return rows.map(toOwner);
}

/** A name's words, folded for comparison: lower case, accents and æ/ø/å folded, split on anything not a letter or digit. */
export function nameWords(name: string): string[] {
  return name
    .toLocaleLowerCase('nb-NO')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** Lots that vanished from the plan data (Utgått) on or before `cutoff` and still have owner rows. */
export function vanishedLotsWithOwners(
  db: Db,
  cutoff: Date,
): Array<{ tomtId: string; recordId: string | null }> {
  return db
    .prepare(
      `SELECT l.tomt_id AS tomtId, (SELECT o.record_id FROM lot_owners o WHERE o.tomt_id = l.tomt_id
         AND o.record_id IS NOT NULL LIMIT 1) AS recordId
       FROM lots l
       WHERE l.state = 'vanished' AND l.vanished_at <= ?
         AND EXISTS (SELECT 1 FROM lot_owners o WHERE o.tomt_id = l.tomt_id)
       ORDER BY l.tomt_id`,
    )
    .all(cutoff.toISOString()) as Array<{ tomtId: string; recordId: string | null }>;
}

/** Removes every owner row of a lot (retention); returns what was removed. */
export function eraseLotOwners(db: Db, tomtId: string): StoredOwner[] {
  return db.transaction(() => {
    const rows = ownersOfLot(db, tomtId);
    db.prepare('DELETE FROM lot_owners WHERE tomt_id = ?').run(tomtId);
    return rows;
  })();
}

/**
 * How many distinct current owners (people and organisations) each looked-up lot of a kommune has,
 * by tomtId: the lot score's Eierstruktur uses them once owners are known.
 */
export function ownerCountsOfKommune(db: Db, kommunenummer: string): Map<string, number> {
  const rows = db
    .prepare(
      `SELECT tomt_id AS tomtId, COUNT(DISTINCT matrikkel_person_id) AS owners
         FROM lot_owners WHERE current = 1 AND tomt_id LIKE ? GROUP BY tomt_id`,
    )
    .all(`${kommunenummer}-%`) as Array<{ tomtId: string; owners: number }>;
  return new Map(rows.map((r) => [r.tomtId, r.owners]));
}
