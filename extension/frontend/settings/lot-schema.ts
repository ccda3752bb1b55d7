import type { Base, Field, Table } from '@airtable/blocks/models';
import type { useGlobalConfig } from '@airtable/blocks/ui';
import { tomterTable } from '@tomtejakt/sync/crm/schema';
import {
  ALLOWED_FIELD_TYPES,
  LOT_FIELD_KEYS,
  REQUIRED_FIELD_KEYS,
  defaultFieldName,
  type LotFieldKey,
} from './lot-fields.js';

/** GlobalConfig keys (shared by everyone who uses this installation of the extension). */
export const ConfigKey = {
  tableId: 'tableId',
  fieldIds: 'fieldIds',
  tileUrl: 'tileUrl',
  tileAttribution: 'tileAttribution',
} as const;

export const fieldConfigKey = (key: LotFieldKey): [string, string] => [ConfigKey.fieldIds, key];

/** The part of GlobalConfig the resolution reads. */
export type ConfigReader = Pick<ReturnType<typeof useGlobalConfig>, 'get'>;

export type Source = 'chosen' | 'default' | 'missing';

export interface ResolvedField {
  field: Field | null;
  source: Source;
  /** Set when a chosen field or its type no longer fits, explained in Norwegian. */
  warning: string | null;
}

export interface LotSchema {
  table: Table | null;
  tableSource: Source;
  tableWarning: string | null;
  fields: Record<LotFieldKey, ResolvedField>;
  /** Required fields that could not be found: the map cannot be shown until they are mapped. */
  missingRequired: LotFieldKey[];
}

const stringAt = (config: ConfigReader, key: string | string[]): string | null => {
  const value = config.get(key);
  return typeof value === 'string' && value !== '' ? value : null;
};

function resolveField(table: Table, config: ConfigReader, key: LotFieldKey): ResolvedField {
  const allowed = ALLOWED_FIELD_TYPES[key];
  const chosenId = stringAt(config, fieldConfigKey(key));
  let warning: string | null = null;
  if (chosenId) {
    const chosen = table.getFieldByIdIfExists(chosenId);
    if (chosen && allowed.includes(chosen.type)) return { field: chosen, source: 'chosen', warning: null };
    warning = chosen
      ? `Feltet «${chosen.name}» har en type utvidelsen ikke kan lese`
      : 'Det valgte feltet finnes ikke lenger';
  }
  const byName = table.getFieldByNameIfExists(defaultFieldName(key));
  if (byName && allowed.includes(byName.type)) return { field: byName, source: 'default', warning };
  if (byName && !warning) warning = `Feltet «${byName.name}» har en type utvidelsen ikke kan lese`;
  return { field: null, source: 'missing', warning };
}

/**
 * Finds the Tomter table and its fields: what the settings screen chose, else the names
 * `setup-base` creates, so a base set up by Tomtejakt works with no configuration at all.
 */
export function resolveLotSchema(base: Base, config: ConfigReader): LotSchema {
  let table: Table | null = null;
  let tableSource: Source = 'missing';
  let tableWarning: string | null = null;
  const chosenTableId = stringAt(config, ConfigKey.tableId);
  if (chosenTableId) {
    table = base.getTableByIdIfExists(chosenTableId);
    if (table) tableSource = 'chosen';
    else tableWarning = 'Den valgte tabellen finnes ikke lenger';
  }
  if (!table) {
    table = base.getTableByNameIfExists(tomterTable.name);
    if (table) tableSource = 'default';
  }
  const fields = {} as Record<LotFieldKey, ResolvedField>;
  for (const key of LOT_FIELD_KEYS) {
    fields[key] = table
      ? resolveField(table, config, key)
      : { field: null, source: 'missing', warning: null };
  }
  return {
    table,
    tableSource,
    tableWarning,
    fields,
    missingRequired: REQUIRED_FIELD_KEYS.filter((key) => !fields[key].field),
  };
}

/** The field ids to load: each resolved field once. */
export function fieldsToLoad(schema: LotSchema): Field[] {
  const seen = new Set<string>();
  const out: Field[] = [];
  for (const key of LOT_FIELD_KEYS) {
    const field = schema.fields[key].field;
    if (field && !seen.has(field.id)) {
      seen.add(field.id);
      out.push(field);
    }
  }
  return out;
}
