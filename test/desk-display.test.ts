import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { HAS_CHROMIUM, launchBrowser } from './support/browser.ts';
import { MINUTE } from './support/clock.ts';
import { ADMIN_TOKEN, startTestServer, type TestServer } from './support/server.ts';
import { mutation, ok, person } from './support/people.ts';
import { CompleteWorkOrder, CreateVisit, CreateWorkOrder, organisation, VisitNode } from './support/fixtures.ts';

// The front-desk display at /desk, driven in a real Chromium against a real server:
// sign in, pick a property, and watch the queue follow the API live, without reloading.

const SCREENSHOT = fileURLToPath(new URL('../docs/desk-display.png', import.meta.url));
const COMPLIANCE_SCREENSHOT = fileURLToPath(new URL('../docs/desk-compliance.png', import.meta.url));
const EVACUATION_SCREENSHOT = fileURLToPath(new URL('../docs/desk-evacuation.png', import.meta.url));
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

  describe('evacuation and overdue visitors', () => {
    const EVACUATION = `id startedAt startedBy { name } endedAt endedBy { name } accountedFor missing cursor
      people { addedAt accountedForAt accountedForHow accountedForBy { name } visit { id visitorName } }`;

    /** A property of its own in London (UTC in November: its times read as the clock's), with a desk person. */
    async function staffedProperty(name: string, deskName: string) {
      const created = await ok(ts, mutation('createProperty', 'property { id name }'), {
        input: { name, timeZone: 'Europe/London' },
      });
      expect(created.createProperty.userErrors).toEqual([]);
      const propertyId = created.createProperty.property.id as string;
      return { propertyId, desk: await person(ts, deskName, [{ role: 'DESK', propertyId }]) };
    }

    async function checkedIn(propertyId: string, visitorName: string, extra: Record<string, unknown> = {}) {
      const created = await ok(ts, mutation('createVisit', 'visit { id }'), {
        input: { propertyId, visitorName, expectedArrival: ts.clock.in(0), ...extra },
      });
      expect(created.createVisit.userErrors).toEqual([]);
      const visitId = created.createVisit.visit.id as string;
      const answer = await ok(ts, mutation('checkInVisit', 'visit { status }'), { input: { visitId } });
      expect(answer.checkInVisit).toEqual({ visit: { status: 'CHECKED_IN' }, userErrors: [] });
      return visitId;
    }

    const openEvacuation = async (propertyId: string) =>
      (
        await ok(ts, `query ($id: ID!) { node(id: $id) { ... on Property { evacuation { ${EVACUATION} } } } }`, {
          id: propertyId,
        })
      ).node.evacuation;

    /** Opens the display on a phone, as `token`, at its one property's queue. */
    async function openDesk(token: string, propertyName: string, viewport = { width: 360, height: 740 }) {
      const opened = await openPage(viewport);
      await signIn(opened.page, token);
      await opened.page.getByRole('button', { name: new RegExp(`^${propertyName}\\b`) }).click();
      await opened.page.locator('#connection[data-state="connected"]').waitFor({ timeout: UI_TIMEOUT });
      return opened;
    }

    it('runs a roll call from the screen: live counts and list, one-tap marking, checked out meanwhile, ended back to the queue', async () => {
      ts.clock.set('2026-11-26T10:30:00.000Z');
      const { propertyId, desk } = await staffedProperty('Assembly Court', 'Evie Desk');
      const ana = await checkedIn(propertyId, 'Ana Arrow', { companyId: org.autoCompany.id });
      const ben = await checkedIn(propertyId, 'Ben Bolt');

      const { page, errors } = await openDesk(desk.token, 'Assembly Court');
      await row(page, ana).waitFor({ timeout: UI_TIMEOUT });
      await row(page, ben).waitFor({ timeout: UI_TIMEOUT });
      await page.evaluate(() => Object.assign(window, { deskTestMark: true }));
      const marks: string[] = [];
      page.on('request', (req) => {
        if (req.method() === 'POST' && req.postData()?.includes('markAccountedFor')) marks.push(req.postData()!);
      });
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.accept();
      });

      // Desk staff start it, after a confirm naming the property and who is on site: the
      // button is on the queue, big enough to hit on the phone.
      const start = page.getByRole('button', { name: 'Evacuation', exact: true });
      expect(await start.isVisible()).toBe(true);
      expect((await start.boundingBox())!.height).toBeGreaterThanOrEqual(48);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await start.click();
      await page.locator('#evacuation').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      expect(dialogs).toEqual([expect.stringContaining('Start an evacuation of Assembly Court?')]);
      expect(dialogs[0]).toContain('(2 now)');
      expect(await page.locator('#desk').isHidden()).toBe(true);
      expect(await start.isHidden()).toBe(true);

      const counts = () =>
        page.evaluate(() => ({
          accounted: document.getElementById('evac-accounted')!.textContent,
          missing: document.getElementById('evac-missing')!.textContent,
          total: document.getElementById('evac-total')!.textContent,
        }));
      const onList = (visitId: string) => page.locator(`#evac-people button[data-visit-id="${visitId}"]`);
      const listed = () =>
        page
          .locator('#evac-people button[data-visit-id]')
          .evaluateAll((buttons) => buttons.map((b) => [b.getAttribute('data-visit-id'), b.getAttribute('data-state')]));
      await expect.poll(counts, { timeout: UI_TIMEOUT }).toEqual({ accounted: '0', missing: '2', total: '2 people on the list' });
      expect(await listed()).toEqual([
        [ana, 'missing'],
        [ben, 'missing'],
      ]);
      expect(await page.locator('.evac-count[data-kind="accounted"]').textContent()).toMatch(/Accounted for\s+0/);
      expect(await page.locator('.evac-count[data-kind="missing"]').textContent()).toMatch(/Missing\s+2/);
      expect(await onList(ana).textContent()).toContain('Acme Electric');

      // The API holds the same roll call, started by this desk.
      const started = await openEvacuation(propertyId);
      expect(started).toMatchObject({
        startedAt: '2026-11-26T10:30:00.000Z',
        startedBy: { name: 'Evie Desk' },
        endedAt: null,
        accountedFor: 0,
        missing: 2,
      });
      expect(await page.locator('#evac-since').textContent()).toBe('Started 10:30 by Evie Desk');
      const firstCursor = started.cursor as string;

      // Someone checked in meanwhile joins the list, live, as missing.
      ts.clock.set('2026-11-26T10:35:00.000Z');
      const cara = await checkedIn(propertyId, 'Cara Crane');
      await onList(cara).waitFor({ timeout: UI_TIMEOUT });
      await expect.poll(counts, { timeout: UI_TIMEOUT }).toEqual({ accounted: '0', missing: '3', total: '3 people on the list' });
      expect(await listed()).toEqual([
        [ana, 'missing'],
        [ben, 'missing'],
        [cara, 'missing'],
      ]);

      // A (double) tap marks Ana, once: she moves below the missing, with when and by whom.
      ts.clock.set('2026-11-26T10:40:00.000Z');
      await onList(ana).dblclick();
      await page.locator(`#evac-people button[data-visit-id="${ana}"][data-state="accounted"]`).waitFor({ timeout: UI_TIMEOUT });
      expect(await onList(ana).textContent()).toContain('Accounted for 10:40 by Evie Desk');
      await expect.poll(counts, { timeout: UI_TIMEOUT }).toEqual({ accounted: '1', missing: '2', total: '3 people on the list' });
      expect(await listed()).toEqual([
        [ben, 'missing'],
        [cara, 'missing'],
        [ana, 'accounted'],
      ]);
      expect(marks).toHaveLength(1);
      const marked = await openEvacuation(propertyId);
      expect(marked).toMatchObject({ accountedFor: 1, missing: 2 });
      const anaOnList = marked.people.find((p: { visit: { id: string } }) => p.visit.id === ana);
      expect(anaOnList).toMatchObject({
        accountedForAt: '2026-11-26T10:40:00.000Z',
        accountedForHow: 'MARKED',
        accountedForBy: { name: 'Evie Desk' },
      });

      // Ben is checked out through the API: accounted for, live, as checked out.
      ts.clock.set('2026-11-26T10:42:00.000Z');
      const out = await ok(ts, mutation('checkOutVisit', 'visit { status }'), { input: { visitId: ben } });
      expect(out.checkOutVisit.userErrors).toEqual([]);
      await page.locator(`#evac-people button[data-visit-id="${ben}"][data-state="accounted"]`).waitFor({ timeout: UI_TIMEOUT });
      expect(await onList(ben).textContent()).toContain('Checked out 10:42');
      await expect.poll(counts, { timeout: UI_TIMEOUT }).toEqual({ accounted: '2', missing: '1', total: '3 people on the list' });
      expect(await listed()).toEqual([
        [cara, 'missing'],
        [ben, 'accounted'],
        [ana, 'accounted'],
      ]);

      // Tapping Ana again sends nothing and changes nothing; asking the API again is a no-op too.
      ts.clock.set('2026-11-26T10:44:00.000Z');
      // (aria-disabled: Playwright would wait for it to clear; a thumb does not.)
      await onList(ana).click({ force: true });
      const again = await ok(ts, mutation('markAccountedFor', `evacuation { ${EVACUATION} }`), {
        input: { evacuationId: started.id, visitId: ana },
      });
      expect(again.markAccountedFor.userErrors).toEqual([]);
      expect(again.markAccountedFor.evacuation).toMatchObject({ accountedFor: 2, missing: 1 });
      expect(again.markAccountedFor.evacuation.people.find((p: { visit: { id: string } }) => p.visit.id === ana)).toEqual(
        anaOnList,
      );
      expect(marks).toHaveLength(1);
      expect(await onList(ana).textContent()).toContain('Accounted for 10:40 by Evie Desk');
      expect(await counts()).toEqual({ accounted: '2', missing: '1', total: '3 people on the list' });
      expect(await page.locator('#notice').isHidden()).toBe(true);

      // On the phone: no sideways scrolling, and every tap target at least 48 px tall.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      const heights = await page
        .locator('button:visible')
        .evaluateAll((buttons) =>
          buttons.map((b) => [b.textContent!.trim().slice(0, 20), Math.round(b.getBoundingClientRect().height)] as const),
        );
      expect(heights.length).toBeGreaterThanOrEqual(5); // three people, End evacuation, Sign out
      for (const [label, height] of heights) expect(height, label).toBeGreaterThanOrEqual(48);
      const numberSize = await page.locator('#evac-missing').evaluate((n) => parseFloat(getComputedStyle(n).fontSize));
      expect(numberSize).toBeGreaterThanOrEqual(48);
      await mkdir(fileURLToPath(new URL('../docs/', import.meta.url)), { recursive: true });
      await page.screenshot({ path: EVACUATION_SCREENSHOT, fullPage: true });

      // Ending it from the screen, after a confirm saying who is still missing, returns to the queue.
      await page.getByRole('button', { name: 'End evacuation' }).click();
      await page.locator('#desk').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      expect(dialogs[1]).toBe('End the evacuation? 1 person is still missing.');
      expect(await page.locator('#evacuation').isHidden()).toBe(true);
      expect(await page.locator('#notice').textContent()).toBe('The evacuation ended at 10:44 (Evie Desk).');
      expect(
        await page.locator('tr[data-visit-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-visit-id'))),
      ).toEqual(expect.arrayContaining([ana, cara]));
      expect(await row(page, ben).count()).toBe(0);
      expect(await start.isVisible()).toBe(true);
      const ended = await ok(ts, `query ($id: ID!) { node(id: $id) { ... on Evacuation { endedAt endedBy { name } } } }`, {
        id: started.id,
      });
      expect(ended.node).toEqual({ endedAt: '2026-11-26T10:44:00.000Z', endedBy: { name: 'Evie Desk' } });
      expect(await openEvacuation(propertyId)).toBeNull();

      // Its log, replayed from the start: each change once (the double tap and the repeat
      // included), and the stream completes after ENDED.
      const replay = await new Promise<{ kind: string; visit: { id: string } | null }[]>((resolve, reject) => {
        const events: { kind: string; visit: { id: string } | null }[] = [];
        const timer = setTimeout(() => reject(new Error(`No completion after ${JSON.stringify(events)}`)), 5_000);
        ts.wsClient().subscribe<{ evacuationChanged: { kind: string; visit: { id: string } | null } }>(
          {
            query:
              'subscription ($id: ID!, $after: String) { evacuationChanged(evacuationId: $id, after: $after) { kind visit { id } } }',
            variables: { id: started.id, after: firstCursor },
          },
          {
            next: (result) =>
              result.errors ? reject(new Error(JSON.stringify(result.errors))) : events.push(result.data!.evacuationChanged),
            error: (err) => reject(err instanceof Error ? err : new Error(JSON.stringify(err))),
            complete: () => {
              clearTimeout(timer);
              resolve(events);
            },
          },
        );
      });
      expect(replay).toEqual([
        { kind: 'PERSON_ADDED', visit: { id: cara } },
        { kind: 'ACCOUNTED_FOR', visit: { id: ana } },
        { kind: 'ACCOUNTED_FOR', visit: { id: ben } },
        { kind: 'ENDED', visit: null },
      ]);

      expect(await page.evaluate(() => (window as unknown as { deskTestMark?: boolean }).deskTestMark)).toBe(true);
      expect(errors).toEqual([]);
    });

    it('opens straight on the roll call under way, resumes it after a dropped connection, and follows it ended elsewhere', async () => {
      const { propertyId, desk } = await staffedProperty('Muster Yard', 'Max Desk');
      const dee = await checkedIn(propertyId, 'Dee Drill');
      const begun = await ok(ts, mutation('startEvacuation', `evacuation { ${EVACUATION} }`), { input: { propertyId } });
      expect(begun.startEvacuation.userErrors).toEqual([]);
      const evacuationId = begun.startEvacuation.evacuation.id as string;

      const { page, errors } = await openPage({ width: 360, height: 740 });
      // The page's WebSockets, to drop them, and a switch that makes reconnecting fail meanwhile.
      await page.addInitScript(() => {
        const Real = window.WebSocket;
        const w = window as unknown as { deskSockets: WebSocket[]; deskBlocked: boolean };
        w.deskSockets = [];
        w.deskBlocked = false;
        window.WebSocket = class extends Real {
          constructor(url: string | URL, protocols?: string | string[]) {
            super(w.deskBlocked ? String(url).replace(/\/graphql$/, '/nowhere') : url, protocols);
            w.deskSockets.push(this);
          }
        };
      });
      const evacuationSubscribes: { evacuationId: string; after: string | null }[] = [];
      page.on('websocket', (ws) =>
        ws.on('framesent', ({ payload }) => {
          const message = JSON.parse(String(payload));
          if (message.type === 'subscribe' && message.payload.query.includes('evacuationChanged')) {
            evacuationSubscribes.push(message.payload.variables);
          }
        }),
      );
      await signIn(page, desk.token);
      await page.getByRole('button', { name: /^Muster Yard\b/ }).click();
      await page.locator('#evacuation').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await page.locator(`#evac-people button[data-visit-id="${dee}"][data-state="missing"]`).waitFor({ timeout: UI_TIMEOUT });
      await page.locator('#connection[data-state="connected"]').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.locator('#evac-missing').textContent()).toBe('1');
      expect(await page.getByRole('button', { name: 'Evacuation', exact: true }).isHidden()).toBe(true);
      await page.evaluate(() => Object.assign(window, { deskTestMark: true }));
      // Subscribed after the cursor of the read it opened from.
      await expect.poll(() => evacuationSubscribes.length, { timeout: UI_TIMEOUT }).toBe(1);
      expect(evacuationSubscribes).toEqual([{ evacuationId, after: begun.startEvacuation.evacuation.cursor }]);

      // Eve joins, live; then the connection drops, and Dee is marked by the administrator meanwhile.
      const eve = await checkedIn(propertyId, 'Eve Exit');
      await page.locator(`#evac-people button[data-visit-id="${eve}"][data-state="missing"]`).waitFor({ timeout: UI_TIMEOUT });
      const lastSeen = (await openEvacuation(propertyId)).cursor as string;
      await page.evaluate(() => {
        const w = window as unknown as { deskSockets: WebSocket[]; deskBlocked: boolean };
        w.deskBlocked = true;
        for (const socket of w.deskSockets) socket.close(4999, 'test: connection dropped');
      });
      await page.locator('#connection[data-state="reconnecting"]').waitFor({ timeout: UI_TIMEOUT });
      const marked = await ok(ts, mutation('markAccountedFor', 'evacuation { missing }'), {
        input: { evacuationId, visitId: dee },
      });
      expect(marked.markAccountedFor).toEqual({ evacuation: { missing: 1 }, userErrors: [] });
      expect(await page.locator(`#evac-people button[data-visit-id="${dee}"]`).getAttribute('data-state')).toBe('missing');

      // Back online: it resubscribes after the last event it had, and catches up without reloading.
      await page.evaluate(() => Object.assign(window, { deskBlocked: false }));
      await page.locator(`#evac-people button[data-visit-id="${dee}"][data-state="accounted"]`).waitFor({ timeout: UI_TIMEOUT });
      expect(await page.locator('#evac-accounted').textContent()).toBe('1');
      expect(await page.locator('#evac-missing').textContent()).toBe('1');
      expect(evacuationSubscribes.map((s) => s.after)).toEqual([begun.startEvacuation.evacuation.cursor, lastSeen]);
      await page.locator('#connection[data-state="connected"]').waitFor({ timeout: UI_TIMEOUT });

      // Ended by someone else: back to the queue, live.
      const ended = await ok(ts, mutation('endEvacuation', 'evacuation { endedAt }'), { input: { evacuationId } });
      expect(ended.endEvacuation.userErrors).toEqual([]);
      await page.locator('#desk').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      expect(await page.locator('#notice').textContent()).toMatch(/^The evacuation ended at \d\d:\d\d/);
      await row(page, dee).waitFor({ timeout: UI_TIMEOUT });
      await row(page, eve).waitFor({ timeout: UI_TIMEOUT });
      expect(await page.evaluate(() => (window as unknown as { deskTestMark?: boolean }).deskTestMark)).toBe(true);

      // Sounded from another device: this display, on the queue, switches to the new roll call live.
      const again = await ok(ts, mutation('startEvacuation', 'evacuation { id }'), { input: { propertyId } });
      expect(again.startEvacuation.userErrors).toEqual([]);
      await page.locator('#evacuation').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await page.locator(`#evac-people button[data-visit-id="${dee}"][data-state="missing"]`).waitFor({ timeout: UI_TIMEOUT });
      expect(await page.evaluate(() => (window as unknown as { deskTestMark?: boolean }).deskTestMark)).toBe(true);
      await ok(ts, mutation('endEvacuation', 'evacuation { id }'), {
        input: { evacuationId: again.startEvacuation.evacuation.id },
      });
      await page.locator('#desk').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      // The browser logs the refused reconnection attempts; anything else would be the page's fault.
      expect(errors.filter((e) => !/WebSocket connection to .*\/nowhere/.test(e))).toEqual([]);
    });

    it('marks an overdue visitor on the queue, live when the desk clock finds them overdue', async () => {
      const { propertyId, desk } = await staffedProperty('Late Lane', 'Lou Desk');
      const policy = await ok(ts, mutation('updateProperty', 'property { onSitePolicy { overdueAfterMinutes } }'), {
        input: { propertyId, onSitePolicy: { overdueAfterMinutes: 0 } },
      });
      expect(policy.updateProperty).toEqual({ property: { onSitePolicy: { overdueAfterMinutes: 0 } }, userErrors: [] });
      const arrived = ts.clock.now().getTime();
      // London is on UTC in November.
      const hhmm = (after: number) => new Date(arrived + after).toISOString().slice(11, 16);
      const late = await checkedIn(propertyId, 'Liam Late', { expectedDeparture: ts.clock.in(10 * MINUTE) });
      const open = await checkedIn(propertyId, 'Olive Open');
      const overdue = async (visitId: string) =>
        (await ok(ts, 'query ($id: ID!) { node(id: $id) { ... on Visit { overdue } } }', { id: visitId })).node.overdue;

      const { page, errors } = await openDesk(desk.token, 'Late Lane', { width: 1600, height: 900 });
      await row(page, late).waitFor({ timeout: UI_TIMEOUT });
      await row(page, open).waitFor({ timeout: UI_TIMEOUT });
      expect(await row(page, late).getAttribute('data-overdue')).toBeNull();
      expect(await row(page, late).locator('.overdue-badge').count()).toBe(0);
      expect(await overdue(late)).toBe(false);

      // Past the expected departure (no grace): the desk clock tells the display.
      ts.clock.advance(11 * MINUTE);
      await ts.server.desk.tick();
      expect(await overdue(late)).toBe(true);
      await page.locator(`tr[data-visit-id="${late}"][data-overdue="true"]`).waitFor({ timeout: UI_TIMEOUT });
      expect(await row(page, late).locator('.overdue-badge').textContent()).toBe('Overdue');
      expect(await row(page, late).locator('.since').textContent()).toBe(`since ${hhmm(0)} · due out ${hhmm(10 * MINUTE)}`);
      expect(await row(page, late).locator('.status').textContent()).toContain('Checked in');
      // A visitor without an expected departure is never overdue.
      expect(await row(page, open).getAttribute('data-overdue')).toBeNull();
      expect(await overdue(open)).toBe(false);

      // A display opened now shows it from the snapshot.
      const fresh = await openDesk(desk.token, 'Late Lane', { width: 1600, height: 900 });
      await fresh.page
        .locator(`tr[data-visit-id="${late}"][data-overdue="true"] .overdue-badge`)
        .waitFor({ timeout: UI_TIMEOUT });
      expect(await fresh.page.locator('tr[data-overdue]').count()).toBe(1);

      // Checked out, the row leaves.
      await ok(ts, mutation('checkOutVisit', 'visit { status }'), { input: { visitId: late } });
      await row(page, late).waitFor({ state: 'detached', timeout: UI_TIMEOUT });
      expect([...errors, ...fresh.errors]).toEqual([]);
    });
  });
});
