import { TILE_URL_TEMPLATE } from './tile-server.js';

/**
 * The map page's browser script (ES5, no build step: the page is served as it stands). Each time
 * the view or a filter changes it asks `api/map/lots` for the view's box and zoom (clusters far
 * out, label points closer, simplified outlines close in; the server filters) and draws the
 * answer, dropping answers to questions no longer asked. It fills the side panel from
 * `api/lots/:tomtId` and the gnr/bnr search from `api/map/search`, with textContent only, so lot
 * data never becomes markup. `body[data-ready]` is set once the first lots are drawn.
 */
export const MAP_PAGE_SCRIPT = `(function () {
  var COLORS = window.TOMTEJAKT_COLORS;
  var map = L.map('map', { zoomSnap: 1 });
  var canvas = L.canvas({ padding: 0.2 });
  L.tileLayer('${TILE_URL_TEMPLATE}', {
    maxZoom: 19, attribution: '&copy; <a href="https://www.kartverket.no/">Kartverket</a>'
  }).addTo(map);
  var layer = L.layerGroup().addTo(map);
  var panel = document.getElementById('panel');
  var count = document.getElementById('count');
  var filterForm = document.getElementById('filter');
  var kommuneSelect = filterForm.elements.kommune;
  var kommuner = {};
  var selectedId = null;
  var asked = 0;
  var controller = null;
  var retryTimer = null;
  function el(tag, text) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }
  function colorOf(klasse) { return COLORS[klasse] || COLORS.none; }
  function style(p) {
    var selected = p.tomtId === selectedId, color = colorOf(p.klasse);
    return { color: selected ? '#1f3a93' : color, weight: selected ? 3 : 1, fillColor: color, fillOpacity: selected ? 0.7 : 0.5 };
  }
  function number(n) { return String(n).replace(/\\B(?=(\\d{3})+(?!\\d))/g, '\\u00a0'); }
  function checked(name) {
    var values = [];
    Array.prototype.forEach.call(filterForm.querySelectorAll('input[name="' + name + '"]:checked'), function (i) { values.push(i.value); });
    return values.join(',');
  }
  function filterParams() {
    var f = filterForm.elements, params = [];
    function add(name, value) { if (value !== '' && value !== null) params.push(name + '=' + encodeURIComponent(value)); }
    add('minScore', f.minScore.value); add('maxScore', f.maxScore.value);
    add('tier', checked('tier')); add('kommune', kommuneSelect.value); add('status', checked('status') || 'active');
    add('confidence', checked('confidence'));
    if (f.planWork.value !== 'all') add('planWork', f.planWork.value);
    return params.join('&');
  }
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
  function select(tomtId) {
    selectedId = tomtId;
    layer.eachLayer(function (l) { if (l.setStyle && l.feature) l.setStyle(style(l.feature.properties)); });
    panel.replaceChildren(el('p', 'Laster …'));
    fetch('api/lots/' + encodeURIComponent(tomtId))
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) { if (selectedId === tomtId) show(data); })
      .catch(function () { panel.replaceChildren(el('p', 'Kunne ikke hente tomten.')); });
  }
  function marker(f, radius) {
    var p = f.properties, c = f.geometry.coordinates;
    var m = L.circleMarker([c[1], c[0]], { renderer: canvas, radius: radius, color: '#333', weight: 1, fillColor: colorOf(p.klasse), fillOpacity: 0.8 });
    m.feature = f;
    return m;
  }
  function draw(data) {
    layer.clearLayers();
    if (data.kind === 'polygons') {
      L.geoJSON(data, {
        style: function (f) { return style(f.properties); },
        onEachFeature: function (f, l) { l.on('click', function () { select(f.properties.tomtId); }); }
      }).eachLayer(function (l) { layer.addLayer(l); });
    } else {
      data.features.forEach(function (f) {
        var p = f.properties;
        if (data.kind === 'points' || p.antall === 1) {
          var point = marker(f, 5);
          point.on('click', function () { select(p.tomtId); });
          layer.addLayer(point);
        } else {
          var cluster = marker(f, Math.min(28, 7 + 3 * Math.log(p.antall) / Math.LN2));
          cluster.bindTooltip(number(p.antall) + ' tomter, beste score ' + p.best);
          cluster.on('click', function (e) { map.setView(e.latlng, Math.min(map.getZoom() + 2, 18)); });
          layer.addLayer(cluster);
        }
      });
    }
    count.removeAttribute('data-warning');
    count.textContent = data.total === 0
      ? (Object.keys(kommuner).length ? 'Ingen tomter i utsnittet med disse filtrene.' : 'Ingen tomter i lageret ennå. Kartet fylles etter første kjøring.')
      : number(data.total) + ' tomter i utsnittet' + (data.kind === 'clusters' ? ' (gruppert – zoom inn for å se hver tomt)' : '');
    document.body.setAttribute('data-kind', data.kind);
    // When the first lots were drawn, from navigation start (read by npm run bench:map).
    if (!document.body.hasAttribute('data-ready')) document.body.setAttribute('data-ready-ms', Math.round(performance.now()));
    document.body.setAttribute('data-ready', 'true');
  }
  function refresh() {
    clearTimeout(retryTimer);
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    var b = map.getBounds(), id = ++asked;
    var url = 'api/map/lots?bbox=' + [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(',') +
      '&zoom=' + map.getZoom() + '&' + filterParams();
    document.body.setAttribute('data-loading', 'true');
    fetch(url, controller ? { signal: controller.signal } : {})
      .then(function (r) {
        if (r.status === 429) {
          var wait = Number(r.headers.get('retry-after')) || 2;
          count.setAttribute('data-warning', '');
          count.textContent = 'For mange forespørsler – prøver igjen om ' + wait + ' s.';
          retryTimer = setTimeout(refresh, wait * 1000);
          return null;
        }
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function (data) { if (data && id === asked) { draw(data); document.body.removeAttribute('data-loading'); } })
      .catch(function (e) { if (e.name !== 'AbortError') count.textContent = 'Kunne ikke hente tomtene.'; });
  }
  function fitBox(bbox, maxZoom) { map.fitBounds([[bbox[1], bbox[0]], [bbox[3], bbox[2]]], { maxZoom: maxZoom }); }
  function fitKommune() {
    var chosen = kommuner[kommuneSelect.value];
    var boxes = chosen ? [chosen.bbox] : Object.keys(kommuner).map(function (k) { return kommuner[k].bbox; });
    if (!boxes.length) return false;
    var box = boxes.reduce(function (a, b) { return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]; });
    fitBox(box, 16);
    return true;
  }
  filterForm.addEventListener('change', function (e) {
    if (e.target === kommuneSelect) fitKommune();
    refresh();
  });
  // The form's values change after the reset event: read them a moment later.
  filterForm.addEventListener('reset', function () { setTimeout(function () { fitKommune(); refresh(); }, 0); });
  var searchForm = document.getElementById('sok'), hitsList = document.getElementById('treff'), searchNote = document.getElementById('sokemelding');
  function goTo(hit) { fitBox(hit.bbox, 17); select(hit.tomtId); }
  searchForm.addEventListener('submit', function (e) {
    e.preventDefault();
    var q = searchForm.elements.q.value.trim();
    hitsList.replaceChildren();
    if (!q) return;
    var kommune = kommuneSelect.value ? '&kommune=' + kommuneSelect.value : '';
    searchNote.textContent = 'Søker …';
    fetch('api/map/search?q=' + encodeURIComponent(q) + (/^\\d{4}[-\\s]/.test(q) ? '' : kommune))
      .then(function (r) {
        if (r.status === 400) { searchNote.textContent = 'Skriv gnr/bnr, f.eks. 45/12 eller 3218-45/12.'; return null; }
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function (data) {
        if (!data) return;
        var hits = data.hits;
        searchNote.textContent = hits.length === 0 ? 'Fant ingen tomt på ' + q + '.' : hits.length === 1 ? '1 tomt' : hits.length + ' tomter – velg én:';
        if (hits.length === 1) return goTo(hits[0]);
        hits.forEach(function (hit) {
          var b = el('button', hit.kommuneNavn + ' ' + hit.matrikkel + ' – score ' + hit.score + (hit.state === 'vanished' ? ' (utgått)' : ''));
          b.type = 'button';
          b.addEventListener('click', function () { goTo(hit); });
          var li = el('li'); li.appendChild(b); hitsList.appendChild(li);
        });
      })
      .catch(function () { searchNote.textContent = 'Søket feilet.'; });
  });
  map.on('moveend', refresh);
  var wanted = /[?&]kommune=(\\d{4})/.exec(location.search);
  fetch('api/map/kommuner').then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); }).then(function (data) {
    data.kommuner.forEach(function (k) {
      kommuner[k.kommunenummer] = k;
      var option = el('option', k.navn + ' (' + k.kommunenummer + ') – ' + number(k.count));
      option.value = k.kommunenummer;
      kommuneSelect.appendChild(option);
    });
    if (wanted && kommuner[wanted[1]]) kommuneSelect.value = wanted[1];
    if (!fitKommune()) map.setView([59.66, 10.79], 11);
  }).catch(function () {
    count.textContent = 'Kunne ikke hente tomtene.';
    map.setView([59.66, 10.79], 11);
  });
})();`;
