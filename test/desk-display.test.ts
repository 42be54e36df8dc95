import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { HAS_CHROMIUM, launchBrowser } from './support/browser.ts';
import { MINUTE } from './support/clock.ts';
import { ADMIN_TOKEN, startTestServer, type TestServer } from './support/server.ts';
import { ok, person } from './support/people.ts';
import { CompleteWorkOrder, CreateVisit, CreateWorkOrder, organisation, VisitNode } from './support/fixtures.ts';

// The front-desk display at /desk, driven in a real Chromium against a real server:
// sign in, pick a property, and watch the queue follow the API live, without reloading.

const SCREENSHOT = fileURLToPath(new URL('../docs/desk-display.png', import.meta.url));
const COMPLIANCE_SCREENSHOT = fileURLToPath(new URL('../docs/desk-compliance.png', import.meta.url));
const UI_TIMEOUT = 10_000;

describe.skipIf(!HAS_CHROMIUM)('front-desk display', () => {
  let ts: TestServer;
  let org: Awaited<ReturnType<typeof organisation>>;
  let browser: Browser;
  let origin: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ts = await startTestServer('pglite');
    org = await organisation(ts);
    origin = new URL(ts.url).origin;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await ts?.close();
  });

  /** A fresh page (own sessionStorage) that records console errors and uncaught exceptions. */
  async function openPage(viewport = { width: 1600, height: 900 }) {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    return { page, errors };
  }

  async function signIn(page: Page, token: string) {
    await page.goto(`${origin}/desk`);
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const row = (page: Page, visitId: string) => page.locator(`tr[data-visit-id="${visitId}"]`);

  async function createWorkOrder(title: string, assigneeId: string, startsIn: number) {
    const result = (
      await ts.gql(CreateWorkOrder, {
        input: { propertyId: org.property.id, title, assigneeId, scheduledStart: ts.clock.in(startsIn) },
      })
    ).createWorkOrder;
    expect(result.userErrors).toEqual([]);
    expect(result.generatedVisit).toBeTruthy();
    return { workOrder: result.workOrder!, visit: result.generatedVisit! };
  }

  it('serves the page and the graphql-ws browser build it loads', async () => {
    for (const path of ['/desk', '/desk/desk.js', '/desk/desk.css', '/desk/vendor/graphql-ws.js']) {
      const res = await fetch(`${origin}${path}`, { signal: AbortSignal.timeout(5_000) });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-security-policy'), path).toContain("default-src 'self'");
    }
  });

  it('refuses a wrong token with a clear message and shows the form again', async () => {
    const { page, errors } = await openPage();
    await signIn(page, 'not-a-real-token');
    await expect.poll(() => page.locator('#notice').textContent(), { timeout: UI_TIMEOUT }).toMatch(/not accepted/);
    await page.getByLabel('API token').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    // The browser itself logs the 401 response; anything else would be the page's fault.
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });

  it('offers each person only the desks their roles let them work', async () => {
    const vendor = await person(ts, 'Display Vendor', [{ role: 'VENDOR' }], org.autoCompany.id);
    const desk = await person(ts, 'Display Desk', [{ role: 'DESK', propertyId: org.property.id }]);
    const asVendor = await openPage();
    await signIn(asVendor.page, vendor.token);
    await expect
      .poll(() => asVendor.page.locator('#notice').textContent(), { timeout: UI_TIMEOUT })
      .toMatch(/no Visitor Desk this token may work/);
    const asDesk = await openPage();
    await signIn(asDesk.page, desk.token);
    // One desk to work: it opens the picker with just that property.
    await asDesk.page.getByRole('button', { name: new RegExp(`^${org.property.name}\\b`) }).waitFor({ timeout: UI_TIMEOUT });
    expect(await asDesk.page.locator('#property-list li').count()).toBe(1);
    expect([...asVendor.errors, ...asDesk.errors]).toEqual([]);
  });

  it('follows the queue live: a generated visit appears, is checked in, and leaves on completion', async () => {
    const { page, errors } = await openPage();
    await signIn(page, ADMIN_TOKEN);
    await page.getByRole('button', { name: new RegExp(`^${org.property.name}\\b`) }).click();
    await page.locator('#property-name', { hasText: org.property.name }).waitFor({ timeout: UI_TIMEOUT });
    await page.locator('#connection[data-state="connected"]').waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => page.locator('#connection').textContent()).toBe('Connected');
    await page.locator('#empty').waitFor({ timeout: UI_TIMEOUT });
    // Marks this document: if the page reloaded, the mark would be gone.
    await page.evaluate(() => Object.assign(window, { deskTestMark: true }));

    // The token stays in sessionStorage: not in the URL, not in localStorage.
    expect(page.url()).not.toContain(ADMIN_TOKEN);
    const storage = await page.evaluate(() => ({
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
    }));
    expect(storage.local).not.toContain(ADMIN_TOKEN);
    expect(storage.session).toContain(ADMIN_TOKEN);

    // A work order assigned to the vendor generates a visit expected now: it appears live.
    const { workOrder, visit } = await createWorkOrder('Replace lobby lights', org.vendor.id, 0);
    const vera = row(page, visit.id);
    await vera.waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => vera.textContent()).toContain('Vera Vendor');
    const text = (await vera.textContent())!;
    expect(text).toContain('Acme Electric');
    expect(text).toContain(workOrder.requestId);
    expect(text).toContain('Replace lobby lights');
    expect(text).toContain('Expected');
    // 09:00Z is 03:00 in Chicago.
    expect(text).toContain('03:00');

    // Check in from the display: the row follows, and the API agrees.
    await page.getByRole('button', { name: 'Check in Vera Vendor' }).click();
    await page.locator(`tr[data-visit-id="${visit.id}"][data-status="CHECKED_IN"]`).waitFor({ timeout: UI_TIMEOUT });
    expect(await vera.locator('.status').textContent()).toContain('Checked in');
    await page.getByRole('button', { name: 'Check out Vera Vendor' }).waitFor({ timeout: UI_TIMEOUT });
    const stored = (await ts.gql(VisitNode, { id: visit.id })).node as { status: string } | null;
    expect(stored?.status).toBe('CHECKED_IN');

    // A few more visits, for the screenshot; they arrive live and in the desk's order.
    const victor = await createWorkOrder('Inspect fire panel', org.vendor2.id, 45 * MINUTE);
    const walkIns = [];
    for (const [name, inMs] of [
      ['Dana Delivery', 20 * MINUTE],
      ['Omar Okafor', 90 * MINUTE],
    ] as const) {
      const created = (
        await ts.gql(CreateVisit, {
          input: { propertyId: org.property.id, visitorName: name, expectedArrival: ts.clock.in(inMs) },
        })
      ).createVisit;
      expect(created.userErrors).toEqual([]);
      walkIns.push(created.visit!);
    }
    for (const id of [victor.visit.id, ...walkIns.map((v) => v.id)]) await row(page, id).waitFor({ timeout: UI_TIMEOUT });
    const order = await page.locator('tr[data-visit-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-visit-id')));
    expect(order).toEqual([visit.id, walkIns[0].id, victor.visit.id, walkIns[1].id]);
    await page.getByRole('button', { name: 'Check in Victor Volt' }).waitFor();

    await mkdir(fileURLToPath(new URL('../docs/', import.meta.url)), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    // Fits a 1080p desk screen and a laptop without sideways scrolling.
    for (const size of [
      { width: 1920, height: 1080 },
      { width: 1366, height: 768 },
    ]) {
      await page.setViewportSize(size);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
    }

    // Completing the work order checks the vendor out: the row leaves, live.
    const completed = (await ts.gql(CompleteWorkOrder, { input: { workOrderId: workOrder.id } })).completeWorkOrder;
    expect(completed.userErrors).toEqual([]);
    await vera.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    expect(await page.locator('tr[data-visit-id]').count()).toBe(3);

    // Still connected, never reloaded, and nothing went wrong in the page.
    expect(await page.locator('#connection').getAttribute('data-state')).toBe('connected');
    expect(await page.evaluate(() => (window as unknown as { deskTestMark?: boolean }).deskTestMark)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('marks the row of a visitor whose company is not compliant, and clears it live once a certificate is added', async () => {
    const mutate = (field: string, payload: string) =>
      `mutation ($input: ${field[0].toUpperCase()}${field.slice(1)}Input!) { ${field}(input: $input) { ${payload} userErrors { code message } } }`;
    const propertyId = org.otherProperty.id;
    await ok(ts, mutate('setComplianceRequirements', 'property { id }'), {
      input: { propertyId, kinds: ['GENERAL_LIABILITY_INSURANCE'] },
    });
    const company = await ok(ts, mutate('createCompany', 'company { id }'), {
      input: { name: 'Sparky Sparks', autoCreateVisit: true },
    });
    const companyId = company.createCompany.company.id;
    const fitter = await ok(ts, mutate('createUser', 'user { id }'), {
      input: { name: 'Sam Sparks', email: 'sam@sparky.test', companyId },
    });
    const created = await ok(ts, mutate('createWorkOrder', 'generatedVisit { id }'), {
      input: {
        propertyId,
        title: 'Rewire the plant room',
        assigneeId: fitter.createUser.user.id,
        scheduledStart: ts.clock.in(0),
      },
    });
    const visitId = created.createWorkOrder.generatedVisit.id;
    const desk = await person(ts, 'Harbour Desk', [{ role: 'DESK', propertyId }]);
    const manager = await person(ts, 'Harbour Manager', [{ role: 'PROPERTY_MANAGER', propertyId }]);

    const open = async (token: string) => {
      const { page, errors } = await openPage();
      await signIn(page, token);
      await page.getByRole('button', { name: new RegExp(`^${org.otherProperty.name}\\b`) }).click();
      await page.locator('#connection[data-state="connected"]').waitFor({ timeout: UI_TIMEOUT });
      await page.locator(`tr[data-visit-id="${visitId}"][data-compliance="blocked"]`).waitFor({ timeout: UI_TIMEOUT });
      return { page, errors };
    };
    const atDesk = await open(desk.token);
    const blockedRow = row(atDesk.page, visitId);
    expect(await blockedRow.locator('.compliance-note').textContent()).toContain(
      'Sparky Sparks has no general liability insurance on file; ask the vendor for the certificate.',
    );
    // The desk cannot let the visitor in; the property's manager can, with a reason.
    const blockedButton = blockedRow.getByRole('button', { name: 'Blocked' });
    expect(await blockedButton.isDisabled()).toBe(true);
    const asManager = await open(manager.token);
    await row(asManager.page, visitId)
      .getByRole('button', { name: 'Let in Sam Sparks despite compliance' })
      .waitFor({ timeout: UI_TIMEOUT });
    await atDesk.page.screenshot({ path: COMPLIANCE_SCREENSHOT });

    // The certificate arrives: both displays clear the row without reloading.
    await atDesk.page.evaluate(() => Object.assign(window, { deskTestMark: true }));
    await ok(ts, mutate('addComplianceDocument', 'complianceDocument { id }'), {
      input: {
        companyId,
        kind: 'GENERAL_LIABILITY_INSURANCE',
        effectiveFrom: ts.clock.in(-MINUTE),
        expiresAt: ts.clock.in(365 * 24 * 60 * MINUTE),
      },
    });
    for (const { page } of [atDesk, asManager]) {
      await page.locator(`tr[data-visit-id="${visitId}"]:not([data-compliance])`).waitFor({ timeout: UI_TIMEOUT });
    }
    expect(await blockedRow.locator('.compliance-note').count()).toBe(0);
    await atDesk.page.getByRole('button', { name: 'Check in Sam Sparks' }).click();
    await atDesk.page.locator(`tr[data-visit-id="${visitId}"][data-status="CHECKED_IN"]`).waitFor({ timeout: UI_TIMEOUT });
    expect(await atDesk.page.evaluate(() => (window as unknown as { deskTestMark?: boolean }).deskTestMark)).toBe(true);
    expect([...atDesk.errors, ...asManager.errors]).toEqual([]);
  });
});
