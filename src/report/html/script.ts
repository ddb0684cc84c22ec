/**
 * The HTML report's script: an icicle flame graph (root on top, callees below) drawn with
 * absolutely positioned DOM boxes, with click-to-zoom, a regex search that highlights frames and
 * shows the matched share, a hover tooltip, a sample-type switch and the top table of the chosen
 * type. Plain ES2017 as a string, inlined into the page; no framework, no network.
 *
 * Profile strings only ever reach the DOM through textContent / setAttribute, never innerHTML.
 */
import { FORMAT_JS } from './format-js.js';

const MAIN_JS = String.raw`
(function () {
  'use strict';
  var DATA = JSON.parse(document.getElementById('pd-data').textContent);
  var NAMES = DATA.names;
  var ROW = 18;
  var FLAG_INLINE = 1, FLAG_OTHER = 2;
  var $ = function (id) { return document.getElementById(id); };
  var fg = $('fg'), tip = $('fg-tip'), search = $('fg-search'), matchOut = $('fg-match'), crumbs = $('fg-crumbs');
  var select = $('fg-view'), topBody = $('top-body'), topNote = $('top-note'), topTitle = $('top-title');
  var fgNote = $('fg-note'), resetBtn = $('fg-reset'), fgTotal = $('fg-total');

  var view = null;   // current view
  var g = null;      // its graph, with derived arrays
  var zoom = 0;      // zoomed frame
  var matcher = null;
  var matched = null; // Uint8Array per frame

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function pct(x) {
    var p = 100 * x;
    if (p >= 99.95) return '100%';
    if (p >= 10) return p.toFixed(1) + '%';
    if (p >= 1) return p.toFixed(2) + '%';
    if (p === 0) return '0%';
    return p.toPrecision(2) + '%';
  }
  function fmt(v) { return pdLabel(v, view.unit); }

  // Derived per-graph arrays: x offsets (in value units) and subtree ends, from pre-order + depth.
  function prepare(graph) {
    var n = graph.name.length;
    var x = new Float64Array(n), end = new Uint32Array(n), parent = new Int32Array(n);
    var next = [], path = [];
    for (var i = 0; i < n; i++) {
      var d = graph.depth[i];
      while (path.length > d) end[path.pop()] = i;
      if (d === 0) { x[i] = 0; parent[i] = -1; }
      else { parent[i] = path[d - 1]; x[i] = next[d - 1]; next[d - 1] += graph.width[i]; }
      next[d] = x[i];
      path.push(i);
    }
    while (path.length) end[path.pop()] = n;
    graph.x = x; graph.end = end; graph.parent = parent;
    return graph;
  }

  function hash(s) {
    var h = 2166136261;
    for (var i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); }
    return h >>> 0;
  }
  // Colour by Go package: the path up to the first '.' after the last '/'.
  function pkgOf(name) {
    var slash = name.lastIndexOf('/', name.indexOf('(') >= 0 ? name.indexOf('(') : name.length);
    var dot = name.indexOf('.', slash + 1);
    return dot > 0 ? name.slice(0, dot) : name;
  }
  // Standard library (no dot in the first path element) in cool blues, everything else in
  // warm flame colours; the hue varies by package so neighbours differ.
  var colourCache = {};
  function colour(name) {
    var pkg = pkgOf(name);
    var c = colourCache[pkg];
    if (!c) {
      var h = hash(pkg);
      var first = pkg.split('/')[0];
      var std = first.indexOf('.') < 0;
      var hue = std ? 185 + (h % 40) : (h % 52);
      c = 'hsl(' + hue + ',' + (std ? 45 : 72) + '%,' + (71 + ((h >>> 8) % 9)) + '%)';
      colourCache[pkg] = c;
    }
    return c;
  }

  function setView(i) {
    view = DATA.views[i];
    select.value = String(i);
    g = view.graph ? (view.graph.x ? view.graph : prepare(view.graph)) : null;
    zoom = 0;
    computeMatches();
    fgTotal.textContent = view.totalText ? 'Total ' + view.totalText + ' ' + view.sampleType : '';
    renderTop();
    draw();
  }

  function draw() {
    fg.textContent = '';
    crumbs.textContent = '';
    if (!g) {
      fg.style.height = 'auto';
      fg.appendChild(el('p', 'fg-empty', 'No call stacks in this input (a pasted table), so no flame graph.'));
      fgNote.textContent = '';
      resetBtn.disabled = true;
      return;
    }
    var W = fg.clientWidth || 800;
    var z = zoom, zw = g.width[z] || 1, zx = g.x[z], zd = g.depth[z];
    // Ancestors of the zoomed frame, full width on top.
    var chain = [];
    for (var a = z; a >= 0; a = g.parent[a]) chain.unshift(a);
    var frag = document.createDocumentFragment();
    var maxRow = 0;
    for (var c = 0; c < chain.length - 1; c++) frag.appendChild(box(chain[c], 0, W, c, true));
    var base = chain.length - 1 - zd; // rows above the zoomed frame's depth offset
    for (var i = z; i < g.end[z]; ) {
      var w = g.width[i] * W / zw;
      if (w < 1) { i = g.end[i]; continue; }
      var left = (g.x[i] - zx) * W / zw;
      var row = g.depth[i] + base;
      if (row > maxRow) maxRow = row;
      frag.appendChild(box(i, left, w, row, false));
      i++;
    }
    fg.appendChild(frag);
    fg.style.height = ((maxRow + 1) * ROW) + 'px';
    resetBtn.disabled = z === 0;
    // Breadcrumbs: click to zoom out to that level.
    chain.forEach(function (f, k) {
      if (k > 0) crumbs.appendChild(el('span', 'sep', ' \u203a '));
      var b = el('button', 'crumb', f === 0 ? 'root' : NAMES[g.name[f]]);
      b.type = 'button';
      b.setAttribute('data-i', String(f));
      if (f === z) b.setAttribute('aria-current', 'true');
      crumbs.appendChild(b);
    });
    var shown = g.name.length;
    var note = 'Icicle layout: callers above callees, width = share of ' + view.sampleType + '. ' + shown + ' frames';
    if (g.mergedFrames > 0) {
      note += '; ' + g.mergedFrames + ' frames under ' + pct(DATA.minFraction) + ' of the total (or beyond the size cap) are merged into \u201cother\u201d boxes';
    }
    fgNote.textContent = note + '. Click a frame to zoom, Esc to zoom out.';
  }

  function box(i, left, w, row, ancestor) {
    var flags = g.flags[i];
    var name = i === 0 ? 'root' : NAMES[g.name[i]];
    var d = el('div', 'fr');
    if (flags & FLAG_INLINE) d.className += ' inl';
    if (flags & FLAG_OTHER) d.className += ' oth';
    if (ancestor) d.className += ' anc';
    if (matched && matched[i]) d.className += ' hl';
    else if (matched) d.className += ' dim';
    d.style.left = left + 'px';
    d.style.width = Math.max(0, w - 1) + 'px';
    d.style.top = (row * ROW) + 'px';
    if (!(flags & FLAG_OTHER) && i !== 0) d.style.background = colour(name);
    d.setAttribute('data-i', String(i));
    d.textContent = i === 0 ? 'all samples \u2014 ' + view.totalText : name;
    if (w < 28) d.className += ' narrow';
    return d;
  }

  function frameAt(target) {
    var t = target;
    while (t && t !== fg) {
      if (t.getAttribute && t.hasAttribute('data-i')) return Number(t.getAttribute('data-i'));
      t = t.parentNode;
    }
    return -1;
  }

  fg.addEventListener('click', function (e) {
    var i = frameAt(e.target);
    if (i < 0) return;
    zoom = i;
    hideTip();
    draw();
  });
  crumbs.addEventListener('click', function (e) {
    var i = frameAt(e.target);
    if (i < 0) return;
    zoom = i;
    draw();
  });
  resetBtn.addEventListener('click', function () { zoom = 0; draw(); });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && g && zoom !== 0) { zoom = g.parent[zoom] >= 0 ? g.parent[zoom] : 0; draw(); }
  });

  function hideTip() { tip.hidden = true; }
  fg.addEventListener('mouseleave', hideTip);
  fg.addEventListener('mousemove', function (e) {
    var i = frameAt(e.target);
    if (i < 0 || !g) { hideTip(); return; }
    tip.textContent = '';
    var name = i === 0 ? 'root (all samples)' : NAMES[g.name[i]];
    tip.appendChild(el('div', 'tip-name', name));
    var w = g.width[i];
    var v = g.value ? g.value[i] : w;
    tip.appendChild(el('div', '', fmt(v) + ' \u2014 ' + pct(w / (g.width[0] || 1)) + ' of total'));
    if (zoom !== 0 && zoom !== i) tip.appendChild(el('div', '', pct(w / (g.width[zoom] || 1)) + ' of the zoomed frame'));
    var p = g.parent[i];
    if (p > 0) tip.appendChild(el('div', '', pct(w / (g.width[p] || 1)) + ' of its caller'));
    if (g.self[i] > 0) tip.appendChild(el('div', '', 'self ' + fmt(g.self[i]) + ' (' + pct(g.self[i] / (g.width[0] || 1)) + ')'));
    if (g.flags[i] & FLAG_INLINE) tip.appendChild(el('div', 'tip-flag', 'inlined into its caller'));
    if (g.flags[i] & FLAG_OTHER) tip.appendChild(el('div', 'tip-flag', 'several small frames merged'));
    tip.hidden = false;
    var r = fg.getBoundingClientRect();
    var tx = e.clientX - r.left + 14, ty = e.clientY - r.top + 16;
    var tw = tip.offsetWidth;
    if (tx + tw > fg.clientWidth) tx = Math.max(0, e.clientX - r.left - tw - 8);
    tip.style.left = tx + 'px';
    tip.style.top = ty + 'px';
  });

  // Search: a regular expression (smart case: case-insensitive unless it has an upper-case
  // letter); a pattern that does not compile is searched as plain text.
  function compile(q) {
    var flags = /[A-Z]/.test(q) ? '' : 'i';
    try { return { re: new RegExp(q, flags), text: false }; } catch (err) {
      var esc = q.replace(/[.*+?^$\{\}()|[\]\\]/g, '\\$&');
      return { re: new RegExp(esc, flags), text: true };
    }
  }
  function computeMatches() {
    matched = null;
    matchOut.textContent = '';
    var q = search.value;
    if (!q || !g) return;
    var m = compile(q);
    var nameHit = new Uint8Array(NAMES.length);
    for (var k = 0; k < NAMES.length; k++) nameHit[k] = m.re.test(NAMES[k]) ? 1 : 0;
    matched = new Uint8Array(g.name.length);
    var frames = 0, sum = 0, under = -1;
    for (var i = 1; i < g.name.length; i++) {
      if (under >= 0 && i >= g.end[under]) under = -1;
      if (g.flags[i] & FLAG_OTHER) continue;
      if (nameHit[g.name[i]]) {
        matched[i] = 1;
        frames++;
        if (under < 0) { sum += g.width[i]; under = i; }
      }
    }
    var msg = frames === 0 ? 'no frame matches' :
      frames + (frames === 1 ? ' frame' : ' frames') + ' \u2014 matched ' + pct(sum / (g.width[0] || 1)) + ' of total (' + fmt(sum) + ')';
    if (frames > 0 && g.mergedFrames > 0) msg += ' \u00b7 frames merged into \u201cother\u201d are not searched';
    if (m.text) msg += ' \u00b7 not a valid regexp, searched as text';
    matchOut.textContent = msg;
  }
  var searchTimer = 0;
  search.addEventListener('input', function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () { computeMatches(); draw(); }, 80);
  });
  function searchFor(name) {
    search.value = '^' + name.replace(/[.*+?^$\{\}()|[\]\\]/g, '\\$&') + '$';
    computeMatches();
    draw();
    $('flame').scrollIntoView({ behavior: 'smooth', block: 'start' });
  }
  document.addEventListener('click', function (e) {
    var t = e.target;
    if (t && t.getAttribute && t.hasAttribute('data-fn')) { e.preventDefault(); searchFor(t.getAttribute('data-fn')); }
  });

  function renderTop() {
    topBody.textContent = '';
    topTitle.textContent = view.label;
    topNote.textContent = view.top.note;
    view.top.rows.forEach(function (r) {
      var tr = el('tr');
      [r.flat, r.flatPct, r.sumPct, r.cum, r.cumPct].forEach(function (v) { tr.appendChild(el('td', 'num', v)); });
      var td = el('td', 'fn');
      var b = el('button', 'fnlink', r.name);
      b.type = 'button';
      b.title = 'Highlight in the flame graph';
      b.setAttribute('data-fn', r.name);
      td.appendChild(b);
      if (r.inline) td.appendChild(el('span', 'mark', ' (' + r.inline + ')'));
      tr.appendChild(td);
      topBody.appendChild(tr);
    });
    if (view.top.rows.length === 0) {
      var tr = el('tr');
      var td = el('td', '', 'no samples');
      td.colSpan = 6;
      tr.appendChild(td);
      topBody.appendChild(tr);
    }
  }

  DATA.views.forEach(function (v, i) {
    var o = el('option', '', v.label + (v.totalText ? ' \u2014 ' + v.totalText : ''));
    o.value = String(i);
    select.appendChild(o);
  });
  select.disabled = DATA.views.length < 2;
  select.addEventListener('change', function () { setView(Number(select.value)); });
  var resizeTimer = 0;
  window.addEventListener('resize', function () { clearTimeout(resizeTimer); resizeTimer = setTimeout(draw, 100); });
  if (DATA.views.length > 0) setView(DATA.initial);
  else { fg.appendChild(el('p', 'fg-empty', 'No profile data.')); }
  document.documentElement.setAttribute('data-ready', 'true');
})();
`;

/** The page's whole script. */
export const PAGE_JS = `${FORMAT_JS}\n${MAIN_JS}`;
