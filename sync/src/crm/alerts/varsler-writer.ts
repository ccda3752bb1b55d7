import { ALERT_TYPE_LABELS, type Alert } from '../../domain/alert.js';
import type { SyncedRecordStore } from '../../store/airtable-records.js';
import { MAX_RECORDS_PER_REQUEST } from '../airtable/records.js';
import type { AirtableFields, AirtableRecordsClient } from '../airtable/types.js';
import { kommunerTable } from '../schema/kommuner.js';
import { tomterTable } from '../schema/tomter.js';
import { VarslerField as F, varslerTable } from '../schema/varsler.js';

export interface VarslerWriteResult {
  created: number;
  /** Alerts Airtable already had a record of (a store that lost track): rewritten, not duplicated. */
  updated: number;
  /** Not written: they did not fit under the record ceiling (written by a later run). */
  heldBack: number;
}

export interface VarslerWriteOptions {
  state: SyncedRecordStore;
  /** The base's record ceiling: asked once with the number of alerts, all or none. */
  admitCreates?: (count: number) => Promise<boolean>;
  /** ISO date of an alert in the base's time zone. */
  dateOf: (iso: string) => string;
}

/**
 * Writes alerts Airtable has not had to Varsler: upserted on Varsel-ID (a rerun or a lost store
 * never makes a second record), 10 per request, each request's records kept in the store's record
 * index as soon as it lands. Never deletes; "Lest" is the team's and never sent. The links to the
 * lot and the kommune are set when the sync knows their records.
 */
export async function writeAlertsToAirtable(
  client: AirtableRecordsClient,
  alerts: readonly Alert[],
  options: VarslerWriteOptions,
): Promise<VarslerWriteResult> {
  const result: VarslerWriteResult = { created: 0, updated: 0, heldBack: 0 };
  if (alerts.length === 0) return result;
  if (options.admitCreates && !(await options.admitCreates(alerts.length)))
    return { ...result, heldBack: alerts.length };
  const lots = options.state.get(tomterTable.name, unique(alerts.map((a) => a.lotId)));
  const kommuner = options.state.get(kommunerTable.name, unique(alerts.map((a) => a.kommunenummer)));
  const recordOf = (key: string | null, known: typeof lots) => {
    const id = key === null ? '' : (known.get(key)?.recordId ?? '');
    return id ? [id] : undefined;
  };
  for (let i = 0; i < alerts.length; i += MAX_RECORDS_PER_REQUEST) {
    const chunk = alerts.slice(i, i + MAX_RECORDS_PER_REQUEST);
    const written = await client.upsert(
      varslerTable.name,
      chunk.map((alert) => ({
        fields: fieldsOf(alert, options.dateOf, {
          [F.tomt]: recordOf(alert.lotId, lots),
          [F.kommune]: recordOf(alert.kommunenummer, kommuner),
        }),
      })),
      [F.varselId],
    );
    result.created += written.createdRecords.length;
    result.updated += written.updatedRecords.length;
    const at = new Date().toISOString();
    options.state.save(
      varslerTable.name,
      written.records.map((r) => ({
        key: String(r.fields[F.varselId]),
        recordId: r.id,
        fieldHashes: {},
        syncedAt: at,
      })),
    );
  }
  return result;
}

function fieldsOf(
  alert: Alert,
  dateOf: (iso: string) => string,
  links: Record<string, string[] | undefined>,
) {
  const fields: AirtableFields = {
    [F.varselId]: alert.key,
    [F.type]: ALERT_TYPE_LABELS[alert.type],
    [F.dato]: dateOf(alert.createdAt),
    [F.tittel]: alert.title,
    [F.tekst]: alert.text,
    [F.kommunenummer]: alert.kommunenummer,
  };
  for (const [field, value] of Object.entries(links)) if (value) fields[field] = value;
  return fields;
}

function unique(values: Array<string | null>): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))];
}
