import type { KommunePin } from '../domain/kommune.js';
import { fieldIsOneOf } from './airtable/formula.js';
import type { AirtableRecordsClient } from './airtable/types.js';
import { KommunePriority, KommunerField, kommunerTable } from './schema/index.js';

/** The Prioritet choices that steer the nightly run, and what each means to it. */
export const PIN_OF_PRIORITY: Readonly<Record<string, KommunePin>> = {
  [KommunePriority.alltidMed]: 'always',
  [KommunePriority.ikkeAktuell]: 'never',
};

/** The words the team sees for a pin (its Prioritet choice). */
export const PRIORITY_OF_PIN: Readonly<Record<KommunePin, string>> = {
  always: KommunePriority.alltidMed,
  never: KommunePriority.ikkeAktuell,
};

export interface KommunePriorities {
  /** Per kommunenummer, the pin its Prioritet sets. */
  pins: Map<string, KommunePin>;
  /** Kommuner on several records whose Prioritet disagrees: left without a pin. */
  conflicts: string[];
  /** Records with a pin but no four-digit Kommunenummer: ignored. */
  unkeyed: number;
}

/**
 * Reads the team's field Prioritet from the Airtable table Kommuner: only the records whose
 * Prioritet is "Alltid med" or "Ikke aktuell" (one request for up to 100 of them), only the key
 * and that field. It never writes; the field is the team's.
 */
export async function readKommunePriorities(
  client: AirtableRecordsClient,
  options: { table?: string } = {},
): Promise<KommunePriorities> {
  const records = await client.listAll(options.table ?? kommunerTable.name, {
    fields: [KommunerField.kommunenummer, KommunerField.prioritet],
    filterByFormula: fieldIsOneOf(KommunerField.prioritet, Object.keys(PIN_OF_PRIORITY)),
  });
  const seen = new Map<string, Set<KommunePin>>();
  let unkeyed = 0;
  for (const record of records) {
    const key = record.fields[KommunerField.kommunenummer];
    const pin = PIN_OF_PRIORITY[String(record.fields[KommunerField.prioritet])];
    if (!pin) continue;
    const kommunenummer = typeof key === 'string' ? key.trim() : '';
    if (!/^\d{4}$/.test(kommunenummer)) {
      unkeyed += 1;
      continue;
    }
    seen.set(kommunenummer, (seen.get(kommunenummer) ?? new Set()).add(pin));
  }
  const pins = new Map<string, KommunePin>();
  const conflicts: string[] = [];
  for (const [kommunenummer, found] of [...seen].sort(([a], [b]) => a.localeCompare(b))) {
    if (found.size > 1) conflicts.push(kommunenummer);
    else pins.set(kommunenummer, [...found][0]!);
  }
  return { pins, conflicts, unkeyed };
}
