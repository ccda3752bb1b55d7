/**
 * The kommune dashboard's browser script (ES5, no build step: the page is served as it stands).
 * It reads the ranking from the page's JSON, builds the sortable table once (sorting and
 * filtering only move rows), draws the boundaries from `boundariesUrl` coloured by score and fills
 * the panel from `api/kommuner/:nr`. Text goes in with textContent, charts with SVG DOM calls: no
 * name or figure ever becomes markup. When table and map are drawn it sets `data-ready` on the
 * body and the performance mark `kommuner:klar` (what the browser test and the benchmark wait for).
 */
export const KOMMUNER_PAGE_SCRIPT = `(function () {
  function mark(name) { if (window.performance && performance.mark) performance.mark('kommuner:' + name); }
  mark('start');
  var input = JSON.parse(document.getElementById('data').textContent);
  var d = input.dashboard;
  var byNr = {};
  d.kommuner.forEach(function (k) { byNr[k.nr] = k; });
  var SVG = 'http://www.w3.org/2000/svg';
  var CONFIDENCE = { high: 3, medium: 2, low: 1 };
  var detail = document.getElementById('detalj');
  var table = document.getElementById('tabell');
  var head = table.querySelector('.hode');
  var tbody = table.querySelector('.kropp');
  var search = document.getElementById('sok');
  var topOnly = document.getElementById('bare-topp');

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function num(v, decimals) {
    if (v === null || v === undefined) return '–';
    var fixed = Math.abs(v).toFixed(decimals);
    var parts = fixed.split('.');
    var whole = parts[0].replace(/\\B(?=(\\d{3})+(?!\\d))/g, ' ');
    return (v < 0 && Number(fixed) !== 0 ? '-' : '') + whole + (parts[1] ? ',' + parts[1] : '');
  }
  function change(k) { return k.rank !== null && k.previousRank !== null ? k.previousRank - k.rank : null; }

  // The map first, while the page is small (Leaflet measures its box): every kommune coloured by
  // score, the top ones outlined darker. The view is fitted before the shapes are added, so they
  // are drawn once.
  var map = L.map('kart', { zoomSnap: 0.1, minZoom: 3, maxZoom: 12 });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Kommunegrenser © Kartverket (CC BY 4.0) · tall: SSB');
  var legend = L.control({ position: 'bottomright' });
  legend.onAdd = function () {
    var box = el('div', null, 'legend');
    box.appendChild(el('strong', 'Score'));
    d.legend.forEach(function (item) {
      var line = el('div');
      var swatch = el('i');
      swatch.style.background = item.colour;
      line.appendChild(swatch);
      line.appendChild(document.createTextNode(item.label));
      box.appendChild(line);
    });
    return box;
  };
  legend.addTo(map);
  var layers = {};
  function styleOf(nr) {
    var k = byNr[nr];
    return { color: k && k.top ? '#111' : '#555', weight: k && k.top ? 1.3 : 0.4, opacity: 0.9,
      fillColor: k ? k.colour : '#9e9e9e', fillOpacity: 0.85 };
  }
  function tooltip(nr, name) {
    var k = byNr[nr];
    var box = el('div');
    box.appendChild(el('strong', k ? k.navn : name));
    box.appendChild(el('div', k ? 'Nr. ' + (k.rank === null ? '–' : k.rank) + ' · ' + num(k.score, 1) + ' poeng' + (k.top ? ' · ★' : '') : 'Ikke i rangeringen'));
    return box;
  }
  function ready() {
    document.body.setAttribute('data-ready', 'true');
    mark('klar');
    var wanted = /^#(\\d{4})$/.exec(location.hash);
    if (wanted && byNr[wanted[1]]) select(wanted[1], 'link');
  }
  fetch(input.boundariesUrl).then(function (r) {
    if (!r.ok) throw new Error(r.status);
    return r.json();
  }).then(function (geo) {
    mark('grenser');
    var layer = L.geoJSON(geo, {
      style: function (f) { return styleOf(f.properties.kommunenummer); },
      onEachFeature: function (f, l) {
        var nr = f.properties.kommunenummer;
        layers[nr] = l;
        l.bindTooltip(function () { return tooltip(nr, f.properties.kommunenavn); }, { sticky: true });
        l.on('click', function () { select(nr, 'map'); });
      }
    });
    map.fitBounds(layer.getBounds(), { padding: [8, 8], animate: false });
    layer.addTo(map);
    ready();
  }).catch(function () {
    document.getElementById('kart').replaceChildren(el('p', 'Kunne ikke hente kommunegrensene.', 'muted'));
    ready();
  });

  // The columns: fixed ones, then three per factor of the ranking (value, points, rank).
  var columns = [
    { id: 'rank', label: 'Rang', width: 66, first: 'asc', get: function (k) { return k.rank; } },
    { id: 'change', label: 'Endring', width: 82, title: 'Plasser opp (+) eller ned (-) siden forrige oppdatering', first: 'desc',
      get: change, text: function (k) { var c = change(k); return c === null ? (k.previousRank === null && k.rank !== null ? 'ny' : '') : c > 0 ? '+' + c : c === 0 ? '=' : String(c); } },
    { id: 'nr', label: 'Nr', width: 58, cls: 'tekst', first: 'asc', get: function (k) { return k.nr; } },
    { id: 'navn', label: 'Kommune', width: 170, cls: 'tekst navn', first: 'asc', get: function (k) { return k.navn; } },
    { id: 'fylke', label: 'Fylke', width: 118, cls: 'tekst', first: 'asc', get: function (k) { return k.fylke; } }
  ];
  if (d.hasPopulation) columns.push({ id: 'population', label: 'Folketall', width: 96, first: 'desc',
    get: function (k) { return k.population; }, text: function (k) { return num(k.population, 0); } });
  columns.push(
    { id: 'score', label: 'Score', width: 82, first: 'desc', get: function (k) { return k.score; }, score: true },
    { id: 'top', label: 'Topp ' + d.topCount, width: 90, title: 'Blant de ' + d.topCount + ' beste', first: 'desc',
      get: function (k) { return k.top ? 1 : 0; }, text: function (k) { return k.top ? '★' : k.belowMinPopulation ? 'lite' : ''; }, cls: 'merke' },
    { id: 'confidence', label: 'Konfidens', width: 100, cls: 'tekst', first: 'desc',
      get: function (k) { return CONFIDENCE[k.confidence]; }, text: function (k) { return k.confidenceLabel; } }
  );
  d.factors.forEach(function (f) {
    function cell(k) { return k.factors[f.key]; }
    columns.push(
      { id: 'f:' + f.key + ':value', group: f, label: 'Verdi', width: f.decimals ? 70 : 90, cls: 'ny-gruppe', first: 'desc',
        get: function (k) { return cell(k).value; }, text: function (k) { return num(cell(k).value, f.decimals); } },
      { id: 'f:' + f.key + ':points', group: f, label: 'Poeng', width: 72, first: 'desc',
        get: function (k) { return cell(k).points; }, text: function (k) { return cell(k).value === null ? '–' : num(cell(k).points, 1); } },
      { id: 'f:' + f.key + ':rank', group: f, label: 'Rang', width: 66, first: 'asc',
        get: function (k) { return cell(k).rank; } }
    );
  });

  var sort = { id: 'rank', dir: 'asc' };
  var headers = {};
  // A grid of fixed column widths (one template for header and rows), so a row is laid out
  // without measuring the others.
  table.style.setProperty('--kolonner', columns.map(function (c) { return c.width + 'px'; }).join(' '));
  function headerCell(c, column, row) {
    var th = el('div', null, 'c ' + (c.cls || ''));
    th.setAttribute('role', 'columnheader');
    th.style.gridColumn = column;
    th.style.gridRow = row;
    var b = el('button', c.label);
    b.type = 'button';
    b.setAttribute('data-sort', c.id);
    if (c.title) th.title = c.title;
    b.addEventListener('click', function () {
      sort = { id: c.id, dir: sort.id === c.id ? (sort.dir === 'asc' ? 'desc' : 'asc') : c.first };
      render();
    });
    th.appendChild(b);
    headers[c.id] = th;
    return th;
  }
  columns.forEach(function (c, i) {
    if (!c.group) { head.appendChild(headerCell(c, String(i + 1), '1 / 3')); return; }
    if (c.id.slice(-6) === ':value') {
      var g = el('div', c.group.label, 'c gruppe');
      g.style.gridColumn = (i + 1) + ' / span 3';
      g.style.gridRow = '1';
      g.title = (c.group.unit ? c.group.unit + ' · ' : '') + 'vekt ' + c.group.weight + ' · rang blant ' + c.group.of + ' kommuner med tall';
      head.appendChild(g);
    }
    head.appendChild(headerCell(c, String(i + 1), '2'));
  });

  // Rows are made when first shown and kept: sorting and scrolling reuse them.
  var rowOf = {};
  function rowEl(k) {
    if (rowOf[k.nr]) return rowOf[k.nr];
    var tr = el('div', null, k.top ? 'rad topp' : 'rad');
    tr.setAttribute('role', 'row');
    tr.setAttribute('data-nr', k.nr);
    columns.forEach(function (c) {
      var td = el('div', null, 'c ' + (c.cls || ''));
      td.setAttribute('role', 'cell');
      if (c.score) {
        var swatch = el('span', null, 'farge');
        swatch.style.background = k.colour;
        td.appendChild(swatch);
        td.appendChild(document.createTextNode(num(k.score, 1)));
      } else {
        var v = c.text ? c.text(k) : c.get(k);
        td.textContent = v === null || v === undefined ? '–' : String(v);
        if (v === '–' || v === null) td.className += ' mangler';
      }
      tr.appendChild(td);
    });
    tr.addEventListener('click', function () { select(k.nr, 'table'); });
    if (k.nr === selected) tr.classList.add('valgt');
    return (rowOf[k.nr] = tr);
  }

  function compare(c, dir) {
    var sign = dir === 'asc' ? 1 : -1;
    return function (a, b) {
      var x = c.get(a), y = c.get(b);
      if (x === null || x === undefined) return y === null || y === undefined ? tiebreak(a, b) : 1;
      if (y === null || y === undefined) return -1;
      var r = typeof x === 'string' ? x.localeCompare(y, 'nb') : x - y;
      return r !== 0 ? sign * r : tiebreak(a, b);
    };
  }
  function tiebreak(a, b) {
    if (a.rank !== b.rank) return a.rank === null ? 1 : b.rank === null ? -1 : a.rank - b.rank;
    return a.nr < b.nr ? -1 : 1;
  }
  // Only the rows in view (and some either side) are in the page: the table costs what 60 rows
  // cost, whatever the number of kommuner. Every row is ROW pixels high (CSS).
  var ROW = 27;
  var frame = document.getElementById('tabell-ramme');
  var shown = [];
  var drawn = '';
  function paint() {
    var from = Math.max(0, Math.floor((frame.scrollTop - head.offsetHeight) / ROW) - 20);
    var to = Math.min(shown.length, from + Math.ceil(frame.clientHeight / ROW) + 40);
    var key = from + ':' + to + ':' + shown.length;
    if (key === drawn) return;
    drawn = key;
    var fragment = document.createDocumentFragment();
    for (var i = from; i < to; i++) {
      var row = rowEl(shown[i]);
      row.setAttribute('aria-rowindex', String(i + 3));
      fragment.appendChild(row);
    }
    tbody.style.paddingTop = from * ROW + 'px';
    tbody.style.paddingBottom = (shown.length - to) * ROW + 'px';
    tbody.replaceChildren(fragment);
  }
  frame.addEventListener('scroll', function () { window.requestAnimationFrame(paint); }, { passive: true });
  window.addEventListener('resize', function () { window.requestAnimationFrame(paint); });
  function render() {
    var column = columns.filter(function (c) { return c.id === sort.id; })[0];
    var q = search.value.trim().toLowerCase();
    shown = d.kommuner.filter(function (k) {
      if (topOnly.checked && !k.top) return false;
      return !q || (k.navn + ' ' + k.nr + ' ' + k.fylke).toLowerCase().indexOf(q) >= 0;
    }).sort(compare(column, sort.dir));
    table.setAttribute('aria-rowcount', String(shown.length + 2));
    drawn = '';
    paint();
    Object.keys(headers).forEach(function (id) {
      if (id === sort.id) headers[id].setAttribute('aria-sort', sort.dir === 'asc' ? 'ascending' : 'descending');
      else headers[id].removeAttribute('aria-sort');
    });
    document.getElementById('antall').textContent = 'Viser ' + shown.length + ' av ' + d.count + ' kommuner';
  }
  /** Scrolls the table so that kommune nr is in view (when it is in the list shown). */
  function reveal(nr) {
    var i = shown.indexOf(byNr[nr]);
    if (i < 0) return;
    var top = head.offsetHeight + i * ROW;
    if (top < frame.scrollTop + head.offsetHeight || top + ROW > frame.scrollTop + frame.clientHeight)
      frame.scrollTop = top - head.offsetHeight - Math.round(frame.clientHeight / 3);
    paint();
  }
  search.addEventListener('input', render);
  topOnly.addEventListener('change', render);
  render();
  mark('tabell');

  // The panel of one kommune.
  var selected = null;
  var asked = 0;
  function select(nr, from) {
    if (!byNr[nr]) return;
    if (selected) {
      if (layers[selected]) layers[selected].setStyle(styleOf(selected));
      if (rowOf[selected]) rowOf[selected].classList.remove('valgt');
    }
    selected = nr;
    var layer = layers[nr];
    if (layer) {
      layer.setStyle({ color: '#d7301f', weight: 3, opacity: 1 });
      layer.bringToFront();
      var centre = layer.getBounds().getCenter();
      if (from !== 'map' && !map.getBounds().contains(centre)) map.panTo(centre);
    }
    if (from !== 'table') reveal(nr);
    if (rowOf[nr]) rowOf[nr].classList.add('valgt');
    if (history.replaceState) history.replaceState(null, '', '#' + nr);
    var mine = ++asked;
    detail.replaceChildren(el('p', 'Laster …', 'muted'));
    fetch('api/kommuner/' + nr).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (data) { if (mine === asked) show(data); })
      .catch(function () { if (mine === asked) detail.replaceChildren(el('p', 'Kunne ikke hente kommunen.')); });
  }
  function svg(tag, attributes) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attributes || {}).forEach(function (a) { e.setAttribute(a, attributes[a]); });
    return e;
  }
  function chart(m, label, small) {
    var s = svg('svg', { width: m.width, height: m.height, viewBox: '0 0 ' + m.width + ' ' + m.height, role: 'img', 'aria-label': label });
    m.yTicks.forEach(function (t) {
      s.appendChild(svg('line', { x1: m.plot.x0, x2: m.plot.x1, y1: t.y, y2: t.y, stroke: '#e3e3e3' }));
      var text = svg('text', { x: m.plot.x0 - 4, y: t.y + 3, 'text-anchor': 'end' });
      text.textContent = t.label;
      s.appendChild(text);
    });
    m.xLabels.forEach(function (l) {
      var text = svg('text', { x: l.x, y: m.height - 5, 'text-anchor': l.anchor });
      text.textContent = l.label;
      s.appendChild(text);
    });
    if (m.path) s.appendChild(svg('path', { d: m.path, fill: 'none', stroke: '#225ea8', 'stroke-width': small ? 1.2 : 1.8 }));
    m.dots.forEach(function (p) {
      var dot = svg('circle', { cx: p.x, cy: p.y, r: small ? 1.8 : 3, fill: '#225ea8' });
      var title = svg('title');
      title.textContent = p.title;
      dot.appendChild(title);
      s.appendChild(dot);
    });
    return s;
  }
  function show(data) {
    var k = data.kommune;
    detail.replaceChildren();
    detail.appendChild(el('h2', data.title));
    detail.appendChild(el('p', data.headline, 'overskrift'));
    detail.appendChild(el('p', k.fylke + (k.population !== null ? ' · ' + num(k.population, 0) + ' innbyggere' : ''), 'muted'));
    detail.appendChild(el('h3', data.explanation.source === 'ranking' ? 'Forklaring' : 'Sammendrag'));
    var text = el('div', null, 'forklaring');
    data.explanation.paragraphs.forEach(function (p) { text.appendChild(el('p', p)); });
    if (data.explanation.source === 'generated') text.appendChild(el('p', 'Laget fra faktorene under (rangeringen har ingen egen forklaring).', 'muted'));
    detail.appendChild(text);
    detail.appendChild(el('h3', 'Faktorer'));
    var table = el('table', null, 'faktorer');
    var header = el('tr');
    ['Faktor', 'Verdi', 'Poeng', 'Rang', 'Over tid'].forEach(function (h) { header.appendChild(el('th', h)); });
    table.appendChild(el('thead')).appendChild(header);
    var body = table.appendChild(el('tbody'));
    data.factors.forEach(function (f) {
      var tr = el('tr');
      var name = el('td', f.label);
      if (f.unit) name.appendChild(el('span', f.unit, 'enhet'));
      tr.appendChild(name);
      var value = el('td', f.valueText, f.missing ? 'mangler' : '');
      if (f.year) value.appendChild(el('span', f.year, 'enhet'));
      tr.appendChild(value);
      tr.appendChild(el('td', f.missing ? '–' : f.pointsText + ' / ' + f.weight));
      tr.appendChild(el('td', f.rank === null ? '–' : f.rank + ' av ' + f.of));
      var spark = el('td');
      if (f.spark) spark.appendChild(chart(f.spark, f.label + ' over tid', true));
      tr.appendChild(spark);
      body.appendChild(tr);
    });
    detail.appendChild(table);
    detail.appendChild(el('h3', 'Score over tid'));
    detail.appendChild(chart(data.chart, 'Score for ' + k.navn + ' ved hver oppdatering', false));
    if (data.history.length < 2) detail.appendChild(el('p', 'Bare én oppdatering så langt: kurven vokser med hver ukentlige oppdatering fra SSB.', 'muted'));
    else {
      var last = data.history.slice(-5).reverse().map(function (h) {
        return h.date + ': ' + (h.score === null ? '–' : num(h.score, 1)) + ' (nr. ' + (h.rank === null ? '–' : h.rank) + ')';
      });
      detail.appendChild(el('p', 'Siste: ' + last.join(' · '), 'muted historikk'));
    }
  }
})();`;
