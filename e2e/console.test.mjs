// The operations console in headless Chromium (Debian's package), driven by playwright-core: what a MANAGER and a
// STAFF member do on the page, checked against what the API then says.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { chromium } from 'playwright-core';
import { BASE, PASSWORD, api, decode, forgeToken, signup, variant } from './support.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || '../target';
const SECRET = process.env.STOCKROOM_TEST_JWT_SECRET;

let browser;
test.before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-quic'] });
});
test.after(async () => { await browser?.close(); });

async function user(owner, role) {
  const email = `${role.toLowerCase()}-${randomUUID().slice(0, 8)}@example.test`;
  const res = await api('/api/v1/users', { token: owner.token, method: 'POST', body: { email, name: role + ' user', password: PASSWORD, role } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { email, password: PASSWORD };
}

async function openConsole(account) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(BASE + '/');
  await page.getByLabel('Email').first().fill(account.email);
  await page.getByLabel('Password').first().fill(account.password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.waitForSelector('body[data-ready=true]', { timeout: 10000 });
  await page.waitForSelector('#live.live', { timeout: 5000 });
  return { page, errors };
}

async function openSku(page, sku) {
  await page.getByRole('searchbox', { name: 'Search SKUs' }).fill(sku.toLowerCase());
  await page.getByRole('button', { name: 'Open ' + sku, exact: true }).click();
  await page.waitForFunction((s) => document.querySelector('#sku-title').textContent === s, sku, { timeout: 5000 });
}

const stockOf = async (session, id) => (await api('/api/v1/variants/' + id, { token: session.token })).body.stock;

async function purchaseOrder(owner, variantId, quantity) {
  const supplier = await api('/api/v1/suppliers', { token: owner.token, method: 'POST', body: { name: 'Console Supplier' } });
  const po = await api('/api/v1/purchase-orders', { token: owner.token, method: 'POST',
    body: { supplierId: supplier.body.id, items: [{ variantId, quantity, unitCost: 700 }] } });
  assert.equal(po.status, 201, JSON.stringify(po.body));
  for (const step of ['send', 'confirm']) {
    assert.equal((await api(`/api/v1/purchase-orders/${po.body.id}/${step}`, { token: owner.token, method: 'POST' })).status, 200);
  }
  return po.body.id;
}

test('a MANAGER finds a SKU, adjusts it, sees a stale count refused, receives part of a PO line and places an order', async () => {
  const owner = await signup('Console Shop');
  const v = await variant(owner, 'CONSOLE-1', 20, 2500);
  await variant(owner, 'OTHER-1', 3, 900);
  const po = await purchaseOrder(owner, v.id, 10);
  const manager = await user(owner, 'MANAGER');
  const { page, errors } = await openConsole(manager);
  const stockChanges = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/(adjustments|counts|orders|receipts)$/.test(new URL(r.url()).pathname)) stockChanges.push(r.headers()['idempotency-key']);
  });

  // find and open the SKU: its levels show the 20 opening units
  await openSku(page, 'CONSOLE-1');
  assert.equal(await page.locator('#sku-levels .on-hand').first().textContent(), '20');
  assert.equal(await page.locator('#search-results tr[data-sku="OTHER-1"]').count(), 0, 'the search found only CONSOLE-1');

  // adjust by +5 with a reason: the history shows it first, the API shows 25
  await page.getByLabel('Adjust by').fill('5');
  await page.getByLabel('Reason').fill('found in the back room');
  await page.getByRole('button', { name: 'Adjust', exact: true }).click();
  await page.waitForFunction(() => /found in the back room/.test(document.querySelector('#sku-history tr')?.textContent || ''),
    null, { timeout: 5000 });
  const newest = page.locator('#sku-history tr').first();
  assert.match(await newest.textContent(), /\+5/);
  assert.match(await newest.textContent(), /25/);
  assert.equal(await stockOf(owner, v.id), 25, 'the API shows the stock 5 higher');
  await page.waitForFunction(() => document.querySelector('#count-expected').textContent === '25', null, { timeout: 5000 });

  // a count against what the page shows, after someone else changed the stock: 409, and the page says so
  const heldLevels = [];
  await page.route('**/api/v1/variants/*/levels', (route) => { heldLevels.push(route); });
  const sold = await api('/api/v1/orders', { token: owner.token, method: 'POST', key: randomUUID(),
    body: { items: [{ variantId: v.id, quantity: 2 }] } });
  assert.equal(sold.status, 201, JSON.stringify(sold.body));
  assert.equal(await page.locator('#count-expected').textContent(), '25', 'the page still shows 25');
  await page.getByLabel('Counted quantity').fill('24');
  await page.getByRole('button', { name: 'Count', exact: true }).click();
  await page.waitForFunction(() => /23 on hand now, not 25/.test(document.querySelector('#sku-message').textContent), null, { timeout: 5000 });
  await page.unroute('**/api/v1/variants/*/levels');
  for (const route of heldLevels) await route.continue().catch(() => {});
  assert.equal(await stockOf(owner, v.id), 23, 'the stale count changed nothing');
  await page.waitForFunction(() => document.querySelector('#count-expected').textContent === '23', null, { timeout: 5000 });

  // receive 4 of the 10 ordered units: the line shows 4 received, the purchase order stays open for the rest
  await page.locator(`#po-list tr[data-po-id="${po}"]`).getByRole('button', { name: /^Open purchase order/ }).click();
  const line = page.locator('#po-lines tr[data-sku="CONSOLE-1"]');
  await line.getByLabel('Units of CONSOLE-1').fill('4');
  await line.getByRole('button', { name: 'Receive' }).click();
  await page.waitForFunction(() => document.querySelector('#po-lines tr[data-sku="CONSOLE-1"] .received')?.textContent === '4',
    null, { timeout: 5000 });
  const received = (await api('/api/v1/purchase-orders/' + po, { token: owner.token })).body;
  assert.equal(received.lines[0].received, 4);
  assert.equal(received.status, 'CONFIRMED', 'a partial delivery leaves the order open');
  assert.equal(await stockOf(owner, v.id), 27);
  await page.waitForFunction(() => document.querySelector('#sku-levels .on-hand')?.textContent === '27', null, { timeout: 5000 });

  // place an order for 3: the API has it, the stock is 3 lower
  await page.getByLabel('Order quantity').fill('3');
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForFunction(() => /Order placed: 3 × CONSOLE-1/.test(document.querySelector('#sku-message').textContent), null, { timeout: 5000 });
  assert.equal(await stockOf(owner, v.id), 24);
  const orders = (await api('/api/v1/orders', { token: owner.token })).body.items;
  assert.ok(orders.some((o) => o.lines.some((l) => l.variantId === v.id && l.quantity === 3)), 'the order is there');

  // the valuation line prices only the 4 received units at their cost and counts the others: CONSOLE-1's opening and
  // adjusted units less the 5 sold (sales take those first), and OTHER-1's 3
  await page.waitForFunction(() => /€28\.00 at last received cost · 23 units without a known cost/
    .test(document.querySelector('#value-line').textContent), null, { timeout: 5000 });
  await page.waitForFunction(() => document.querySelector('#search-results tr[data-sku="CONSOLE-1"] td.num')?.textContent === '24',
    null, { timeout: 5000 });
  assert.equal(stockChanges.length, 4, 'adjust, count, receive, order');
  for (const key of stockChanges) assert.match(key || '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(new Set(stockChanges).size, 4, 'a fresh Idempotency-Key per action');
  assert.deepEqual(errors, []);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: SCREENSHOT_DIR + '/console.png', fullPage: true });
  await page.close();
});

test('STAFF sees the SKU and may place orders and receive, but has no Adjust or Count; the live stock table pages past 100 rows', async () => {
  const owner = await signup('Console Staff Shop');
  await variant(owner, 'STAFF-1', 5, 1000);
  const product = await api('/api/v1/products', { token: owner.token, method: 'POST', body: { name: 'Many' } });
  const matrix = await api(`/api/v1/products/${product.body.id}/variant-matrix`, { token: owner.token, method: 'POST', body: {
    matrix: { n: Array.from({ length: 12 }, (_, i) => 'n' + i), m: Array.from({ length: 10 }, (_, i) => 'm' + i) },
    skuPattern: 'MANY-{n}-{m}', price: 100 } });
  assert.equal(matrix.status, 201, JSON.stringify(matrix.body));
  const staff = await user(owner, 'STAFF');
  const { page, errors } = await openConsole(staff);
  assert.equal(await page.locator('#stock tr').count(), 100, 'one page of the 121 variants');
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.waitForFunction(() => document.querySelectorAll('#stock tr').length === 21, null, { timeout: 5000 });
  assert.equal(await page.getByRole('button', { name: 'Next page' }).isDisabled(), true, 'the last page');
  await page.getByRole('button', { name: 'First page' }).click();
  await page.waitForSelector('#stock tr[data-sku="STAFF-1"]', { timeout: 5000 });
  await openSku(page, 'STAFF-1');
  assert.equal(await page.getByRole('button', { name: 'Adjust', exact: true }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Count', exact: true }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Place order' }).isVisible(), true);
  assert.equal(await page.locator('#purchasing').isVisible(), true);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the page keeps its session: it refreshes the access token before it expires, and after it expired', async (t) => {
  if (!SECRET) return t.skip('needs STOCKROOM_TEST_JWT_SECRET (EndToEndTest sets it) to make short-lived tokens');
  const owner = await signup('Console Refresh Shop');
  const v = await variant(owner, 'REFRESH-1', 10, 1000);
  const { page, errors } = await openConsole(owner);
  const claims = decode(await page.evaluate(() => sessionStorage.getItem('stockroom.token')));
  const now = Math.floor(Date.now() / 1000);

  // a token that expires in 62 s: the page renews it about 2 s from now, without a reload
  const shortLived = forgeToken({ ...claims, iat: now, exp: now + 62 }, SECRET);
  await page.evaluate((tok) => sessionStorage.setItem('stockroom.token', tok), shortLived);
  await page.reload();
  await page.waitForSelector('body[data-ready=true]', { timeout: 10000 });
  await page.waitForFunction((old) => sessionStorage.getItem('stockroom.token') !== old, shortLived, { timeout: 8000 });

  // an access token that already expired (a tab left open): the page renews it before its first call
  const expired = forgeToken({ ...claims, iat: now - 1000, exp: now - 60 }, SECRET);
  await page.evaluate((tok) => sessionStorage.setItem('stockroom.token', tok), expired);
  await page.reload();
  await page.waitForSelector('body[data-ready=true]', { timeout: 10000 });
  await openSku(page, 'REFRESH-1');
  await page.getByLabel('Adjust by').fill('-1');
  await page.getByLabel('Reason').fill('after refresh');
  await page.getByRole('button', { name: 'Adjust', exact: true }).click();
  await page.waitForFunction(() => /Adjusted by -1/.test(document.querySelector('#sku-message').textContent), null, { timeout: 5000 });
  assert.equal(await stockOf(owner, v.id), 9);
  assert.notEqual(await page.evaluate(() => sessionStorage.getItem('stockroom.token')), expired);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a new shop signs up from the page', async () => {
  const page = await browser.newPage();
  await page.goto(BASE + '/');
  await page.getByRole('button', { name: 'Create a shop' }).click();
  await page.getByLabel('Shop name').fill('Signed Up From The Page');
  await page.getByLabel('Your name').fill('Page Owner');
  await page.locator('#signup').getByLabel('Email').fill(`page-${randomUUID().slice(0, 8)}@example.test`);
  await page.locator('#signup').getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create shop' }).click();
  await page.waitForSelector('body[data-ready=true]', { timeout: 10000 });
  assert.match(await page.locator('#who').textContent(), /Signed Up From The Page \(OWNER\)/);
  await page.close();
});

test('an account in two shops chooses one in a labelled chooser', async (t) => {
  const email = `two-shops-${randomUUID().slice(0, 8)}@example.test`;
  for (const tenantName of ['Chooser One', 'Chooser Two']) {
    const res = await api('/api/v1/auth/signup', { method: 'POST', body: { tenantName, name: 'Two Shops', email, password: PASSWORD } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  const login = await api('/api/v1/auth/login', { method: 'POST', body: { email, password: PASSWORD } });
  if (login.status !== 409 || !Array.isArray(login.body?.tenants)) {
    return t.skip('login does not list the tenants to choose from yet (409 tenant-choice-required with tenants[] comes with the login change of issue 27)');
  }
  const page = await browser.newPage();
  await page.goto(BASE + '/');
  await page.getByLabel('Email').first().fill(email);
  await page.getByLabel('Password').first().fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  const chooser = page.getByRole('combobox', { name: 'Shop' });
  await chooser.waitFor({ timeout: 5000 });
  await chooser.selectOption({ label: 'Chooser Two' });
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.waitForSelector('body[data-ready=true]', { timeout: 10000 });
  assert.match(await page.locator('#who').textContent(), /Chooser Two/);
  await page.close();
});
