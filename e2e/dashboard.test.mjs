// The dashboard page in headless Chromium (Debian's package), driven by playwright-core.
import test from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { BASE, api, order, signup, variant } from './support.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || '../target';

async function openDashboard(browser, session) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(BASE + '/');
  await page.fill('#email', session.email);
  await page.fill('#password', session.password);
  await page.click('button[type=submit]');
  await page.waitForSelector('body[data-ready=true]', { timeout: 10000 });
  await page.waitForSelector('#live.live', { timeout: 5000 });
  return { page, errors };
}

const stockCell = (page, sku) => page.locator(`#stock tr[data-sku="${sku}"] .stock`);

test('logging in shows the dashboard; an order placed through the API changes the stock on the page within 2 s, and only for that tenant', async () => {
  const a = await signup('Page Tenant A');
  const b = await signup('Page Tenant B');
  const va = await variant(a, 'PAGE-A', 12, 2500);
  await variant(a, 'PAGE-LOW', 1, 900);
  const vb = await variant(b, 'PAGE-B', 8, 1500);
  await order(a, va.id, 2);

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-quic'] });
  try {
    const pageA = await openDashboard(browser, a);
    const pageB = await openDashboard(browser, b);
    assert.equal(await stockCell(pageA.page, 'PAGE-A').textContent(), '10');
    assert.equal(await stockCell(pageB.page, 'PAGE-B').textContent(), '8');
    assert.match(await pageA.page.locator('#value-price').textContent(), /\d/);
    assert.equal(await pageA.page.locator('#low-stock tr[data-sku="PAGE-LOW"]').count(), 1, 'low-stock row shown');
    assert.equal(await pageA.page.locator('#top-sellers tr[data-sku="PAGE-A"]').count(), 1, 'top seller shown');
    assert.equal(await pageA.page.locator('#trend').count(), 1);

    const placedAt = Date.now();
    await order(a, va.id, 3);
    await pageA.page.waitForFunction(() => document.querySelector('#stock tr[data-sku="PAGE-A"] .stock').textContent === '7',
      null, { timeout: 2000 });
    const tookMs = Date.now() - placedAt;
    assert.ok(tookMs <= 2000, `page updated in ${tookMs} ms`);
    await pageA.page.waitForTimeout(600);
    assert.equal(await stockCell(pageB.page, 'PAGE-B').textContent(), '8', "tenant B's page did not change");

    const held = await api('/api/v1/reservations', { token: a.token, method: 'POST', key: randomUUID(),
      body: { ttlSeconds: 600, items: [{ variantId: va.id, quantity: 4 }] } });
    assert.equal(held.status, 201, JSON.stringify(held.body));
    await pageA.page.waitForFunction(() => document.querySelector('#stock tr[data-sku="PAGE-A"] .available').textContent === '3',
      null, { timeout: 2000 });
    assert.equal(await stockCell(pageA.page, 'PAGE-A').textContent(), '7', 'a hold leaves the units on hand');

    const imported = await fetch(BASE + '/api/v1/imports', { method: 'POST',
      headers: { 'Authorization': 'Bearer ' + a.token, 'Content-Type': 'text/csv', 'Idempotency-Key': randomUUID() },
      body: 'product,sku,price,stock\nImported,PAGE-IMPORT,500,4\n' });
    assert.equal(imported.status, 202, await imported.text());
    await pageA.page.waitForFunction(() => /Import completed: 1 rows applied/.test(document.querySelector('#import-progress').textContent),
      null, { timeout: 5000 });
    await pageA.page.waitForSelector('#stock tr[data-sku="PAGE-IMPORT"]', { timeout: 5000 });
    assert.equal(await stockCell(pageA.page, 'PAGE-IMPORT').textContent(), '4', 'the imported variant appears with its stock');
    assert.equal(await pageB.page.locator('#stock tr[data-sku="PAGE-A"]').count(), 0, "tenant A's variant is not on B's page");
    assert.deepEqual(pageA.errors, []);
    assert.deepEqual(pageB.errors, []);

    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await pageA.page.screenshot({ path: SCREENSHOT_DIR + '/dashboard.png', fullPage: true });
    const dash = await api('/api/v1/dashboard', { token: a.token });
    assert.equal(dash.status, 200);
  } finally {
    await browser.close();
  }
});
