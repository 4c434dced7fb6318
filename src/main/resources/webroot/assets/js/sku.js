// Find a SKU and work on it: its levels per location and state, its history newest first, and the actions the role
// allows (adjust, count, place an order). Every action goes through session.act (one Idempotency-Key per action).
import { act, api, ApiError } from './session.js';
import { $, attributesOf, cell, emptyRow, signed, when } from './format.js';

const HISTORY_PAGE = 20;
const state = { variant: null, levels: [], locations: new Map(), historyCursor: null, searchTimer: null, reloadTimer: null };

const locationName = (id) => {
  const l = state.locations.get(id);
  return l ? (l.name || l.code) + (l.default ? ' (default)' : '') : id;
};

export async function loadLocations() {
  const page = await api('/api/v1/locations?limit=200');
  state.locations = new Map(page.items.map((l) => [l.id, l]));
}

async function search(text) {
  const tbody = $('search-results');
  const q = text.trim();
  if (!q) {
    tbody.replaceChildren();
    $('search-hint').textContent = '';
    return;
  }
  const page = await api('/api/v1/variants?limit=20&q=' + encodeURIComponent(q));
  if ($('search').value.trim() !== q) return; // a later search is under way
  tbody.replaceChildren();
  if (page.items.length === 0) emptyRow(tbody, 4, 'No SKU or product starts with “' + q + '”.');
  for (const v of page.items) {
    const tr = document.createElement('tr');
    tr.dataset.sku = v.sku;
    tr.dataset.variantId = v.id;
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'secondary';
    open.textContent = 'Open';
    open.setAttribute('aria-label', 'Open ' + v.sku);
    open.addEventListener('click', () => openVariant(v.id).catch(showError));
    const action = document.createElement('td');
    action.append(open);
    tr.append(cell(v.sku), cell(attributesOf(v)), cell(v.stock, true), action);
    tbody.append(tr);
  }
  $('search-hint').textContent = page.nextCursor ? 'More match: type more of the SKU or name.' : '';
}

export async function openVariant(id) {
  state.variant = await api('/api/v1/variants/' + encodeURIComponent(id));
  $('sku').hidden = false;
  $('sku').dataset.variantId = id;
  $('sku-message').textContent = '';
  await Promise.all([loadLevels(), loadHistory(true)]);
  $('sku-title').textContent = state.variant.sku;
  $('adjust-quantity').focus();
}

async function loadLevels() {
  const id = state.variant.id;
  const [variant, levels] = await Promise.all([api('/api/v1/variants/' + id), api('/api/v1/variants/' + id + '/levels')]);
  if (!state.variant || state.variant.id !== id) return;
  state.variant = variant;
  state.levels = levels.items;
  $('sku-summary').textContent = variant.stock + ' on hand · ' + (variant.available ?? variant.stock) + ' available · '
    + (variant.incoming || 0) + ' incoming' + (attributesOf(variant) ? ' · ' + attributesOf(variant) : '');
  const tbody = $('sku-levels');
  tbody.replaceChildren();
  for (const l of state.levels) {
    const tr = document.createElement('tr');
    tr.dataset.locationId = l.locationId;
    const u = l.unavailable || {};
    const onHand = cell(l.stock, true);
    onHand.classList.add('on-hand');
    tr.append(cell(locationName(l.locationId)), onHand, cell(l.available, true), cell(l.reserved || 0, true),
      cell((u.damaged || 0) + (u.qualityControl || 0) + (u.safetyStock || 0), true), cell(l.incoming || 0, true));
    tbody.append(tr);
  }
  const select = $('sku-location');
  const chosen = select.value;
  select.replaceChildren(...state.levels.map((l) => new Option(locationName(l.locationId), l.locationId)));
  if (state.levels.some((l) => l.locationId === chosen)) select.value = chosen;
  showExpected();
}

/** The on-hand count a count is made against: what this page shows for the chosen location. */
function shownOnHand() {
  const level = state.levels.find((l) => l.locationId === $('sku-location').value);
  return level ? level.stock : 0;
}

function showExpected() {
  $('count-expected').textContent = String(shownOnHand());
}

async function loadHistory(fromNewest) {
  const id = state.variant.id;
  if (fromNewest) state.historyCursor = null;
  const page = await api('/api/v1/stock-movements?order=desc&limit=' + HISTORY_PAGE + '&variantId=' + encodeURIComponent(id)
    + (state.historyCursor ? '&cursor=' + encodeURIComponent(state.historyCursor) : ''));
  if (!state.variant || state.variant.id !== id) return;
  const tbody = $('sku-history');
  if (fromNewest) tbody.replaceChildren();
  for (const m of page.items) {
    const tr = document.createElement('tr');
    tr.dataset.movementId = m.id;
    tr.append(cell(when(m.createdAt)), cell(m.type.toLowerCase().replace('_', ' ')), cell(signed(m.quantity), true),
      cell(m.stockAfter, true), cell(m.reason || ''));
    tbody.append(tr);
  }
  if (fromNewest && page.items.length === 0) emptyRow(tbody, 5, 'No movements yet.');
  state.historyCursor = page.nextCursor;
  $('history-more').hidden = !page.nextCursor;
}

/** A stock event that names the open SKU reloads its levels and history (once per burst of events). */
export function onStockEvent(event) {
  const listed = new Set([...$('search-results').querySelectorAll('tr[data-variant-id]')].map((tr) => tr.dataset.variantId));
  if (event.variants.some((c) => listed.has(c.variantId))) {
    clearTimeout(state.searchTimer);
    state.searchTimer = setTimeout(() => search($('search').value).catch(console.error), 150);
  }
  if (!state.variant || !event.variants.some((c) => c.variantId === state.variant.id)) return;
  clearTimeout(state.reloadTimer);
  state.reloadTimer = setTimeout(() => Promise.all([loadLevels(), loadHistory(true)]).catch(console.error), 150);
}

function say(text, isError) {
  const line = $('sku-message');
  line.textContent = text;
  line.classList.toggle('error', Boolean(isError));
}

function showError(err) {
  say(err.message, true);
}

/** Runs an action from one of the SKU's forms: its button is disabled while it runs, the levels and history reload after. */
async function run(form, action) {
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  say('');
  try {
    say(await action(), false);
    form.reset();
  } catch (err) {
    say(explain(err), true);
  } finally {
    button.disabled = false;
    await Promise.all([loadLevels(), loadHistory(true)]).catch(console.error);
  }
}

/** The message for a refused action: a stale count says what the stock is now. */
function explain(err) {
  if (err instanceof ApiError && err.status === 409 && err.body.currentQuantity !== undefined) {
    return 'Stock changed since this page showed it: ' + err.body.currentQuantity + ' on hand now, not '
      + $('count-expected').textContent + '. Count again against the new figure.';
  }
  if (err instanceof ApiError && err.status === 403) return 'Your role may not do this.';
  return err.message;
}

export function wireSku() {
  $('search').addEventListener('input', () => {
    clearTimeout(state.searchTimer);
    state.searchTimer = setTimeout(() => search($('search').value).catch((err) => { $('search-hint').textContent = err.message; }), 200);
  });
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    search($('search').value).catch((err) => { $('search-hint').textContent = err.message; });
  });
  $('sku-location').addEventListener('change', showExpected);
  $('history-more').addEventListener('click', () => loadHistory(false).catch(showError));

  $('adjust-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const quantity = Number($('adjust-quantity').value);
    const reason = $('adjust-reason').value.trim();
    run(e.target, async () => {
      const done = await act('/api/v1/variants/' + state.variant.id + '/adjustments',
        { quantity, reason, locationId: $('sku-location').value || undefined });
      return 'Adjusted by ' + signed(quantity) + ': ' + done.stockAfter + ' on hand.';
    });
  });
  $('count-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const countedQuantity = Number($('count-quantity').value);
    const expectedQuantity = shownOnHand();
    run(e.target, async () => {
      await act('/api/v1/variants/' + state.variant.id + '/counts',
        { countedQuantity, expectedQuantity, locationId: $('sku-location').value || undefined });
      return 'Counted ' + countedQuantity + (countedQuantity === expectedQuantity ? ': no difference.'
        : ': ' + signed(countedQuantity - expectedQuantity) + ' recorded.');
    });
  });
  $('order-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const quantity = Number($('order-quantity').value);
    run(e.target, async () => {
      const order = await act('/api/v1/orders', { items: [{ variantId: state.variant.id, quantity }] });
      return 'Order placed: ' + quantity + ' × ' + state.variant.sku + ' (' + order.status.toLowerCase() + ').';
    });
  });
}

export function closeSku() {
  state.variant = null;
  $('sku').hidden = true;
  $('search').value = '';
  $('search-results').replaceChildren();
}
