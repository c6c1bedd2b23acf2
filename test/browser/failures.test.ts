import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../helpers/ports.js';
import { Receiver } from '../helpers/receiver.js';
import { api, startTestServer, type TestServer, waitFor } from '../helpers/server.js';
import { byTestId, expectText, screenshot, signIn, UI_TIMEOUT, useBrowser } from './helpers.js';

/**
 * What the dashboard says about an endpoint whose every attempt fails with `network` (nothing
 * listens on its port) while its delivery waits for its next attempt, next to a healthy
 * one: the overview, the badges, the endpoint page, the delivery log of every endpoint, the
 * message list, the attempt drawer and the test-send toast all show the failure and its cause.
 * (The retry is 5 minutes away, so nothing moves while the test looks.)
 */
describe('dashboard in Chromium: failures are visible and explained', () => {
  const browser = useBrowser();
  let server: TestServer;
  let ok: Receiver;
  let context: BrowserContext;
  let page: Page;
  let appId = '';
  let good: { id: string; url: string };
  let dead: { id: string; url: string };
  let deadMsg = '';

  beforeAll(async () => {
    server = await startTestServer();
    ok = await Receiver.start();
    const port = await closedPort();

    appId = (await api(server, 'POST', '/api/v1/app', { name: 'Shop' })).body.id;
    for (const name of ['order.paid', 'order.failed']) await api(server, 'POST', '/api/v1/event-type', { name });
    // Two endpoints on one host, told apart by path and uid.
    good = (
      await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, {
        url: ok.url,
        uid: 'orders-ok',
        filterTypes: ['order.paid'],
      })
    ).body;
    dead = (
      await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, {
        url: `http://127.0.0.1:${port}/hooks/orders`,
        uid: 'orders-dead',
        filterTypes: ['order.failed'],
        // Retrying: the next attempt is 5 minutes away, so the counts hold still while the test looks.
        retrySchedule: [300, 1800],
      })
    ).body;
    for (let i = 0; i < 2; i++) {
      await api(server, 'POST', `/api/v1/app/${appId}/msg`, { eventType: 'order.paid', payload: { i } });
    }
    deadMsg = (await api(server, 'POST', `/api/v1/app/${appId}/msg`, { eventType: 'order.failed', payload: {} })).body
      .id;
    await waitFor(async () => {
      const msgs = (await api(server, 'GET', `/api/v1/app/${appId}/msg`)).body.data;
      return msgs.filter((m: any) => m.deliveryStatus === 'succeeded').length === 2;
    });
    await waitFor(async () => (await api(server, 'GET', `/api/v1/app/${appId}/endpoint/${dead.id}`)).body.failure);
    // A source: its internal application must not pass for one of the operator's.
    await api(server, 'POST', '/ingest/api/v1/source', { name: 'Stripe', type: 'generic-webhook' });
  });

  afterAll(async () => {
    await context?.close();
    await ok?.close();
    await server?.close();
  });

  it('the overview counts the failed attempt and lists the endpoint as failing, with its error', async () => {
    context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await signIn(page, server.url, server.token);
    await expectText(byTestId(page, 'overview-success-rate'), /^66\.7%$/);
    await expectText(byTestId(page, 'overview-failed-attempts'), /^1$/);
    await expectText(byTestId(page, 'overview-retrying'), /^1$/);
    await expectText(byTestId(page, 'chart-legend'), /Succeeded 2\s+Failed 1/);
    await expectText(byTestId(page, 'overview-error-kinds'), /network 1/);
    const failing = byTestId(page, 'failing-endpoint');
    await expect.poll(() => failing.count(), { timeout: UI_TIMEOUT }).toBe(1);
    expect(await failing.getAttribute('data-id')).toBe(dead.id);
    await expectText(failing, new RegExp(`retrying.*${dead.url.replaceAll('.', '\\.')}.*orders-dead.*Shop`, 's'));
    await expectText(byTestId(failing, 'attempt-error'), /^network: connect ECONNREFUSED 127\.0\.0\.1:\d+/);
    expect(await page.getByText('No endpoint is failing').count()).toBe(0);
    await screenshot(page, 'overview-failing');
  });

  it('the endpoint badge and page say failing · retrying, with the counts and the last error', async () => {
    await page.goto(`${server.url}/#/apps/${appId}`);
    const row = (id: string) => byTestId(page, 'endpoint-row').and(page.locator(`[data-id="${id}"]`));
    await expectText(byTestId(row(dead.id), 'endpoint-status'), /^failing · retrying$/);
    await expectText(byTestId(row(good.id), 'endpoint-status'), /^healthy$/);

    await page.goto(`${server.url}/#/apps/${appId}/endpoints/${dead.id}`);
    await expectText(byTestId(page, 'endpoint-status'), /^failing · retrying$/);
    await expectText(byTestId(page, 'stat-retrying'), /^1$/);
    await expectText(byTestId(page, 'stat-failed-attempts'), /^1$/);
    await expectText(byTestId(page, 'stat-succeeded'), /^0$/);
    await expectText(byTestId(page, 'endpoint-last-error'), /network: connect ECONNREFUSED/);
    await screenshot(page, 'endpoint-failing');
  });

  it('a failed test send toasts the error kind and detail', async () => {
    await byTestId(page, 'send-test').click();
    await byTestId(page, 'toast')
      .filter({ hasText: /Test delivery failed: network: connect ECONNREFUSED 127\.0\.0\.1:\d+/ })
      .waitFor({ timeout: UI_TIMEOUT });
  });

  it('the delivery log shows every endpoint by full URL and uid, filters, and explains the failure', async () => {
    await byTestId(page, 'nav-deliveries').click();
    const rows = byTestId(page, 'attempt-row');
    // 2 deliveries to the good endpoint, 2 failed attempts to the dead one (the test send too).
    await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(4);
    const urls = await byTestId(page, 'attempt-endpoint-url').allTextContents();
    expect(new Set(urls)).toEqual(new Set([ok.url, dead.url]));
    await expectText(rows.filter({ hasText: 'orders-dead' }).first(), /Shop/);

    await byTestId(page, 'filter-status').selectOption('2');
    await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(2);
    await expectText(byTestId(rows.first(), 'attempt-error'), /^network: connect ECONNREFUSED/);

    await byTestId(page, 'filter-status').selectOption('');
    await byTestId(page, 'filter-app').selectOption(appId);
    await byTestId(page, 'filter-endpoint').selectOption(good.id);
    await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(2);
    expect(new Set(await byTestId(page, 'attempt-endpoint-url').allTextContents())).toEqual(new Set([ok.url]));
    const options = await byTestId(page, 'filter-endpoint').locator('option').allTextContents();
    expect(options[0]).toBe('All endpoints');
    expect(options.slice(1).sort()).toEqual([`${ok.url} (orders-ok)`, `${dead.url} (orders-dead)`].sort());

    await byTestId(page, 'filter-endpoint').selectOption('');
    await byTestId(page, 'filter-event-type').selectOption('order.failed');
    // The test send went as svix.ping: one attempt of order.failed is left.
    await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(1);
    await screenshot(page, 'delivery-log');

    await byTestId(rows.first(), 'attempt-open').click();
    const drawer = byTestId(page, 'attempt-drawer');
    await expectText(byTestId(drawer, 'error-kind'), /^network$/);
    await expectText(byTestId(drawer, 'error-detail'), /^connect ECONNREFUSED 127\.0\.0\.1:\d+/);
    await expectText(byTestId(drawer, 'attempt-url'), new RegExp(`^${dead.url.replaceAll('.', '\\.')}$`));
    await byTestId(drawer, 'dialog-close').click();
  });

  it('messages show their delivery status; internal applications are labelled and never the default', async () => {
    await page.goto(`${server.url}/#/messages`);
    const msgRow = (id: string) => byTestId(page, 'msg-row').and(page.locator(`[data-id="${id}"]`));
    await expectText(byTestId(msgRow(deadMsg), 'delivery-status'), /^retrying$/);
    await expect.poll(() => byTestId(page, 'delivery-status').allTextContents()).toContain('succeeded');
    // The default application is the operator's, not the operational-webhooks or a source's one.
    expect(await byTestId(page, 'filter-app').inputValue()).toBe(appId);
    const appOptions = await byTestId(page, 'filter-app').locator('option').allTextContents();
    expect(appOptions[0]).toBe('Shop');
    expect(appOptions.filter((o) => o.includes('(internal:'))).toHaveLength(2);

    await byTestId(page, 'nav-apps').click();
    await expect.poll(() => byTestId(page, 'app-row').count(), { timeout: UI_TIMEOUT }).toBe(1);
    await byTestId(page, 'apps-show-internal').check();
    await expect.poll(() => byTestId(page, 'app-internal').count(), { timeout: UI_TIMEOUT }).toBe(2);
    await screenshot(page, 'apps-internal');
  });
});
