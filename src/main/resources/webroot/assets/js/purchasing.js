// Purchase orders: the list, one order's lines, and receiving a delivery line by line (partial deliveries included).
import { act, api } from './session.js';
import { $, cell, emptyRow, when } from './format.js';

const PAGE = 20;
const state = { cursor: null, open: null, suppliers: new Map() };

export async function loadPurchaseOrders(fromStart = true) {
  if (fromStart) {
    state.cursor = null;
    const suppliers = await api('/api/v1/suppliers?limit=200');
    state.suppliers = new Map(suppliers.items.map((s) => [s.id, s.name]));
  }
  const page = await api('/api/v1/purchase-orders?limit=' + PAGE + (state.cursor ? '&cursor=' + encodeURIComponent(state.cursor) : ''));
  const tbody = $('po-list');
  if (fromStart) tbody.replaceChildren();
  if (fromStart && page.items.length === 0) emptyRow(tbody, 5, 'No purchase orders yet.');
  for (const po of page.items) tbody.append(row(po));
  state.cursor = page.nextCursor;
  $('po-more').hidden = !page.nextCursor;
}

const title = (po) => (state.suppliers.get(po.supplierId) || 'Supplier') + ', ' + when(po.createdAt);

function row(po) {
  const tr = document.createElement('tr');
  tr.dataset.poId = po.id;
  const open = document.createElement('button');
  open.type = 'button';
  open.className = 'secondary';
  open.textContent = 'Open';
  open.setAttribute('aria-label', 'Open purchase order from ' + title(po));
  open.addEventListener('click', () => openPurchaseOrder(po.id).catch((err) => { $('po-message').textContent = err.message; }));
  const action = document.createElement('td');
  action.append(open);
  tr.append(cell(title(po)), cell(po.status.toLowerCase()), cell(po.lines.length, true), cell(po.receivedUnits || 0, true), action);
  return tr;
}

export async function openPurchaseOrder(id) {
  const po = await api('/api/v1/purchase-orders/' + encodeURIComponent(id));
  state.open = po;
  $('po-detail').hidden = false;
  $('po-detail').dataset.poId = po.id;
  $('po-title').textContent = 'Purchase order from ' + title(po) + ' · ' + po.status.toLowerCase();
  const receivable = po.status === 'CONFIRMED';
  const tbody = $('po-lines');
  tbody.replaceChildren();
  for (const line of po.lines) {
    const outstanding = Math.max(0, line.quantity - line.received);
    const tr = document.createElement('tr');
    tr.dataset.sku = line.sku;
    const receive = document.createElement('td');
    if (receivable && outstanding > 0) receive.append(receiveControls(po, line, outstanding));
    else receive.textContent = outstanding === 0 ? 'complete' : 'only a confirmed order receives';
    const received = cell(line.received, true);
    received.classList.add('received');
    tr.append(cell(line.sku), cell(line.quantity, true), received, cell(outstanding, true), receive);
    tbody.append(tr);
  }
}

function receiveControls(po, line, outstanding) {
  const form = document.createElement('form');
  form.className = 'inline-form';
  const label = document.createElement('label');
  label.className = 'inline';
  label.textContent = 'Units of ' + line.sku + ' ';
  const input = document.createElement('input');
  input.type = 'number';
  input.min = '1';
  input.max = String(outstanding);
  input.step = '1';
  input.required = true;
  input.value = String(outstanding);
  label.append(input);
  const button = document.createElement('button');
  button.type = 'submit';
  button.textContent = 'Receive';
  form.append(label, button);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const quantity = Number(input.value);
    button.disabled = true;
    $('po-message').classList.remove('error');
    try {
      await act('/api/v1/purchase-orders/' + po.id + '/receipts', { items: [{ variantId: line.variantId, quantity }] });
      $('po-message').textContent = 'Received ' + quantity + ' × ' + line.sku + '.';
    } catch (err) {
      $('po-message').textContent = err.message;
      $('po-message').classList.add('error');
    } finally {
      button.disabled = false;
      await Promise.all([openPurchaseOrder(po.id), loadPurchaseOrders(true)]).catch(console.error);
    }
  });
  return form;
}

export function wirePurchasing() {
  $('po-more').addEventListener('click', () => loadPurchaseOrders(false).catch(console.error));
}

export function closePurchasing() {
  state.open = null;
  $('po-detail').hidden = true;
}
