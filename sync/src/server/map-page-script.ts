/**
 * The map page's browser script (ES5, no build step: the page is served as it stands). It draws
 * the lots from `api/lots` with the styles the server put in each feature and fills the side
 * panel from `api/lots/:tomtId` with textContent only, so lot data never becomes markup.
 */
export const MAP_PAGE_SCRIPT = `(function () {
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
})();`;
