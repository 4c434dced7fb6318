// Stockroom's operations console: log in (choosing a shop when the account is in several) or sign up, then find and
// work on SKUs, receive purchase orders and watch the dashboard, kept live by the stock events of the SockJS bridge.
import { ApiError, api, forget, freshToken, hasSession, keep, logoutRemote, onSessionLost, refresh } from './js/session.js';
import { $, setCurrency } from './js/format.js';
import { may } from './js/roles.js';
import { loadDashboard, loadVariants, onStockEvent as dashboardEvent, wireDashboard } from './js/dashboard.js';
import { closeSku, loadLocations, onStockEvent as skuEvent, wireSku } from './js/sku.js';
import { closePurchasing, loadPurchaseOrders, wirePurchasing } from './js/purchasing.js';

const state = { tenantId: null, eventBus: null, connectedOnce: false };

function setLive(live) {
  const badge = $('live');
  badge.textContent = live ? 'live' : 'offline';
  badge.className = 'badge ' + (live ? 'live' : 'offline');
}

function onEvent(event) {
  if (event.type === 'IMPORT_PROGRESS') return showImport(event);
  dashboardEvent(event);
  skuEvent(event);
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

function connectLive() {
  const eventBus = new EventBus('/eventbus');
  const address = 'stock.' + state.tenantId;
  state.eventBus = eventBus;
  let expired = false;
  const onMessage = (err, message) => {
    if (err) {
      setLive(false);
      return;
    }
    onEvent(message.body);
  };
  // the token is checked when the handler registers: register with a current one, refreshed first when it is about to end
  const register = async () => {
    const current = await freshToken();
    if (eventBus.state !== EventBus.OPEN) return;  // closed meanwhile: the reconnect registers again
    if (eventBus.handlers[address]) eventBus.unregisterHandler(address, onMessage);
    eventBus.registerHandler(address, { token: current }, onMessage);
    setLive(true);
  };
  eventBus.enableReconnect(true);
  eventBus.onopen = () => {
    register().catch(console.error);
    if (state.connectedOnce) Promise.all([loadVariants(), loadDashboard()]).catch(console.error);
    state.connectedOnce = true;
  };
  eventBus.onclose = () => setLive(false);
  eventBus.onerror = (err) => {
    if (!err) return;
    if (err.body === 'token_expired') {
      // the bridge refused or ended a registration because the access token expired (a laptop that slept): renew and
      // register again; the "rejected" that follows this frame is about the same token, not the session
      expired = true;
      setLive(false);
      refresh().then(() => { expired = false; return register(); }).catch(console.error);
      return;
    }
    if (err.body === 'rejected' && !expired) logout('Live updates were refused; log in again.');
  };
}

/** Shows each action's form only to the roles its operation allows. */
function applyRole(role) {
  document.body.dataset.role = role;
  for (const form of document.querySelectorAll('[data-needs]')) form.hidden = !may(role, form.dataset.needs);
  $('purchasing').hidden = !may(role, 'listPurchaseOrders');
}

async function start() {
  const me = await api('/api/v1/me');
  state.tenantId = me.tenant.id;
  setCurrency(me.tenant.currency);
  $('who').textContent = me.user.name + ' · ' + me.tenant.name + ' (' + me.user.role + ')';
  applyRole(me.user.role);
  $('signed-out').hidden = true;
  $('session').hidden = false;
  $('console').hidden = false;
  $('dashboard').hidden = false;
  await Promise.all([loadDashboard(), loadVariants(), loadLocations(),
    may(me.user.role, 'listPurchaseOrders') ? loadPurchaseOrders() : null]);
  connectLive();
  document.body.dataset.ready = 'true';
}

function logout(message) {
  forget();
  if (state.eventBus) {
    state.eventBus.enableReconnect(false);
    state.eventBus.close();
    state.eventBus = null;
  }
  state.connectedOnce = false;
  closeSku();
  closePurchasing();
  $('console').hidden = true;
  $('dashboard').hidden = true;
  $('session').hidden = true;
  $('signed-out').hidden = false;
  showForm('login');
  $('login-error').textContent = message || '';
  delete document.body.dataset.ready;
}

function showForm(which) {
  $('login').hidden = which !== 'login';
  $('signup').hidden = which !== 'signup';
}

/** The shops an account is in, when login answers that it must choose one (409 with a list of tenants). */
function offerTenants(tenants) {
  const select = $('tenant-choice');
  select.replaceChildren(...tenants.map((t) => new Option(t.name, t.tenantId)));
  $('tenant-chooser').hidden = false;
  $('login-error').textContent = 'Choose the shop to open, then log in.';
  select.focus();
}

$('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('login-error').textContent = '';
  const body = { email: $('email').value, password: $('password').value };
  if (!$('tenant-chooser').hidden && $('tenant-choice').value) body.tenantId = $('tenant-choice').value;
  try {
    keep(await api('/api/v1/auth/login', { method: 'POST', body, auth: false }));
    $('tenant-chooser').hidden = true;
    $('password').value = '';
    await start();
  } catch (err) {
    // tenant-choice-required carries the shops; an older server's plain 409 has no list to offer
    if (err instanceof ApiError && err.status === 409 && Array.isArray(err.body.tenants)) {
      offerTenants(err.body.tenants);
      return;
    }
    $('login-error').textContent = err.message;
  }
});

// the chooser belongs to one email: typing another one hides it
$('email').addEventListener('input', () => { $('tenant-chooser').hidden = true; });

$('signup').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('signup-error').textContent = '';
  try {
    keep(await api('/api/v1/auth/signup', { method: 'POST', auth: false, body: { tenantName: $('signup-tenant').value,
      name: $('signup-name').value, email: $('signup-email').value, password: $('signup-password').value } }));
    $('signup').reset();
    await start();
  } catch (err) {
    $('signup-error').textContent = err.message;
  }
});

$('show-signup').addEventListener('click', () => { showForm('signup'); $('signup-tenant').focus(); });
$('show-login').addEventListener('click', () => { showForm('login'); $('email').focus(); });
$('logout').addEventListener('click', () => { logoutRemote().finally(() => logout()); });
onSessionLost((message) => logout(message));
wireDashboard();
wireSku();
wirePurchasing();

if (hasSession()) start().catch(() => logout());
