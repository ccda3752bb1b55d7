import { FACTORS } from '../scoring/kommune/factors.js';
import type { KommuneFactorKey } from '../scoring/kommune/types.js';
import type { StoredKommune, StoredRanking } from '../store/kommune-ranking.js';
import type { Logger } from '../util/logger.js';
import type { AirtableFields, AirtableRecordsClient } from './airtable/types.js';
import {
  ConfidenceLabel,
  KommuneFactorFields,
  KommunerExtraField,
  KommunerField,
  kommunerTable,
} from './schema/index.js';

/** Airtable takes at most 10 records per write request. */
const BATCH = 10;

export interface KommunerWriteResult {
  created: number;
  updated: number;
  unchanged: number;
  /** Kommunenummer found on more than one record: left alone (an upsert on them would fail the batch). */
  duplicates: string[];
  writeRequests: number;
}

/** Decimals each number field is compared at (float noise must not count as a change). */
const DECIMALS: Record<string, number> = {
  [KommunerField.score]: 1,
  [KommunerField.rangering]: 0,
  [KommunerExtraField.folketall]: 0,
  [KommunerExtraField.boligprisEndring]: 1,
  ...Object.fromEntries(
    Object.values(KommuneFactorFields).flatMap((f) => [
      [f.verdi, Math.max(f.desimaler, 2)],
      [f.normalisert, 3],
    ]),
  ),
};

/** The sync-owned fields of one kommune (team fields Prioritet and Notater are never among them). */
export function kommuneFields(k: StoredKommune, updated: string): AirtableFields {
  const fields: AirtableFields = {
    [KommunerField.kommunenummer]: k.kommune.kommunenummer,
    [KommunerField.kommune]: k.kommune.navn,
    [KommunerField.fylke]: k.kommune.fylkesnavn ?? k.kommune.fylkesnummer,
    [KommunerField.score]: k.score === null ? null : round(k.score, 1),
    [KommunerField.rangering]: k.rank,
    [KommunerField.topp50]: k.top,
    [KommunerField.konfidens]: ConfidenceLabel[k.confidence],
    [KommunerField.manglendeFaktorer]: k.missing.map(labelOf).join(', '),
    [KommunerField.oppdatert]: updated,
    [KommunerExtraField.folketall]: numberOrNull(k.factors.befolkningsvekst.detail.folketall, 0),
    [KommunerExtraField.boligprisEndring]: numberOrNull(k.factors.boligpris.detail.endring5ar, 1),
  };
  for (const [key, names] of Object.entries(KommuneFactorFields) as Array<
    [KommuneFactorKey, (typeof KommuneFactorFields)[KommuneFactorKey]]
  >) {
    const factor = k.factors[key];
    fields[names.verdi] = factor.raw === null ? null : round(factor.raw, Math.max(names.desimaler, 2));
    fields[names.ar] = factor.year ?? '';
    fields[names.normalisert] = factor.normalised === null ? null : round(factor.normalised, 3);
  }
  return fields;
}

/**
 * Writes the ranking to the Airtable table Kommuner, merging on Kommunenummer: only rows whose
 * figures changed are sent (Oppdatert alone does not count as a change), at most 10 per request,
 * through the shared AirtableRecordsClient. Prioritet and Notater are the team's and never sent.
 */
export async function writeKommunerToAirtable(
  client: AirtableRecordsClient,
  ranking: StoredRanking,
  options: { logger?: Logger; table?: string } = {},
): Promise<KommunerWriteResult> {
  const table = options.table ?? kommunerTable.name;
  const syncFields = [kommunerTable.primary, ...kommunerTable.fields]
    .filter((f) => f.owner === 'sync')
    .map((f) => f.name);
  const existing = await client.listAll(table, { fields: syncFields });
  const byKey = new Map<string, AirtableFields[]>();
  for (const record of existing) {
    const key = record.fields[KommunerField.kommunenummer];
    if (typeof key !== 'string') continue;
    byKey.set(key, [...(byKey.get(key) ?? []), record.fields]);
  }
  const updated = (ranking.refresh.finishedAt ?? ranking.refresh.startedAt).slice(0, 10);
  const result: KommunerWriteResult = {
    created: 0,
    updated: 0,
    unchanged: 0,
    duplicates: [],
    writeRequests: 0,
  };
  const toSend: Array<{ fields: AirtableFields }> = [];
  for (const k of ranking.kommuner) {
    const nr = k.kommune.kommunenummer;
    const current = byKey.get(nr);
    if (current && current.length > 1) {
      result.duplicates.push(nr);
      continue;
    }
    const desired = kommuneFields(k, updated);
    if (current && sameFigures(current[0]!, desired)) {
      result.unchanged += 1;
      continue;
    }
    if (current) result.updated += 1;
    else result.created += 1;
    toSend.push({ fields: desired });
  }
  for (let i = 0; i < toSend.length; i += BATCH) {
    await client.upsert(table, toSend.slice(i, i + BATCH), [KommunerField.kommunenummer]);
    result.writeRequests += 1;
  }
  if (result.duplicates.length > 0)
    options.logger?.warn('Kommuner: several records share a Kommunenummer; left unchanged', {
      kommuner: result.duplicates.join(','),
    });
  options.logger?.info('Kommuner written to Airtable', { ...result, duplicates: result.duplicates.length });
  return result;
}

function sameFigures(current: AirtableFields, desired: AirtableFields): boolean {
  for (const [name, want] of Object.entries(desired)) {
    if (name === KommunerField.oppdatert) continue;
    if (!sameValue(current[name], want, DECIMALS[name])) return false;
  }
  return true;
}

/** Airtable leaves out empty values ("", false, null): a missing key equals any of them. */
function sameValue(have: unknown, want: unknown, decimals?: number): boolean {
  const empty = (v: unknown) => v === undefined || v === null || v === '' || v === false;
  if (empty(have) || empty(want)) return empty(have) && empty(want);
  if (typeof have === 'number' && typeof want === 'number')
    return decimals === undefined ? have === want : round(have, decimals) === round(want, decimals);
  return have === want;
}

function labelOf(key: KommuneFactorKey): string {
  return FACTORS.find((f) => f.key === key)?.label ?? key;
}

function numberOrNull(value: unknown, decimals: number): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? round(value, decimals) : null;
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
