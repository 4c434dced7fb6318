// The dashboard: the four parts of GET /dashboard and the live stock table, one page of variants at a time.
import { api } from './session.js';
import { $, attributesOf, cell, fillTable, money, setCurrency } from './format.js';

const PAGE_SIZE = 100;
const state = { variants: new Map(), chart: null, refreshTimer: null, cursors: [null], pageIndex: 0, nextCursor: null };

export async function loadDashboard() {
  const dash = await api('/api/v1/dashboard');
  const value = dash.inventoryValue;
  setCurrency(value.currency);
  $('value-price').textContent = money(value.atPrice);
  const uncosted = BigInt(value.unitsWithoutCost || '0');
  $('value-line').textContent = 'at price · '
    + (value.atCost === null ? 'nothing received at a cost yet' : money(value.atCost) + ' at last received cost')
    + (uncosted === 0n ? '' : ' · ' + uncosted + (uncosted === 1n ? ' unit' : ' units') + ' without a known cost (not in the value at cost)');
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

/** The current page of the live stock table (cursors of the pages before it are kept to go back to the first). */
export async function loadVariants() {
  const cursor = state.cursors[state.pageIndex];
  const page = await api('/api/v1/variants?limit=' + PAGE_SIZE + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
  state.variants = new Map(page.items.map((v) => [v.id, v]));
  state.nextCursor = page.nextCursor;
  renderStock();
}

function renderStock() {
  const tbody = $('stock');
  tbody.replaceChildren();
  for (const v of state.variants.values()) {
    const tr = document.createElement('tr');
    tr.id = 'variant-' + v.id;
    tr.dataset.sku = v.sku;
    const stock = cell(v.stock, true);
    stock.classList.add('stock');
    const available = cell(v.available ?? v.stock, true);
    available.classList.add('available');
    const incoming = cell(v.incoming || 0, true);
    incoming.classList.add('incoming');
    tr.append(cell(v.sku), cell(attributesOf(v)), stock, available, incoming);
    tbody.append(tr);
  }
  const first = state.pageIndex * PAGE_SIZE + 1;
  $('stock-page').textContent = state.variants.size === 0 ? '' : '(' + first + '–' + (first + state.variants.size - 1) + ')';
  $('stock-next').disabled = !state.nextCursor;
  $('stock-first').disabled = state.pageIndex === 0;
}

function turn(pageIndex) {
  if (pageIndex > 0 && !state.cursors[pageIndex]) state.cursors[pageIndex] = state.nextCursor;
  state.pageIndex = pageIndex;
  if (pageIndex === 0) state.cursors = [null];
  return loadVariants();
}

/** Applies an event to the rows on this page; a stockAfter that does not follow from what we show means we missed events: reload. */
export function onStockEvent(event) {
  let missedSomething = false;
  for (const change of event.variants) {
    const known = state.variants.get(change.variantId);
    // a variant not on this page: a new one (opening stock, an import) belongs on the last page
    if (!known) { missedSomething = missedSomething || !state.nextCursor; continue; }
    if (known.stock + change.delta !== change.stockAfter) missedSomething = true;
    known.stock = change.stockAfter;
    if (change.availableAfter !== undefined) known.available = change.availableAfter;
    // receipts and units going into or out of transit change what is incoming, which the event does not carry: reload
    if (event.type === 'PO_RECEIVED' || change.to === 'inTransit' || change.from === 'inTransit') missedSomething = true;
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

export function wireDashboard() {
  $('stock-next').addEventListener('click', () => turn(state.pageIndex + 1).catch(console.error));
  $('stock-first').addEventListener('click', () => turn(0).catch(console.error));
}
