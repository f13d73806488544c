// The tidings dashboard: plain JavaScript over the JSON API in dashboard/API.md, no build step.
//
// Everything that comes from the lake (post text, names, entities, hashtags, URLs) is hostile.
// It only ever reaches the page as text nodes (textContent / createTextNode), links only for
// http(s) URLs, and the server's CSP forbids inline scripts. There is no innerHTML in this file.
//
// The state (view, filters, zoom range, SQL) lives in the URL hash, so a link reproduces what one
// sees and back/forward walk through it; the page renders from the hash on every hashchange.
(function () {
  'use strict';

  // The hash keys that filter every /api/* endpoint (API.md "Filters").
  var FILTER_KEYS = ['from', 'to', 'platform', 'rule', 'lang', 'sentiment', 'emotion', 'signal', 'entity', 'entity_type',
    'hashtag', 'q'];
  var VIEWS = ['overview', 'feed', 'entity', 'health', 'sql'];
  var POLL_MS = 5000;
  var FEED_PAGE = 50;
  var COLORS = { negative: '#d9534f', neutral: '#9aa5b1', positive: '#2e9d5b', unscored: '#cfd6de' };

  var lakeVersion = null;
  var staleShown = false; // an answer of an older lake version is on screen (see api())
  var charts = {};
  // Each render bumps this; responses for an older render are dropped so a slow reply never
  // overwrites a newer one.
  var renderGeneration = 0;

  // ---- state in the URL hash ----

  function readState() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ''));
    var state = {};
    params.forEach(function (value, key) { if (value !== '') state[key] = value; });
    if (VIEWS.indexOf(state.view) < 0) state.view = 'overview';
    return state;
  }

  function hashOf(state) {
    var params = new URLSearchParams();
    Object.keys(state).forEach(function (key) {
      if (state[key] !== undefined && state[key] !== null && state[key] !== '') params.set(key, state[key]);
    });
    return '#' + params.toString();
  }

  // Navigates to a new state: a new history entry, then the hashchange listener renders it.
  function go(changes) {
    var state = readState();
    Object.keys(changes).forEach(function (key) { state[key] = changes[key]; });
    var hash = hashOf(state);
    if (hash === location.hash) render();
    else location.hash = hash;
  }

  function filterParams(state) {
    var params = new URLSearchParams();
    FILTER_KEYS.forEach(function (key) { if (state[key]) params.set(key, state[key]); });
    return params;
  }

  // ---- DOM helpers: text only ----

  function $(id) { return document.getElementById(id); }

  // el('td', {class: 'num'}, 'text', childNode…): strings become text nodes, never markup.
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        if (attrs[name] !== undefined && attrs[name] !== null) node.setAttribute(name, String(attrs[name]));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === undefined || child === null) return;
    if (Array.isArray(child)) child.forEach(function (c) { append(node, c); });
    else if (typeof child === 'object' && child.nodeType) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function setText(id, text, rawValue) {
    var node = $(id);
    node.textContent = text;
    if (rawValue !== undefined) node.setAttribute('data-value', rawValue === null ? '' : String(rawValue));
  }

  // Only absolute http(s) URLs become links; anything else (javascript:, data:, relative) is text.
  function safeHttpUrl(value) {
    if (typeof value !== 'string' || value === '') return null;
    try {
      var url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function externalLink(href, label) {
    return el('a', { href: href, rel: 'noopener noreferrer', target: '_blank' }, label);
  }

  // ---- formatting ----

  var integer = new Intl.NumberFormat('en-US');
  function formatCount(n) { return n === null || n === undefined ? '–' : integer.format(n); }
  function formatNet(x) {
    if (x === null || x === undefined) return '–';
    return (x > 0 ? '+' : '') + x.toFixed(2);
  }
  function formatCompact(n) {
    if (n === null || n === undefined) return '–';
    return new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(n);
  }
  function formatTime(iso) {
    if (!iso) return '–';
    return String(iso).replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
  }

  // datetime-local inputs hold "YYYY-MM-DDTHH:MM"; the hash and API hold ISO instants in UTC.
  function inputToIso(value) { return value ? value + ':00Z' : ''; }
  function isoToInput(value) {
    if (!value) return '';
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value + 'T00:00';
    var m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})/.exec(value);
    return m ? m[1] : '';
  }
  function secondsToIso(seconds) { return new Date(Math.round(seconds) * 1000).toISOString().replace('.000Z', 'Z'); }

  // ---- API ----

  function ApiError(status, message) { this.status = status; this.message = message; }

  function api(path, params, init) {
    var query = params && params.toString();
    // The page asks again at its next poll, so an older answer may stand in for one still computing.
    var headers = Object.assign({ 'X-Tidings-Accept-Stale': '1' }, (init && init.headers) || {});
    return fetch('api/' + path + (query ? '?' + query : ''),
      Object.assign({ credentials: 'same-origin' }, init || {}, { headers: headers }))
      .then(function (response) {
        // An answer of an older lake version, given while the server computes the current one:
        // the next poll renders the view again.
        if (response.headers.get('X-Tidings-Stale') === 'true') staleShown = true;
        return response.text().then(function (body) {
          var json = null;
          try { json = body ? JSON.parse(body) : null; } catch (e) { json = null; }
          if (!response.ok) {
            var message = json && typeof json.error === 'string' ? json.error : 'HTTP ' + response.status;
            throw new ApiError(response.status, message);
          }
          return json;
        });
      });
  }

  function showError(err) {
    var box = $('error');
    if (!err) { box.hidden = true; box.textContent = ''; return; }
    box.textContent = err instanceof ApiError ? err.message : 'Request failed: ' + (err && err.message || err);
    box.hidden = false;
  }

  // ---- rendering ----

  function render() {
    var state = readState();
    var generation = ++renderGeneration;
    showError(null);
    VIEWS.forEach(function (view) {
      $('view-' + view).hidden = view !== state.view;
    });
    document.querySelectorAll('nav.views a').forEach(function (a) {
      if (a.getAttribute('data-view') === state.view) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    // Health and the SQL console do not take the filters.
    $('filters').hidden = state.view === 'health' || state.view === 'sql';
    syncFilterForm(state);
    renderChips(state);
    var current = function () { return generation === renderGeneration; };
    var work;
    if (state.view === 'overview') work = renderOverview(state, current);
    else if (state.view === 'feed') work = renderFeed(state, current);
    else if (state.view === 'entity') work = renderEntity(state, current);
    else if (state.view === 'health') work = renderHealth(state, current);
    else work = renderSql(state, current);
    return Promise.resolve(work).then(function () {
      if (current()) document.body.setAttribute('data-rendered', String(generation));
    }, function (err) {
      if (current()) {
        showError(err);
        document.body.setAttribute('data-rendered', String(generation));
      }
    });
  }

  function syncFilterForm(state) {
    var form = $('filters');
    // A live refresh must not overwrite what someone is typing into the filter bar.
    var typing = document.activeElement;
    if (typing && form.contains(typing) && (typing.tagName === 'INPUT' || typing.tagName === 'SELECT')) return;
    form.elements.from.value = isoToInput(state.from);
    form.elements.to.value = isoToInput(state.to);
    form.elements.platform.value = state.platform || '';
    form.elements.lang.value = state.lang || '';
    form.elements.sentiment.value = state.sentiment || '';
    form.elements.emotion.value = state.emotion || '';
    form.elements.signal.value = state.signal || '';
    form.elements.q.value = state.q || '';
  }

  // Filters without a form field (entity, hashtag, rule) show as chips one can remove.
  function renderChips(state) {
    var chips = clear($('chips'));
    [['entity', 'entity'], ['entity_type', 'type'], ['hashtag', '#'], ['rule', 'rule']].forEach(function (pair) {
      var key = pair[0];
      if (!state[key]) return;
      var remove = el('button', { type: 'button', 'aria-label': 'Remove filter ' + pair[1], 'data-filter': key }, '×');
      remove.addEventListener('click', function () {
        var changes = {};
        changes[key] = '';
        if (key === 'entity') changes.entity_type = '';
        go(changes);
      });
      chips.appendChild(el('span', { class: 'chip', 'data-filter': key }, pair[1] + ': ', el('b', null, state[key]), ' ', remove));
    });
  }

  function renderOverview(state, current) {
    var filters = filterParams(state);
    var overview = api('overview', filters).then(function (o) {
      if (!current()) return;
      setText('kpi-posts', formatCount(o.posts), o.posts);
      setText('kpi-authors', formatCount(o.authors), o.authors);
      setText('kpi-net', formatNet(o.net_sentiment), o.net_sentiment);
      setText('kpi-reach', formatCompact(o.reach), o.reach);
      $('kpi-reach').title = formatCount(o.reach) + ' followers';
      $('kpi-net').className = 'kpi-value ' + netClass(o.net_sentiment);
    });
    var series = timeseriesParams(filters);
    var volume = api('timeseries', series).then(function (ts) {
      if (!current()) return;
      $('volume-bucket').textContent = ts.points.length + ' × ' + ts.bucket;
      $('reset-zoom').hidden = !(state.from || state.to);
      drawVolumeChart('volume-chart', ts.points, true);
      renderVolumeTable(ts);
    });
    var signals = api('signals', series).then(function (r) {
      if (current()) renderSignals(r);
    });
    var entityParams = new URLSearchParams(filters);
    entityParams.set('limit', '15');
    var entities = api('entities', entityParams).then(function (r) {
      if (current()) renderTopEntities(r.entities);
    });
    var tagParams = new URLSearchParams(filters);
    tagParams.set('kind', 'hashtag');
    tagParams.set('limit', '15');
    var hashtags = api('terms', tagParams).then(function (r) {
      if (current()) renderTopHashtags(r.terms);
    });
    var postParams = new URLSearchParams(filters);
    postParams.set('sort', 'time');
    postParams.set('limit', '20');
    var latest = api('posts', postParams).then(function (r) {
      if (current()) renderPosts($('latest-posts'), r.posts);
    });
    var trendParams = new URLSearchParams(filters);
    trendParams.set('kind', trendingKind(state));
    trendParams.set('window', trendingWindow(state));
    trendParams.set('limit', '15');
    var trending = api('trending', trendParams).then(function (r) {
      if (current()) renderTrending(r);
    });
    return Promise.all([overview, volume, signals, entities, hashtags, latest, trending]);
  }

  // ---- emotions and signals (API.md /api/signals) ----

  // The bundled model's emotions keep their colours; any other label the lake holds gets one of these.
  var EMOTION_COLORS = { anger: '#d9534f', joy: '#f0b429', optimism: '#2e9d5b', sadness: '#4c6fbf' };
  var OTHER_COLORS = ['#8e6bbf', '#c2185b', '#00897b', '#6d4c41', '#546e7a', '#ef6c00'];
  var FLAGS = [
    { key: 'offensive', label: 'offensive', color: '#c2410c' },
    { key: 'hate', label: 'hate', color: '#7c3aed' },
    { key: 'irony', label: 'irony', color: '#0891b2' }
  ];

  function formatShare(x) {
    return x === null || x === undefined ? '–' : (x * 100).toFixed(1) + '%';
  }

  function renderSignals(r) {
    var totals = r.totals;
    var emotions = Array.isArray(r.emotions) ? r.emotions : [];
    $('signals-bucket').textContent = r.points.length && totals.scored ? r.points.length + ' × ' + r.bucket : '';
    var empty = $('signals-empty');
    var body = $('signals-body');
    // Posts without signals (scored before the model had these heads, or by a model without them)
    // are not "not offensive": with none of them scored there is nothing to chart.
    if (!totals.scored) {
      ['signals-emotion-chart', 'signals-share-chart'].forEach(destroyChart);
      body.hidden = true;
      empty.hidden = false;
      empty.textContent = totals.posts
        ? 'No emotion, offensive, hate or irony signals in this range: none of its ' + formatCount(totals.posts)
          + ' posts was scored by a model with these heads (posts written before them, or scored by a model without them).'
        : 'No posts in this range.';
      empty.setAttribute('data-unscored', String(totals.unscored));
      return;
    }
    empty.hidden = true;
    body.hidden = false;
    FLAGS.forEach(function (flag) {
      var f = totals[flag.key];
      setText('signals-' + flag.key, formatShare(f.share), f.share);
      $('signals-' + flag.key + '-of').textContent = formatCount(f.posts) + ' of ' + formatCount(f.scored) + ' posts';
      $('signals-' + flag.key + '-of').setAttribute('data-posts', String(f.posts));
    });
    setText('signals-scored', formatCount(totals.scored), totals.scored);
    setText('signals-unscored', formatCount(totals.unscored) + ' without signals (unscored)', totals.unscored);
    var others = 0;
    var emotionLayers = emotions.map(function (label) {
      return {
        label: label,
        color: Object.prototype.hasOwnProperty.call(EMOTION_COLORS, label) ? EMOTION_COLORS[label] : OTHER_COLORS[others++ % OTHER_COLORS.length],
        values: r.points.map(function (p) { return Number(p.emotions[label]) || 0; })
      };
    });
    drawChart('signals-emotion-chart', r.points, emotionLayers, { stacked: true, zoomable: true, format: formatCount });
    var shareLayers = FLAGS.map(function (flag) {
      return {
        label: flag.label,
        color: flag.color,
        // A bucket with no post scored has no share: a gap, not 0%.
        values: r.points.map(function (p) { var s = p[flag.key].share; return s === null || s === undefined ? null : s * 100; })
      };
    });
    drawChart('signals-share-chart', r.points, shareLayers, {
      stacked: false, zoomable: true, format: function (v) { return v === null ? '–' : v.toFixed(1) + '%'; }
    });
    renderSignalsTable(r, emotions);
  }

  function renderSignalsTable(r, emotions) {
    var table = clear($('signals-table'));
    table.appendChild(el('thead', null, el('tr', null,
      el('th', null, 't (' + r.bucket + ')'), el('th', null, 'posts'), el('th', null, 'with signals'), el('th', null, 'unscored'),
      emotions.map(function (label) { return el('th', { class: 'emotion' }, label); }),
      FLAGS.map(function (flag) { return el('th', null, flag.label); }))));
    var body = el('tbody');
    r.points.forEach(function (p) {
      body.appendChild(el('tr', { 'data-t': p.t },
        el('td', null, formatTime(p.t)), el('td', { class: 'num' }, p.posts), el('td', { class: 'num' }, p.scored),
        el('td', { class: 'num' }, p.unscored),
        emotions.map(function (label) { return el('td', { class: 'num' }, Number(p.emotions[label]) || 0); }),
        FLAGS.map(function (flag) {
          var f = p[flag.key];
          return el('td', { class: 'num', title: f.posts + ' of ' + f.scored + ' posts with this signal' }, f.posts);
        })));
    });
    table.appendChild(body);
  }

  // ---- trending (API.md /api/trending) ----

  var TRENDING_KINDS = ['all', 'term', 'hashtag', 'entity'];

  function trendingKind(state) {
    return TRENDING_KINDS.indexOf(state.trending) >= 0 ? state.trending : 'all';
  }

  // The window's length; the baseline stays the 7 days before it (API default).
  var TRENDING_WINDOWS = ['1h', '6h', '1d'];
  function trendingWindow(state) {
    return TRENDING_WINDOWS.indexOf(state.trending_window) >= 0 ? state.trending_window : '1h';
  }

  function renderTrending(r) {
    document.querySelectorAll('#trending-tabs button').forEach(function (b) {
      b.setAttribute('aria-pressed', String(b.getAttribute('data-kind') === r.kind));
    });
    $('trending-window').value = r.window;
    $('trending-note').textContent = r.window_end
      ? 'Posts in the ' + r.window + ' window up to ' + formatTime(r.window_end) + ' against the ' + r.baseline_windows
        + ' windows before it (baseline up to ' + r.baseline + '). Listed: at least ' + r.min_posts + ' posts, score ≥ '
        + r.min_score + ', ratio ≥ ' + r.min_ratio + '.'
      : '';
    var table = clear($('trending'));
    table.appendChild(el('thead', null, el('tr', null, el('th', null, 'rising'), el('th', null, 'kind'),
      el('th', { class: 'num', title: 'Posts in the window' }, 'posts'),
      el('th', { class: 'num', title: 'Posts per window the baseline expects' }, 'expected'),
      el('th', { class: 'num', title: 'posts / expected' }, 'ratio'),
      el('th', { class: 'num', title: 'How unlikely under the baseline (≈ standard deviations)' }, 'score'))));
    var body = el('tbody');
    r.keys.forEach(function (k) {
      var label = k.kind === 'hashtag' ? '#' + k.label : k.label;
      var filter = el('button', { type: 'button', class: 'link', title: 'Filter on this ' + k.kind }, label);
      filter.addEventListener('click', function () {
        if (k.kind === 'hashtag') go({ hashtag: k.key });
        else if (k.kind === 'entity') go({ entity: k.label, entity_type: k.entity_type || '' });
        else go({ q: k.key });
      });
      body.appendChild(el('tr', { class: 'trending-row', 'data-kind': k.kind, 'data-key': k.key },
        el('td', { class: 'text' }, filter, k['new'] ? el('span', { class: 'badge new', title: 'No posts in the baseline' }, 'new') : null),
        el('td', null, k.kind === 'entity' && k.entity_type ? 'entity ' + k.entity_type : k.kind),
        el('td', { class: 'num' }, formatCount(k.posts)),
        el('td', { class: 'num' }, Number(k.expected).toFixed(k.expected < 10 ? 2 : 1)),
        el('td', { class: 'num' }, Number(k.ratio).toFixed(1) + '×'),
        el('td', { class: 'num' }, Number(k.score).toFixed(1))));
    });
    table.appendChild(body);
    if (!r.keys.length) table.appendChild(el('caption', null, 'Nothing is rising above its baseline.'));
  }

  function timeseriesParams(filters) {
    var params = new URLSearchParams(filters);
    params.set('bucket', 'auto');
    return params;
  }

  function netClass(net) {
    if (net === null || net === undefined) return '';
    return net > 0.05 ? 'pos' : net < -0.05 ? 'neg' : 'neu';
  }

  function renderVolumeTable(ts) {
    var table = clear($('volume-table'));
    table.appendChild(el('thead', null, el('tr', null,
      el('th', null, 't (' + ts.bucket + ')'), el('th', null, 'posts'), el('th', null, 'negative'),
      el('th', null, 'neutral'), el('th', null, 'positive'), el('th', null, 'unscored'))));
    var body = el('tbody');
    ts.points.forEach(function (p) {
      body.appendChild(el('tr', { 'data-t': p.t },
        el('td', null, formatTime(p.t)), el('td', { class: 'num' }, p.posts), el('td', { class: 'num' }, p.negative),
        el('td', { class: 'num' }, p.neutral), el('td', { class: 'num' }, p.positive), el('td', { class: 'num' }, p.unscored)));
    });
    table.appendChild(body);
  }

  function renderTopEntities(entities) {
    var table = clear($('top-entities'));
    table.appendChild(el('thead', null, el('tr', null, el('th', null, 'entity'), el('th', null, 'type'),
      el('th', { class: 'num' }, 'posts'), el('th', { class: 'num' }, 'net'), el('th', null, 'trend'))));
    var body = el('tbody');
    entities.forEach(function (e) {
      var filter = el('button', { type: 'button', class: 'link', title: 'Filter on this entity' }, e.text);
      filter.addEventListener('click', function () { go({ entity: e.text, entity_type: e.type || '' }); });
      var open = el('a', { href: hashOf({ view: 'entity', entity: e.text, entity_type: e.type || '' }), class: 'open', title: 'Entity page' }, '↗');
      body.appendChild(el('tr', { class: 'entity-row' },
        el('td', { class: 'text' }, filter, ' ', open), el('td', null, e.type),
        el('td', { class: 'num' }, formatCount(e.posts)),
        el('td', { class: 'num ' + netClass(e.net_sentiment) }, formatNet(e.net_sentiment)),
        el('td', null, sparkline(e.trend))));
    });
    table.appendChild(body);
    if (!entities.length) table.appendChild(el('caption', null, 'No entities.'));
  }

  // A bar per bucket, drawn with elements (no inline style attributes: the CSP would block them).
  function sparkline(trend) {
    var box = el('span', { class: 'spark', 'aria-hidden': 'true' });
    if (!Array.isArray(trend)) return box;
    var max = Math.max.apply(null, trend.concat([1]));
    trend.forEach(function (v) {
      var level = Math.round((Number(v) || 0) / max * 8);
      box.appendChild(el('i', { class: 'h' + level }));
    });
    return box;
  }

  function renderTopHashtags(terms) {
    var table = clear($('top-hashtags'));
    table.appendChild(el('thead', null, el('tr', null, el('th', null, 'hashtag'),
      el('th', { class: 'num' }, 'posts'), el('th', { class: 'num' }, 'net'))));
    var body = el('tbody');
    terms.forEach(function (t) {
      var filter = el('button', { type: 'button', class: 'link', title: 'Filter on this hashtag' }, '#' + t.term);
      filter.addEventListener('click', function () { go({ hashtag: t.term }); });
      body.appendChild(el('tr', { class: 'hashtag-row' }, el('td', { class: 'text' }, filter),
        el('td', { class: 'num' }, formatCount(t.posts)),
        el('td', { class: 'num ' + netClass(t.net_sentiment) }, formatNet(t.net_sentiment))));
    });
    table.appendChild(body);
    if (!terms.length) table.appendChild(el('caption', null, 'No hashtags.'));
  }

  function renderPosts(list, posts) {
    clear(list);
    posts.forEach(function (p) { list.appendChild(postItem(p)); });
    if (!posts.length) list.appendChild(el('li', { class: 'muted' }, 'No posts.'));
  }

  function postItem(p) {
    var sentiment = p.sentiment || 'unscored';
    var author = el('span', { class: 'author' }, p.author_name || '', ' ', el('span', { class: 'muted' }, p.author_handle ? '@' + p.author_handle : ''));
    var href = safeHttpUrl(p.url);
    var meta = el('div', { class: 'meta' },
      el('span', { class: 'badge ' + sentiment, title: probabilities(p) }, sentiment), ' ',
      signalBadges(p),
      author, ' ', el('span', { class: 'muted' }, p.platform || ''), ' ',
      el('time', { datetime: p.created_at }, formatTime(p.created_at)), ' ',
      href ? externalLink(href, 'original') : null);
    var tags = el('div', { class: 'tags' });
    (p.hashtags || []).forEach(function (tag) {
      var b = el('button', { type: 'button', class: 'link tag' }, '#' + tag);
      b.addEventListener('click', function () { go({ hashtag: tag }); });
      tags.appendChild(b);
      tags.appendChild(document.createTextNode(' '));
    });
    (p.matched_rules || []).forEach(function (rule) {
      var b = el('button', { type: 'button', class: 'link rule', title: 'Filter on this rule' }, 'rule: ' + rule);
      b.addEventListener('click', function () { go({ rule: rule }); });
      tags.appendChild(b);
      tags.appendChild(document.createTextNode(' '));
    });
    var counts = el('span', { class: 'muted counts' },
      '♥ ' + formatCount(p.like_count || 0) + ' ⟳ ' + formatCount(p.repost_count || 0) + ' ↩ ' + formatCount(p.reply_count || 0));
    return el('li', { class: 'post', 'data-post-id': p.post_id }, meta, highlightedText(p.text || '', p.entities), el('div', { class: 'foot' }, tags, counts));
  }

  // Issue 21's signals of a post: its emotion (probability on hover) and offensive / hate / irony
  // when true. The label is the lake's text: shown as text, and a class only when it is one we know.
  function signalBadges(p) {
    var badges = [];
    if (p.emotion !== null && p.emotion !== undefined && p.emotion !== '') {
      var label = String(p.emotion);
      var known = Object.prototype.hasOwnProperty.call(EMOTION_COLORS, label);
      badges.push(el('span', { class: 'badge emotion ' + (known ? label : 'other'), 'data-signal': 'emotion',
        title: 'emotion: ' + label + score(p.emotion_score) }, label), ' ');
    }
    ['offensive', 'hate', 'irony'].forEach(function (flag) {
      if (p[flag] === true) {
        badges.push(el('span', { class: 'badge flag ' + flag, 'data-signal': flag, title: flag + score(p[flag + '_score']) }, flag), ' ');
      }
    });
    return badges;
  }

  function score(x) {
    return x === null || x === undefined || !isFinite(Number(x)) ? '' : ' (' + Number(x).toFixed(2) + ')';
  }

  function probabilities(p) {
    if (p.p_positive === null || p.p_positive === undefined) return 'not scored';
    return 'positive ' + Number(p.p_positive).toFixed(2) + ', neutral ' + Number(p.p_neutral).toFixed(2) + ', negative ' + Number(p.p_negative).toFixed(2);
  }

  // Splits the text at the entities' UTF-16 offsets into text nodes and <mark> elements. Offsets
  // that are not integers, out of bounds, empty or overlapping an earlier entity are ignored.
  function highlightedText(text, entities) {
    var box = el('p', { class: 'text' });
    var spans = (Array.isArray(entities) ? entities : []).filter(function (e) {
      return e && Number.isInteger(e.char_start) && Number.isInteger(e.char_end)
        && e.char_start >= 0 && e.char_end <= text.length && e.char_start < e.char_end;
    }).sort(function (a, b) { return a.char_start - b.char_start || b.char_end - a.char_end; });
    var at = 0;
    spans.forEach(function (e) {
      if (e.char_start < at) return;
      if (e.char_start > at) box.appendChild(document.createTextNode(text.slice(at, e.char_start)));
      var mark = el('mark', { class: 'ent ' + (/^(PER|ORG|LOC)$/.test(e.type) ? e.type : 'MISC'), title: String(e.type || '') }, text.slice(e.char_start, e.char_end));
      mark.addEventListener('click', function () { go({ view: 'entity', entity: e.text || text.slice(e.char_start, e.char_end), entity_type: e.type || '' }); });
      box.appendChild(mark);
      at = e.char_end;
    });
    if (at < text.length) box.appendChild(document.createTextNode(text.slice(at)));
    return box;
  }

  // ---- volume chart (uPlot) ----

  // Stacked areas: uPlot fills each series down to zero, so the series are cumulative sums drawn
  // from the tallest (all posts) to the shortest, and the legend shows each layer's own count.
  var LAYERS = ['positive', 'neutral', 'negative', 'unscored'];

  function drawVolumeChart(containerId, points, zoomable) {
    var layers = LAYERS.map(function (layer) {
      return { label: layer, color: COLORS[layer], values: points.map(function (p) { return Number(p[layer]) || 0; }) };
    });
    drawChart(containerId, points, layers, { stacked: true, zoomable: zoomable, format: formatCount });
  }

  function destroyChart(containerId) {
    if (charts[containerId]) { charts[containerId].destroy(); delete charts[containerId]; }
    clear($(containerId));
  }

  // A time chart of layers ({label, color, values per point}) over the points' times t. Stacked:
  // filled steps, the legend showing each layer's own value; else lines, null values as gaps.
  // options.format writes a value for the legend; options.zoomable lets a drag set From/To.
  function drawChart(containerId, points, layers, options) {
    var container = $(containerId);
    var zoomable = options.zoomable;
    destroyChart(containerId);
    if (!points.length) { container.appendChild(el('p', { class: 'muted' }, 'No posts in this range.')); return; }
    if (typeof uPlot === 'undefined') { container.appendChild(el('p', { class: 'muted' }, 'Chart library not loaded.')); return; }
    var xs = points.map(function (p) { return Date.parse(p.t) / 1000; });
    var raw = layers.map(function (layer) { return layer.values; });
    // Stacked: drawn[i] = sum of raw[i..end], the top of layer i.
    var drawn = !options.stacked ? raw : raw.map(function (_, i) {
      return points.map(function (_, j) {
        var sum = 0;
        for (var k = i; k < raw.length; k++) sum += raw[k][j];
        return sum;
      });
    });
    var series = [{ value: function (u, v) { return v === null ? '' : formatTime(secondsToIso(v)); } }];
    layers.forEach(function (layer, i) {
      series.push({
        label: layer.label,
        stroke: layer.color,
        fill: options.stacked ? layer.color : undefined,
        width: options.stacked ? 1 : 2,
        points: { show: !options.stacked && points.length < 60 },
        spanGaps: false,
        paths: options.stacked && uPlot.paths && uPlot.paths.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined,
        value: function (u, v, si, idx) { return idx === null || idx === undefined ? '' : options.format(raw[i][idx]); }
      });
    });
    var opts = {
      width: chartWidth(container),
      height: 240,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
      series: series,
      axes: [{}, { size: 50 }],
      scales: options.stacked ? { x: { time: true } }
        : { x: { time: true }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
      cursor: { drag: { x: zoomable, y: false, setScale: false } },
      hooks: {
        setSelect: [function (u) {
          if (!zoomable || u.select.width < 5) return;
          var from = u.posToVal(u.select.left, 'x');
          var to = u.posToVal(u.select.left + u.select.width, 'x');
          go({ from: secondsToIso(Math.floor(from / 60) * 60), to: secondsToIso(Math.ceil(to / 60) * 60) });
        }]
      }
    };
    charts[containerId] = new uPlot(opts, [xs].concat(drawn), container);
  }

  function chartWidth(container) {
    return Math.max(240, Math.floor(container.getBoundingClientRect().width || 600));
  }

  // Charts follow their container's width (window resize, phone rotation, panel layout changes).
  var chartResizer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var chart = charts[entry.target.id];
      var width = Math.max(240, Math.floor(entry.contentRect.width));
      if (chart && width > 0 && Math.abs(chart.width - width) > 1) chart.setSize({ width: width, height: 240 });
    });
  });

  // ---- feed ----

  function renderFeed(state, current) {
    var offset = Math.max(0, parseInt(state.offset || '0', 10) || 0);
    var sort = state.sort === 'engagement' ? 'engagement' : 'time';
    $('feed-sort').value = sort;
    var params = filterParams(state);
    params.set('sort', sort);
    params.set('limit', String(FEED_PAGE));
    params.set('offset', String(offset));
    return api('posts', params).then(function (r) {
      if (!current()) return;
      renderPosts($('feed-posts'), r.posts);
      setText('feed-total', formatCount(r.total) + ' posts', r.total);
      $('feed-page').textContent = r.total ? (offset + 1) + '–' + Math.min(offset + r.posts.length, r.total) : '';
      $('feed-prev').disabled = offset === 0;
      $('feed-next').disabled = offset + r.posts.length >= r.total;
    });
  }

  // ---- entity page ----

  function renderEntity(state, current) {
    var form = $('entity-form');
    form.elements.entity.value = state.entity || '';
    form.elements.entity_type.value = state.entity_type || '';
    if (!state.entity) { $('entity-body').hidden = true; return null; }
    var params = filterParams(state);
    params.delete('entity');
    params.delete('entity_type');
    params.set('text', state.entity);
    if (state.entity_type) params.set('type', state.entity_type);
    return api('entity', params).then(function (e) {
      if (!current()) return;
      $('entity-body').hidden = false;
      $('entity-title').textContent = e.text + (e.type ? ' (' + e.type + ')' : '');
      setText('entity-mentions', formatCount(e.mentions), e.mentions);
      setText('entity-posts', formatCount(e.posts), e.posts);
      setText('entity-net', formatNet(e.net_sentiment), e.net_sentiment);
      setText('entity-split', formatCount(e.positive) + ' / ' + formatCount(e.neutral) + ' / ' + formatCount(e.negative));
      drawVolumeChart('entity-chart', (e.timeseries && e.timeseries.points) || [], false);
      var table = clear($('entity-cooccurring'));
      table.appendChild(el('thead', null, el('tr', null, el('th', null, 'entity'), el('th', null, 'type'), el('th', { class: 'num' }, 'posts'))));
      var body = el('tbody');
      (e.cooccurring || []).forEach(function (c) {
        body.appendChild(el('tr', null,
          el('td', { class: 'text' }, el('a', { href: hashOf({ view: 'entity', entity: c.text, entity_type: c.type || '' }) }, c.text)),
          el('td', null, c.type), el('td', { class: 'num' }, formatCount(c.posts))));
      });
      table.appendChild(body);
      renderPosts($('entity-samples'), e.samples || []);
    });
  }

  // ---- health ----

  function renderHealth(state, current) {
    var health = api('health').then(function (h) {
      if (!current()) return;
      setText('health-files', formatCount(h.files), h.files);
      setText('health-last-commit', formatTime(h.last_commit), h.last_commit);
      var dl = h.dead_letters || {};
      setText('health-dead-letters', formatCount(dl.count), dl.count);
      $('health-lake').textContent = h.lake || '';
      fillTable($('health-sources'), ['platform', 'posts', 'posts last hour', 'last post', 'last ingested', 'lag'],
        (h.sources || []).map(function (s) {
          return [s.platform, formatCount(s.posts), formatCount(s.posts_last_hour), formatTime(s.last_created_at),
            formatTime(s.last_ingested_at), s.lag_seconds === null || s.lag_seconds === undefined ? '–' : formatDuration(s.lag_seconds)];
        }));
      fillTable($('health-reasons'), ['reason', 'count'], (dl.by_reason || []).map(function (r) { return [r.reason, formatCount(r.count)]; }));
      fillTable($('health-latest'), ['at', 'reason'], (dl.latest || []).map(function (r) { return [formatTime(r.at), r.reason]; }));
      fillTable($('health-models'), ['model version', 'posts'], (h.model_versions || []).map(function (m) { return [m.model_version, formatCount(m.posts)]; }));
    });
    // Alerts are optional: a server without them leaves the table saying so.
    var alerts = api('alerts').then(function (a) {
      if (!current()) return;
      fillTable($('health-alerts'), ['rule', 'state', 'description'], (a.rules || []).map(function (r) { return [r.name, r.state, r.description]; }));
      fillTable($('health-alert-events'), ['at', 'rule', 'message'], (a.events || []).slice(-20).reverse().map(function (e) {
        return [formatTime(e.at), e.rule, e.message];
      }));
    }, function () {
      if (current()) fillTable($('health-alerts'), ['alerts'], [['not available']]);
    });
    return Promise.all([health, alerts]);
  }

  function formatDuration(seconds) {
    var s = Math.round(Number(seconds));
    if (s < 120) return s + ' s';
    if (s < 7200) return Math.round(s / 60) + ' min';
    if (s < 172800) return Math.round(s / 3600) + ' h';
    return Math.round(s / 86400) + ' d';
  }

  function fillTable(table, headers, rows) {
    clear(table);
    table.appendChild(el('thead', null, el('tr', null, headers.map(function (h) { return el('th', null, h); }))));
    var body = el('tbody');
    rows.forEach(function (row) {
      body.appendChild(el('tr', null, row.map(function (cell) { return el('td', null, cellText(cell)); })));
    });
    table.appendChild(body);
  }

  function cellText(value) {
    if (value === null || value === undefined) return 'NULL';
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  }

  // ---- SQL console ----

  // The query the person asked to run (Run, Ctrl+Enter). A query that arrives in the address — a
  // shared link, back/forward, or another web page that opened this one — only fills the text box:
  // any page may link here, and must not be able to make the dashboard run its SQL.
  var sqlRunRequested = null;

  function runSql(sql) {
    sqlRunRequested = sql;
    go({ view: 'sql', sql: sql });
  }

  function renderSql(state, current) {
    var text = $('sql-text');
    if (state.sql && text.value !== state.sql) text.value = state.sql;
    updateDownloadLinks();
    if (!state.sql) return null;
    if (sqlRunRequested !== state.sql) {
      clear($('sql-results'));
      $('sql-error').hidden = true;
      $('sql-status').textContent = 'Press Run (Ctrl+Enter) to run this query.';
      return null;
    }
    sqlRunRequested = null;
    $('sql-status').textContent = 'running…';
    $('sql-error').hidden = true;
    return api('sql', null, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sql: state.sql, max_rows: 1000 })
    }).then(function (r) {
      if (!current()) return;
      fillTable($('sql-results'), r.columns, r.rows);
      $('sql-status').textContent = formatCount(r.rows.length) + ' rows' + (r.truncated ? ' (truncated)' : '') + ' in ' + r.elapsed_ms + ' ms';
    }, function (err) {
      if (!current()) return;
      clear($('sql-results'));
      $('sql-status').textContent = '';
      var box = $('sql-error');
      box.textContent = err instanceof ApiError ? err.message : 'Request failed: ' + (err && err.message || err);
      box.hidden = false;
    });
  }

  function updateDownloadLinks() {
    var sql = $('sql-text').value;
    ['csv', 'parquet'].forEach(function (format) {
      var params = new URLSearchParams();
      params.set('sql', sql);
      params.set('format', format);
      $('sql-' + format).setAttribute('href', 'api/sql/download?' + params.toString());
    });
  }

  // ---- live updates ----

  // The banner names the rules firing now, on every view; it follows the lake like the panels do.
  function refreshAlertBanner() {
    api('alerts').then(function (a) {
      var firing = (a.rules || []).filter(function (r) { return r.state === 'firing'; }).map(function (r) { return r.name; });
      var banner = $('alert-banner');
      banner.hidden = firing.length === 0;
      banner.textContent = firing.length === 0 ? '' : (firing.length === 1 ? 'Alert firing: ' : firing.length + ' alerts firing: ')
        + firing.join(', ') + ' (details on the health view)';
    }, function () { $('alert-banner').hidden = true; });
  }

  function poll() {
    api('lake-version').then(function (r) {
      var version = r && r.lake_version;
      $('live').textContent = 'lake ' + String(version).slice(0, 12);
      $('live').title = 'Lake version ' + version + ', checked ' + new Date().toISOString();
      if (lakeVersion === null || version !== lakeVersion) refreshAlertBanner();
      if (lakeVersion !== null && (version !== lakeVersion || staleShown)) {
        lakeVersion = version;
        staleShown = false;
        // The SQL console only reruns on request; every other view follows the lake.
        if (readState().view !== 'sql') render();
      } else {
        lakeVersion = version;
      }
    }, function () {
      $('live').textContent = 'offline';
    }).then(function () { setTimeout(poll, POLL_MS); });
  }

  // ---- wiring ----

  function wire() {
    $('filters').addEventListener('submit', function (event) {
      event.preventDefault();
      var f = event.target.elements;
      go({
        from: inputToIso(f.from.value), to: inputToIso(f.to.value), platform: f.platform.value.trim(),
        lang: f.lang.value.trim(), sentiment: f.sentiment.value, emotion: f.emotion.value, signal: f.signal.value,
        q: f.q.value, offset: ''
      });
    });
    $('alert-banner').addEventListener('click', function () { go({ view: 'health' }); });
    $('clear-filters').addEventListener('click', function () {
      var changes = { offset: '' };
      FILTER_KEYS.forEach(function (key) { changes[key] = ''; });
      go(changes);
    });
    $('reset-zoom').addEventListener('click', function () { go({ from: '', to: '' }); });
    document.querySelectorAll('#trending-tabs button').forEach(function (b) {
      b.addEventListener('click', function () { go({ trending: b.getAttribute('data-kind') }); });
    });
    $('trending-window').addEventListener('change', function (event) { go({ trending_window: event.target.value }); });
    $('feed-sort').addEventListener('change', function (event) { go({ sort: event.target.value, offset: '' }); });
    $('feed-prev').addEventListener('click', function () {
      go({ offset: String(Math.max(0, (parseInt(readState().offset || '0', 10) || 0) - FEED_PAGE)) });
    });
    $('feed-next').addEventListener('click', function () {
      go({ offset: String((parseInt(readState().offset || '0', 10) || 0) + FEED_PAGE) });
    });
    $('entity-form').addEventListener('submit', function (event) {
      event.preventDefault();
      var f = event.target.elements;
      go({ view: 'entity', entity: f.entity.value.trim(), entity_type: f.entity_type.value });
    });
    $('sql-form').addEventListener('submit', function (event) {
      event.preventDefault();
      runSql($('sql-text').value);
    });
    $('sql-text').addEventListener('keydown', function (event) {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        runSql($('sql-text').value);
      }
    });
    $('sql-text').addEventListener('input', updateDownloadLinks);
    // The nav links keep the current filters: only the view changes.
    document.querySelectorAll('nav.views a').forEach(function (a) {
      a.addEventListener('click', function (event) {
        event.preventDefault();
        go({ view: a.getAttribute('data-view'), offset: '' });
      });
    });
    window.addEventListener('hashchange', render);
    if (chartResizer) ['volume-chart', 'entity-chart', 'signals-emotion-chart', 'signals-share-chart'].forEach(function (id) {
      chartResizer.observe($(id));
    });
  }

  // With a token, the server swapped ?token=… for a cookie on this page's request: drop it from
  // the address so that a link someone copies and shares does not carry it.
  function forgetTokenInAddress() {
    var params = new URLSearchParams(location.search);
    if (!params.has('token')) return;
    params.delete('token');
    var query = params.toString();
    history.replaceState(null, '', location.pathname + (query ? '?' + query : '') + location.hash);
  }

  function start() {
    forgetTokenInAddress();
    wire();
    render();
    poll();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
