import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { DASHBOARD_DIR } from '../../src/api/routes/dashboard.js';

/**
 * Browser tests drive Debian's Chromium (installed by `.ci/run`) through playwright-core. A
 * missing browser or a missing dashboard build is a failure, never a skip: these tests are the
 * proof that the UI works.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = resolve(import.meta.dirname, '../../test-output/screenshots');
/** UI waits: generous, because CI machines are slow and deliveries poll. */
export const UI_TIMEOUT = 15_000;

/**
 * The browser globals that `page.evaluate` callbacks use. Those callbacks run in the page, but
 * they are typechecked with the Node tests, where lib "dom" cannot be loaded (its `fetch` and
 * `BodyInit` clash with Node's). Cast `globalThis` to this inside the callback.
 */
export interface PageGlobals {
  document: { body: unknown };
  sessionStorage: { getItem(key: string): string | null };
  getComputedStyle(el: unknown): { display: string; position: string; color: string; backgroundColor: string };
}

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function assertDashboardBuilt(): void {
  if (!existsSync(resolve(DASHBOARD_DIR, 'index.html'))) {
    throw new Error(
      `The dashboard is not built (${DASHBOARD_DIR}/index.html is missing): run \`npm run build\` first.`,
    );
  }
}

/** One browser per test file; each launch gets a fresh temporary profile. */
export async function launchBrowser(): Promise<Browser> {
  assertDashboardBuilt();
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
}

/**
 * One browser for the enclosing describe block. A launch failure is rethrown before every test,
 * so each test fails with the reason; a throwing beforeAll would only mark them skipped.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  let failure: unknown;
  beforeAll(async () => {
    try {
      browser = await launchBrowser();
    } catch (err) {
      failure = err;
    }
  });
  beforeEach(() => {
    if (failure) throw failure;
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw failure ?? new Error('The browser is not launched yet.');
    return browser;
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: resolve(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

export const byTestId = (scope: Page | Locator, id: string): Locator => scope.locator(`[data-testid="${id}"]`);

/** Signs in on the sign-in page with a token and waits for the shell. */
export async function signIn(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await byTestId(page, 'signin-token').fill(token);
  await byTestId(page, 'signin-submit').click();
  await byTestId(page, 'mode-badge').waitFor({ timeout: UI_TIMEOUT });
}

/** Opens an application's page and its "new endpoint" dialog with the URL filled in; answers the dialog. */
export async function newEndpointDialog(page: Page, baseUrl: string, appId: string, url: string): Promise<Locator> {
  await page.goto(`${baseUrl}/#/apps/${appId}`);
  await byTestId(page, 'endpoint-create').click();
  const dialog = byTestId(page, 'endpoint-dialog');
  await byTestId(dialog, 'endpoint-url').fill(url);
  return dialog;
}

/** Waits until a locator's text matches, with a clear message on timeout. */
export async function expectText(locator: Locator, pattern: RegExp): Promise<void> {
  await expect
    .poll(async () => ((await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '') : ''), {
      timeout: UI_TIMEOUT,
    })
    .toMatch(pattern);
}
