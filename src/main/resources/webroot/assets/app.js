/* Stockroom dashboard: log in, show the four dashboard parts, and keep a live stock table from bridge events. */
(() => {
  'use strict';

  const TOKEN_KEY = 'stockroom.token';
  const state = { token: sessionStorage.getItem(TOKEN_KEY), tenantId: null, currency: 'EUR', variants: new Map(),
    eventBus: null, chart: null, refreshTimer: null, connectedOnce: false };
  const $ = (id) => document.getElementById(id);

  async function api(path, options = {}) {
    const headers = Object.assign({ 'Accept': 'application/json' }, options.headers || {});
    if (state.token) headers['Authorization'] = 'Bearer ' + state.token;
    if (options.body) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, Object.assign({}, options, { headers }));
    const body = response.status === 204 ? null : await response.json().catch(() => null);
    if (response.status === 401 && path !== '/api/v1/auth/login') logout('Your session expired; log in again.');
    if (!response.ok) throw new Error((body && body.detail) || response.statusText);
    return body;
  }

  // Amounts arrive as strings of minor units (they can exceed what a JavaScript number holds exactly): split them with
  // BigInt and let Intl format the exact decimal string.
  function money(minor) {
    if (minor === null || minor === undefined) return 'unknown';
    const format = new Intl.NumberFormat(undefined, { style: 'currency', currency: state.currency });
    const digits = format.resolvedOptions().maximumFractionDigits;
    const amount = BigInt(minor);
    const negative = amount < 0n;
    const units = (negative ? -amount : amount).toString().padStart(digits + 1, '0');
    const decimal = digits === 0 ? units : units.slice(0, -digits) + '.' + units.slice(-digits);
    return format.format((negative ? '-' : '') + decimal);
  }

  function cell(text, numeric) {
    const td = document.createElement('td');
    td.textContent = text === null || text === undefined ? '' : String(text);
    if (numeric) td.className = 'num';
    return td;
  }

  function fillTable(tbody, rows, columns, emptyText) {
    tbody.replaceChildren();
    if (rows.length === 0) {
      const tr = document.createElement('tr');
      const td = cell(emptyText);
      td.colSpan = columns.length;
      td.className = 'empty';
      tr.append(td);
      tbody.append(tr);
      return;
    }
    for (const row of rows) {
      const tr = document.createElement('tr');
      tr.dataset.sku = row.sku;
      for (const [key, numeric, format] of columns) tr.append(cell(format ? format(row[key]) : row[key], numeric));
      tbody.append(tr);
    }
  }

  async function loadDashboard() {
    const dash = await api('/api/v1/dashboard');
    state.currency = dash.inventoryValue.currency || state.currency;
    $('value-price').textContent = money(dash.inventoryValue.atPrice);
    $('value-cost').textContent = money(dash.inventoryValue.atCost);
    fillTable($('low-stock'), dash.lowStock, [['sku'], ['productName'], ['available', true], ['incoming', true],
      ['reorderLevel', true], ['shortfall', true]], 'Nothing is running low.');
    $('low-count').textContent = dash.lowStockTotal > dash.lowStock.length
      ? '(' + dash.lowStock.length + ' of ' + dash.lowStockTotal + ', largest shortfall first)' : '';
    fillTable($('top-sellers'), dash.topSellers, [['sku'], ['productName'], ['unitsSold', true], ['revenue', true, money]],
      'No sales in the last 30 days.');
    drawTrend(dash.movementTrend);
  }

  function drawTrend(trend) {
    const types = ['PURCHASE', 'SALE', 'ADJUSTMENT', 'RETURN'];
    const colors = { PURCHASE: '#2563eb', SALE: '#dc2626', ADJUSTMENT: '#9333ea', RETURN: '#16a34a' };
    const datasets = [];
    for (const type of types) {
      datasets.push({ label: type + ' in', data: trend.map((d) => d.in[type]), backgroundColor: colors[type], stack: 'in' });
      datasets.push({ label: type + ' out', data: trend.map((d) => -d.out[type]), backgroundColor: colors[type] + '88', stack: 'out' });
    }
    const data = { labels: trend.map((d) => d.date), datasets };
    if (state.chart) {
      state.chart.data = data;
      state.chart.update('none');
      return;
    }
    state.chart = new Chart($('trend'), { type: 'bar', data, options: { animation: false, responsive: true, maintainAspectRatio: false,
      scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: 'units (out below zero)' } } },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 10 } } } } });
  }

  async function loadVariants() {
    const variants = new Map();
    let cursor = null;
    do {
      const page = await api('/api/v1/variants?limit=200' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
      for (const v of page.items) variants.set(v.id, v);
      cursor = page.nextCursor;
    } while (cursor && variants.size < 1000);
    state.variants = variants;
    renderStock();
  }

  function renderStock() {
    const tbody = $('stock');
    tbody.replaceChildren();
    for (const v of state.variants.values()) {
      const tr = document.createElement('tr');
      tr.id = 'variant-' + v.id;
      tr.dataset.sku = v.sku;
      const attributes = Object.entries(v.attributes || {}).map(([k, value]) => k + ': ' + value).join(', ');
      const stock = cell(v.stock, true);
      stock.classList.add('stock');
      const available = cell(v.available ?? v.stock, true);
      available.classList.add('available');
      const incoming = cell(v.incoming || 0, true);
      incoming.classList.add('incoming');
      tr.append(cell(v.sku), cell(attributes), stock, available, incoming);
      tbody.append(tr);
    }
  }

  /** Applies an event; a stockAfter that does not follow from what we show means we missed events: resync. */
  function onStockEvent(event) {
    if (event.type === 'IMPORT_PROGRESS') {
      showImport(event);
      return;
    }
    let missedSomething = false;
    for (const change of event.variants) {
      const known = state.variants.get(change.variantId);
      if (!known) { missedSomething = true; continue; }
      if (known.stock + change.delta !== change.stockAfter) missedSomething = true;
      known.stock = change.stockAfter;
      if (change.availableAfter !== undefined) known.available = change.availableAfter;
      // units going into or out of transit change what is incoming, which the event does not carry: reload
      if (change.to === 'inTransit' || change.from === 'inTransit') missedSomething = true;
      const row = document.getElementById('variant-' + change.variantId);
      if (row) {
        row.querySelector('.stock').textContent = String(change.stockAfter);
        row.querySelector('.available').textContent = String(known.available ?? known.stock);
        row.classList.remove('changed');
        void row.offsetWidth;
        row.classList.add('changed');
      }
    }
    if (missedSomething) loadVariants().catch(console.error);
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(() => loadDashboard().catch(console.error), 400);
  }

  /** A running bulk import: rows done of total, then its outcome; the stock table reloads when it ends. */
  function showImport(event) {
    const line = $('import-progress');
    line.hidden = false;
    line.textContent = event.status === 'RUNNING'
      ? 'Importing: ' + event.done + ' of ' + event.total + ' rows (' + event.failed + ' refused)'
      : 'Import ' + event.status.toLowerCase() + ': ' + event.applied + ' rows applied, ' + event.failed + ' refused';
    if (event.status !== 'RUNNING') loadVariants().catch(console.error);
  }

  function setLive(live) {
    const badge = $('live');
    badge.textContent = live ? 'live' : 'offline';
    badge.className = 'badge ' + (live ? 'live' : 'offline');
  }

  function connectLive() {
    const eventBus = new EventBus('/eventbus');
    state.eventBus = eventBus;
    eventBus.enableReconnect(true);
    eventBus.onopen = () => {
      eventBus.registerHandler('stock.' + state.tenantId, { token: state.token }, (err, message) => {
        if (err) {
          setLive(false);
          return;
        }
        onStockEvent(message.body);
      });
      setLive(true);
      if (state.connectedOnce) Promise.all([loadVariants(), loadDashboard()]).catch(console.error);
      state.connectedOnce = true;
    };
    eventBus.onclose = () => setLive(false);
    eventBus.onerror = (err) => {
      if (err && err.body === 'rejected') logout('Live updates were refused; log in again.');
    };
  }

  async function start() {
    const me = await api('/api/v1/me');
    state.tenantId = me.tenant.id;
    state.currency = me.tenant.currency;
    $('who').textContent = me.user.name + ' · ' + me.tenant.name + ' (' + me.user.role + ')';
    $('login').hidden = true;
    $('session').hidden = false;
    $('dashboard').hidden = false;
    await Promise.all([loadDashboard(), loadVariants()]);
    connectLive();
    document.body.dataset.ready = 'true';
  }

  function logout(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    state.token = null;
    if (state.eventBus) {
      state.eventBus.enableReconnect(false);
      state.eventBus.close();
      state.eventBus = null;
    }
    $('dashboard').hidden = true;
    $('session').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message || '';
    delete document.body.dataset.ready;
  }

  $('login').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('login-error').textContent = '';
    try {
      const session = await api('/api/v1/auth/login', { method: 'POST',
        body: JSON.stringify({ email: $('email').value, password: $('password').value }) });
      state.token = session.accessToken;
      sessionStorage.setItem(TOKEN_KEY, state.token);
      await start();
    } catch (err) {
      $('login-error').textContent = err.message;
    }
  });
  $('logout').addEventListener('click', () => logout());

  if (state.token) start().catch(() => logout());
})();
