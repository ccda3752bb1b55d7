import type { LotParcels, LotParcelsLookup } from '../../domain/lot-parcels.js';
import { parseMatrikkelnummertekst, type Matrikkelnummer } from '../../domain/parcel.js';
import type { AirtableRecord, AirtableRecordsClient } from '../airtable/types.js';
import { TomterField as T, tomterTable } from '../schema/tomter.js';
import { formulaString } from './formula.js';

type TomterFields = {
  [T.tomtId]?: string;
  [T.kommunenummer]?: string;
  [T.matrikkelnummer]?: string;
  [T.gnr]?: number;
  [T.bnr]?: number;
  [T.fnr]?: number;
  [T.snr]?: number;
};

const FIELDS = [T.tomtId, T.kommunenummer, T.matrikkelnummer, T.gnr, T.bnr, T.fnr, T.snr];

/**
 * A lot's parcels read from its Tomter record (Kommunenummer with Gnr/Bnr/Fnr/Snr, or the
 * Matrikkelnummer text). For bases where the lot store is not at hand; it costs an Airtable
 * request per webhook call, so the store-backed lookup is preferred. A record without a Tomt-ID
 * and a parcel number is not a lot.
 */
export function createAirtableLotParcelsLookup(client: AirtableRecordsClient): LotParcelsLookup {
  return {
    async byRecordId(recordId) {
      const record = await client.get<TomterFields>(tomterTable.name, recordId);
      return record ? toLotParcels(record) : null;
    },
    async byTomtId(tomtId) {
      const [record] = await client.listAll<TomterFields>(tomterTable.name, {
        fields: FIELDS,
        filterByFormula: `{${T.tomtId}}=${formulaString(tomtId)}`,
      });
      return record ? toLotParcels(record) : null;
    },
  };
}

export function toLotParcels(record: AirtableRecord<TomterFields>): LotParcels | null {
  const f = record.fields;
  const tomtId = f[T.tomtId];
  const kommunenummer = f[T.kommunenummer];
  if (!tomtId || !kommunenummer || !/^\d{4}$/.test(kommunenummer)) return null;
  let parcel: Matrikkelnummer | null = null;
  if (Number.isInteger(f[T.gnr]) && Number.isInteger(f[T.bnr])) {
    parcel = { kommunenummer, gnr: f[T.gnr]!, bnr: f[T.bnr]!, fnr: f[T.fnr] ?? 0, snr: f[T.snr] ?? 0 };
  } else {
    const text = f[T.matrikkelnummer];
    if (text) parcel = parseMatrikkelnummertekst(kommunenummer, text);
  }
  if (!parcel) return null;
  return { tomtId, recordId: record.id, kommunenummer, matrikkelenheter: [parcel], matrikkelenhetId: null };
}
