import { budgetLine, CEILING_PERCENT, MAKE_ROOM } from '../crm/budget/record-budget.js';
import type { ExcludedKommune, KommuneSelection } from './kommune-selection.js';
import { tablesText, type RecordBudgetReport } from './nightly-budget.js';
import type { KommunePlan, RunSummary } from './nightly.js';
import type { AlertReport } from './alerts/run-alerting.js';

const seconds = (from: string, to: string) => ((Date.parse(to) - Date.parse(from)) / 1000).toFixed(1);
const pad = (text: string | number, width: number) => String(text).padEnd(width);
const padLeft = (text: string | number, width: number) => String(text).padStart(width);

/**
 * The run summary printed by `tomtejakt run` and logged by the service. With the selection's
 * reasons, each kommune's row ends with why it is in, and the kommuner left out follow.
 */
export function formatRunSummary(summary: RunSummary, options: { listLimit?: number } = {}): string[] {
  const limit = options.listLimit ?? 20;
  const lines: string[] = [];
  const t = summary.totals;
  lines.push(
    `${summary.dryRun ? 'Dry run (nothing written)' : `Run ${summary.runId}`}: ${summary.status} in ${seconds(summary.startedAt, summary.finishedAt)} s`,
  );
  lines.push(
    summary.airtable
      ? `Airtable: ${summary.airtableRequests} requests (${summary.airtableWriteRequests} writes, ${summary.rateLimited} rate-limited)`
      : 'Airtable: not configured, store only',
  );
  if (summary.postgis) lines.push(postgisLine(summary.postgis));
  lines.push(
    [
      pad('kommune', 8),
      pad('name', 16),
      pad('outcome', 9),
      padLeft('lots', 6),
      padLeft('new', 6),
      padLeft('changed', 8),
      padLeft('gone', 6),
      padLeft('back', 6),
      padLeft(summary.dryRun ? 'would create' : 'created', 13),
      padLeft(summary.dryRun ? 'would update' : 'updated', 13),
      padLeft('marked', 7),
      padLeft('requests', 9),
      ...(summary.selection ? ['why'] : []),
    ].join(' '),
  );
  for (const k of summary.kommuner) {
    const c = k.counts;
    lines.push(
      [
        pad(k.kommunenummer, 8),
        pad((k.kommuneNavn ?? nameOf(summary.selection, k.kommunenummer)).slice(0, 16), 16),
        pad(k.outcome, 9),
        padLeft(c.lotsFound, 6),
        padLeft(c.lotsNew, 6),
        padLeft(c.lotsChanged, 8),
        padLeft(c.lotsVanished, 6),
        padLeft(c.lotsRevived, 6),
        padLeft(c.airtableCreated, 13),
        padLeft(c.airtableUpdated - c.airtableMarkedGone, 13),
        padLeft(c.airtableMarkedGone, 7),
        padLeft(c.airtableRequests, 9),
        ...(summary.selection ? [whyOf(summary.selection, k.kommunenummer)] : []),
      ].join(' '),
    );
    if (k.outcome === 'failed')
      lines.push(
        k.failedStage === 'guard' ? `  held: ${k.error}` : `  failed at ${k.failedStage}: ${k.error}`,
      );
    if (k.outcome === 'skipped') lines.push(`  skipped: ${k.error}`);
  }
  if (summary.kommuner.length > 1)
    lines.push(
      `total: ${t.lotsFound} lots, ${t.lotsNew} new, ${t.lotsChanged} changed, ${t.lotsVanished} gone, ` +
        `${t.lotsRevived} back; Airtable ${t.airtableCreated} created, ${t.airtableUpdated} updated, ${t.airtableFailed} rejected`,
    );
  lines.push(...airtableLines(summary));
  if (summary.alerts) lines.push(...alertLines(summary.alerts));
  if (summary.selection) lines.push(...selectionLines(summary.selection, limit));
  for (const plan of summary.plans) lines.push(...planLines(plan, limit));
  return lines;
}

/** A dry run's plan for one kommune: what it would create, update, mark as gone and hold back. */
function planLines(plan: KommunePlan, limit: number): string[] {
  const lines: string[] = [];
  const list = (label: string, keys: string[]) => {
    if (!keys.length) return;
    lines.push(`${plan.kommunenummer} would ${label} (${keys.length}):`);
    for (const key of keys.slice(0, limit)) lines.push(`  ${key}`);
    if (keys.length > limit) lines.push(`  … and ${keys.length - limit} more`);
  };
  list('create', plan.create);
  list(
    'update',
    plan.update.map((u) => `${u.key}: ${u.fields.join(', ')}`),
  );
  list('mark as gone (Utgått)', plan.markGone);
  list('hold back (record ceiling)', plan.holdBack);
  return lines;
}

/**
 * The Airtable policy and record budget: which lots the policy kept out or marked, how full the
 * base is (with the warning at 80 %), and the kommuner whose new lots were held back, with what to do.
 */
function airtableLines(summary: RunSummary): string[] {
  const policy = summary.airtablePolicy;
  const budget = summary.airtableBudget;
  if (!policy || !budget) return [];
  const t = summary.totals;
  const touched = policy.keepTouched ? ' and every lot the team has touched' : '';
  const lines = [
    `Airtable policy: tier ${policy.minTier} or better${touched}; ${t.airtableLeftOut} lot(s) below it ` +
      `left out (kept in the store and on the map), ${t.airtableMarkedBelow} record(s) marked "Under terskel"`,
  ];
  if (budget.count)
    lines.push(`Airtable records: ${budgetLine(budget.count, budget.limit)} (${tablesText(budget.count)})`);
  if (budget.warning) lines.push(`warning airtable-records: ${budget.warning}`);
  if (budget.heldBack.length) lines.push(...heldBackLines(summary, budget));
  return lines;
}

function heldBackLines(summary: RunSummary, budget: RecordBudgetReport): string[] {
  const lots = budget.heldBack.reduce((sum, k) => sum + k.lots, 0);
  const why = budget.countError
    ? `the base could not be counted (${budget.countError}); they are created by the next run whose count succeeds`
    : `they do not fit under ${CEILING_PERCENT} % of AIRTABLE_RECORD_LIMIT (${budget.limit.toLocaleString('en-US')}). To make room: ${MAKE_ROOM}`;
  return [
    `held back: the new lots of ${budget.heldBack.length} kommune(s), ${lots} lot(s) in all, were not created ` +
      `(all or none per kommune; updates went on): ${why}`,
    ...budget.heldBack.map((k) => {
      const navn = summary.kommuner.find((r) => r.kommunenummer === k.kommunenummer)?.kommuneNavn;
      return `  ${k.kommunenummer}${navn ? ` ${navn}` : ''}: ${k.lots} new lot(s)`;
    }),
  ];
}

/** The ranking's name of a kommune whose run did not get as far as its data (a failed load). */
function postgisLine(report: NonNullable<RunSummary['postgis']>): string {
  const rows = report.lotRows + report.kommuneRows;
  const written = rows
    ? `${report.lotRows} lot row(s) and ${report.kommuneRows} kommune row(s) written`
    : 'in step, nothing written';
  return `PostGIS mirror (${report.target}): ${written}${report.error ? `; kommune scores failed: ${report.error}` : ''}`;
}

function nameOf(selection: KommuneSelection | null, kommunenummer: string): string {
  return selection?.kommuner.find((k) => k.kommunenummer === kommunenummer)?.navn ?? '';
}

function whyOf(selection: KommuneSelection, kommunenummer: string): string {
  return selection.kommuner.find((k) => k.kommunenummer === kommunenummer)?.reasons.join(', ') ?? '';
}

/** The kommuner left out, grouped by why (at most `limit` named per group), then the selection's warnings. */
function selectionLines(selection: KommuneSelection, limit: number): string[] {
  const lines: string[] = [];
  const groups = new Map<string, ExcludedKommune[]>();
  for (const k of selection.excluded) {
    const why = k.reasons.join(', ');
    groups.set(why, [...(groups.get(why) ?? []), k]);
  }
  for (const [why, kommuner] of groups) {
    lines.push(`not run (${why}): ${kommuner.length}`);
    for (const k of kommuner.slice(0, limit))
      lines.push(
        `  ${k.kommunenummer}${k.navn ? ` ${k.navn}` : ''}: would be in for ${k.candidateFor.join(', ')}`,
      );
    if (kommuner.length > limit) lines.push(`  … and ${kommuner.length - limit} more`);
  }
  for (const note of selection.notes) lines.push(`note: ${note}`);
  for (const warning of selection.warnings) lines.push(`warning ${warning.code}: ${warning.message}`);
  return lines;
}

/** The change alerts: how many were found and new, where they went, and each failed step by its cause. */
function alertLines(report: AlertReport): string[] {
  if (report.found === 0 && report.failures.length === 0 && report.airtableHeldBack === 0) return [];
  const delivered = [
    report.airtableCreated ? `${report.airtableCreated} to Airtable Varsler` : null,
    report.airtableHeldBack ? `${report.airtableHeldBack} held back (record ceiling)` : null,
    report.webhookSent ? `${report.webhookSent} to the webhook` : null,
  ].filter(Boolean);
  return [
    `Alerts: ${report.added} new of ${report.found} found` +
      (delivered.length ? `; ${delivered.join(', ')}` : ''),
    ...report.failures.map(
      (f) => `  alert step ${f.stage} failed${f.kommunenummer ? ` for ${f.kommunenummer}` : ''}: ${f.error}`,
    ),
  ];
}
