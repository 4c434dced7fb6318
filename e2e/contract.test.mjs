// Contract check with a third-party validator: Stoplight Prism runs as a validating proxy in front of the service
// and every request below (successes and each kind of failure) goes through it. Prism reports any response whose
// status the operation does not declare, or whose body does not match the declared schema; there must be none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, connect as tcp } from 'node:net';
import { randomUUID } from 'node:crypto';
import { BASE, PASSWORD } from './support.mjs';

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
  });
}

async function startPrism(port) {
  const prism = spawn('node_modules/.bin/prism', ['proxy', '../openapi.yaml', BASE, '-p', String(port), '-h', '127.0.0.1'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  prism.stdout.on('data', (chunk) => { output += chunk; });
  prism.stderr.on('data', (chunk) => { output += chunk; });
  const deadline = Date.now() + 60_000;
  while (!/listening/i.test(output)) {
    if (Date.now() > deadline || prism.exitCode !== null) throw new Error('prism did not start:\n' + output);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { prism, output: () => output };
}

/** A raw request, byte for byte (malformed escapes and long URIs that fetch would refuse or rewrite). */
function raw(port, head) {
  return new Promise((resolve, reject) => {
    const socket = tcp(port, '127.0.0.1', () => socket.end(head + 'Host: 127.0.0.1\r\nConnection: close\r\n\r\n'));
    let data = '';
    socket.on('data', (chunk) => { data += chunk; });
    socket.on('end', () => resolve(Number(data.slice(9, 12))));
    socket.on('error', reject);
  });
}

test('every response of a varied workload is declared by openapi.yaml (Prism proxy finds no violation)', async () => {
  const port = await freePort();
  const { prism, output } = await startPrism(port);
  const via = `http://127.0.0.1:${port}`;
  const seen = new Set();
  async function call(path, { token, method = 'GET', body, key, contentType = 'application/json', rawBody } = {}) {
    const headers = { Accept: 'application/json, application/problem+json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    if (body !== undefined || rawBody !== undefined) headers['Content-Type'] = contentType;
    if (key) headers['Idempotency-Key'] = key;
    const res = await fetch(via + path, { method, headers, body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)) });
    const text = await res.text();
    seen.add(res.status);
    return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  }
  try {
    const email = `contract-${randomUUID().slice(0, 8)}@example.test`;
    const owner = (await call('/api/v1/auth/signup', { method: 'POST', body: { tenantName: 'Contract', name: 'O', email, password: PASSWORD } })).body;
    const token = owner.accessToken;
    await call('/api/v1/auth/login', { method: 'POST', body: { email, password: PASSWORD } });
    await call('/api/v1/auth/login', { method: 'POST', body: { email, password: 'wrong password' } });
    await call('/api/v1/me', { token });
    await call('/api/v1/me');
    const staff = (await call('/api/v1/users', { token, method: 'POST', body: { email: 'staff-' + email, name: 'S', password: PASSWORD, role: 'STAFF' } })).body;
    await call('/api/v1/users', { token });
    await call(`/api/v1/users/${staff.id}`, { token });
    const staffToken = (await call('/api/v1/auth/login', { method: 'POST', body: { email: 'staff-' + email, password: PASSWORD } })).body.accessToken;
    await call('/api/v1/products', { token: staffToken, method: 'POST', body: { name: 'no' } });
    const product = (await call('/api/v1/products', { token, method: 'POST', body: { name: 'Shirt' } })).body;
    await call(`/api/v1/products/${product.id}`, { token, method: 'PATCH', body: { description: 'cotton' } });
    await call(`/api/v1/products/${product.id}`, { token });
    await call('/api/v1/products', { token });
    await call(`/api/v1/products/${'0'.repeat(24)}`, { token });
    await call(`/api/v1/products/${product.id}/variants`, { token, method: 'POST', body: { sku: 'NO-KEY', price: 1, openingStock: 1 } });
    const created = (await call(`/api/v1/products/${product.id}/variant-matrix`, { token, method: 'POST', key: randomUUID(),
      body: { matrix: { size: ['S', 'M'] }, skuPattern: 'C-{size}', price: 1500, reorderLevel: 3, openingStock: 10 } })).body;
    const v = created.items[0].id;
    await call(`/api/v1/products/${product.id}/variants`, { token, method: 'POST', body: { sku: 'C-S', price: 1 } });
    await call(`/api/v1/products/${product.id}/variants`, { token, method: 'POST', body: { sku: 'C-ONE', price: 1, openingStock: 2 } });
    await call(`/api/v1/products/${product.id}/variant-matrix`, { token, method: 'POST', body: { sku: 'C-TWO', price: 1 } });
    await call(`/api/v1/products/${product.id}`, { token, method: 'DELETE' });
    await call(`/api/v1/variants?productId=${product.id}&lowStock=true`, { token });
    await call(`/api/v1/variants/${v}`, { token });
    await call(`/api/v1/variants/${v}/levels`, { token });
    await call('/api/v1/imports?status=COMPLETED', { token });
    await call(`/api/v1/variants/${v}`, { token, method: 'PATCH', body: { price: 1600 } });
    await call(`/api/v1/variants/${v}`, { token, method: 'DELETE' });
    const supplier = (await call('/api/v1/suppliers', { token, method: 'POST', body: { name: 'Mill', leadTimeDays: 5 } })).body;
    await call('/api/v1/suppliers', { token });
    await call(`/api/v1/suppliers/${supplier.id}`, { token, method: 'PATCH', body: { notes: 'ok' } });
    const po = (await call('/api/v1/purchase-orders', { token, method: 'POST', key: randomUUID(),
      body: { supplierId: supplier.id, items: [{ variantId: v, quantity: 5, unitCost: 700 }] } })).body;
    await call(`/api/v1/suppliers/${supplier.id}`, { token, method: 'DELETE' });
    await call(`/api/v1/purchase-orders/${po.id}`, { token, method: 'PATCH', body: { note: 'rush' } });
    const sent = randomUUID();
    await call(`/api/v1/purchase-orders/${po.id}/send`, { token, method: 'POST', key: sent });
    await call(`/api/v1/purchase-orders/${po.id}/send`, { token, method: 'POST', key: sent });
    await call(`/api/v1/purchase-orders/${po.id}/send`, { token, method: 'POST' });
    await call(`/api/v1/purchase-orders/${po.id}/confirm`, { token, method: 'POST' });
    await call(`/api/v1/purchase-orders/${po.id}/receipts`, { token, method: 'POST', key: randomUUID(), body: { items: [{ variantId: v, quantity: 2, unitCost: 720 }] } });
    await call(`/api/v1/purchase-orders/${po.id}/receipts`, { token, method: 'POST', body: { items: [{ variantId: v, quantity: 1 }] } });
    await call(`/api/v1/purchase-orders/${po.id}/receipts?limit=1`, { token });
    await call(`/api/v1/purchase-orders/${po.id}/close`, { token, method: 'POST' });
    await call(`/api/v1/purchase-orders?status=CLOSED`, { token });
    const key = randomUUID();
    const placed = (await call('/api/v1/orders', { token, method: 'POST', key, body: { items: [{ variantId: v, quantity: 2 }] } })).body;
    await call('/api/v1/orders', { token, method: 'POST', key, body: { items: [{ variantId: v, quantity: 2 }] } });
    await call('/api/v1/orders', { token, method: 'POST', key, body: { items: [{ variantId: v, quantity: 3 }] } });
    await call('/api/v1/orders', { token, method: 'POST', key: randomUUID(), body: { items: [{ variantId: v, quantity: 999 }] } });
    await call('/api/v1/orders', { token, method: 'POST', body: { items: [{ variantId: v, quantity: 1 }] } });
    await call(`/api/v1/orders/${placed.id}/returns`, { token, method: 'POST', key: randomUUID(), body: { items: [{ variantId: v, quantity: 1 }], reason: 'size' } });
    await call(`/api/v1/orders/${placed.id}/cancel`, { token, method: 'POST', key: randomUUID() });
    await call(`/api/v1/orders/${placed.id}/cancel`, { token, method: 'POST', key: randomUUID() });
    await call(`/api/v1/orders/${placed.id}/cancel`, { token, method: 'POST' });
    await call(`/api/v1/orders/${placed.id}`, { token });
    await call('/api/v1/orders?status=CANCELLED', { token });
    await call(`/api/v1/variants/${v}/adjustments`, { token, method: 'POST', key: randomUUID(), body: { quantity: -1, reason: 'damaged' } });
    await call(`/api/v1/variants/${v}/adjustments`, { token, method: 'POST', key: randomUUID(), body: { quantity: 0, reason: 'nothing' } });
    await call(`/api/v1/variants/${v}/counts`, { token, method: 'POST', key: randomUUID(), body: { expectedQuantity: 0, countedQuantity: 3 } });
    await call(`/api/v1/stock-movements?variantId=${v}`, { token });
    await call('/api/v1/inventory/audit', { token });
    await call('/api/v1/dashboard?trendDays=7', { token });
    await call('/api/v1/dashboard?trendDays=99', { token });
    await call('/api/v1/products', { token, method: 'POST', rawBody: 'name=x', contentType: 'text/plain' });
    await call('/api/v1/products', { token, method: 'POST', rawBody: '{"name": ' });
    await call('/api/v1/products', { token, method: 'POST', body: { name: 'big', description: 'x'.repeat(300_000) } });
    await call('/health/live');
    await call('/health/ready');
    await call('/openapi.yaml');
    seen.add(await raw(port, `GET /api/v1/variants?sku=${'a'.repeat(9000)} HTTP/1.1\r\nAuthorization: Bearer ${token}\r\n`));
    await call(`/api/v1/users/${staff.id}`, { token, method: 'DELETE' });
    for (const status of [200, 201, 204, 400, 401, 403, 404, 409, 413, 415, 422]) assert.ok(seen.has(status), 'no ' + status + ' in ' + [...seen]);
  } finally {
    prism.kill();
  }
  const violations = output().split('\n').filter((line) => /violation/i.test(line) && /response/i.test(line));
  assert.deepEqual(violations, [], output().split('\n').filter((l) => /violation|error/i.test(l)).join('\n'));
});
