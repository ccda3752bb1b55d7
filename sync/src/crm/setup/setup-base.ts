import type { AirtableFieldModel, AirtableMetaClient } from '../airtable/types.js';
import type { FieldSpec, TableSpec } from '../schema/types.js';
import { baseLinks, baseTables, type LinkSpec } from './base-schema.js';

export type SetupChange =
  | { kind: 'table-created'; table: string; fields: number }
  | { kind: 'field-created'; table: string; field: string; type: string }
  | { kind: 'link-created'; table: string; field: string; linkedTable: string; inverseField: string | null };

/** Something in the base that differs from the schema and that setup-base does not change. */
export interface SetupDifference {
  table: string;
  field?: string;
  problem: string;
}

export interface SetupReport {
  changes: SetupChange[];
  differences: SetupDifference[];
  /** Fields that already matched. */
  matching: number;
  dryRun: boolean;
}

const lower = (s: string) => s.toLocaleLowerCase('nb');

function fieldModel(spec: FieldSpec): Omit<AirtableFieldModel, 'id'> {
  return {
    name: spec.name,
    type: spec.type,
    ...(spec.options ? { options: spec.options } : {}),
    ...(spec.description ? { description: spec.description } : {}),
  };
}

/**
 * Creates or completes the base through the Metadata API: missing tables, missing fields and
 * the Eiere↔Tomter link. It never deletes or renames anything; a field whose type or options
 * differ is reported, not changed (the API cannot change a field's type, and the team's data
 * would suffer if it could). Running it again changes nothing.
 */
export async function setupBase(
  meta: AirtableMetaClient,
  options: { dryRun?: boolean; tables?: TableSpec[]; links?: LinkSpec[] } = {},
): Promise<SetupReport> {
  const dryRun = options.dryRun ?? false;
  const report: SetupReport = { changes: [], differences: [], matching: 0, dryRun };
  let existing = await meta.listTables();
  const find = (name: string) =>
    existing.find((t) => t.name === name) ?? existing.find((t) => lower(t.name) === lower(name));

  for (const spec of options.tables ?? baseTables) {
    const table = find(spec.name);
    if (!table) {
      const fields = [spec.primary, ...spec.fields];
      if (!dryRun) {
        const created = await meta.createTable({
          name: spec.name,
          description: spec.description,
          fields: fields.map(fieldModel),
        });
        existing = [...existing, created];
      }
      report.changes.push({ kind: 'table-created', table: spec.name, fields: fields.length });
      continue;
    }
    if (table.name !== spec.name)
      report.differences.push({
        table: spec.name,
        problem: `the table is named "${table.name}" in Airtable`,
      });
    const primary = table.fields.find((f) => f.id === table.primaryFieldId);
    if (primary && lower(primary.name) !== lower(spec.primary.name))
      report.differences.push({
        table: spec.name,
        problem: `the primary field is "${primary.name}", Tomtejakt merges records on "${spec.primary.name}"`,
      });
    for (const field of [spec.primary, ...spec.fields]) {
      const present =
        table.fields.find((f) => f.name === field.name) ??
        table.fields.find((f) => lower(f.name) === lower(field.name));
      if (!present) {
        if (!dryRun) table.fields.push(await meta.createField(table.id, fieldModel(field)));
        report.changes.push({ kind: 'field-created', table: spec.name, field: field.name, type: field.type });
        continue;
      }
      const problems = compareField(field, present);
      for (const problem of problems)
        report.differences.push({ table: spec.name, field: field.name, problem });
      if (problems.length === 0) report.matching += 1;
    }
  }

  for (const link of options.links ?? baseLinks) {
    const table = find(link.table);
    const linked = find(link.linkedTable);
    if (!table || !linked) {
      // Only in a dry run: the tables would be created first.
      report.changes.push({
        kind: 'link-created',
        table: link.table,
        field: link.field,
        linkedTable: link.linkedTable,
        inverseField: link.inverseField,
      });
      continue;
    }
    const present = table.fields.find((f) => lower(f.name) === lower(link.field));
    if (present) {
      if (present.type !== 'multipleRecordLinks' || present.options?.linkedTableId !== linked.id)
        report.differences.push({
          table: link.table,
          field: link.field,
          problem: `should link to ${link.linkedTable}, but is a ${present.type} field${present.options?.linkedTableId ? ` linking elsewhere` : ''}`,
        });
      else report.matching += 1;
      continue;
    }
    let inverseField: string | null = link.inverseField;
    if (!dryRun) {
      const created = await meta.createField(table.id, {
        name: link.field,
        type: 'multipleRecordLinks',
        options: { linkedTableId: linked.id },
        ...(link.description ? { description: link.description } : {}),
      });
      existing = await meta.listTables();
      const inverseId = created.options?.inverseLinkFieldId;
      inverseField = find(link.linkedTable)?.fields.find((f) => f.id === inverseId)?.name ?? null;
      if (inverseField !== link.inverseField)
        report.differences.push({
          table: link.linkedTable,
          field: link.inverseField,
          problem: `Airtable named the link's counterpart "${inverseField ?? '(none)'}"; rename it to "${link.inverseField}" in Airtable`,
        });
    }
    report.changes.push({
      kind: 'link-created',
      table: link.table,
      field: link.field,
      linkedTable: link.linkedTable,
      inverseField,
    });
  }
  return report;
}

function compareField(spec: FieldSpec, present: AirtableFieldModel): string[] {
  if (present.type !== spec.type)
    return [
      `type is ${present.type} in Airtable, Tomtejakt writes ${spec.type} (not changed: convert it in Airtable)`,
    ];
  const problems: string[] = [];
  if (present.name !== spec.name) problems.push(`named "${present.name}" in Airtable (case differs)`);
  const wanted = (spec.options?.choices as Array<{ name: string }> | undefined)?.map((c) => c.name);
  if (wanted) {
    const have = new Set(((present.options?.choices ?? []) as Array<{ name: string }>).map((c) => c.name));
    const missing = wanted.filter((name) => !have.has(name));
    if (missing.length)
      problems.push(
        `select options missing in Airtable: ${missing.join(', ')} (add them in Airtable; writes with them fail)`,
      );
  }
  const precision = spec.options?.precision;
  if (typeof precision === 'number' && present.options?.precision !== precision)
    problems.push(
      `shows ${String(present.options?.precision)} decimals, Tomtejakt expects ${precision} (display only)`,
    );
  return problems;
}
