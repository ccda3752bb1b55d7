import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { Option, type Command } from 'commander';
import type { Env } from '../../config/env.js';
import type { AirtableRecordsClient } from '../../crm/airtable/types.js';
import { createOwnerLookupWriter } from '../../crm/owners/writer.js';
import { runOwnerRetention } from '../../jobs/owner-lookup-retention.js';
import { runOutreachCadence } from '../../jobs/outreach-cadence.js';
import { createContactedLotsGateway } from '../../crm/outreach/contacted-lots.js';
import { withOwnerRecordLocks } from '../../jobs/owner-record-lock.js';
import { quotedCsvField } from '../../presentation/csv-text.js';
import { listAudit, type AuditEntry } from '../../store/audit-log.js';
import { openStore, type Db } from '../../store/database.js';
import { storeLotParcels } from '../../store/lot-parcels.js';
import { createEnrichmentWriter } from '../../crm/owners/enrichment-writer.js';
import { tomterTable } from '../../crm/schema/tomter.js';
import { runOwnerEnrichment } from '../../jobs/owner-enrichment.js';
import { writeOwnerLetters } from '../../jobs/owner-letters.js';
import { loadLetterConfig } from '../../config/letter-config.js';
import { localDate } from '../../crm/tomter/dates.js';
import type { Tier } from '../../domain/lot.js';
import { createEnhetsregisterClient } from '../../sources/brreg/client.js';
import { findOwnersByName, type StoredOwner } from '../../store/owners.js';
import { InputError } from '../../util/errors.js';
import type { CliContext } from '../context.js';
import type { RegisterCommand } from './index.js';

export interface OwnersCommandDeps {
  /** The Airtable records client (wired by the app); retention needs it to read lot statuses. */
  airtable?: (env: Env) => AirtableRecordsClient | null;
}

/** What a subject-access request needs: the data held on the person, its source, use and recipients. */
export interface SubjectAccessReport {
  generatedAt: string;
  query: string;
  source: string;
  purposes: string[];
  recipients: string[];
  retention: string;
  subjects: Array<{
    name: string;
    kind: string;
    organisasjonsnummer: string | null;
    holdings: Array<{
      parcel: string;
      share: string | null;
      role: string;
      registeredInGrunnboka: boolean;
      current: boolean;
      fetchedAt: string;
      lot: { tomtId: string; airtableRecordId: string | null };
    }>;
  }>;
  /** Every lookup of a lot the person's parcels are in: when, by whom, why. */
  lookups: AuditEntry[];
}

export function subjectAccessReport(
  rows: StoredOwner[],
  audit: AuditEntry[],
  context: { query: string; now: Date; retentionDays: number; airtableBase: string | null },
): SubjectAccessReport {
  const subjects = new Map<string, SubjectAccessReport['subjects'][number]>();
  for (const row of rows) {
    const subject = subjects.get(row.matrikkelPersonId) ?? {
      name: row.name,
      kind: row.kind,
      organisasjonsnummer: row.organisasjonsnummer,
      holdings: [],
    };
    subject.holdings.push({
      parcel: row.parcel,
      share: row.share,
      role: row.role,
      registeredInGrunnboka: row.registered,
      current: row.current,
      fetchedAt: row.fetchedAt,
      lot: { tomtId: row.tomtId, airtableRecordId: row.recordId },
    });
    subjects.set(row.matrikkelPersonId, subject);
  }
  return {
    generatedAt: context.now.toISOString(),
    query: context.query,
    source: 'Kartverket, the Matrikkel (cadastre) API: registered owners of the parcels',
    purposes: [...new Set(audit.map((a) => a.purpose))],
    recipients: context.airtableBase
      ? [
          `The company's Airtable base ${context.airtableBase} (tables Eiere and Tomter), used by the sales team`,
        ]
      : [],
    retention: `Removed ${context.retentionDays} days after the lot is marked "Ikke aktuell"; national identity numbers are never collected.`,
    subjects: [...subjects.values()],
    lookups: audit,
  };
}

function renderText(report: SubjectAccessReport): string {
  const lines = [
    `Subject-access report, ${report.generatedAt}`,
    `Query: ${report.query}`,
    `Source: ${report.source}`,
    `Purposes: ${report.purposes.join('; ') || '(no lookups recorded)'}`,
    `Recipients: ${report.recipients.join('; ') || '(none)'}`,
    `Retention: ${report.retention}`,
    '',
  ];
  for (const subject of report.subjects) {
    lines.push(
      `${subject.name} (${subject.kind}${subject.organisasjonsnummer ? `, orgnr ${subject.organisasjonsnummer}` : ''})`,
    );
    for (const h of subject.holdings) {
      lines.push(
        `  ${h.parcel}  share ${h.share ?? '-'}  ${h.role}${h.current ? '' : ' (former)'}  fetched ${h.fetchedAt}  lot ${h.lot.tomtId}`,
      );
    }
  }
  lines.push('', 'Lookups of these lots:');
  for (const a of report.lookups) {
    lines.push(`  ${a.at}  ${a.tomtId}  by ${a.requestedBy}  purpose: ${a.purpose}  outcome: ${a.outcome}`);
  }
  return lines.join('\n');
}

function exportOwners(context: CliContext, options: { name: string; format: string; output?: string }): void {
  const query = options.name.trim();
  if (query.replace(/\s/g, '').length < 2)
    throw new InputError('--name', 'give at least two letters of the name');
  const env = context.env();
  const db = openStore(env.storePath);
  try {
    const rows = findOwnersByName(db, query);
    const audit = listAudit(db, { tomtIds: [...new Set(rows.map((r) => r.tomtId))] });
    const report = subjectAccessReport(rows, audit, {
      query,
      now: new Date(),
      retentionDays: env.OWNER_RETENTION_DAYS,
      airtableBase: env.AIRTABLE_BASE_ID ?? null,
    });
    const text = options.format === 'text' ? renderText(report) : JSON.stringify(report, null, 2);
    if (options.output) writeFileSync(options.output, text + '\n', { mode: 0o600 });
    else context.print(text);
    // Counts only: the names stay in the output, never in the log.
    context
      .logger()
      .info('subject-access export', { subjects: report.subjects.length, lookups: audit.length });
  } finally {
    db.close();
  }
}

function printAudit(context: CliContext, options: { lot?: string; since?: string; format: string }): void {
  if (options.since && !/^\d{4}-\d{2}-\d{2}$/.test(options.since)) {
    throw new InputError('--since', 'must be a date: YYYY-MM-DD');
  }
  const db = openStore(context.env().storePath);
  try {
    const entries = listAudit(db, {
      ...(options.lot ? { tomtIds: [options.lot] } : {}),
      ...(options.since ? { since: options.since } : {}),
    });
    if (options.format === 'csv') {
      // Requester names and details come from outside: no formula or escape sequence gets through.
      const cell = quotedCsvField;
      context.print('at,job,tomt_id,parcels,requested_by,purpose,outcome,owner_count,detail');
      for (const e of entries) {
        context.print(
          [e.at, e.jobId, e.tomtId, e.parcels, e.requestedBy, e.purpose, e.outcome, e.ownerCount, e.detail]
            .map(cell)
            .join(','),
        );
      }
    } else context.print(JSON.stringify(entries, null, 2));
  } finally {
    db.close();
  }
}

async function retention(
  context: CliContext,
  deps: OwnersCommandDeps,
  options: { dryRun?: boolean },
): Promise<void> {
  const env = context.env();
  // Without Airtable, lot statuses are unknown: only lots vanished from the plan data are handled.
  const client = env.airtableEnabled ? (deps.airtable?.(env) ?? null) : null;
  const db = openStore(env.storePath);
  try {
    const report = await runOwnerRetention({
      db,
      writer: client ? createOwnerLookupWriter(client) : null,
      retentionDays: env.OWNER_RETENTION_DAYS,
      now: new Date(),
      logger: context.logger(),
      dryRun: Boolean(options.dryRun),
      lock: (keys, write) =>
        withOwnerRecordLocks(db, keys, { holder: `retention:${hostname()}:${process.pid}` }, write),
    });
    context.print(JSON.stringify(report, null, 2));
  } finally {
    db.close();
  }
}

/** Runs `work` with the store open, closing it after (also on failure). */
async function withStore<T>(context: CliContext, work: (db: Db) => Promise<T>): Promise<T> {
  const db = openStore(context.env().storePath);
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

function requireAirtable(context: CliContext, deps: OwnersCommandDeps, what: string): AirtableRecordsClient {
  const env = context.env();
  const client = env.airtableEnabled ? (deps.airtable?.(env) ?? null) : null;
  if (!client) throw new InputError('AIRTABLE_TOKEN', `${what}: set AIRTABLE_TOKEN and AIRTABLE_BASE_ID`);
  return client;
}

async function outreach(
  context: CliContext,
  deps: OwnersCommandDeps,
  options: { dryRun?: boolean },
): Promise<void> {
  const client = requireAirtable(context, deps, 'the outreach cadence reads and fills Tomter in Airtable');
  const report = await withStore(context, (db) =>
    runOutreachCadence({
      db,
      lots: createContactedLotsGateway(client),
      rules: context.rules().outreach,
      now: new Date(),
      timeZone: context.env().SYNC_TIMEZONE,
      logger: context.logger(),
      dryRun: Boolean(options.dryRun),
    }),
  );
  context.print(JSON.stringify(report, null, 2));
}

async function enrich(context: CliContext, deps: OwnersCommandDeps): Promise<void> {
  const env = context.env();
  const client = env.airtableEnabled ? (deps.airtable?.(env) ?? null) : null;
  const source = createEnhetsregisterClient({ baseUrl: env.BRREG_API_URL });
  try {
    const report = await withStore(context, (db) =>
      runOwnerEnrichment({
        db,
        source,
        writer: client ? createEnrichmentWriter(client) : null,
        lots: storeLotParcels(db, tomterTable.name),
        rules: context.rules().developers,
        now: new Date(),
        logger: context.logger(),
      }),
    );
    context.print(JSON.stringify(report, null, 2));
  } finally {
    await source.close();
  }
}

async function letters(
  context: CliContext,
  options: { kommune: string; tier: string; out?: string; config?: string },
): Promise<void> {
  if (!/^\d{4}$/.test(options.kommune))
    throw new InputError('--kommune', 'a 4-digit kommunenummer, e.g. 3218');
  const env = context.env();
  const configFile = options.config ?? env.LETTER_CONFIG_FILE;
  if (!configFile)
    throw new InputError(
      'LETTER_CONFIG_FILE',
      'give the letterhead and signature file (--config or LETTER_CONFIG_FILE)',
    );
  const config = loadLetterConfig(configFile);
  // playwright-core is loaded here, not with every command (it costs the start of `run` a second).
  const { isPdfUnavailable, openHtmlToPdf } = await import('../../export/pdf/html-to-pdf.js');
  const pdf = await openHtmlToPdf(env.CHROMIUM_PATH);
  if (isPdfUnavailable(pdf)) throw new InputError('CHROMIUM_PATH', pdf.reason);
  const date = localDate(new Date().toISOString(), env.SYNC_TIMEZONE);
  try {
    const report = await withStore(context, (db) =>
      writeOwnerLetters({
        db,
        kommunenummer: options.kommune,
        tier: options.tier as Tier,
        config,
        pdf,
        outDir: options.out ?? `brev-${options.kommune}-${date}`,
        date,
        logger: context.logger(),
      }),
    );
    context.print(JSON.stringify(report, null, 2));
  } finally {
    await pdf.close();
  }
}

/** `tomtejakt owners …`: subject-access export, the audit log, retention, outreach and bulk lookups. */
export function ownersCommand(deps: OwnersCommandDeps = {}): RegisterCommand {
  return (program: Command, context: CliContext) => {
    const owners = program
      .command('owners')
      .description(
        'Owner data from the Matrikkel lookups: subject-access export, audit log, retention, outreach cadence, enrichment, letters',
      );

    owners
      .command('export')
      .description(
        'Everything held on an owner, for a subject-access request (names go to stdout, never to logs)',
      )
      .requiredOption(
        '--name <name>',
        'the owner’s name; every word must be a whole word of the name, in any order, ignoring case and accents',
      )
      .addOption(new Option('--format <format>', 'output format').choices(['json', 'text']).default('json'))
      .option('--output <file>', 'write to this file (mode 600) instead of stdout')
      .action((options: { name: string; format: string; output?: string }) => exportOwners(context, options));

    owners
      .command('audit')
      .description(
        'The append-only log of owner lookups: when, who asked, which lot and parcels, why, outcome',
      )
      .option('--lot <tomtId>', 'only this lot')
      .option('--since <date>', 'only from this date (YYYY-MM-DD)')
      .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv']).default('json'))
      .action((options: { lot?: string; since?: string; format: string }) => printAudit(context, options));

    owners
      .command('retention')
      .description(
        'Erase owner data of lots marked "Ikke aktuell" (Airtable) or vanished (Utgått) for more than OWNER_RETENTION_DAYS (the service also runs this nightly)',
      )
      .option('--dry-run', 'report what would be erased without erasing')
      .action((options: { dryRun?: boolean }) => retention(context, deps, options));

    owners
      .command('outreach')
      .description(
        'Outreach cadence once: fill "Neste handling" and its date with the next step on lots in "Kontaktet" where both are empty (the service runs this on OUTREACH_CRON)',
      )
      .option('--dry-run', 'report what would be filled without writing')
      .action((options: { dryRun?: boolean }) => outreach(context, deps, options));

    owners
      .command('enrich')
      .description(
        'Organisation owners from the Enhetsregisteret (NACE code, form, address, konkurs/avvikling) and the Utbygger eier/nabo marks on lots (the service runs this on OWNER_ENRICHMENT_CRON)',
      )
      .action(() => enrich(context, deps));

    owners
      .command('letters')
      .description(
        'One PDF letter per owner of the kommune’s lots of the tier or better (Norwegian, letterhead and signature from the config file, the lot’s outline, area and plan status; no score) and a mail-merge CSV; letters without a known address say so for the team',
      )
      .requiredOption('--kommune <kommunenummer>', 'the kommune, e.g. 3218')
      .addOption(
        new Option('--tier <tier>', 'lots of this tier or better').choices(['A', 'B', 'C', 'D']).default('A'),
      )
      .option('--out <dir>', 'where the PDFs and flettefil.csv go (mode 700); default brev-<kommune>-<date>')
      .option('--config <file>', 'the letter configuration (JSON); default LETTER_CONFIG_FILE')
      .action((options: { kommune: string; tier: string; out?: string; config?: string }) =>
        letters(context, options),
      );
  };
}
