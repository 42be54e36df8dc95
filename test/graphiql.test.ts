import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHIQL_TABS } from '../src/server/graphiql.ts';
import { HAS_CHROMIUM, launchBrowser } from './support/browser.ts';
import { CreateProperty, CreateVisit } from './support/fixtures.ts';
import { ADMIN_TOKEN, dbId, startTestServer, type TestServer } from './support/server.ts';

// GraphiQL as a person meets it: opened in headless Chromium from the server alone, with the
// worked example as tabs; the token goes into the Headers editor and the Start tab runs.

const SCREENSHOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'graphiql.png');

const TAB_TITLES = [
  'Start',
  'SwitchIntegrationOn',
  'CreateCompany',
  'CreateWorkOrder',
  'Desk',
  'CheckIn',
  'Complete',
  'DeskLive',
  'DeskToken',
  'OnSitePolicy',
  'MultiDayJob',
  'WhoIsOnSite',
  'Evacuate',
  'RollCall',
  'AccountedFor',
];

describe.skipIf(!HAS_CHROMIUM)('GraphiQL in a browser', () => {
  let ts: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    ts = await startTestServer('pglite');
    const created = await ts.gql(CreateProperty, { input: { name: 'Riverside Tower', timeZone: 'America/Chicago' } });
    expect(created.createProperty.userErrors).toEqual([]);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await ts?.close();
  });

  /** What GraphiQL keeps in localStorage under its `graphiql:` keys. */
  const stored = (page: Page) =>
    page.evaluate(() => {
      const out: Record<string, string> = {};
      for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i)!;
        if (key.startsWith('graphiql:')) out[key] = localStorage.getItem(key)!;
      }
      return out;
    });

  /** The text a Monaco editor shows (it renders spaces as no-break spaces). */
  const shown = async (editor: Locator) => (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');

  /** Clicks a tab until it is the active one (tabs animate into place after a switch). */
  const openTab = (page: Page, title: string) =>
    expect
      .poll(async () => {
        await page.locator(`.graphiql-tab-button[title="${title}"]`).click();
        return page.locator('.graphiql-tab-active .graphiql-tab-button').innerText();
      })
      .toBe(title);

  /** Replaces an editor's text as a person would: select all, paste (typing would get Monaco's auto-closing). */
  async function paste(page: Page, editor: Locator, text: string) {
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.evaluate((value) => {
      const clipboardData = new DataTransfer();
      clipboardData.setData('text/plain', value);
      document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
    }, text);
    await expect.poll(() => shown(editor)).toBe(text);
  }

  it('runs the live desk subscription over WebSocket with the token from the Headers editor', async () => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const { property } = (await ts.gql(CreateProperty, { input: { name: 'Subscription Square', timeZone: 'UTC' } }))
      .createProperty;
    await page.goto(ts.url);
    await page.locator('.graphiql-tab-button').first().waitFor();
    await openTab(page, 'DeskLive');
    await page.getByRole('button', { name: 'Headers', exact: true }).click();
    const headersEditor = page.locator('.graphiql-editor-tool .monaco-editor').last();
    await paste(page, headersEditor, JSON.stringify({ Authorization: `Bearer ${ADMIN_TOKEN}` }));
    await page.getByRole('button', { name: 'Variables', exact: true }).click();
    const variablesEditor = page.locator('.graphiql-editor-tool .monaco-editor').first();
    await paste(page, variablesEditor, JSON.stringify({ propertyId: property!.id }));

    const before = ts.server.desk.startedCount(dbId(property!.id));
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => ts.server.desk.startedCount(dbId(property!.id)), { timeout: 10_000 }).toBeGreaterThan(before);
    await ts.gql(CreateVisit, {
      input: { propertyId: property!.id, visitorName: 'Seen In GraphiQL', expectedArrival: ts.clock.in(60_000) },
    });
    const result = page.locator('.graphiql-response');
    await expect.poll(() => shown(result), { timeout: 10_000 }).toContain('"VISIT_ADDED"');
    expect(await shown(result)).toContain('Seen In GraphiQL');
    await context.close();
  });

  it('opens with the example tabs, takes a token in the Headers editor and runs the Start query', async () => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const origin = new URL(ts.url).origin;
    const pageErrors: string[] = [];
    const foreignRequests: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    page.on('request', (req) => {
      const url = req.url();
      if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) foreignRequests.push(url);
    });
    // Nothing outside the test server: GraphiQL's scripts, styles and workers are served inline.
    await context.route(
      (url) => url.origin !== origin && url.protocol !== 'blob:' && url.protocol !== 'data:',
      (route) => route.abort(),
    );

    const response = await page.goto(ts.url);
    expect(response?.status()).toBe(200);
    await expect(page.title()).resolves.toBe('Visitor Work Orders');

    // The worked example, one tab per step, in order; the first one is open.
    const tabs = page.locator('.graphiql-tab-button');
    await tabs.first().waitFor();
    expect(await tabs.allInnerTexts()).toEqual(TAB_TITLES);
    expect(TAB_TITLES).toHaveLength(GRAPHIQL_TABS.length);
    await expect(page.locator('.graphiql-tab-active').innerText()).resolves.toBe('Start');

    // The Headers editor holds the Authorization hint.
    await page.getByRole('button', { name: 'Headers', exact: true }).click();
    const headersEditor = page.locator('.graphiql-editor-tool .monaco-editor').last();
    await expect.poll(() => shown(headersEditor)).toContain('Bearer <paste your API token>');

    // The last tab too: its own hint, and placeholders in its variables.
    await openTab(page, 'DeskLive');
    await expect.poll(() => shown(headersEditor)).toContain('Bearer <paste your API token>');
    await page.getByRole('button', { name: 'Variables', exact: true }).click();
    const variablesEditor = page.locator('.graphiql-editor-tool .monaco-editor').first();
    await expect.poll(() => shown(variablesEditor)).toContain('"after": "<cursor from tab 5>"');
    await page.getByRole('button', { name: 'Headers', exact: true }).click();
    await openTab(page, 'Start');

    // Replace the hint with the administrator's token, as a person would: select all, paste.
    // (Typed text would get Monaco's auto-closed quotes and braces.)
    const headers = JSON.stringify({ Authorization: `Bearer ${ADMIN_TOKEN}` }, null, 2);
    await headersEditor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.evaluate((text) => {
      const clipboardData = new DataTransfer();
      clipboardData.setData('text/plain', text);
      document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
    }, headers);
    await expect.poll(() => shown(headersEditor)).toBe(headers);
    await expect.poll(async () => (await stored(page))['graphiql:headers']).toBe(headers);

    // Run Start with the execute button; the answer shows the administrator.
    const result = page.locator('.graphiql-response');
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => shown(result), { timeout: 10_000 }).toContain('"Administrator"');
    const text = await shown(result);
    expect(text).toContain('"workOrderIntegrationEnabled": false');
    expect(text).toContain('"Riverside Tower"');

    // With a token, the schema loads too (the documentation explorer and completion use it).
    await page.locator('button[aria-label^="Re-fetch GraphQL schema"]').click();
    await page.locator('button[aria-label="Show Documentation Explorer"]').click();
    await page.locator('.graphiql-doc-explorer').getByText('VisitorDeskEventKind').waitFor();
    await page.locator('.graphiql-sidebar button[aria-label$="Documentation Explorer"]').click();
    await page.locator('.graphiql-doc-explorer').waitFor({ state: 'detached' });

    await mkdir(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    // The token went into the Start tab only; the other tabs keep the hint.
    const tabState = JSON.parse((await stored(page))['graphiql:tabState']);
    expect(tabState.tabs.map((t: { title: string }) => t.title)).toEqual(TAB_TITLES);
    expect(tabState.tabs[0].headers).toBe(headers);
    for (const t of tabState.tabs.slice(1)) expect(t.headers).toContain('Bearer <paste your API token>');

    expect(pageErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });
});
