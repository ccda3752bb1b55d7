import { silentProgress } from '../../util/progress.js';
import { guardsAppliedOf, planTable, type TablePlan } from './plan.js';
import { readTableState } from './read-state.js';
import type { FailedRecord, PlannedWrite, TableSyncOptions, TableSyncResult } from './types.js';
import { checkOwnership, indexByKey } from './validate.js';
import { writeRecords } from './write-records.js';

export type {
  DesiredRecord,
  GuardedWrite,
  PlannedWrite,
  TableSyncOptions,
  TableSyncResult,
} from './types.js';

type Written = Pick<TableSyncResult, 'created' | 'updated' | 'notInAirtable' | 'failed'>;

/** A plan after the creates were admitted or held back. */
interface AdmittedPlan extends TablePlan {
  heldBack: string[];
}

/**
 * The generic table sync: desired records of one table (only the fields the sync owns) are
 * compared with what was last written (hashes in the store) and only changed fields are sent,
 * by upsert on the merge field in requests of 10. Team fields are set on create and never again,
 * except through guarded writes. Each request's outcome is stored as soon as it lands, so an
 * interrupted sync resumes where it stopped and never duplicates a record.
 */
export async function syncTable(options: TableSyncOptions): Promise<TableSyncResult> {
  const { state, spec, desired } = options;
  const table = spec.name;
  const now = options.now ?? (() => new Date().toISOString());
  checkOwnership(spec, desired);
  const byKey = indexByKey(table, desired);
  const read = await readTableState(options);
  const plan = await admitted(
    planTable({ ...read, desired, skip: new Set(read.duplicates.map((d) => d.key)) }),
    options.admitCreates,
  );
  if (options.dryRun) return tableResult(table, read.duplicates, plan, byKind(plan.writes));
  state.save(
    table,
    plan.adopted.map((a) => ({ ...a, syncedAt: now() })),
  );

  const label = options.label ?? `Airtable ${table}`;
  const progress = (options.progress ?? silentProgress).stage(label, plan.writes.length);
  const { fatal, ...written } = await writeRecords(
    {
      client: options.client,
      state,
      table,
      keyField: spec.primary.name,
      byKey,
      concurrency: options.concurrency ?? 4,
      recreate: plan.heldBack.length === 0,
      progress,
      now,
    },
    plan.writes,
  );
  const result = tableResult(table, read.duplicates, plan, written);
  progress.done(summary(result));
  if (fatal) throw fatal;
  for (const failure of result.failed)
    options.logger?.warn('Airtable rejected a record', { table, key: failure.key, error: failure.message });
  return result;
}

/** The plan with its creates, unless `admit` refuses them: then every create is held back. */
async function admitted(plan: TablePlan, admit: TableSyncOptions['admitCreates']): Promise<AdmittedPlan> {
  const creates = plan.writes.filter((w) => w.kind === 'create');
  if (creates.length === 0 || !admit || (await admit(creates.length))) return { ...plan, heldBack: [] };
  return {
    ...plan,
    writes: plan.writes.filter((w) => w.kind !== 'create'),
    heldBack: creates.map((w) => w.key),
  };
}

function tableResult(
  table: string,
  duplicates: FailedRecord[],
  plan: AdmittedPlan,
  written: Written,
): TableSyncResult {
  return {
    table,
    created: written.created,
    updated: written.updated,
    unchanged: plan.unchanged,
    notInAirtable: [...plan.notInAirtable, ...written.notInAirtable],
    heldBack: plan.heldBack,
    guardsApplied: guardsAppliedOf(plan.writes),
    failed: [...duplicates, ...written.failed],
    writes: plan.writes,
  };
}

/** A dry run's report: what would be created and updated. */
function byKind(writes: PlannedWrite[]): Written {
  const created = writes.filter((w) => w.kind === 'create').map((w) => w.key);
  const updated = writes.filter((w) => w.kind !== 'create').map((w) => w.key);
  return { created, updated, notInAirtable: [], failed: [] };
}

function summary(result: TableSyncResult): string {
  return (
    `${result.created.length} created, ${result.updated.length} updated, ${result.unchanged} unchanged` +
    (result.heldBack.length ? `, ${result.heldBack.length} held back` : '') +
    (result.failed.length ? `, ${result.failed.length} failed` : '')
  );
}
