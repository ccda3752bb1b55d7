import type { Matrikkelnummer } from './parcel.js';

/** What an owner lookup needs to know about a lot: which parcels it lies on, and its Airtable record. */
export interface LotParcels {
  tomtId: string;
  /** The lot's record id in Airtable's Tomter, once the lot has been synced there. */
  recordId: string | null;
  kommunenummer: string;
  /** `Lot.matrikkelenheter`: every matrikkelenhet of the lot's teig (usually one). */
  matrikkelenheter: Matrikkelnummer[];
  /** `Lot.matrikkelenhetId` from the teig data; saves an ident lookup for a single-parcel lot. */
  matrikkelenhetId: string | null;
}

/**
 * Finds a lot by its Airtable record id or its Tomt-ID. The webhook calls it while the caller
 * waits, so it should be a local read (the lot store); null means "not a lot".
 */
export interface LotParcelsLookup {
  byRecordId(recordId: string): Promise<LotParcels | null> | LotParcels | null;
  byTomtId(tomtId: string): Promise<LotParcels | null> | LotParcels | null;
}

/** A lookup that answers at once (the lot store): what scheduled jobs use. */
export interface LocalLotParcelsLookup extends LotParcelsLookup {
  byRecordId(recordId: string): LotParcels | null;
  byTomtId(tomtId: string): LotParcels | null;
}
