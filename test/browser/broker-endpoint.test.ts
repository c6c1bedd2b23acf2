import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RABBIT_PORT, rabbitQueue } from '../helpers/brokers.js';
import { api, startTestServer, type TestServer, waitFor } from '../helpers/server.js';
import { byTestId, expectText, newEndpointDialog, screenshot, signIn, UI_TIMEOUT, useBrowser } from './helpers.js';

/**
 * A RabbitMQ endpoint in a real browser: created through the dialog with a
 * password in its URL, shown masked, tested with "Send test" (a svix.ping
 * published to the real broker), and saved again from the edit dialog
 * without losing the stored password.
 */
describe('dashboard in Chromium: broker endpoint', () => {
  const browser = useBrowser();
  let server: TestServer;
  let queue: Awaited<ReturnType<typeof rabbitQueue>>;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startTestServer();
    queue = await rabbitQueue('paid');
  });
  afterAll(async () => {
    await context?.close();
    await queue?.close();
    await server?.close();
  });

  async function sendTestAndWait(times: number) {
    await byTestId(page, 'send-test').first().click();
    await byTestId(page, 'toast')
      .filter({ hasText: /Test delivery succeeded: published/ })
      .nth(times - 1)
      .waitFor({ timeout: UI_TIMEOUT * 2 });
  }

  it('creates, masks, tests and re-saves a RabbitMQ endpoint', async () => {
    const appId = (await api(server, 'POST', '/api/v1/app', { name: 'Broker app' })).body.id;
    context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await signIn(page, server.url, server.token);

    const url = `amqp://guest:guest@127.0.0.1:${RABBIT_PORT}/?exchange=${queue.exchange}&routingKey=paid`;
    const masked = url.replace('guest:guest@', 'guest:****@');
    const dialog = await newEndpointDialog(page, server.url, appId, url);
    await byTestId(dialog, 'endpoint-save').click();
    await byTestId(page, 'secret-done').click();
    const row = byTestId(page, 'endpoint-row').filter({ hasText: queue.exchange });
    await row.waitFor({ timeout: UI_TIMEOUT });
    await expectText(byTestId(row, 'endpoint-row-url'), new RegExp(masked.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    expect(await page.content()).not.toContain('guest:guest@');

    await byTestId(row, 'endpoint-row-url').click();
    await expectText(byTestId(page, 'endpoint-title'), /guest:\*\*\*\*@/);
    await sendTestAndWait(1);
    const [ping] = await waitFor(async () => {
      const got = await queue.read();
      return got.length > 0 ? got : null;
    });
    expect(ping!.properties.type).toBe('svix.ping');
    await screenshot(page, 'broker-endpoint');

    // The edit dialog holds the masked URL; saving it keeps the stored password.
    await byTestId(page, 'endpoint-edit').first().click();
    const edit = byTestId(page, 'endpoint-dialog');
    expect(await byTestId(edit, 'endpoint-url').inputValue()).toBe(masked);
    await byTestId(edit, 'endpoint-description').fill('orders exchange');
    await byTestId(edit, 'endpoint-save').click();
    await expect.poll(() => edit.count(), { timeout: UI_TIMEOUT }).toBe(0);
    await sendTestAndWait(2);
    expect(await waitFor(async () => ((await queue.read()).length > 0 ? true : null))).toBe(true);
  });
});
