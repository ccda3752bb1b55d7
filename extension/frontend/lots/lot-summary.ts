import type { Record as AirtableRecord } from '@airtable/blocks/models';
import { lotViewFromFields } from '@tomtejakt/sync/crm/tomter-cells';
import type { LotView } from '@tomtejakt/sync/presentation';
import { TomterField } from '@tomtejakt/sync/crm/schema';
import { SUMMARY_FIELD_KEYS } from '../settings/lot-fields.js';
import type { LotSchema } from '../settings/lot-schema.js';
import { lotCells } from './lot-cells.js';
import { mapGeometryOf, type MapGeometry } from './lot-geometry.js';

/** What the map and the filters know about every lot. */
export interface LotSummary extends Pick<
  LotView,
  | 'tomtId'
  | 'kommunenummer'
  | 'kommune'
  | 'matrikkelnummer'
  | 'score'
  | 'klasse'
  | 'konfidens'
  | 'status'
  | 'eieroppslag'
> {
  recordId: string;
  hasPlanWork: boolean;
  /** Kept below the Airtable policy: drawn dashed and faint, and a filter can hide it. */
  underTerskel: boolean;
  geometry: MapGeometry | null;
  geometryProblem: string | null;
}

export function lotSummaryOf(recordId: string, cells: Record<string, unknown>, name: string): LotSummary {
  const view = lotViewFromFields(cells, TomterField, name);
  const map = view.geometry ? mapGeometryOf(view.geometry, view.centre) : null;
  return {
    recordId,
    tomtId: view.tomtId,
    kommunenummer: view.kommunenummer,
    kommune: view.kommune,
    matrikkelnummer: view.matrikkelnummer,
    score: view.score,
    klasse: view.klasse,
    konfidens: view.konfidens,
    status: view.status,
    eieroppslag: view.eieroppslag,
    hasPlanWork: view.planarbeidPagar.length > 0,
    underTerskel: view.underTerskel,
    geometry: map?.geometry ?? null,
    geometryProblem: view.geometryProblem ?? map?.problem ?? null,
  };
}

/** Select cells come as {id, name, color} objects; their name is what a change shows in. */
const comparable = (value: unknown): unknown =>
  value && typeof value === 'object' && 'name' in value ? (value as { name: unknown }).name : value;

/**
 * Summaries are rebuilt only for records whose summary cells changed: useRecords re-renders on
 * every change in the table, and re-parsing 5,000 geometries each time would stall the map.
 */
export class LotSummaryCache {
  private readonly entries = new Map<string, { key: unknown[]; summary: LotSummary }>();
  private fieldIds = '';

  summarize(records: ReadonlyArray<AirtableRecord>, schema: LotSchema): LotSummary[] {
    const fieldIds = SUMMARY_FIELD_KEYS.map((key) => schema.fields[key].field?.id ?? '-').join();
    if (fieldIds !== this.fieldIds) {
      this.entries.clear();
      this.fieldIds = fieldIds;
    }
    const seen = new Set<string>();
    const out = records.map((record) => {
      seen.add(record.id);
      const cells = lotCells(record, schema, SUMMARY_FIELD_KEYS);
      const key = Object.values(cells).map(comparable);
      const cached = this.entries.get(record.id);
      if (cached && cached.key.length === key.length && cached.key.every((v, i) => v === key[i])) {
        return cached.summary;
      }
      // record.name formats the primary cell, which costs; only a base without Tomt-ID needs it.
      const summary = lotSummaryOf(record.id, cells, schema.fields.tomtId.field ? '' : record.name);
      this.entries.set(record.id, { key, summary });
      return summary;
    });
    for (const id of this.entries.keys()) if (!seen.has(id)) this.entries.delete(id);
    return out;
  }
}
