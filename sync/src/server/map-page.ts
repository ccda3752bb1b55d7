import { MISSING_SCORE_COLOR, TIER_COLORS, TIER_LABELS } from '../presentation/style.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/**
 * The read-only map of the current lots (Norwegian UI). Leaflet is served from node_modules by
 * this service (no CDN); the background map is Kartverket's open topographic tile cache.
 * Panels are built by the server from the shared presentation module and put into the page with
 * textContent only.
 */
export function mapPageHtml(): string {
  const legend = (Object.keys(TIER_COLORS) as Array<keyof typeof TIER_COLORS>)
    .map(
      (tier) =>
        `<li><span style="background:${TIER_COLORS[tier]}"></span>${escapeHtml(TIER_LABELS[tier])}</li>`,
    )
    .concat(`<li><span style="background:${MISSING_SCORE_COLOR}"></span>Ikke beregnet</li>`)
    .join('');
  return `<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tomtejakt – kart over tomter</title>
<link rel="stylesheet" href="vendor/leaflet/leaflet.css">
<style>
  html, body { margin: 0; height: 100%; font: 14px/1.4 system-ui, sans-serif; color: #1d1d1d; }
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
</style>
</head>
<body>
<div id="app">
  <div id="map" role="application" aria-label="Kart over tomter"></div>
  <aside id="side">
    <h1>Tomtejakt</h1>
    <p id="count" class="muted">Laster tomter …</p>
    <ul class="legend">${legend}</ul>
    <div id="panel"><p class="muted">Klikk på en tomt for å se detaljene.</p></div>
  </aside>
</div>
<script src="vendor/leaflet/leaflet.js"></script>
<script>
(function () {
  var map = L.map('map');
  L.tileLayer('https://cache.kartverket.no/v1/wmts/1.0.0/topo/default/webmercator/{z}/{y}/{x}.png', {
    maxZoom: 19, attribution: '&copy; <a href="https://www.kartverket.no/">Kartverket</a>'
  }).addTo(map);
  map.setView([59.66, 10.79], 11);
  var panel = document.getElementById('panel');
  var selected = null;
  function el(tag, text) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }
  function show(data) {
    panel.replaceChildren();
    data.sections.forEach(function (section) {
      panel.appendChild(el('h2', section.title));
      var dl = el('dl');
      section.rows.forEach(function (row) {
        dl.appendChild(el('dt', row.label));
        var dd = el('dd');
        if (row.href) { var a = el('a', row.value); a.href = row.href; a.target = '_blank'; a.rel = 'noopener'; dd.appendChild(a); }
        else dd.textContent = row.value;
        dl.appendChild(dd);
      });
      panel.appendChild(dl);
    });
  }
  function select(feature, layer) {
    if (selected) selected.layer.setStyle(selected.feature.properties.style);
    selected = { feature: feature, layer: layer };
    layer.setStyle(feature.properties.selectedStyle);
    panel.replaceChildren(el('p', 'Laster …'));
    fetch('api/lots/' + encodeURIComponent(feature.properties.tomtId))
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(show)
      .catch(function () { panel.replaceChildren(el('p', 'Kunne ikke hente tomten.')); });
  }
  fetch('api/lots').then(function (r) { return r.json(); }).then(function (lots) {
    var layer = L.geoJSON(lots, {
      style: function (f) { return f.properties.style; },
      onEachFeature: function (f, l) { l.on('click', function () { select(f, l); }); }
    }).addTo(map);
    var n = lots.features.length;
    document.getElementById('count').textContent = n === 0
      ? 'Ingen tomter i lageret ennå. Kartet fylles etter første kjøring.'
      : n + ' tomter';
    if (n) map.fitBounds(layer.getBounds(), { maxZoom: 16 });
  }).catch(function () { document.getElementById('count').textContent = 'Kunne ikke hente tomtene.'; });
})();
</script>
</body>
</html>`;
}
