import { formatInteger } from '../../util/norwegian-format.js';
import type { PipelineFacts, ReportData } from './report-data.js';

/** "+12", "-3", "0"; "–" when there is no week before to compare with. */
export function formatChange(change: number | null): string {
  if (change === null) return '–';
  return change > 0 ? `+${formatInteger(change)}` : formatInteger(change);
}

const plural = (n: number, one: string, many: string) => `${formatInteger(n)} ${n === 1 ? one : many}`;

/** The Status values of the pipeline in order, from first contact to option (Ny, Utgått and the no's left out). */
export const PIPELINE_STAGES = ['Identifisert', 'Kontaktet', 'Dialog', 'LOI', 'Opsjon'] as const;

/**
 * The report's first page in a few Norwegian sentences: the Airtable record's summary, the
 * e-mail's text and the list of reports. Numbers only; no lot owner, no person.
 */
export function reportSummaryLines(data: ReportData): string[] {
  const a = data.newLots.best.concat(data.newLots.rest).filter((lot) => lot.tier === 'A').length;
  const lines = [
    `${plural(data.newLots.count, 'ny tomt', 'nye tomter')} i klasse A eller B (${formatInteger(a)} A, ${formatInteger(data.newLots.count - a)} B).`,
    `I alt ${plural(data.totals.lots, 'tomt', 'tomter')} (${formatChange(data.totals.lotsChange)}) og ${formatInteger(data.totals.homes)} estimerte boliger (${formatChange(data.totals.homesChange)}).`,
    `${plural(data.lost.length, 'tomt', 'tomter')} tapt til vedtatt regulering; ${plural(data.competitors.length, 'varsel', 'varsler')} om planarbeid fra andre.`,
    pipelineSentence(data.pipeline),
    `Eieroppslag: ${formatInteger(data.ownerLookups.doneInWeek)} gjort denne uken, ${formatInteger(data.ownerLookups.pending)} venter.`,
    healthSentence(data),
  ];
  if (data.rankingChanges.length)
    lines.splice(
      3,
      0,
      `Topplisten: ${data.rankingChanges.map((c) => `${c.navn} ${c.change === 'entered' ? 'inn' : 'ut'}`).join(', ')}.`,
    );
  return lines;
}

function pipelineSentence(pipeline: PipelineFacts): string {
  if (!pipeline.available) return `Salgstrakten kunne ikke leses: ${pipeline.reason}.`;
  const stages = PIPELINE_STAGES.map((s) => `${s} ${formatInteger(pipeline.statuses[s] ?? 0)}`).join(', ');
  const overdue =
    pipeline.overdue === null
      ? ''
      : ` ${plural(pipeline.overdue, 'neste handling', 'neste handlinger')} på overtid.`;
  return `Salgstrakt: ${stages}.${overdue}`;
}

function healthSentence(data: ReportData): string {
  const kept = data.health.kommuner.filter((k) => k.outcome === 'failed').length;
  const records = data.health.records
    ? ` ${formatInteger(data.health.records.total)} av ${formatInteger(data.health.records.limit)} Airtable-poster brukt.`
    : '';
  return `Datakvalitet: ${plural(kept, 'kommune', 'kommuner')} beholdt forrige gode data, ${plural(data.health.gaps.length, 'kommune', 'kommuner')} planlagt, men ikke kjørt.${records}`;
}
