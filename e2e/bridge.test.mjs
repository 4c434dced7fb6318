// The SockJS bridge, driven with the official @vertx/eventbus-bridge-client.js.
import test from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, close, connect, decode, forgeToken, order, register, signup, sleep, variant } from './support.mjs';

test('a client receives its own tenant\'s stock events within 1 s, with stockAfter', async () => {
  const a = await signup('Bridge A');
  const v = await variant(a, 'BR-A', 10);
  const eb = await connect();
  const events = [];
  assert.equal(await register(eb, 'stock.' + a.tenantId, a.token, (e) => events.push({ at: Date.now(), e })), 'registered');
  const sentAt = Date.now();
  const placed = await order(a, v.id, 3);
  while (events.length === 0 && Date.now() - sentAt < 1000) await sleep(20);
  close(eb);
  assert.equal(events.length, 1, 'one ORDER_PLACED event');
  const { e, at } = events[0];
  assert.ok(at - sentAt < 1000, `delivered in ${at - sentAt} ms`);
  assert.equal(e.type, 'ORDER_PLACED');
  assert.equal(e.sourceId, placed.id);
  assert.equal(e.tenantId, a.tenantId);
  assert.deepEqual(e.variants.map((x) => [x.variantId, x.delta, x.stockAfter]), [[v.id, -3, 7]]);
});

test('registration to another tenant\'s address, without a token, or with a forged, expired or wrong-audience token is refused', async () => {
  const a = await signup('Bridge Victim');
  const b = await signup('Bridge Intruder');
  const eb = await connect();
  assert.equal(await register(eb, 'stock.' + a.tenantId, b.token), 'rejected', 'cross-tenant');
  assert.equal(await register(eb, 'stock.' + b.tenantId + 'x', b.token), 'rejected', 'not a stock address of its tenant');
  close(eb);
  const eb2 = await connect();
  assert.equal(await register(eb2, 'stock.' + a.tenantId, undefined), 'rejected', 'no token');
  close(eb2);
  const eb3 = await connect();
  const claims = decode(a.token);
  assert.equal(await register(eb3, 'stock.' + a.tenantId, forgeToken(claims, 'not-the-server-secret-0123456789abcdef')), 'rejected', 'forged');
  close(eb3);
  const secret = process.env.STOCKROOM_TEST_JWT_SECRET;
  if (secret) {
    const now = Math.floor(Date.now() / 1000);
    for (const [why, token] of [
      ['expired', forgeToken({ ...claims, iat: now - 1000, exp: now - 60 }, secret)],
      ['wrong audience', forgeToken({ ...claims, aud: 'other' }, secret)]]) {
      const eb4 = await connect();
      assert.equal(await register(eb4, 'stock.' + a.tenantId, token), 'rejected', why);
      close(eb4);
    }
  }
});

test('nothing can be sent or published inbound through the bridge', async () => {
  const a = await signup('Bridge Inbound');
  const eb = await connect();
  const received = [];
  assert.equal(await register(eb, 'stock.' + a.tenantId, a.token, (e) => received.push(e)), 'registered');
  const refusals = [];
  eb.onerror = (err) => refusals.push(err);
  eb.publish('stock.' + a.tenantId, { type: 'ORDER_PLACED', forged: true });
  eb.send('stockroom.orders.place', { caller: { tenantId: a.tenantId } });
  await sleep(500);
  close(eb);
  assert.equal(received.length, 0, 'a forged event must not reach subscribers');
  assert.ok(refusals.length >= 2, 'both frames refused: ' + JSON.stringify(refusals));
});

test('a 1,000-event burst across two tenants reaches each tenant\'s clients only', async () => {
  const a = await signup('Burst A');
  const b = await signup('Burst B');
  const va = await variant(a, 'BURST-A', 0);
  const vb = await variant(b, 'BURST-B', 0);
  const got = { a: [], b: [] };
  const clients = [];
  for (const [name, s] of [['a', a], ['a', a], ['b', b]]) {
    const eb = await connect();
    assert.equal(await register(eb, 'stock.' + s.tenantId, s.token, (e) => got[name].push(e)), 'registered');
    clients.push([name, eb]);
  }
  const perTenant = 500;
  const adjust = (s, v, i) => api(`/api/v1/variants/${v.id}/adjustments`, { token: s.token, method: 'POST', key: randomUUID(),
    body: { quantity: 1, reason: 'burst ' + i } });
  const jobs = [];
  for (let i = 0; i < perTenant; i++) jobs.push(() => adjust(a, va, i), () => adjust(b, vb, i));
  const results = [];
  for (let i = 0; i < jobs.length; i += 40) results.push(...await Promise.all(jobs.slice(i, i + 40).map((job) => job())));
  assert.ok(results.every((r) => r.status === 201), 'all adjustments applied');
  const deadline = Date.now() + 10000;
  while ((got.a.length < 2 * perTenant || got.b.length < perTenant) && Date.now() < deadline) await sleep(50);
  clients.forEach(([, eb]) => close(eb));
  assert.equal(got.a.length, 2 * perTenant, 'both A clients got every A event');
  assert.equal(got.b.length, perTenant, 'the B client got every B event');
  assert.ok(got.a.every((e) => e.tenantId === a.tenantId && e.variants[0].variantId === va.id), 'no B event reached A');
  assert.ok(got.b.every((e) => e.tenantId === b.tenantId && e.variants[0].variantId === vb.id), 'no A event reached B');
  const stockAfters = got.b.map((e) => e.variants[0].stockAfter).sort((x, y) => x - y);
  assert.deepEqual(stockAfters, Array.from({ length: perTenant }, (_, i) => i + 1), 'each stockAfter once: no gap, no duplicate');
});
