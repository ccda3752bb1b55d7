import type { Record as AirtableRecord } from '@airtable/blocks/models';
import { TomterField } from '@tomtejakt/sync/crm/schema';
import type { LotFieldKey } from '../settings/lot-fields.js';
import type { LotSchema } from '../settings/lot-schema.js';

/**
 * A record's cell values keyed by the default Tomter field names, whatever the base calls its
 * fields, so the shared `lotViewFromFields` reads a remapped base unchanged.
 */
export function lotCells(
  record: AirtableRecord,
  schema: LotSchema,
  keys: ReadonlyArray<LotFieldKey>,
): Record<string, unknown> {
  const cells: Record<string, unknown> = {};
  for (const key of keys) {
    const field = schema.fields[key].field;
    if (field) cells[TomterField[key]] = record.getCellValue(field);
  }
  return cells;
}
