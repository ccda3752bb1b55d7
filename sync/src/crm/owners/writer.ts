import { formatShare, parcelLabel, type LotOwnership } from '../../domain/owner.js';
import type { AirtableRecordsClient } from '../airtable/types.js';
import {
  EiereField as E,
  eiereTable,
  OwnerRoleLabel,
  OwnerStatusLabel,
  OwnerTypeLabel,
} from '../schema/eiere.js';
import { LotStatus, OwnerLookupState, TomterField as T, tomterTable } from '../schema/tomter.js';
import { unique } from '../../util/collections.js';
import { allOrEachAlone, createCoalescer } from '../../util/coalescer.js';
import { anyOfFormulas, formulaString } from './formula.js';

/** The lot a lookup writes to. */
export interface LotRef {
  tomtId: string;
  recordId: string | null;
}

export interface OwnersToWrite {
  ownerships: LotOwnership[];
  /**
   * Ownership ids that may already have an Eiere record (written before for some lot). Only
   * those are read first, to keep their links to other lots; a first-time owner costs no read.
   */
  possiblyExisting: string[];
  /** Ownership ids that were current for this lot before and are not now. */
  formerIds: string[];
  fetchedAt: Date;
  ownerCount: number;
  message: string;
}

export interface LotOwnersToWrite {
  recordId: string;
  owners: OwnersToWrite;
}

export interface ErasureToWrite {
  /** Ownerships held only by this lot: every personal field is cleared. */
  clear: string[];
  /** Ownerships other lots still hold: only the link to this lot is removed. */
  unlink: string[];
  message: string;
}

/** Everything the owner lookup writes to Airtable, through the shared records interface only. */
export interface OwnerLookupWriter {
  /** Resolves the lot's record id (by Tomt-ID when the lot store had none); null if Airtable has no such lot. */
  resolve(lot: LotRef): Promise<string | null>;
  markRunning(recordId: string, message: string): Promise<void>;
  /** The Eiere records and the lot's state (Ferdig) in one go. */
  writeOwners(recordId: string, owners: OwnersToWrite): Promise<void>;
  /**
   * The Eiere records only (linked to the lot), for a caller that holds the locks on them just as
   * long as this takes and marks the lot finished after.
   */
  writeOwnerRecords(recordId: string, owners: OwnersToWrite): Promise<void>;
  /**
   * The Eiere records of several lots in one go: an owner several of them hold is written once,
   * linked to all of them, so the lookups cost the requests of one. Same locking as above.
   * `known`: records whose links the caller knows for sure (it wrote them last and has held their
   * locks since), which need no read. Returns the records written, with their links as now.
   */
  writeOwnerRecordsFor(
    lots: LotOwnersToWrite[],
    known?: ReadonlyMap<string, OwnerRecordLinks>,
  ): Promise<Map<string, OwnerRecordLinks>>;
  markFinished(recordId: string, ownerCount: number, message: string): Promise<void>;
  markFailed(recordId: string, message: string): Promise<void>;
  markNotConfigured(recordId: string, message: string): Promise<void>;
  eraseOwners(recordId: string, erasure: ErasureToWrite): Promise<void>;
  /** Lots the team has marked "Ikke aktuell" (for retention). */
  lotsMarkedNotRelevant(): Promise<LotRef[]>;
  /** Lots whose Eieroppslag is "Forespurt" or "Pågår" (for the sweep of stuck lookups). */
  lotsWaitingForLookup(): Promise<Array<LotRef & { recordId: string }>>;
}

const TOMTER = tomterTable.name;
const EIERE = eiereTable.name;
const SOURCE_REGISTERED = 'Matrikkelen (tinglyst)';
const SOURCE_NOTED = 'Matrikkelen (ikke tinglyst)';
/** Airtable's single-line text holds far more, but a status line should stay readable. */
const MESSAGE_MAX = 250;

type EiereRecord = { [E.eierId]?: string; [E.tomter]?: string[] };
/** An Eiere record (by Eier-ID): its record id and its Tomter links. */
export type OwnerRecordLinks = { id: string; links: string[] };
type ExistingOwner = OwnerRecordLinks;

/**
 * Eiere records are upserted on Eier-ID with only the lookup's own fields, so the team's fields
 * (Kontaktstatus, Telefon, E-post, Notater) are never touched by a lookup. Link arrays are
 * replaced by Airtable on write, so the lot is added to the links the record already has.
 * The lots' own state (Eieroppslag, melding, Antall eiere) is written through a coalescer: the
 * state changes of lots that finish while a state write is under way share its next request.
 */
export function createOwnerLookupWriter(client: AirtableRecordsClient): OwnerLookupWriter {
  const writeLotState = lotStateWriter(client);
  return {
    resolve: (lot) => resolveLot(client, lot),
    markRunning: (recordId, message) => writeLotState(recordId, OwnerLookupState.pagar, message),
    writeOwners: async (recordId, owners) => {
      await writeOwnerRecords(client, [{ recordId, owners }]);
      await writeLotState(recordId, OwnerLookupState.ferdig, owners.message, owners.ownerCount);
    },
    writeOwnerRecords: async (recordId, owners) => {
      await writeOwnerRecords(client, [{ recordId, owners }]);
    },
    writeOwnerRecordsFor: (lots, known) => writeOwnerRecords(client, lots, known),
    markFinished: (recordId, ownerCount, message) =>
      writeLotState(recordId, OwnerLookupState.ferdig, message, ownerCount),
    markFailed: (recordId, message) => writeLotState(recordId, OwnerLookupState.feilet, message),
    markNotConfigured: (recordId, message) =>
      writeLotState(recordId, OwnerLookupState.ikkeKonfigurert, message),
    eraseOwners: (recordId, erasure) => eraseOwners(client, recordId, erasure),
    lotsMarkedNotRelevant: () => lotsMarkedNotRelevant(client),
    lotsWaitingForLookup: () => lotsWaitingForLookup(client),
  };
}

type LotStateUpdate = { id: string; fields: Record<string, unknown> };

/**
 * Lot state writes, coalesced: up to 10 lots a request. Two states of one lot in one batch keep
 * the later one. A batch Airtable refuses is sent again lot by lot, so one lot deleted meanwhile
 * fails only its own lookup.
 */
function lotStateWriter(client: AirtableRecordsClient) {
  const submit = createCoalescer<LotStateUpdate>((updates) =>
    allOrEachAlone(updates, (some) => client.update(TOMTER, latestPerRecord(some)).then(() => undefined)),
  );
  return (recordId: string, state: string, message: string, ownerCount?: number | null) =>
    submit({
      id: recordId,
      fields: {
        [T.eieroppslag]: state,
        [T.eieroppslagMelding]: message.slice(0, MESSAGE_MAX),
        ...(ownerCount !== undefined ? { [T.antallEiere]: ownerCount } : {}),
      },
    });
}

function latestPerRecord(updates: LotStateUpdate[]): LotStateUpdate[] {
  const byId = new Map<string, LotStateUpdate>();
  for (const u of updates) byId.set(u.id, { id: u.id, fields: { ...byId.get(u.id)?.fields, ...u.fields } });
  return [...byId.values()];
}

async function resolveLot(client: AirtableRecordsClient, lot: LotRef): Promise<string | null> {
  if (lot.recordId) return lot.recordId;
  const records = await client.listAll(TOMTER, {
    fields: [T.tomtId],
    filterByFormula: `{${T.tomtId}}=${formulaString(lot.tomtId)}`,
  });
  return records[0]?.id ?? null;
}

async function existingByOwnershipId(
  client: AirtableRecordsClient,
  ids: string[],
): Promise<Map<string, ExistingOwner>> {
  const found = new Map<string, ExistingOwner>();
  if (ids.length === 0) return found;
  for (const filterByFormula of anyOfFormulas(E.eierId, unique(ids))) {
    const records = await client.listAll<EiereRecord>(EIERE, {
      fields: [E.eierId, E.tomter],
      filterByFormula,
    });
    for (const record of records) {
      const key = record.fields[E.eierId];
      if (key) found.set(key, { id: record.id, links: record.fields[E.tomter] ?? [] });
    }
  }
  return found;
}

async function writeOwnerRecords(
  client: AirtableRecordsClient,
  lots: LotOwnersToWrite[],
  known: ReadonlyMap<string, OwnerRecordLinks> = new Map(),
): Promise<Map<string, OwnerRecordLinks>> {
  const toRead = lots.flatMap(({ owners }) => [...owners.possiblyExisting, ...owners.formerIds]);
  const existing = await existingByOwnershipId(
    client,
    toRead.filter((id) => !known.has(id)),
  );
  for (const [id, record] of known) if (!existing.has(id)) existing.set(id, record);
  const current = [...currentOwnersOf(lots).values()];
  const written = new Map<string, OwnerRecordLinks>();
  if (current.length > 0) {
    // The links are read above (or known) and replaced here: callers hold the locks on these
    // records (jobs/owner-record-lock.ts), so no other writer's link is dropped in between.
    const upserts = current.map(({ ownership, fetched, lotIds }) => ({
      fields: ownerFields(
        ownership,
        fetched,
        unique([...(existing.get(ownership.id)?.links ?? []), ...lotIds]),
      ),
    }));
    const result = await client.upsert(EIERE, upserts, [E.eierId]);
    // Airtable answers in the order sent; the links are what was sent (a link array is replaced).
    upserts.forEach(({ fields }, i) => {
      const id = result.records[i]?.id;
      if (id) written.set(fields[E.eierId], { id, links: fields[E.tomter] });
    });
  }
  // An owner another lot of this batch still reports as current is not marked former by this one.
  const currentIds = new Set(current.map((c) => c.ownership.id));
  const former = unique(lots.flatMap(({ owners }) => owners.formerIds))
    .filter((id) => !currentIds.has(id))
    .flatMap((id) => existing.get(id) ?? []);
  if (former.length > 0) {
    await client.update(
      EIERE,
      former.map((r) => ({ id: r.id, fields: { [E.eierstatus]: OwnerStatusLabel.tidligere } })),
    );
  }
  return written;
}

/** Each current ownership once, with every lot of the batch that holds it and the latest fetch date. */
function currentOwnersOf(lots: LotOwnersToWrite[]) {
  const byId = new Map<string, { ownership: LotOwnership; fetched: string; lotIds: string[] }>();
  for (const { recordId, owners } of lots) {
    const fetched = owners.fetchedAt.toISOString().slice(0, 10);
    for (const ownership of owners.ownerships) {
      const seen = byId.get(ownership.id);
      byId.set(ownership.id, {
        ownership,
        fetched: seen && seen.fetched > fetched ? seen.fetched : fetched,
        lotIds: [...(seen?.lotIds ?? []), recordId],
      });
    }
  }
  return byId;
}

/** The lookup's own Eiere fields for one ownership. */
function ownerFields({ id, owner, share }: LotOwnership, fetched: string, links: string[]) {
  return {
    [E.eierId]: id,
    [E.navn]: owner.name,
    [E.type]: OwnerTypeLabel[owner.kind],
    [E.organisasjonsnummer]: owner.organisasjonsnummer ?? '',
    [E.andel]: formatShare(share) ?? '',
    [E.rolle]: OwnerRoleLabel[owner.role],
    [E.matrikkelnummer]: parcelLabel(owner.parcel),
    [E.kilde]: owner.registered ? SOURCE_REGISTERED : SOURCE_NOTED,
    [E.hentet]: fetched,
    [E.eierstatus]: OwnerStatusLabel.gjeldende,
    [E.tomter]: links,
  };
}

async function eraseOwners(
  client: AirtableRecordsClient,
  recordId: string,
  erasure: ErasureToWrite,
): Promise<void> {
  const existing = await existingByOwnershipId(client, [...erasure.clear, ...erasure.unlink]);
  const updates = erasureUpdates(erasure, existing, recordId);
  if (updates.length > 0) await client.update(EIERE, updates);
  await client.update(TOMTER, [
    {
      id: recordId,
      fields: { [T.antallEiere]: null, [T.eieroppslagMelding]: erasure.message.slice(0, MESSAGE_MAX) },
    },
  ]);
}

function erasureUpdates(erasure: ErasureToWrite, existing: Map<string, ExistingOwner>, recordId: string) {
  const records = (ids: string[]) => ids.flatMap((id) => existing.get(id) ?? []);
  return [
    ...records(erasure.clear).map((record) => ({ id: record.id, fields: clearedOwnerFields() })),
    ...records(erasure.unlink).map((record) => ({
      id: record.id,
      fields: { [E.tomter]: record.links.filter((link) => link !== recordId) },
    })),
  ];
}

/** An erased owner: every personal field empty, no links, the status saying so. */
function clearedOwnerFields() {
  return {
    [E.navn]: '',
    [E.organisasjonsnummer]: '',
    [E.andel]: '',
    [E.telefon]: '',
    [E.epost]: '',
    [E.notater]: '',
    [E.tomter]: [],
    [E.eierstatus]: OwnerStatusLabel.slettet,
  };
}

async function lotsMarkedNotRelevant(client: AirtableRecordsClient): Promise<LotRef[]> {
  return lotsWhere(client, `{${T.status}}=${formulaString(LotStatus.ikkeAktuell)}`);
}

async function lotsWaitingForLookup(client: AirtableRecordsClient) {
  const [formula] = anyOfFormulas(T.eieroppslag, [OwnerLookupState.forespurt, OwnerLookupState.pagar]);
  return lotsWhere(client, formula!);
}

async function lotsWhere(client: AirtableRecordsClient, filterByFormula: string) {
  const records = await client.listAll<{ [T.tomtId]?: string }>(TOMTER, {
    fields: [T.tomtId],
    filterByFormula,
  });
  return records
    .filter((r) => r.fields[T.tomtId])
    .map((r) => ({ tomtId: r.fields[T.tomtId]!, recordId: r.id }));
}
