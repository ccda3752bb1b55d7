import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { airtableClientFromEnv } from '../../crm/airtable/from-env.js';
import type { KommuneRefreshReport } from '../../jobs/kommune-refresh.js';
import { refreshKommuneRanking } from '../../jobs/kommune-refresh-runtime.js';
import { ensureKommuneRanking } from '../../jobs/kommune-snapshot.js';
import { createPlanEvidenceStore } from '../../store/kommune-plan-evidence.js';
import {
  explainKommune,
  explanationContext,
  figuresSource,
  topReason,
  type KommuneExplanationContext,
} from '../../scoring/kommune/explanation.js';
import { FACTORS } from '../../scoring/kommune/factors.js';
import { formatInteger } from '../../util/norwegian-format.js';
import { openStore, type Db } from '../../store/database.js';
import {
  createKommuneRankingStore,
  type StoredKommune,
  type StoredRanking,
} from '../../store/kommune-ranking.js';
import { topChanges, type TopChange } from '../../store/kommune-top.js';
import { InputError, SourceError } from '../../util/errors.js';
import type { CliContext } from '../context.js';
import type { RegisterCommand } from './index.js';

const CONFIDENCE = { high: 'Høy', medium: 'Middels', low: 'Lav' } as const;

/**
 * `tomtejakt kommuner`: prints the kommune ranking from the store; `--refresh` fetches SSB's
 * figures first (nothing is fetched while the last refresh is younger than SSB_REFRESH_DAYS,
 * unless `--force`).
 */
export const registerKommuner: RegisterCommand = (program: Command, context: CliContext) => {
  program
    .command('kommuner')
    .description('Print the kommune ranking (all 357 kommuner scored 0–100 from SSB statistics).')
    .addOption(
      new Option(
        '--top <n>',
        'print the best n of the top-50 kommuner, with population and why each is in',
      ).argParser(positiveInt),
    )
    .addOption(
      new Option('--explain <kommunenummer>', "print one kommune's explanation in Norwegian").argParser(
        kommuneNr,
      ),
    )
    .option('--csv <file>', 'also write the ranking with every factor to a CSV file (UTF-8)')
    .option('--refresh', 'fetch SSB figures first when the last refresh is older than SSB_REFRESH_DAYS')
    .option('--force', 'with --refresh: fetch even when the last refresh is recent')
    .option('--changes', 'print who entered and left the top 50, with the date, newest first')
    .option('--rules <file>', 'rule file (weights, tables); default RULES_FILE')
    .addHelpText(
      'after',
      '\nThe method (factors, tables, weights) is described in docs/kommune-ranking.md.\n' +
        'Exit codes: 0 ok, 1 bad input or configuration, 2 SSB could not be reached (the previous ranking stays).',
    )
    .action(
      async (options: {
        top?: number;
        csv?: string;
        refresh?: boolean;
        force?: boolean;
        changes?: boolean;
        explain?: string;
        rules?: string;
      }) => {
        const env = context.env();
        const db = openStore(env.storePath);
        try {
          const store = createKommuneRankingStore(db);
          if (options.refresh) {
            const report = await refresh(context, db, { force: options.force, rules: options.rules });
            printReport(context, report);
            if (report.outcome === 'failed' || report.outcome === 'quiet-hours') process.exitCode = 2;
          }
          // No ranking yet (a fresh clone, or SSB unreachable on the first --refresh): the embedded default.
          const rules = context.rules(options.rules).kommuneRanking;
          await ensureKommuneRanking({
            store,
            rules,
            planEvidence: createPlanEvidenceStore(db),
            logger: context.logger(),
          });
          const ranking = store.latestRanking();
          if (!ranking)
            throw new SourceError('malformed', 'the bundled SSB snapshot gave no ranking', { source: 'ssb' });
          if (options.changes) {
            for (const line of formatTopChanges(topChanges(db))) context.print(line);
            return;
          }
          const ctx = explanationContext(ranking.kommuner, rules, figuresSource(ranking.refresh));
          if (options.explain) {
            const k = ranking.kommuner.find((x) => x.kommune.kommunenummer === options.explain);
            if (!k) throw new InputError('--explain', `kommune ${options.explain} is not in the ranking`);
            for (const line of explainKommune(k, ctx)) context.print(line);
            return;
          }
          const rows = options.top ? topRows(ranking, options.top) : ranking.kommuner;
          for (const line of formatTable(ranking, rows, ctx)) context.print(line);
          if (options.top) for (const line of skippedLines(ranking, rows, ctx)) context.print(line);
          if (options.csv) {
            writeFileSync(options.csv, toCsv(rows, ctx), 'utf8');
            context.logger().info('kommune ranking written', { file: options.csv, rows: rows.length });
          }
        } finally {
          db.close();
        }
      },
    );
};

async function refresh(
  context: CliContext,
  db: Db,
  options: { force?: boolean; rules?: string },
): Promise<KommuneRefreshReport> {
  const env = context.env();
  const logger = context.logger();
  const airtable = airtableClientFromEnv(env, logger);
  try {
    return await refreshKommuneRanking(
      { env, db, rules: context.rules(options.rules), logger, progress: context.progress(), airtable },
      { force: options.force, trigger: 'cli' },
    );
  } finally {
    await airtable?.close();
  }
}

function printReport(context: CliContext, report: KommuneRefreshReport): void {
  const logger = context.logger();
  const fields = {
    requests: report.requests,
    maxPerMinute: report.maxRequestsPerMinute,
    rateLimited: report.rateLimited,
  };
  if (report.outcome === 'fresh')
    logger.info(
      `kommune ranking is fresh (refreshed ${report.lastRefreshAt}); next due ${report.nextDueAt}; --force to fetch now`,
    );
  else if (report.outcome === 'refreshed')
    logger.info(`kommune ranking refreshed from SSB (kommuner from ${report.kommuneSource})`, fields);
  else if (report.outcome === 'quiet-hours') logger.warn(report.warnings[0] ?? 'SSB quiet hours');
  else
    logger.error(
      `kommune refresh failed${report.previousKept ? '; the previous ranking stays' : ''}: ${report.error}`,
      fields,
    );
  for (const warning of report.outcome === 'quiet-hours' ? [] : report.warnings) logger.warn(warning);
  if (report.missingByFactor)
    for (const [factor, count] of Object.entries(report.missingByFactor))
      if (count) logger.info(`factor ${factor} missing for ${count} kommuner (weight redistributed)`);
}

/** The kommuner `--top n` prints: the best n of those flagged top 50, in rank order. */
function topRows(ranking: StoredRanking, n: number): StoredKommune[] {
  return ranking.kommuner.filter((k) => k.top).slice(0, n);
}

/** Below `--top`: the kommuner ranked above the last one shown but not flagged, and why. */
function skippedLines(
  ranking: StoredRanking,
  rows: StoredKommune[],
  ctx: KommuneExplanationContext,
): string[] {
  const last = rows.at(-1)?.rank;
  if (last === undefined || last === null) return [];
  const skipped = ranking.kommuner.filter((k) => !k.top && k.rank !== null && k.rank < last);
  if (skipped.length === 0) return [];
  return [
    '',
    `Rangert høyere, men ikke i topp ${ctx.rules.topN} (${skipped.length}):`,
    ...skipped.map(
      (k) => `  nr. ${k.rank} ${k.kommune.kommunenummer} ${k.kommune.navn}: ${topReason(k, ctx)}`,
    ),
  ];
}

function formatTable(
  ranking: StoredRanking,
  rows: StoredKommune[],
  ctx: KommuneExplanationContext,
): string[] {
  const header = [
    'Rang',
    'Endring',
    'Nr',
    'Kommune',
    'Fylke',
    'Folketall',
    'Score',
    'Topp 50',
    'Konfidens',
    'Hvorfor',
    'Manglende faktorer',
  ];
  const body = rows.map((k) => [
    k.rank === null ? '–' : String(k.rank),
    rankChange(k),
    k.kommune.kommunenummer,
    k.kommune.navn,
    k.kommune.fylkesnavn ?? k.kommune.fylkesnummer,
    k.population === null ? '–' : formatInteger(k.population),
    k.score === null ? '–' : k.score.toFixed(1),
    k.top ? 'ja' : k.belowMinPopulation ? 'under grensen' : '',
    CONFIDENCE[k.confidence],
    topReason(k, ctx),
    k.missing.map((key) => FACTORS.find((f) => f.key === key)?.label ?? key).join(', '),
  ]);
  const right = new Set([0, 5, 6]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    ...rankingHeader(ranking, new Date()),
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
  ];
}

/**
 * Where the figures come from and how old they are: SSB and the refresh date, or the bundled
 * snapshot with its date, its age in days, the latest year of each table and the factors it lacks.
 */
export function rankingHeader(ranking: StoredRanking, today: Date): string[] {
  const { refresh } = ranking;
  const count = `${ranking.kommuner.length} kommuner`;
  if (refresh.source !== 'snapshot')
    return [`Kommunerangering fra SSB, oppdatert ${refresh.finishedAt?.slice(0, 10) ?? '?'} (${count})`];
  const date = refresh.figuresDate ?? refresh.finishedAt?.slice(0, 10) ?? '?';
  const days = Math.max(0, Math.floor((today.getTime() - Date.parse(`${date}T00:00:00Z`)) / 86_400_000));
  const label = (key: string) => FACTORS.find((f) => f.key === key)?.label ?? key;
  const latest = refresh.tables
    .filter((t) => t.tableId)
    .map((t) => `${label(t.factor)} ${t.lastPeriod ?? '?'} (${t.tableId})`);
  const absent = refresh.tables.filter((t) => !t.tableId).map((t) => label(t.factor));
  return [
    `Kommunerangering fra det innebygde SSB-øyeblikksbildet datert ${date} (${count}; ${days} dager gammelt)`,
    `Nyeste år i tallene: ${latest.join(', ')}`,
    ...(absent.length > 0
      ? [`Mangler i øyeblikksbildet (mangler for alle kommuner): ${absent.join(', ')}`]
      : []),
    'Ferske tall fra SSB: `tomtejakt kommuner --refresh` (tjenesten henter dem selv ved neste sjekk)',
  ];
}

/** The top-50 changes as a table: date, inn/ut, kommune, rank now and before. */
export function formatTopChanges(changes: TopChange[]): string[] {
  if (changes.length === 0) return ['Ingen endringer i topp 50 ennå'];
  const rank = (r: number | null) => (r === null ? '–' : String(r));
  const body = changes.map((c) => [
    c.date,
    c.change === 'entered' ? 'inn' : 'ut',
    c.kommunenummer,
    c.navn,
    rank(c.rank),
    rank(c.previousRank),
  ]);
  const header = ['Dato', 'Endring', 'Nr', 'Kommune', 'Rang', 'Rang før'];
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return ['Endringer i topp 50', line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}

function rankChange(k: StoredKommune): string {
  if (k.rank === null || k.previousRank === null)
    return k.previousRank === null && k.rank !== null ? 'ny' : '';
  const delta = k.previousRank - k.rank;
  return delta === 0 ? '=' : delta > 0 ? `+${delta}` : String(delta);
}

export function toCsv(rows: StoredKommune[], ctx?: KommuneExplanationContext): string {
  const header = [
    'kommunenummer',
    'kommune',
    'fylke',
    'rang',
    'forrige_rang',
    'score',
    'topp',
    'konfidens',
    'manglende',
    'folketall',
    'under_minstegrense',
    'hvorfor',
  ];
  for (const f of FACTORS) header.push(`${f.key}_verdi`, `${f.key}_ar`, `${f.key}_0_1`);
  const lines = [header.join(',')];
  for (const k of rows) {
    const cells: Array<string | number | null> = [
      k.kommune.kommunenummer,
      k.kommune.navn,
      k.kommune.fylkesnavn,
      k.rank,
      k.previousRank,
      k.score === null ? null : round(k.score, 2),
      k.top ? 1 : 0,
      CONFIDENCE[k.confidence],
      k.missing.join(' '),
      k.population,
      k.belowMinPopulation ? 1 : 0,
      ctx ? topReason(k, ctx) : null,
    ];
    for (const f of FACTORS) {
      const factor = k.factors[f.key];
      cells.push(
        factor.raw === null ? null : round(factor.raw, 4),
        factor.year,
        factor.normalised === null ? null : round(factor.normalised, 4),
      );
    }
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function kommuneNr(value: string): string {
  if (!/^\d{4}$/.test(value.trim()))
    throw new InputError('--explain', `"${value}" is not a 4-digit kommunenummer, e.g. 1508`);
  return value.trim();
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InputError('--top', `must be a whole number above 0, got "${value}"`);
  return n;
}
