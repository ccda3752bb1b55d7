import { kommuneRulesSchema, type KommuneRules } from '../config/kommune-rules.js';
import {
  explainKommune,
  explanationContext,
  type KommuneExplanationContext,
} from '../scoring/kommune/explanation.js';
import { FACTORS } from '../scoring/kommune/factors.js';
import type { KommuneFactorKey } from '../scoring/kommune/types.js';
import type { StoredKommune, StoredRanking } from '../store/kommune-ranking.js';
import type { Logger } from '../util/logger.js';
import type { SyncedRecordStore } from '../store/airtable-records.js';
import { MAX_RECORDS_PER_REQUEST } from './airtable/client.js';
import type { AirtableFields, AirtableRecordsClient } from './airtable/types.js';
import { syncTable } from './sync/table-sync.js';
import {
  ConfidenceLabel,
  KommuneFactorFields,
  KommunerExtraField,
  KommunerField,
  kommunerTable,
} from './schema/index.js';

export interface KommunerWriteResult {
  created: number;
  updated: number;
  unchanged: number;
  /** Kommunenummer found on more than one record: left alone (an upsert on them would fail the batch). */
  duplicates: string[];
  /** Kommuner without a record whose creation the record ceiling held back (all of them or none). */
  heldBack: string[];
  writeRequests: number;
}

/**
 * The sync-owned fields of one kommune (team fields Prioritet and Notater are never among them).
 * The explanation leaves out where the figures come from (Oppdatert says when), so a week with
 * the same figures sends nothing.
 */
export function kommuneFields(
  k: StoredKommune,
  updated: string,
  explain?: KommuneExplanationContext,
): AirtableFields {
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
    [KommunerExtraField.folketall]: k.population === null ? null : round(k.population, 0),
    [KommunerExtraField.underMinstegrense]: k.belowMinPopulation,
    [KommunerExtraField.tilvekst5ar]: numberOrNull(k.factors.markedsstorrelse.detail.tilvekst5ar, 0),
    [KommunerExtraField.omsetningerPerAr]: numberOrNull(
      k.factors.markedsstorrelse.detail.omsetningerPerAr,
      0,
    ),
    [KommunerExtraField.boligprisEndring]: numberOrNull(k.factors.boligpris.detail.endring5ar, 1),
    ...(explain ? { [KommunerExtraField.forklaring]: explainKommune(k, explain).join('\n') } : {}),
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
 * Writes the ranking to the Airtable table Kommuner through the generic table sync: merged on
 * Kommunenummer, only kommuner whose figures changed are sent (Oppdatert goes along but is never a
 * reason to write), at most 10 per request. Prioritet and Notater are the team's and never sent.
 */
export async function writeKommunerToAirtable(
  client: AirtableRecordsClient,
  ranking: StoredRanking,
  options: {
    state: SyncedRecordStore;
    logger?: Logger;
    table?: string;
    rules?: KommuneRules;
    /** The base's record ceiling: asked once with the number of new records, all or none. */
    admitCreates?: (creates: number) => Promise<boolean>;
  },
): Promise<KommunerWriteResult> {
  const updated = (ranking.refresh.finishedAt ?? ranking.refresh.startedAt).slice(0, 10);
  const explain = explanationContext(ranking.kommuner, options.rules ?? kommuneRulesSchema.parse({}));
  const sync = await syncTable({
    client,
    state: options.state,
    spec: options.table ? { ...kommunerTable, name: options.table } : kommunerTable,
    desired: ranking.kommuner.map((k) => {
      const {
        [KommunerField.oppdatert]: oppdatert,
        [KommunerField.kommunenummer]: _key,
        ...fields
      } = kommuneFields(k, updated, explain);
      return { key: k.kommune.kommunenummer, fields, companions: { [KommunerField.oppdatert]: oppdatert } };
    }),
    logger: options.logger,
    label: 'Kommuner',
    ...(options.admitCreates ? { admitCreates: options.admitCreates } : {}),
  });
  const duplicates = sync.failed.filter((f) => /duplicates/.test(f.message)).map((f) => f.key);
  const result: KommunerWriteResult = {
    created: sync.created.length,
    updated: sync.updated.length,
    unchanged: sync.unchanged,
    duplicates,
    heldBack: sync.heldBack,
    // syncTable sends its writes (creates and updates together) in requests of at most 10.
    writeRequests: Math.ceil((sync.created.length + sync.updated.length) / MAX_RECORDS_PER_REQUEST),
  };
  if (duplicates.length > 0)
    options.logger?.warn('Kommuner: several records share a Kommunenummer; left unchanged', {
      kommuner: duplicates.join(','),
    });
  options.logger?.info('Kommuner written to Airtable', { ...result, duplicates: duplicates.length });
  return result;
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
