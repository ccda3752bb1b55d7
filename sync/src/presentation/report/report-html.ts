import { ALERT_TYPE_LABELS, type Alert } from '../../domain/alert.js';
import { formatDaa, formatInteger } from '../../util/norwegian-format.js';
import { TIER_COLORS } from '../style.js';
import { funnelSvg, tierHistorySvg } from './charts-svg.js';
import { escapeXml as e } from './escape.js';
import { lotMapSvg } from './lot-map-svg.js';
import type { ReportData, ReportLot } from './report-data.js';
import { REPORT_CSS } from './report-style.js';
import { formatChange, PIPELINE_STAGES, reportSummaryLines } from './report-summary.js';

const MONTHS = [
  'jan.',
  'feb.',
  'mars',
  'apr.',
  'mai',
  'juni',
  'juli',
  'aug.',
  'sep.',
  'okt.',
  'nov.',
  'des.',
];

/** "2026-12-06" → "6. des. 2026". */
export function norwegianDate(day: string): string {
  const [y, m, d] = day.slice(0, 10).split('-').map(Number);
  return `${d}. ${MONTHS[m! - 1]} ${y}`;
}

/** The report's title as the footer and the list of reports show it. */
export const reportTitle = (data: Pick<ReportData, 'week'>) =>
  `Tomtejakt ukerapport uke ${Number(data.week.slice(6))} ${data.week.slice(0, 4)}`;

/**
 * The weekly report as one self-contained HTML document (inline CSS and SVG, nothing fetched):
 * a first page a manager reads in two minutes, then the details. Norwegian bokmål; names no
 * person (no owners, no proposers: lots by their matrikkel number, plans by name and id).
 */
export function reportHtml(data: ReportData): string {
  return `<!doctype html><html lang="nb"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(reportTitle(data))}</title><style>${REPORT_CSS}</style></head><body>
<section class="first-page">${firstPage(data)}</section>
<section class="details">${newLotsSection(data)}${alertsSection(data)}${kommunerSection(data)}${pipelineSection(data)}${healthSection(data)}</section>
</body></html>`;
}

function firstPage(data: ReportData): string {
  return `<header><h1>Ukerapport uke ${data.weekNumber}</h1>
<p class="muted">${e(norwegianDate(data.firstDay))} – ${e(norwegianDate(data.lastDay))} · laget ${e(norwegianDate(data.madeAt))}</p></header>
<h2>Kort fortalt</h2><ul class="summary">${reportSummaryLines(data)
    .map((line) => `<li>${e(line)}</li>`)
    .join('')}</ul>
${tierTable(data)}<h3>Tomter per klasse, 12 uker</h3>${tierHistorySvg(data.tierHistory)}
<h3>Salgstrakten</h3>${funnel(data)}`;
}

function tierTable(data: ReportData): string {
  const rows = data.tiers
    .map(
      (t) =>
        `<tr><th><span class="dot" style="background:${TIER_COLORS[t.tier]}"></span>Klasse ${t.tier}</th><td>${formatInteger(t.lots)}</td><td>${formatChange(t.lotsChange)}</td><td>${formatInteger(t.homes)}</td><td>${formatChange(t.homesChange)}</td></tr>`,
    )
    .join('');
  const total = data.totals;
  const uncounted = data.counted
    ? ''
    : '<p class="warning">Ingen telling ble tatt denne uken (tjenesten kjørte ikke): tallene er ikke kjent.</p>';
  return `${uncounted}<table class="numbers"><caption>Tomter og estimerte boliger</caption>
<thead><tr><th></th><th>Tomter</th><th>Endring</th><th>Boliger</th><th>Endring</th></tr></thead>
<tbody>${rows}<tr class="sum"><th>Sum</th><td>${formatInteger(total.lots)}</td><td>${formatChange(total.lotsChange)}</td><td>${formatInteger(total.homes)}</td><td>${formatChange(total.homesChange)}</td></tr></tbody></table>`;
}

function funnel(data: ReportData): string {
  if (!data.pipeline.available)
    return `<p class="warning">Salgstrakten kunne ikke leses: ${e(data.pipeline.reason)}.</p>`;
  const statuses = data.pipeline.statuses;
  return funnelSvg(PIPELINE_STAGES.map((label) => ({ label, count: statuses[label] ?? 0 })));
}

function lotFacts(lot: ReportLot): string {
  return `${e(lot.kommuneNavn)} · gnr/bnr ${e(lot.matrikkelnummertekst)} · klasse ${lot.tier} · score ${formatInteger(lot.score)} · ${e(formatDaa(lot.arealM2))} · ${formatInteger(lot.homes)} boliger`;
}

function newLotsSection(data: ReportData): string {
  const { best, rest, count } = data.newLots;
  if (!count) return `<h2>Nye tomter</h2><p>Ingen nye tomter i klasse A eller B denne uken.</p>`;
  const overview = lotMapSvg(
    [...best, ...rest].map((lot) => ({
      geometry: lot.geometry,
      fill: TIER_COLORS[lot.tier],
      title: lot.tomtId,
    })),
    { width: 520, height: 260, label: 'Ukens nye tomter' },
  );
  const cards = best
    .map(
      (lot, i) =>
        `<figure class="lot">${lotMapSvg([{ geometry: lot.geometry, fill: TIER_COLORS[lot.tier] }], { width: 160, height: 120, label: lot.tomtId })}<figcaption><b>${i + 1}. ${e(lot.kommuneNavn)} ${e(lot.matrikkelnummertekst)}</b><br>${lotFacts(lot)}<br><span class="muted">${e(lot.tomtId)}</span></figcaption></figure>`,
    )
    .join('');
  const table = rest.length
    ? `<h3>Øvrige nye tomter</h3><table><thead><tr><th>Kommune</th><th>Gnr/bnr</th><th>Klasse</th><th>Score</th><th>Areal</th><th>Boliger</th></tr></thead><tbody>${rest
        .map(
          (lot) =>
            `<tr><td>${e(lot.kommuneNavn)}</td><td>${e(lot.matrikkelnummertekst)}</td><td>${lot.tier}</td><td>${formatInteger(lot.score)}</td><td>${e(formatDaa(lot.arealM2))}</td><td>${formatInteger(lot.homes)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  return `<h2>Nye tomter (${formatInteger(count)})</h2>${overview}<h3>De beste</h3><div class="cards">${cards}</div>${table}`;
}

function alertList(alerts: Alert[], none: string): string {
  if (!alerts.length) return `<p>${e(none)}</p>`;
  return `<ul class="alerts">${alerts
    .map((alert) => {
      const link =
        typeof alert.details.link === 'string' && /^https:\/\//.test(alert.details.link)
          ? alert.details.link
          : null;
      const more = link ? ` <a href="${e(link)}">Se planen</a>` : '';
      return `<li><span class="muted">${e(norwegianDate(alert.createdAt))} · ${e(ALERT_TYPE_LABELS[alert.type])}</span><br>${e(alert.title)}${more}</li>`;
    })
    .join('')}</ul>`;
}

function alertsSection(data: ReportData): string {
  return (
    `<h2>Konkurrentaktivitet</h2>${alertList(data.competitors, 'Ingen nye planer i arbeid ved tomtene denne uken.')}` +
    `<h2>Tapt til vedtatt regulering</h2>${alertList(data.lost, 'Ingen tomter tapt til vedtatte reguleringsplaner denne uken.')}` +
    `<p class="muted">${formatInteger(data.vanishedLots)} tomter forsvant fra dataene denne uken, uansett årsak.</p>` +
    (data.otherAlerts.length ? `<h2>Andre varsler</h2>${alertList(data.otherAlerts, '')}` : '')
  );
}

function kommunerSection(data: ReportData): string {
  const changes = data.rankingChanges.length
    ? `<ul>${data.rankingChanges
        .map(
          (c) =>
            `<li>${e(c.navn)} (${e(c.kommunenummer)}) ${c.change === 'entered' ? 'kom inn på' : 'falt ut av'} topplisten${c.rank ? `, nå nr. ${c.rank}` : ''}${c.previousRank ? ` (før nr. ${c.previousRank})` : ''}, ${e(norwegianDate(c.date))}</li>`,
        )
        .join('')}</ul>`
    : '<p>Ingen endringer på topplisten denne uken.</p>';
  const rows = data.kommuner
    .map(
      (k) =>
        `<tr><td>${e(k.navn)}</td><td>${formatInteger(k.lotsAB)}</td><td>${formatChange(k.change)}</td><td>${formatInteger(k.homes)}</td></tr>`,
    )
    .join('');
  return `<h2>Kommuner</h2><h3>Topplisten</h3>${changes}<h3>Flest tomter i klasse A og B</h3>
<table><thead><tr><th>Kommune</th><th>A+B</th><th>Endring</th><th>Boliger i alt</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function pipelineSection(data: ReportData): string {
  const owners = data.ownerLookups;
  const lookups = `<p>Eieroppslag: ${formatInteger(owners.doneInWeek)} gjort denne uken, ${formatInteger(owners.failedInWeek)} feilet, ${formatInteger(owners.pending)} venter.</p>`;
  if (!data.pipeline.available) return `<h2>Salgstrakten</h2>${funnel(data)}${lookups}`;
  const { statuses, overdue } = data.pipeline;
  const rows = Object.entries(statuses)
    .sort(([a], [b]) => a.localeCompare(b, 'nb'))
    .map(([status, count]) => `<tr><td>${e(status)}</td><td>${formatInteger(count)}</td></tr>`)
    .join('');
  const late =
    overdue === null
      ? '<p class="muted">Ingen tomt har «Neste handling dato»: forsinkede neste handlinger telles ikke.</p>'
      : `<p>Neste handlinger på overtid: <b>${formatInteger(overdue)}</b>.</p>`;
  return `<h2>Salgstrakten</h2><table><thead><tr><th>Status</th><th>Tomter</th></tr></thead><tbody>${rows}</tbody></table>${late}${lookups}`;
}

function healthSection(data: ReportData): string {
  const { kommuner, gaps, records, headroom } = data.health;
  const troubled = kommuner.length
    ? `<ul>${kommuner
        .map(
          (k) =>
            `<li>${e(k.navn)} (${e(k.kommunenummer)}): ${k.outcome === 'failed' ? 'beholdt forrige gode data' : 'hoppet over'}${k.stage ? ` (${e(k.stage)})` : ''}${k.error ? ` – ${e(k.error)}` : ''}</li>`,
        )
        .join('')}</ul>`
    : '<p>Alle kommuner som ble kjørt, gikk bra.</p>';
  const gapList = gaps.length
    ? `<p>Planlagt, men ikke kjørt denne uken: ${gaps.map((g) => e(g.navn === g.kommunenummer ? g.kommunenummer : `${g.navn} (${g.kommunenummer})`)).join(', ')}.</p>`
    : '<p>Alle planlagte kommuner ble kjørt.</p>';
  const airtable = records
    ? `<p>Airtable: ${formatInteger(records.total)} av ${formatInteger(records.limit)} poster brukt, ${formatInteger(headroom ?? 0)} ledige (talt ${e(norwegianDate(records.countedAt))}).</p>`
    : '<p class="muted">Airtable-basen er ikke talt (ingen Airtable, eller ingen kjøring med Airtable ennå).</p>';
  return `<h2>Datakvalitet</h2>${troubled}${gapList}${airtable}`;
}
