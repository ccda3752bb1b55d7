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
  .muted { color: #666; }`;

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

/** The map beside the side panel the script fills in. */
function body(): string {
  return `<div id="app">
  <div id="map" role="application" aria-label="Kart over tomter"></div>
  <aside id="side">
    <h1>Tomtejakt</h1>
    <p id="konto" class="muted" hidden></p>
    <script>${ACCOUNT_SCRIPT}</script>
    <nav><a href="kommuner">Kommunerangering: alle kommuner →</a></nav>
    <p id="count" class="muted">Laster tomter …</p>
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
<style>
${STYLES}
</style>
</head>
<body>
${body()}
<script src="vendor/leaflet/leaflet.js"></script>
<script>
${MAP_PAGE_SCRIPT}
</script>
</body>
</html>`;
}
