import {
  NO_RANKING_TEXT,
  NO_RANKING_TITLE,
  type KommuneDashboard,
} from '../presentation/kommune-dashboard.js';
import { ACCOUNT_SCRIPT } from './access/account.js';
import { KOMMUNER_PAGE_SCRIPT } from './kommuner-page-script.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** JSON inside `<script type="application/json">`: nothing in it can close the element. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

const STYLES = `  html, body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: #1d1d1d; background: #fff; }
  header { padding: 10px 16px 6px; border-bottom: 1px solid #ddd; display: flex; flex-wrap: wrap; gap: 4px 24px; align-items: baseline; }
  h1 { font-size: 19px; margin: 0; }
  #konto { margin: 0 0 0 auto; }
  h2 { font-size: 16px; margin: 0 0 2px; }
  h3 { font-size: 13px; margin: 12px 0 4px; text-transform: uppercase; letter-spacing: .04em; color: #555; }
  a { color: #1f4e9c; }
  .muted { color: #666; }
  #oppe { display: grid; grid-template-columns: minmax(300px, 1fr) 460px; height: 56vh; min-height: 380px; border-bottom: 1px solid #ddd; }
  #kart { background: #e8eef2; }
  #detalj { overflow-y: auto; padding: 10px 16px; border-left: 1px solid #ddd; }
  #detalj p { margin: 4px 0; }
  .legend { background: rgba(255,255,255,.92); padding: 6px 8px; border-radius: 4px; line-height: 18px; font-size: 12px; }
  .legend i { display: inline-block; width: 14px; height: 12px; margin-right: 6px; vertical-align: -1px; border: 1px solid #999; }
  .verktoy { display: flex; gap: 18px; align-items: center; padding: 8px 16px; flex-wrap: wrap; }
  #tabell-ramme { overflow: auto; max-height: 75vh; border-top: 1px solid #eee; }
  #tabell { width: max-content; }
  #tabell .hode, #tabell .rad { display: grid; grid-template-columns: var(--kolonner); }
  #tabell .hode { position: sticky; top: 0; z-index: 1; background: #f4f6f8; border-bottom: 1px solid #d8dde2; font-weight: 600; }
  #tabell .rad { height: 27px; box-sizing: border-box; border-bottom: 1px solid #eee; cursor: pointer; }
  #tabell .c { padding: 3px 7px; line-height: 20px; white-space: nowrap; text-align: right; }
  #tabell .hode .c { align-self: end; }
  #tabell .hode .gruppe { text-align: center; border-left: 2px solid #d8dde2; border-bottom: 1px solid #e3e7eb; }
  #tabell .ny-gruppe { border-left: 2px solid #d8dde2; }
  #tabell .tekst { text-align: left; overflow: hidden; text-overflow: ellipsis; }
  #tabell button { font: inherit; font-weight: 600; border: 0; background: none; cursor: pointer; padding: 0; color: inherit; }
  [aria-sort="ascending"] button::after { content: " ▲"; font-size: 10px; }
  [aria-sort="descending"] button::after { content: " ▼"; font-size: 10px; }
  #tabell .rad:hover { background: #f2f7fb; }
  #tabell .rad.valgt { background: #fde9c8; }
  #tabell .rad.topp .navn { font-weight: 600; }
  table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
  th, td { padding: 3px 7px; border-bottom: 1px solid #eee; white-space: nowrap; text-align: right; }
  th { background: #f4f6f8; font-weight: 600; }
  .merke { color: #b35c00; }
  .farge { display: inline-block; width: 10px; height: 10px; margin-right: 5px; border: 1px solid #888; vertical-align: 0; }
  .mangler { color: #999; }
  table.faktorer { width: 100%; margin-top: 4px; font-size: 13px; border-collapse: collapse; }
  table.faktorer th, table.faktorer td { padding: 3px 4px; }
  table.faktorer th { position: static; }
  table.faktorer td:first-child, table.faktorer th:first-child { text-align: left; white-space: normal; }
  .enhet { display: block; font-size: 11px; color: #777; }
  svg text { font: 10px system-ui, sans-serif; fill: #555; }
  .ingen { max-width: 720px; margin: 32px 16px; padding: 16px 20px; border: 1px solid #e0c080; background: #fff8e6; border-radius: 6px; }
  code { background: #f0f0f0; padding: 1px 4px; border-radius: 3px; }`;

const header = (subtitle: string, downloads: boolean) => `<header>
  <h1>Kommunerangering</h1>
  <p class="muted" id="undertittel">${escapeHtml(subtitle)}</p>
  <nav><a href="./">Kart over tomter</a>${downloads ? ' · <a href="kommuner.csv" download>Last ned CSV (Excel)</a> · <a href="api/kommuner">JSON</a>' : ''}</nav>
  <p id="konto" class="muted" hidden></p>
  <script>${ACCOUNT_SCRIPT}</script>
</header>`;

const page = (title: string, head: string, body: string) => `<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${head}<style>
${STYLES}
</style>
</head>
<body>
${body}
</body>
</html>`;

/** The dashboard's script as it stands in the page (its hash is in the Content-Security-Policy). */
export const KOMMUNER_INLINE_SCRIPT = `\n${KOMMUNER_PAGE_SCRIPT}\n`;

/**
 * `/kommuner`: the map of all kommuner coloured by score, the detail panel and the sortable
 * table. The ranking's table is in the page as JSON (one request less); the boundaries are a
 * separate, long-cached file (`boundariesUrl` carries its version). The script builds the table
 * and the panel with DOM calls and textContent only, so no figure or name becomes markup.
 */
export function kommunerPageHtml(dashboard: KommuneDashboard, boundariesUrl: string): string {
  const subtitle =
    `${dashboard.count} kommuner · oppdatert ${dashboard.updatedText} · ` +
    `★ = topp ${dashboard.topCount} · lite = under minste folketall, aldri topp ${dashboard.topCount} · kilde: SSB`;
  const head = `<link rel="preload" href="${escapeHtml(boundariesUrl)}" as="fetch" crossorigin="anonymous">
<link rel="stylesheet" href="vendor/leaflet/leaflet.css">
`;
  const body = `${header(subtitle, true)}
<main id="oppe">
  <div id="kart" role="application" aria-label="Kart over kommunene, farget etter score"></div>
  <aside id="detalj" aria-live="polite"><p class="muted">Velg en kommune i kartet eller tabellen for å se faktorene, utviklingen og forklaringen.</p></aside>
</main>
<section aria-label="Alle kommuner">
  <div class="verktoy">
    <label>Søk: <input id="sok" type="search" placeholder="Kommune, nummer eller fylke" autocomplete="off"></label>
    <label><input id="bare-topp" type="checkbox"> Bare topp ${dashboard.topCount}</label>
    <span id="antall" class="muted"></span>
    <span class="muted">Klikk på en kolonneoverskrift for å sortere.</span>
  </div>
  <div id="tabell-ramme"><div id="tabell" role="table" aria-label="Alle kommuner"><div class="hode" role="row"></div><div class="kropp" role="rowgroup"></div></div></div>
</section>
<script id="data" type="application/json">${scriptJson({ dashboard, boundariesUrl })}</script>
<script src="vendor/leaflet/leaflet.js"></script>
<script>${KOMMUNER_INLINE_SCRIPT}</script>`;
  return page('Tomtejakt – kommunerangering', head, body);
}

/** `/kommuner` before the first ranking: what is missing and how to get it. */
export function noRankingPageHtml(): string {
  const [first, ...rest] = NO_RANKING_TEXT;
  const code = (text: string) =>
    escapeHtml(text).replace(/`([^`]+)`/g, (_m, inner: string) => `<code>${inner}</code>`);
  const body = `${header('Ingen rangering å vise', false)}
<div class="ingen" id="ingen-rangering" role="status">
  <h2>${escapeHtml(NO_RANKING_TITLE)}</h2>
  <p>${code(first!)}</p>
  ${rest.map((p) => `<p>${code(p)}</p>`).join('\n  ')}
</div>`;
  return page('Tomtejakt – kommunerangering', '', body);
}
