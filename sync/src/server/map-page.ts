import type { Confidence, Tier } from '../domain/lot.js';
import { ConfidenceLabel, TIERS } from '../presentation/labels.js';
import { MISSING_SCORE_COLOR, TIER_COLORS, TIER_LABELS } from '../presentation/style.js';
import { ACCOUNT_SCRIPT } from './access/account.js';
import { MAP_PAGE_SCRIPT } from './map-page-script.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const STYLES = `  html, body { margin: 0; height: 100%; font: 14px/1.4 system-ui, sans-serif; color: #1d1d1d; }
  #app { display: flex; height: 100%; }
  #map { flex: 1; }
  #side { width: 360px; overflow-y: auto; border-left: 1px solid #ddd; padding: 12px 16px; box-sizing: border-box; }
  h1 { font-size: 18px; margin: 0 0 4px; }
  h2 { font-size: 15px; margin: 16px 0 4px; }
  dl { margin: 0; display: grid; grid-template-columns: 40% 60%; gap: 2px 8px; }
  dt { color: #555; } dd { margin: 0; }
  .legend { list-style: none; padding: 0; margin: 8px 0; }
  .legend span { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: middle; border-radius: 2px; }
  .muted { color: #666; }
  form { margin: 8px 0; }
  fieldset { border: 0; padding: 0; margin: 6px 0; }
  legend, .label { font-weight: 600; padding: 0; margin-bottom: 2px; display: block; }
  fieldset label { margin-right: 10px; white-space: nowrap; }
  input[type=number] { width: 4.5em; }
  select { max-width: 100%; }
  #treff { list-style: none; padding: 0; margin: 4px 0; }
  #treff button { background: none; border: 0; padding: 2px 0; color: #1f3a93; text-decoration: underline; cursor: pointer; text-align: left; font: inherit; }
  #count[data-warning] { color: #8a4b00; }`;

/** One entry per tier, in the presentation module's order, then lots not scored yet. */
function legendItems(): string {
  return (Object.keys(TIER_COLORS) as Array<keyof typeof TIER_COLORS>)
    .map(
      (tier) =>
        `<li><span style="background:${TIER_COLORS[tier]}"></span>${escapeHtml(TIER_LABELS[tier])}</li>`,
    )
    .concat(`<li><span style="background:${MISSING_SCORE_COLOR}"></span>Ikke beregnet</li>`)
    .join('');
}

const checkbox = (name: string, value: string, label: string, checked = false, color?: string) =>
  `<label><input type="checkbox" name="${name}" value="${value}"${checked ? ' checked' : ''}>` +
  `${color ? `<span class="swatch" style="display:inline-block;width:10px;height:10px;margin:0 4px;background:${color}"></span>` : ' '}` +
  `${escapeHtml(label)}</label>`;

/** The filters the extension's filter bar has, applied by the server (`api/map/lots`). */
function filterForm(): string {
  const tiers = TIERS.map((tier: Tier) => checkbox('tier', tier, tier, false, TIER_COLORS[tier])).join('');
  const confidences = (Object.keys(ConfidenceLabel) as Confidence[])
    .map((c) => checkbox('confidence', c, ConfidenceLabel[c]))
    .join('');
  return `<form id="filter" role="search" aria-label="Filter">
    <fieldset><legend>Score</legend>
      <label>fra <input type="number" name="minScore" min="0" max="100" step="5" inputmode="numeric"></label>
      <label>til <input type="number" name="maxScore" min="0" max="100" step="5" inputmode="numeric"></label>
    </fieldset>
    <fieldset><legend>Klasse</legend>${tiers}</fieldset>
    <label><span class="label">Kommune</span><select name="kommune"><option value="">Alle kommuner</option></select></label>
    <fieldset><legend>Status</legend>${checkbox('status', 'active', 'Aktiv', true)}${checkbox('status', 'vanished', 'Utgått')}</fieldset>
    <label><span class="label">Planarbeid pågår</span><select name="planWork">
      <option value="all">Alle</option><option value="with">Med planarbeid</option><option value="without">Uten planarbeid</option>
    </select></label>
    <fieldset><legend>Konfidens</legend>${confidences}</fieldset>
    <button type="reset">Nullstill filter</button>
  </form>
  <form id="sok" role="search" aria-label="Søk etter gnr/bnr">
    <label><span class="label">Søk på gnr/bnr</span>
      <input type="search" name="q" placeholder="f.eks. 45/12 eller 3218-45/12" autocomplete="off"></label>
    <button type="submit">Søk</button>
  </form>
  <p id="sokemelding" class="muted" role="status"></p>
  <ul id="treff"></ul>`;
}

/** The map beside the side panel the script fills in. */
function body(): string {
  return `<div id="app">
  <div id="map" role="application" aria-label="Kart over tomter"></div>
  <aside id="side">
    <h1>Tomtejakt</h1>
    <p id="konto" class="muted" hidden></p>
    <script>${ACCOUNT_SCRIPT}</script>
    <nav><a href="kommuner">Kommunerangering: alle kommuner →</a></nav>
    <p id="count" class="muted" role="status" aria-live="polite">Laster tomter …</p>
    ${filterForm()}
    <ul class="legend">${legendItems()}</ul>
    <div id="panel"><p class="muted">Klikk på en tomt for å se detaljene.</p></div>
  </aside>
</div>`;
}

/**
 * The read-only map of the current lots (Norwegian UI). Leaflet is served from node_modules by
 * this service (no CDN); the background map is Kartverket's open topographic tile cache.
 * Panels are built by the server from the shared presentation module and put into the page with
 * textContent only.
 */
export function mapPageHtml(): string {
  return `<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tomtejakt – kart over tomter</title>
<link rel="stylesheet" href="vendor/leaflet/leaflet.css">
<link rel="preload" href="api/map/kommuner" as="fetch" crossorigin>
<style>
${STYLES}
</style>
</head>
<body>
${body()}
<script src="vendor/leaflet/leaflet.js"></script>
<script>
var TOMTEJAKT_COLORS = ${JSON.stringify({ ...TIER_COLORS, none: MISSING_SCORE_COLOR })};
${MAP_PAGE_SCRIPT}
</script>
</body>
</html>`;
}
