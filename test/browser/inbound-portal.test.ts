import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { byTestId, expectText, type PageGlobals, screenshot, signIn, UI_TIMEOUT, useBrowser } from './helpers.js';

/**
 * Inbound sources and the app portal in a real browser: a source created through the provider
 * picker receives a signed GitHub delivery that shows in its history, and a portal link shows
 * one application while another application's data stays out of reach.
 */
describe('dashboard in Chromium: inbound sources and the app portal', () => {
  const browser = useBrowser();
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server?.close();
  });

  /** Presses a list's Refresh until `rows` has at least one match. */
  async function refreshUntil(page: Page, refresh: string, rows: ReturnType<typeof byTestId>) {
    await expect
      .poll(
        async () => {
          if ((await rows.count()) > 0) return true;
          await byTestId(page, refresh).click();
          return false;
        },
        { timeout: UI_TIMEOUT, interval: 500 },
      )
      .toBe(true);
  }

  it('creates a GitHub source, receives a signed event and shows it in the history', async () => {
    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await signIn(page, server.url, server.token);
      await byTestId(page, 'nav-sources').click();
      await byTestId(page, 'source-create').click();
      const dialog = byTestId(page, 'source-dialog');
      await byTestId(dialog, 'source-name').fill('GitHub repo');
      await byTestId(dialog, 'source-type').selectOption('github');
      const secret = 'browser-test-github-secret';
      await byTestId(dialog, 'source-field-secret').fill(secret);
      await byTestId(dialog, 'source-save').click();

      // The source page shows the ingest URL to give to GitHub; post to its path on this server.
      const shown = byTestId(page, 'source-ingest-url');
      await expectText(shown, /\/in\/\S+$/);
      const ingestPath = new URL((await shown.textContent()) ?? '').pathname;

      const body = JSON.stringify({ action: 'opened', issue: { number: 42, title: 'From the browser test' } });
      const delivery = randomUUID();
      const headers = {
        'content-type': 'application/json',
        'x-github-event': 'issues',
        'x-github-delivery': delivery,
      };
      const ok = await fetch(server.url + ingestPath, {
        method: 'POST',
        headers: { ...headers, 'x-hub-signature-256': await sign(secret, body) },
        body,
      });
      expect(ok.status).toBeLessThan(300);
      const forged = await fetch(server.url + ingestPath, {
        method: 'POST',
        headers: { ...headers, 'x-github-delivery': randomUUID(), 'x-hub-signature-256': await sign('wrong', body) },
        body,
      });
      expect(forged.status).toBe(401);

      const row = byTestId(page, 'inbound-event-row').filter({ hasText: delivery });
      await refreshUntil(page, 'inbound-refresh', row);
      await expect.poll(() => byTestId(page, 'inbound-event-row').count()).toBe(1);
      await expectText(row, /issues/);
      // Refresh also updates the source's counters: one event, and the forged request is not one.
      await expectText(byTestId(page, 'source-stats').locator('.stat').first(), /Events\s*1$/);
      await byTestId(row, 'inbound-event-open').click();
      const drawer = byTestId(page, 'inbound-drawer');
      await expectText(byTestId(drawer, 'inbound-body'), /From the browser test/);
      await expectText(byTestId(drawer, 'inbound-headers'), /x-github-event/i);
      await screenshot(page, 'inbound-event');
      await byTestId(drawer, 'dialog-close').click();
      await expect.poll(() => drawer.count()).toBe(0);

      await byTestId(page, 'tab-rejected').click();
      await expectText(byTestId(page, 'rejected-row'), /signature/i);
      await screenshot(page, 'inbound-rejected');

      // Where the source forwards its events: its ingest endpoints, none yet.
      await byTestId(page, 'tab-endpoints').click();
      await expectText(byTestId(page, 'tab-endpoints'), /^Ingest endpoints$/);
      await expectText(byTestId(page, 'ingest-endpoint-create'), /^New ingest endpoint$/);
    } finally {
      await context.close();
    }
  });

  it("opens a portal link that shows one application and not another's", async () => {
    const appA = (await api(server, 'POST', '/api/v1/app', { name: 'Customer A' })).body;
    const appB = (await api(server, 'POST', '/api/v1/app', { name: 'Customer B' })).body;
    const urlA = 'http://127.0.0.1:9/customer-a-hook';
    const urlB = 'http://127.0.0.1:9/customer-b-hook';
    const epA = await api(server, 'POST', `/api/v1/app/${appA.id}/endpoint`, { url: urlA });
    const epB = await api(server, 'POST', `/api/v1/app/${appB.id}/endpoint`, { url: urlB });
    expect([epA.status, epB.status]).toEqual([201, 201]);
    const access = await api(server, 'POST', `/api/v1/auth/app-portal-access/${appA.id}`, {});
    expect(access.status).toBe(200);
    // The link is built from the public URL; open the same path and hash on this test server.
    const link = new URL(access.body.url);

    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}${link.pathname}${link.search}${link.hash}`);
      // The badge names the application, not its id.
      await expectText(byTestId(page, 'mode-badge'), /^portal · Customer A$/);
      expect(page.url()).not.toContain(access.body.token);
      await expect.poll(() => byTestId(page, 'nav-endpoints').isVisible()).toBe(true);
      for (const admin of ['apps', 'event-types', 'sources']) {
        expect(await byTestId(page, `nav-${admin}`).count()).toBe(0);
      }

      await byTestId(page, 'nav-endpoints').click();
      await byTestId(page, 'endpoint-row').filter({ hasText: urlA }).waitFor({ timeout: UI_TIMEOUT });
      expect(await byTestId(page, 'endpoint-row').count()).toBe(1);
      await screenshot(page, 'portal-endpoints');

      // Admin pages and application B's pages are not routed for a portal session.
      for (const hash of ['#/apps', `#/apps/${appB.id}`, '#/sources', '#/event-types']) {
        await page.goto(`${server.url}/${hash}`);
        await expectText(byTestId(page, 'empty'), /no page here/);
      }
      await page.goto(`${server.url}/#/endpoints/${epB.body.id}`);
      await expectText(byTestId(page, 'empty'), /does not exist/);
      expect(await page.locator('body').textContent()).not.toContain(urlB);
      await screenshot(page, 'portal-other-app');

      // The API refuses B to the portal token that the page holds, and still serves A.
      const get = (path: string) =>
        page.evaluate(async (p) => {
          const token = (globalThis as unknown as PageGlobals).sessionStorage.getItem('hookway.token');
          const res = await fetch(p, { headers: { authorization: `Bearer ${token}` } });
          return { status: res.status, body: await res.json().catch(() => null) };
        }, path);
      expect((await get(`/api/v1/app/${appA.id}/endpoint`)).status).toBe(200);
      expect((await get(`/api/v1/app/${appB.id}/endpoint`)).status).toBe(404);
      expect((await get(`/api/v1/app/${appB.id}/endpoint/${epB.body.id}`)).status).toBe(404);
      expect((await get(`/api/v1/app/${appA.id}/endpoint/${epB.body.id}`)).status).toBe(404);
      // The admin's inbound source (created above) is not listed for a portal token.
      const sources = await get('/ingest/api/v1/source');
      expect(sources.status === 200 ? (sources.body as { data: unknown[] }).data : []).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
