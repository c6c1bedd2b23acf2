import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Receiver } from '../helpers/receiver.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { byTestId, expectText, newEndpointDialog, screenshot, signIn, UI_TIMEOUT, useBrowser } from './helpers.js';

/**
 * Payload filters in a real browser: the endpoint form edits a filter, tests it on a sample
 * payload, refuses one that does not compile with the server's reason, and a message's drawer
 * lists an endpoint its filter failed on, with the error.
 */
describe('dashboard in Chromium: payload filters', () => {
  const browser = useBrowser();
  let server: TestServer;
  let receiver: Receiver;
  let context: BrowserContext;
  let page: Page;
  let appId = '';

  beforeAll(async () => {
    server = await startTestServer();
    receiver = await Receiver.start();
    appId = (await api(server, 'POST', '/api/v1/app', { name: 'Filter app' })).body.id;
  });
  afterAll(async () => {
    await context?.close();
    await receiver?.close();
    await server?.close();
  });

  it('edits and tests a filter in the endpoint form, and saves it', async () => {
    context = await browser().newContext({ viewport: { width: 1280, height: 1000 } });
    page = await context.newPage();
    await signIn(page, server.url, server.token);
    const dialog = await newEndpointDialog(page, server.url, appId, receiver.url);
    await byTestId(dialog, 'endpoint-filter').fill('payload.amount >= 1000 && payload.currency == "EUR"');

    await dialog.locator('summary').click();
    await byTestId(dialog, 'filter-sample').fill('{"amount": 1500, "currency": "EUR"}');
    await byTestId(dialog, 'filter-test').click();
    await expectText(byTestId(dialog, 'filter-outcome'), /^Matches/);
    await byTestId(dialog, 'filter-sample').fill('{"amount": 10, "currency": "EUR"}');
    await byTestId(dialog, 'filter-test').click();
    await expectText(byTestId(dialog, 'filter-outcome'), /^No match/);
    await byTestId(dialog, 'filter-sample').fill('{"currency": "EUR"}');
    await byTestId(dialog, 'filter-test').click();
    await expectText(byTestId(dialog, 'filter-outcome'), /^Error: No such key: amount/);
    await screenshot(page, 'endpoint-filter-test');

    // A filter that does not compile: the tester and the save both show the server's reason.
    await byTestId(dialog, 'endpoint-filter').fill('payload.amount >= ');
    await byTestId(dialog, 'filter-test').click();
    await expectText(byTestId(dialog, 'filter-outcome'), /Unexpected token: EOF \(at offset 18\)/);
    await byTestId(dialog, 'endpoint-save').click();
    await expectText(byTestId(dialog, 'form-error'), /Unexpected token: EOF/);

    await byTestId(dialog, 'endpoint-filter').fill('payload.amount >= 1000');
    await byTestId(dialog, 'endpoint-save').click();
    await byTestId(page, 'secret-done').click();
    const list = await api(server, 'GET', `/api/v1/app/${appId}/endpoint`);
    expect(list.body.data.map((e: { filter: string }) => e.filter)).toEqual(['payload.amount >= 1000']);
  });

  it("shows an endpoint a filter error kept from the message in the message's drawer", async () => {
    const msg = (await api(server, 'POST', `/api/v1/app/${appId}/msg`, { eventType: 'x.y', payload: { total: 1 } }))
      .body;
    await page.goto(`${server.url}/#/messages?app=${appId}`);
    const row = byTestId(page, 'msg-row').filter({ hasText: msg.id });
    await row.waitFor({ timeout: UI_TIMEOUT });
    await byTestId(row, 'msg-open').click();
    const filtered = byTestId(byTestId(page, 'msg-drawer'), 'msg-filtered-row');
    await expectText(filtered, /filtered.*No such key: amount/);
    await screenshot(page, 'message-filtered-out');
  });
});
