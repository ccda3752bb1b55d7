import { fieldRef, formulaString } from '../airtable/formula.js';
import type { AirtableRecordsClient } from '../airtable/types.js';
import { LotStatus, TomterField as F, tomterTable } from '../schema/tomter.js';
import type { TableSpec } from '../schema/types.js';

/** The Status values the sync writes itself (on create, and when a lot vanishes): not the team's work. */
const SYNC_STATUSES: readonly string[] = [LotStatus.ny, LotStatus.utgatt];

/**
 * The fields whose content shows that the team has worked a record, from the schema's owners:
 * every team field, and the owner lookup's, which runs only when someone on the team asks for it.
 */
export function workedFields(spec: TableSpec): string[] {
  return spec.fields.filter((f) => f.owner === 'team' || f.owner === 'lookup').map((f) => f.name);
}

/**
 * A formula true for the records the team has touched: Status set to anything but what the sync
 * sets itself, or any other worked field filled in (in Airtable a field alone is true when it is
 * not empty).
 */
export function touchedFormula(spec: TableSpec = tomterTable): string {
  const tests = workedFields(spec).map((name) =>
    name === F.status ? statusSetByTeam(fieldRef(name)) : fieldRef(name),
  );
  return `OR(${tests.join(',')})`;
}

function statusSetByTeam(status: string): string {
  return `AND(${[status, ...SYNC_STATUSES.map((s) => `${status}!=${formulaString(s)}`)].join(',')})`;
}

/** The Tomt-IDs of a kommune's records the team has touched: one listing of the key alone. */
export async function readTouchedKeys(
  client: AirtableRecordsClient,
  kommuneScope: string,
): Promise<Set<string>> {
  const records = await client.listAll(tomterTable.name, {
    fields: [F.tomtId],
    filterByFormula: `AND(${kommuneScope},${touchedFormula()})`,
  });
  return new Set(
    records.map((r) => r.fields[F.tomtId]).filter((key): key is string => typeof key === 'string'),
  );
}

/**
 * The Tomt-IDs of a kommune's lots the team works: Status set to anything but what the sync sets
 * ("Ny", "Utgått"). One listing of the key alone; the change alerts ask for it.
 */
export async function readWorkedKeys(
  client: AirtableRecordsClient,
  kommunenummer: string,
): Promise<Set<string>> {
  const scope = `${fieldRef(F.kommunenummer)}=${formulaString(kommunenummer)}`;
  const records = await client.listAll(tomterTable.name, {
    fields: [F.tomtId],
    filterByFormula: `AND(${scope},${statusSetByTeam(fieldRef(F.status))})`,
  });
  return new Set(
    records.map((r) => r.fields[F.tomtId]).filter((key): key is string => typeof key === 'string'),
  );
}
