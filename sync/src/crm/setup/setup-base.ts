import type { AirtableFieldModel, AirtableMetaClient, AirtableTableModel } from '../airtable/types.js';
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
    options: spec.options,
    description: spec.description,
  };
}

/** What one run works with: the base's tables as last read, and the report being filled. */
interface SetupRun {
  meta: AirtableMetaClient;
  dryRun: boolean;
  tables: AirtableTableModel[];
  report: SetupReport;
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
  const run: SetupRun = {
    meta,
    dryRun,
    tables: await meta.listTables(),
    report: { changes: [], differences: [], matching: 0, dryRun },
  };
  for (const spec of options.tables ?? baseTables) {
    const table = findTable(run.tables, spec.name);
    if (table) await completeTable(run, spec, table);
    else await createTable(run, spec);
  }
  for (const link of options.links ?? baseLinks) await setupLink(run, link);
  return run.report;
}

/** By exact name, else ignoring case (a name differing only in case is reported, not duplicated). */
function findTable(tables: AirtableTableModel[], name: string): AirtableTableModel | undefined {
  return tables.find((t) => t.name === name) ?? tables.find((t) => lower(t.name) === lower(name));
}

async function createTable(run: SetupRun, spec: TableSpec): Promise<void> {
  const fields = [spec.primary, ...spec.fields];
  if (!run.dryRun) {
    const created = await run.meta.createTable({
      name: spec.name,
      description: spec.description,
      fields: fields.map(fieldModel),
    });
    run.tables = [...run.tables, created];
  }
  run.report.changes.push({ kind: 'table-created', table: spec.name, fields: fields.length });
}

/** Adds the fields a table lacks and reports those that differ. */
async function completeTable(run: SetupRun, spec: TableSpec, table: AirtableTableModel): Promise<void> {
  const { report } = run;
  if (table.name !== spec.name)
    report.differences.push({ table: spec.name, problem: `the table is named "${table.name}" in Airtable` });
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
      if (!run.dryRun) table.fields.push(await run.meta.createField(table.id, fieldModel(field)));
      report.changes.push({ kind: 'field-created', table: spec.name, field: field.name, type: field.type });
      continue;
    }
    const problems = compareField(field, present);
    for (const problem of problems) report.differences.push({ table: spec.name, field: field.name, problem });
    if (problems.length === 0) report.matching += 1;
  }
}

async function setupLink(run: SetupRun, link: LinkSpec): Promise<void> {
  const table = findTable(run.tables, link.table);
  const linked = findTable(run.tables, link.linkedTable);
  const change = {
    kind: 'link-created' as const,
    table: link.table,
    field: link.field,
    linkedTable: link.linkedTable,
  };
  // Only in a dry run can a table be missing here: it would be created first.
  if (!table || !linked) {
    run.report.changes.push({ ...change, inverseField: link.inverseField });
    return;
  }
  const present = table.fields.find((f) => lower(f.name) === lower(link.field));
  if (present) {
    const problem = compareLink(present, link, linked);
    if (problem) run.report.differences.push({ table: link.table, field: link.field, problem });
    else run.report.matching += 1;
    return;
  }
  const inverseField = run.dryRun ? link.inverseField : await createLink(run, link, table, linked);
  run.report.changes.push({ ...change, inverseField });
}

function compareLink(present: AirtableFieldModel, link: LinkSpec, linked: AirtableTableModel): string | null {
  if (present.type === 'multipleRecordLinks' && present.options?.linkedTableId === linked.id) return null;
  return `should link to ${link.linkedTable}, but is a ${present.type} field${present.options?.linkedTableId ? ` linking elsewhere` : ''}`;
}

/**
 * Creates the link field and returns the name Airtable gave its counterpart in the linked table
 * (Airtable makes it and chooses its name; the Metadata API cannot rename a field).
 */
async function createLink(
  run: SetupRun,
  link: LinkSpec,
  table: AirtableTableModel,
  linked: AirtableTableModel,
): Promise<string | null> {
  const created = await run.meta.createField(table.id, {
    name: link.field,
    type: 'multipleRecordLinks',
    options: { linkedTableId: linked.id },
    description: link.description,
  });
  run.tables = await run.meta.listTables();
  const inverseId = created.options?.inverseLinkFieldId;
  const inverseField =
    findTable(run.tables, link.linkedTable)?.fields.find((f) => f.id === inverseId)?.name ?? null;
  if (inverseField !== link.inverseField)
    run.report.differences.push({
      table: link.linkedTable,
      field: link.inverseField,
      problem: `Airtable named the link's counterpart "${inverseField ?? '(none)'}"; rename it to "${link.inverseField}" in Airtable`,
    });
  return inverseField;
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
