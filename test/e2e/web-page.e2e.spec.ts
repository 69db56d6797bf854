import { chromium, type Browser, type Page } from 'playwright-core';
import { stack } from '../support/stack';
import { DECLINING_CARD, GOOD_CARD, newCustomer, newSku, restock, waitForAvailable, adminToken } from '../support/orders';

/**
 * The web page (apps/ingress/web) in a real headless Chromium (Debian's /usr/bin/chromium),
 * through HAProxy: get a development token, place orders, watch their status change live.
 */
describe('the web page in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    consoleErrors.length = 0;
    page = await browser.newPage();
    page.on('console', (m) => {
      // The browser's own favicon probe is not the page's doing.
      if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico'))
        consoleErrors.push(`${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
  });
  afterEach(async () => {
    await page?.close();
  });

  const text = (selector: string) => page.locator(selector).innerText();
  /** Asks the page for a development token; the page enables #place-order once it has one. */
  const getToken = async (customer: string) => {
    await page.fill('#customer', customer);
    await page.click('#get-token');
    await page.locator('#place-order:not([disabled])').waitFor({ timeout: 15_000 });
  };
  const placeOrderInPage = async (sku: string, quantity: number, card: string) => {
    await page.fill('#sku', sku);
    await page.fill('#quantity', String(quantity));
    await page.fill('#card', card);
    await page.click('#place-order');
  };

  it('gets a token, places an order and shows CONFIRMED live without a reload; a declined card shows REJECTED and the reason', async () => {
    const sku = newSku('web');
    await restock(sku, 10, 321);
    const customer = newCustomer('web');

    const res = await page.goto(`${stack.api}/`);
    expect(res?.status()).toBe(200);
    for (const id of ['#customer', '#get-token', '#sku', '#quantity', '#card', '#place-order', '#order-status', '#orders-list']) {
      expect({ id, count: await page.locator(id).count() }).toEqual({ id, count: 1 });
    }
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations++;
    });
    // A marker in the page's global scope: a reload or a form navigation would wipe it.
    await page.evaluate(() => {
      (globalThis as { __marker?: string }).__marker = 'still here';
    });

    await getToken(customer);

    const started = Date.now();
    await placeOrderInPage(sku, 2, GOOD_CARD);
    await page.locator('#order-status').filter({ hasText: 'CONFIRMED' }).waitFor({ timeout: 60_000 });
    console.log(`page showed CONFIRMED ${Date.now() - started} ms after the click`);
    expect((await text('#order-status')).trim()).toBe('CONFIRMED');
    await waitForAvailable(await adminToken(), sku, 8);

    await placeOrderInPage(sku, 1, DECLINING_CARD);
    await page.locator('#order-status').filter({ hasText: 'REJECTED' }).waitFor({ timeout: 60_000 });
    expect((await text('#order-status')).trim()).toBe('REJECTED');
    expect(await text('#order-reason')).toMatch(/^PAYMENT_DECLINED\b/);
    expect(await page.locator('#order-status').getAttribute('data-status')).toBe('REJECTED');

    // The list shows both orders.
    await page.waitForFunction(
      () => {
        const doc = (globalThis as { document?: { querySelector(s: string): { textContent: string | null } | null } }).document;
        const list = doc?.querySelector('#orders-list')?.textContent ?? '';
        return list.includes('CONFIRMED') && list.includes('REJECTED');
      },
      undefined,
      { timeout: 30_000 },
    );

    expect(await page.evaluate(() => (globalThis as { __marker?: string }).__marker)).toBe('still here');
    expect(navigations).toBe(0);
    expect(consoleErrors).toEqual([]);
  });

  it('shows an error in #error for a request the API rejects (unknown-format SKU), without navigating', async () => {
    await page.goto(`${stack.api}/`);
    await page.evaluate(() => {
      (globalThis as { __marker?: string }).__marker = 'still here';
    });
    await getToken(newCustomer('weberr'));
    await placeOrderInPage('not a sku', 1, GOOD_CARD);
    await page.locator('#error').filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 });
    const error = await text('#error');
    console.log(`#error shows: ${error}`);
    expect(error).toMatch(/BLW_VALIDATION_FAILED|sku/i);
    expect(await page.evaluate(() => (globalThis as { __marker?: string }).__marker)).toBe('still here');
  });
});
