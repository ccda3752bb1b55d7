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
type ExistingOwner = { id: string; links: string[] };

/**
 * Eiere records are upserted on Eier-ID with only the lookup's own fields, so the team's fields
 * (Kontaktstatus, Telefon, E-post, Notater) are never touched by a lookup. Link arrays are
 * replaced by Airtable on write, so the lot is added to the links the record already has.
 */
export function createOwnerLookupWriter(client: AirtableRecordsClient): OwnerLookupWriter {
  return {
    resolve: (lot) => resolveLot(client, lot),
    markRunning: (recordId, message) => writeLotState(client, recordId, OwnerLookupState.pagar, message),
    writeOwners: async (recordId, owners) => {
      await writeOwnerRecords(client, recordId, owners);
      await writeLotState(client, recordId, OwnerLookupState.ferdig, owners.message, owners.ownerCount);
    },
    writeOwnerRecords: (recordId, owners) => writeOwnerRecords(client, recordId, owners),
    markFinished: (recordId, ownerCount, message) =>
      writeLotState(client, recordId, OwnerLookupState.ferdig, message, ownerCount),
    markFailed: (recordId, message) => writeLotState(client, recordId, OwnerLookupState.feilet, message),
    markNotConfigured: (recordId, message) =>
      writeLotState(client, recordId, OwnerLookupState.ikkeKonfigurert, message),
    eraseOwners: (recordId, erasure) => eraseOwners(client, recordId, erasure),
    lotsMarkedNotRelevant: () => lotsMarkedNotRelevant(client),
    lotsWaitingForLookup: () => lotsWaitingForLookup(client),
  };
}

async function resolveLot(client: AirtableRecordsClient, lot: LotRef): Promise<string | null> {
  if (lot.recordId) return lot.recordId;
  const records = await client.listAll(TOMTER, {
    fields: [T.tomtId],
    filterByFormula: `{${T.tomtId}}=${formulaString(lot.tomtId)}`,
  });
  return records[0]?.id ?? null;
}

async function writeLotState(
  client: AirtableRecordsClient,
  recordId: string,
  state: string,
  message: string,
  ownerCount?: number | null,
): Promise<void> {
  await client.update(TOMTER, [
    {
      id: recordId,
      fields: {
        [T.eieroppslag]: state,
        [T.eieroppslagMelding]: message.slice(0, MESSAGE_MAX),
        ...(ownerCount !== undefined ? { [T.antallEiere]: ownerCount } : {}),
      },
    },
  ]);
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
  recordId: string,
  owners: OwnersToWrite,
): Promise<void> {
  const existing = await existingByOwnershipId(client, [...owners.possiblyExisting, ...owners.formerIds]);
  const fetched = owners.fetchedAt.toISOString().slice(0, 10);
  if (owners.ownerships.length > 0) {
    // The links are read above and replaced here: callers hold the locks on these records
    // (jobs/owner-record-lock.ts), so no other writer's link is dropped in between.
    await client.upsert(
      EIERE,
      owners.ownerships.map((o) => ({
        fields: ownerFields(o, fetched, unique([...(existing.get(o.id)?.links ?? []), recordId])),
      })),
      [E.eierId],
    );
  }
  const former = owners.formerIds.map((id) => existing.get(id)).filter((r) => r !== undefined);
  if (former.length > 0) {
    await client.update(
      EIERE,
      former.map((r) => ({ id: r.id, fields: { [E.eierstatus]: OwnerStatusLabel.tidligere } })),
    );
  }
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
