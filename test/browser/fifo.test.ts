import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Receiver } from '../helpers/receiver.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { byTestId, expectText, newEndpointDialog, screenshot, signIn, useBrowser } from './helpers.js';

/**
 * FIFO endpoints in a real browser: the endpoint form turns FIFO on, and the endpoint page shows
 * a held queue: the message at its head, its failing attempt and next try, and how many wait.
 */
describe('dashboard in Chromium: FIFO endpoints', () => {
  const browser = useBrowser();
  let server: TestServer;
  let receiver: Receiver;
  let context: BrowserContext;
  let page: Page;
  let appId = '';

  beforeAll(async () => {
    server = await startTestServer();
    receiver = await Receiver.start(() => ({ status: 500, body: 'down for maintenance' }));
    appId = (await api(server, 'POST', '/api/v1/app', { name: 'FIFO app' })).body.id;
  });
  afterAll(async () => {
    await context?.close();
    await receiver?.close();
    await server?.close();
  });

  it('creates a FIFO endpoint and shows what holds its queue', async () => {
    context = await browser().newContext({ viewport: { width: 1280, height: 1000 } });
    page = await context.newPage();
    await signIn(page, server.url, server.token);
    const dialog = await newEndpointDialog(page, server.url, appId, receiver.url);
    await byTestId(dialog, 'endpoint-retry').fill('60');
    await byTestId(dialog, 'endpoint-fifo').check();
    await byTestId(dialog, 'endpoint-save').click();
    await byTestId(page, 'secret-done').click();
    const [ep] = (await api(server, 'GET', `/api/v1/app/${appId}/endpoint`)).body.data;
    expect(ep).toMatchObject({ fifo: true, retrySchedule: [60] });

    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (await api(server, 'POST', `/api/v1/app/${appId}/msg`, { eventType: 'order.paid', payload: { i } })).body.id,
      );
    }
    await page.goto(`${server.url}/#/apps/${appId}/endpoints/${ep.id}`);
    await expectText(byTestId(page, 'endpoint-order'), /FIFO/);
    // The first attempt fails within moments; refresh until the queue says it is held.
    await expect
      .poll(
        async () => {
          await byTestId(page, 'fifo-refresh').click();
          return byTestId(page, 'fifo-held').count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    await expectText(byTestId(page, 'fifo-head'), new RegExp(ids[0]!));
    await expectText(byTestId(page, 'fifo-waiting'), /^2$/);
    await expectText(byTestId(page, 'fifo-attempts'), /^1$/);
    await expectText(byTestId(page, 'fifo-last-error'), /HTTP 500/);
    await screenshot(page, 'endpoint-fifo-held');
    await byTestId(page, 'fifo-head').click();
    await expectText(byTestId(page, 'msg-drawer'), new RegExp(ids[0]!));
    expect(receiver.received).toHaveLength(1);
  });
});
