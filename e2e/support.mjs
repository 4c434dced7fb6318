// Helpers for the end-to-end tests: plain HTTP against STOCKROOM_URL and the official SockJS event-bus client.
import { createRequire } from 'node:module';
import { createHmac, randomUUID } from 'node:crypto';

const require = createRequire(import.meta.url);
const EventBus = require('@vertx/eventbus-bridge-client.js');

export const BASE = process.env.STOCKROOM_URL || 'http://127.0.0.1:8080';
export const PASSWORD = 'correct horse battery';

export async function api(path, { token, method = 'GET', body, key } = {}) {
  const headers = { 'Accept': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (key) headers['Idempotency-Key'] = key;
  const res = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

export async function signup(name) {
  const email = `${name.toLowerCase().replace(/\W+/g, '-')}-${randomUUID().slice(0, 8)}@example.test`;
  const res = await api('/api/v1/auth/signup', { method: 'POST', body: { tenantName: name, name: 'Owner of ' + name, email, password: PASSWORD } });
  if (res.status !== 201) throw new Error('signup failed: ' + JSON.stringify(res));
  return { token: res.body.accessToken, tenantId: res.body.tenant.id, email, password: PASSWORD };
}

export async function variant(session, sku, openingStock, price = 1000) {
  const product = await api('/api/v1/products', { token: session.token, method: 'POST', body: { name: 'Product ' + sku } });
  const res = await api(`/api/v1/products/${product.body.id}/variants`, { token: session.token, method: 'POST', key: randomUUID(),
    body: { sku, price, reorderLevel: 2, openingStock } });
  if (res.status !== 201) throw new Error('variant failed: ' + JSON.stringify(res));
  return res.body;
}

export async function order(session, variantId, quantity) {
  const res = await api('/api/v1/orders', { token: session.token, method: 'POST', key: randomUUID(),
    body: { items: [{ variantId, quantity }] } });
  if (res.status !== 201) throw new Error('order failed: ' + JSON.stringify(res));
  return res.body;
}

/** Opens the bridge and resolves once connected. */
export function connect() {
  return new Promise((resolve, reject) => {
    const eb = new EventBus(BASE + '/eventbus');
    const timer = setTimeout(() => reject(new Error('bridge did not open')), 5000);
    eb.onopen = () => { clearTimeout(timer); resolve(eb); };
  });
}

/**
 * Registers for an address with a token. Resolves 'registered' once a probe shows the bridge did not refuse it
 * (refusals arrive as an 'err' frame through onerror), or 'rejected'.
 */
export function register(eb, address, token, onMessage) {
  return new Promise((resolve) => {
    let settled = false;
    eb.onerror = (err) => {
      if (!settled && err && err.body === 'rejected') { settled = true; resolve('rejected'); }
    };
    const headers = token === undefined ? {} : { token };
    eb.registerHandler(address, headers, (err, message) => { if (!err && onMessage) onMessage(message.body); });
    setTimeout(() => { if (!settled) { settled = true; resolve('registered'); } }, 700);
  });
}

export function close(eb) {
  try { eb.enableReconnect(false); eb.close(); } catch (e) { /* already closed */ }
}

/** An HS256 token signed with a known test secret (only when the server under test shares it). */
export function forgeToken(claims, secret) {
  const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');
  const unsigned = b64({ alg: 'HS256', typ: 'JWT' }) + '.' + b64(claims);
  return unsigned + '.' + createHmac('sha256', secret).update(unsigned).digest('base64url');
}

export function decode(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
