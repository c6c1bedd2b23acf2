import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../src/sdk/index.js';
import { closedPort } from '../helpers/ports.js';
import { Receiver } from '../helpers/receiver.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { byTestId, expectText, screenshot, signIn, UI_TIMEOUT, useBrowser } from './helpers.js';

/**
 * A newcomer's first hour in the dashboard, in order, on one fresh server (a
 * development server: it may deliver to loopback, where the local receiver
 * listens): sign in, the empty overview says what to do, create an
 * application from the empty list, add an endpoint to a local receiver from
 * the empty state, send a test and see it arrive, add an endpoint nothing
 * listens on and see it shown failing with its error, find both in the
 * delivery log of every endpoint, then the same pages at phone width.
 */
describe('dashboard in Chromium: the first hour', () => {
  const browser = useBrowser();
  // What the walk creates, step by step.
  let appId = '';
  let endpointId = '';
  let secret = '';
  let deadUrl = '';
  let page: Page;
  let context: BrowserContext | undefined;
  let server: TestServer;
  let receiver: Receiver;
  beforeAll(async () => {
    [server, receiver] = await Promise.all([startTestServer(), Receiver.start()]);
  });
  afterAll(async () => {
    for (const open of [context, receiver, server]) await open?.close();
  });

  const steps = () => byTestId(page, 'first-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));

  it('signs in and the empty overview leads to the first step', async () => {
    context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await signIn(page, server.url, server.token);
    await byTestId(page, 'first-steps').waitFor({ timeout: UI_TIMEOUT });
    expect(await steps()).toEqual(['next', 'todo', 'todo', 'todo']);
    await screenshot(page, 'first-hour-overview-empty');
    await byTestId(page, 'first-step-1').click();
    await expect.poll(() => page.url()).toMatch(/#\/apps$/);
  });

  it('creates an application from the empty list, and its empty endpoint list offers the first endpoint', async () => {
    // Hookway's own internal applications are hidden: a fresh server has none of yours.
    await expectText(byTestId(page, 'empty'), /No applications yet/);
    await byTestId(page, 'app-create-first').click();
    await byTestId(page, 'app-name').fill('Acme Inc');
    await byTestId(page, 'app-uid').fill('acme');
    await byTestId(page, 'app-save').click();
    const row = byTestId(page, 'app-row').filter({ hasText: 'Acme Inc' });
    await row.waitFor({ timeout: UI_TIMEOUT });
    appId = (await row.getAttribute('data-id')) ?? '';
    expect(appId).toMatch(/^app_/);
    await byTestId(row, 'app-open').click();

    const empty = byTestId(page, 'empty');
    await expectText(empty, /No endpoints yet/);
    // The laptop case: the way to receive locally without a loopback allowlist.
    await expectText(empty, /hookway listen --app acme --forward-to http:\/\/localhost:3000\/webhooks/);
    await byTestId(page, 'endpoint-create-first').click();
    const dialog = byTestId(page, 'endpoint-dialog');
    await byTestId(dialog, 'endpoint-url').fill(receiver.url);
    await byTestId(dialog, 'endpoint-save').click();
    secret = (await byTestId(page, 'secret-once').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    await byTestId(page, 'secret-done').click();
    const epRow = byTestId(page, 'endpoint-row').filter({ hasText: receiver.url });
    await epRow.waitFor({ timeout: UI_TIMEOUT });
    endpointId = (await epRow.getAttribute('data-id')) ?? '';
  });

  it('the overview now points at sending a test; the endpoint page sends it and it arrives', async () => {
    await byTestId(page, 'nav-overview').click();
    await expect.poll(steps, { timeout: UI_TIMEOUT }).toEqual(['done', 'done', 'next', 'todo']);
    await byTestId(page, 'first-step-3').click();
    await expectText(byTestId(page, 'endpoint-title'), new RegExp(receiver.url));
    await byTestId(page, 'endpoint-nothing-yet').waitFor({ timeout: UI_TIMEOUT });

    await byTestId(page, 'send-test').click();
    await byTestId(page, 'toast')
      .filter({ hasText: /Test delivery succeeded: HTTP 200/ })
      .waitFor({ timeout: UI_TIMEOUT });
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0];
    // It arrived signed with the secret the dialog showed.
    expect(() => verifyWebhook(secret, got?.headers ?? {}, got?.body ?? '')).not.toThrow();

    await byTestId(page, 'endpoint-attempts').click();
    await byTestId(page, 'attempt-row').first().waitFor({ timeout: UI_TIMEOUT });
    await expectText(byTestId(page, 'attempt-row').first(), /200/);
    await screenshot(page, 'first-hour-arrived');
  });

  it('an endpoint nothing listens on is shown failing, with its error', async () => {
    deadUrl = `http://127.0.0.1:${await closedPort()}/hooks/dead`;

    await page.goto(`${server.url}/#/apps/${appId}`);
    await byTestId(page, 'endpoint-create').click();
    const dialog = byTestId(page, 'endpoint-dialog');
    await byTestId(dialog, 'endpoint-url').fill(deadUrl);
    // The next retry is 5 minutes away: the endpoint stays failing while the test looks.
    await byTestId(dialog, 'endpoint-retry').fill('300');
    await byTestId(dialog, 'endpoint-save').click();
    await byTestId(page, 'secret-done').click();
    const row = byTestId(page, 'endpoint-row').filter({ hasText: deadUrl });
    await byTestId(row, 'send-test').click();
    await byTestId(page, 'toast')
      .filter({ hasText: /Test delivery failed: network: connect ECONNREFUSED 127\.0\.0\.1:\d+/ })
      .waitFor({ timeout: UI_TIMEOUT });
    // The list as it loads now: the badge says failing, not healthy.
    await page.reload();
    await expectText(byTestId(row, 'endpoint-status'), /^failing/);

    await byTestId(row, 'endpoint-row-url').click();
    await expectText(byTestId(page, 'endpoint-status'), /^failing/);
    await expectText(byTestId(page, 'endpoint-last-error'), /network: connect ECONNREFUSED/);
    await screenshot(page, 'first-hour-failing');
  });

  it('the delivery log of every endpoint shows both, by full URL, and the failure with its error', async () => {
    await byTestId(page, 'nav-deliveries').click();
    const rows = byTestId(page, 'attempt-row');
    await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(2);
    expect(new Set(await byTestId(page, 'attempt-endpoint-url').allTextContents())).toEqual(
      new Set([receiver.url, deadUrl]),
    );
    const failed = rows.filter({ hasText: deadUrl });
    await expectText(byTestId(failed, 'attempt-error'), /^network: connect ECONNREFUSED/);
    await screenshot(page, 'first-hour-deliveries');
  });

  it('creates a portal link from the dashboard; the portal names the application', async () => {
    await page.goto(`${server.url}/#/apps/${appId}`);
    await byTestId(page, 'portal-link-open').click();
    await byTestId(page, 'portal-link-create').click();
    const link = new URL((await byTestId(page, 'portal-link-url').textContent()) ?? '');
    expect(link.hash).toMatch(/^#\/portal\?/);
    const customer = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const p = await customer.newPage();
      await p.goto(`${server.url}${link.pathname}${link.search}${link.hash}`);
      await expectText(byTestId(p, 'mode-badge'), /^portal · Acme Inc$/);
    } finally {
      await customer.close();
    }
  });

  it('at phone width (390 px) nothing overflows, the nav is in reach and id/uid do not overlap', async () => {
    const phone = await browser().newContext({ viewport: { width: 390, height: 844 } });
    try {
      const p = await phone.newPage();
      await signIn(p, server.url, server.token);
      for (const path of [
        '/',
        '/apps',
        `/apps/${appId}`,
        `/apps/${appId}/endpoints/${endpointId}`,
        '/messages',
        '/deliveries',
      ]) {
        await p.goto(`${server.url}/#${path}`);
        await byTestId(p, 'loading').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
        await p.waitForLoadState('networkidle');
        const scrollWidth = () =>
          p.evaluate(() => {
            const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document;
            return doc.documentElement.scrollWidth;
          });
        // The hash route can be measured before the new page has replaced the
        // old one (seen once in CI: 504 px, with nothing in main over the edge
        // when listed a moment later), so the width gets a few seconds to
        // settle; an overflow that stays still fails below.
        let width = await scrollWidth();
        for (const deadline = Date.now() + 5_000; width > 390 && Date.now() < deadline; ) {
          await p.waitForTimeout(100);
          width = await scrollWidth();
        }
        // What sticks out, named in the failure message.
        const wide = await p.locator('main *:not(thead *)').evaluateAll((els) =>
          els
            .filter((e) => e.getBoundingClientRect().right > 391)
            .slice(0, 5)
            .map((e) => `${e.tagName} ${(e.textContent ?? '').slice(0, 40)}`),
        );
        expect(width, `${path} is ${width} px wide: ${wide.join(' | ')}`).toBeLessThanOrEqual(390);
        for (const nav of await p.locator('nav.nav a').all()) {
          const box = await nav.boundingBox();
          expect(box && box.x >= 0 && box.x + box.width <= 390, `nav link ${await nav.textContent()} on ${path}`).toBe(
            true,
          );
        }
      }
      await p.goto(`${server.url}/#/apps`);
      const cell = byTestId(p, 'app-row').filter({ hasText: 'Acme Inc' }).locator('td[data-label="ID / UID"]');
      await cell.waitFor({ timeout: UI_TIMEOUT });
      const id = await cell.locator('code').boundingBox();
      const uid = await cell.getByText('acme', { exact: true }).boundingBox();
      if (!id || !uid) throw new Error('id or uid not rendered');
      const overlap =
        id.y < uid.y + uid.height && uid.y < id.y + id.height && id.x < uid.x + uid.width && uid.x < id.x + id.width;
      expect(overlap).toBe(false);
      await screenshot(p, 'first-hour-phone-apps');
    } finally {
      await phone.close();
    }
  });
});
