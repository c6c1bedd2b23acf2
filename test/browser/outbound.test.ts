import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Receiver } from '../helpers/receiver.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { byTestId, expectText, type PageGlobals, screenshot, signIn, UI_TIMEOUT, useBrowser } from './helpers.js';

/**
 * The admin's outbound path in a real browser: sign in, create an endpoint through the dialog,
 * send a test event, watch a failure, replay it after the receiver is fixed, and the phone and
 * dark layouts. The tests run in order and share one server, receiver and signed-in page.
 */
describe('dashboard in Chromium: outbound', () => {
  const browser = useBrowser();
  let server: TestServer;
  let receiver: Receiver;
  let context: BrowserContext;
  let page: Page;
  let appId = '';
  let endpointId = '';

  beforeAll(async () => {
    // A one-hour retry delay: a failed attempt stays failed until the test presses Replay.
    server = await startTestServer({}, { HOOKWAY_RETRY_SCHEDULE: '3600' });
    receiver = await Receiver.start();
  });

  afterAll(async () => {
    await context?.close();
    await receiver?.close();
    await server?.close();
  });

  /** Presses the attempts list's Refresh until a row matches, then returns that row. */
  async function attemptRow(status: 'succeeded' | 'failed', opts: { manual?: boolean; http: string }) {
    const rows = byTestId(page, 'attempt-row')
      .filter({ has: byTestId(page, 'attempt-status').getByText(status, { exact: true }) })
      .filter(opts.manual ? { has: byTestId(page, 'attempt-manual') } : { hasNot: byTestId(page, 'attempt-manual') })
      .filter({ has: page.locator('td[data-label="HTTP"]').getByText(opts.http, { exact: true }) });
    await expect
      .poll(
        async () => {
          if ((await rows.count()) > 0) return true;
          await byTestId(page, 'attempts-refresh').click();
          return false;
        },
        { timeout: UI_TIMEOUT, interval: 500 },
      )
      .toBe(true);
    return rows.first();
  }

  it('signs in with the admin token', async () => {
    context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.goto(`${server.url}/`);
    await byTestId(page, 'signin-token').fill('hw_wrong_token');
    await byTestId(page, 'signin-submit').click();
    await expectText(byTestId(page, 'signin-error'), /not accepted/);

    await signIn(page, server.url, server.token);
    await expectText(byTestId(page, 'mode-badge'), /admin/);
    for (const nav of ['overview', 'apps', 'messages', 'event-types', 'sources']) {
      await expect.poll(() => byTestId(page, `nav-${nav}`).isVisible()).toBe(true);
    }
    await byTestId(page, 'updated-at').waitFor({ timeout: UI_TIMEOUT });
    await screenshot(page, 'signed-in');
  });

  it('creates an endpoint through the dialog and shows its secret once', async () => {
    await byTestId(page, 'nav-apps').click();
    await byTestId(page, 'app-create').click();
    await byTestId(page, 'app-name').fill('Browser app');
    await byTestId(page, 'app-save').click();
    const appRow = byTestId(page, 'app-row').filter({ hasText: 'Browser app' });
    await appRow.waitFor({ timeout: UI_TIMEOUT });
    appId = (await appRow.getAttribute('data-id')) ?? '';
    expect(appId).toMatch(/^app_/);
    await byTestId(appRow, 'app-open').click();

    await byTestId(page, 'endpoint-create').click();
    const dialog = byTestId(page, 'endpoint-dialog');
    await byTestId(dialog, 'endpoint-url').fill(receiver.url);
    await byTestId(dialog, 'endpoint-description').fill('Local receiver');
    await byTestId(dialog, 'endpoint-save').click();

    const secret = byTestId(page, 'secret-once');
    await expectText(secret, /^whsec_[A-Za-z0-9+/=]{20,}$/);
    const shown = await secret.textContent();
    await screenshot(page, 'endpoint-secret');

    const row = byTestId(page, 'endpoint-row').filter({ hasText: receiver.url });
    await row.waitFor({ state: 'attached', timeout: UI_TIMEOUT });
    endpointId = (await row.getAttribute('data-id')) ?? '';
    const stored = await api(server, 'GET', `/api/v1/app/${appId}/endpoint/${endpointId}/secret`);
    expect(stored.body.key).toBe(shown);

    await byTestId(page, 'secret-done').click();
    await expect.poll(() => secret.count()).toBe(0);
    await expect.poll(() => row.isVisible()).toBe(true);
    // Once closed, the secret is nowhere on the page.
    expect(await page.content()).not.toContain(shown);
  });

  it('sends a test event and shows the attempt with HTTP 200', async () => {
    const row = byTestId(page, 'endpoint-row').filter({ hasText: receiver.url });
    await byTestId(row, 'send-test').click();
    await byTestId(page, 'toast').filter({ hasText: 'Test event sent' }).waitFor({ timeout: UI_TIMEOUT });
    await byTestId(page, 'toast')
      .filter({ hasText: /Test delivery succeeded: HTTP 200/ })
      .waitFor({ timeout: UI_TIMEOUT });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.headers['webhook-signature']).toMatch(/^v1,/);

    await byTestId(row, 'endpoint-row-url').click();
    await expectText(byTestId(page, 'endpoint-title'), new RegExp(receiver.url));
    await byTestId(page, 'endpoint-attempts').click();
    const attempt = await attemptRow('succeeded', { http: '200' });
    await byTestId(attempt, 'attempt-open').click();
    const drawer = byTestId(page, 'attempt-drawer');
    await expectText(byTestId(drawer, 'response-status'), /^200$/);
    await expectText(byTestId(drawer, 'response-body'), /ok/);
    await screenshot(page, 'attempt-succeeded');
    await byTestId(drawer, 'dialog-close').click();
    await expect.poll(() => drawer.count()).toBe(0);
  });

  it('shows a failed delivery, and a Replay after the fix succeeds', async () => {
    receiver.script = () => ({ status: 500, body: 'receiver is down' });
    await page.goto(`${server.url}/#/apps/${appId}/endpoints/${endpointId}`);
    await byTestId(page, 'send-test').click();
    await byTestId(page, 'toast')
      .filter({ hasText: /Test delivery failed: HTTP 500/ })
      .waitFor({ timeout: UI_TIMEOUT });

    await byTestId(page, 'endpoint-attempts').click();
    const failed = await attemptRow('failed', { http: '500' });
    const failedId = await failed.getAttribute('data-id');
    await byTestId(failed, 'attempt-open').click();
    const drawer = byTestId(page, 'attempt-drawer');
    await expectText(byTestId(drawer, 'response-status'), /^500$/);
    await expectText(byTestId(drawer, 'response-body'), /receiver is down/);
    await screenshot(page, 'attempt-failed');

    receiver.script = () => ({ status: 200, body: 'fixed' });
    await byTestId(drawer, 'replay').click();
    await byTestId(page, 'toast').filter({ hasText: 'Replay queued' }).waitFor({ timeout: UI_TIMEOUT });
    await byTestId(drawer, 'dialog-close').click();
    await expect.poll(() => drawer.count()).toBe(0);

    const replayed = await attemptRow('succeeded', { manual: true, http: '200' });
    await byTestId(replayed, 'attempt-open').click();
    await expectText(byTestId(drawer, 'response-body'), /fixed/);
    await expectText(byTestId(drawer, 'attempt-parent'), new RegExp(`^${failedId}$`));
    await screenshot(page, 'replay-succeeded');
    await byTestId(drawer, 'dialog-close').click();
    expect(receiver.received.at(-1)?.body).toBe(receiver.received.at(-2)?.body);
  });

  it('shows endpoints as cards on a phone and a dark background in dark mode', async () => {
    const phone = await browser().newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      const p = await phone.newPage();
      await signIn(p, server.url, server.token);
      await p.goto(`${server.url}/#/apps/${appId}`);
      const row = byTestId(p, 'endpoint-row').first();
      await row.waitFor({ timeout: UI_TIMEOUT });
      // Under 640 px the table's rows are blocks (cards) and the header row is visually hidden.
      // The callbacks run in the page: each names the page's globals itself (see PageGlobals).
      expect(await row.evaluate((el) => (globalThis as unknown as PageGlobals).getComputedStyle(el).display)).toBe(
        'block',
      );
      expect(
        await p
          .locator('.table thead')
          .evaluate((el) => (globalThis as unknown as PageGlobals).getComputedStyle(el).position),
      ).toBe('absolute');
      const background = () =>
        p.evaluate(() => {
          const w = globalThis as unknown as PageGlobals;
          return w.getComputedStyle(w.document.body).backgroundColor;
        });
      const luminance = (rgb: string) => {
        const [r = 0, g = 0, b = 0] = (rgb.match(/\d+/g) ?? []).map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
      };

      await p.emulateMedia({ colorScheme: 'light' });
      await expect.poll(async () => luminance(await background())).toBeGreaterThan(0.8);
      await screenshot(p, 'phone-light');
      await p.emulateMedia({ colorScheme: 'dark' });
      await expect.poll(async () => luminance(await background())).toBeLessThan(0.2);
      const text = await row.evaluate((el) => (globalThis as unknown as PageGlobals).getComputedStyle(el).color);
      expect(luminance(text)).toBeGreaterThan(0.7);
      await screenshot(p, 'phone-dark');
    } finally {
      await phone.close();
    }
  });
});
