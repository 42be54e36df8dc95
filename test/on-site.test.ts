import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, MINUTE, TestClock } from './support/clock.ts';
import { DATABASES } from './support/databases.ts';
import { mutation as m, ok, person, run, type Person } from './support/people.ts';
import { startTestServer, subscribeDesk, until, type TestServer } from './support/server.ts';
import { graphql } from './generated/index.ts';

// A contractor's days on site: the property's on-site policy, no-shows, automatic
// check-out, overdue visitors, who is on site and time on site, all driven by the desk
// clock with the injected clock (no sleeps).

const POLICY = 'onSitePolicy { autoCheckOut { dailyAt hoursAfterDeparture } noShowAfterMinutes overdueAfterMinutes }';
const VISIT = 'id status checkOutReason checkedInAt checkedOutAt overdue timeOnSiteMinutes';

const OnSiteWatch = graphql(`
  subscription OnSiteWatch($propertyId: ID!) {
    visitorDeskChanged(propertyId: $propertyId) {
      kind
      visit {
        id
        status
      }
    }
  }
`);

describe.each(DATABASES)('days on site on %s', (kind) => {
  let ts: TestServer;
  let manager: Person;
  let desk: Person;
  const clock = new TestClock('2026-11-26T09:00:00.000Z');
  let n = 0;

  /** A property in London (UTC in November), with `policy`, staffed by `manager` and `desk`. */
  async function property(policy?: Record<string, unknown>) {
    const created = await ok(ts, m('createProperty', 'property { id }'), {
      input: { name: `Site ${++n}`, timeZone: 'Europe/London' },
    });
    const propertyId = created.createProperty.property.id as string;
    for (const [who, role] of [
      [manager, 'PROPERTY_MANAGER'],
      [desk, 'DESK'],
    ] as const) {
      await ok(ts, m('grantRole', 'user { id }'), { input: { userId: who.id, role, propertyId } });
    }
    if (policy) {
      const set = await ok(
        ts,
        m('updateProperty', `property { ${POLICY} }`),
        { input: { propertyId, onSitePolicy: policy } },
        manager.token,
      );
      expect(set.updateProperty.userErrors).toEqual([]);
    }
    return propertyId;
  }

  async function visit(propertyId: string, arrivesIn = 0, extra: Record<string, unknown> = {}) {
    const created = await ok(ts, m('createVisit', `visit { ${VISIT} }`), {
      input: { propertyId, visitorName: `Visitor ${++n}`, expectedArrival: clock.in(arrivesIn), ...extra },
    });
    expect(created.createVisit.userErrors).toEqual([]);
    return created.createVisit.visit.id as string;
  }

  const checkIn = async (visitId: string) => {
    const answer = await ok(ts, m('checkInVisit', `visit { ${VISIT} }`), { input: { visitId } }, desk.token);
    expect(answer.checkInVisit.userErrors).toEqual([]);
    return answer.checkInVisit.visit;
  };

  const read = async (id: string) =>
    (await ok(ts, `query ($id: ID!) { node(id: $id) { ... on Visit { ${VISIT} } } }`, { id })).node;

  const history = async (id: string) =>
    (await ok(ts, 'query ($id: ID!) { node(id: $id) { ... on Visit { history { action source } } } }', { id })).node.history;

  /** Moves time on and lets the desk clock pass once. */
  async function pass(ms: number) {
    clock.advance(ms);
    await ts.server.desk.tick();
  }

  beforeAll(async () => {
    ts = await startTestServer(kind, clock);
    manager = await person(ts, 'Site Manager', []);
    desk = await person(ts, 'Site Desk', []);
    // Visits are linked to work orders by Request ID.
    await ok(ts, m('updateVisitorSettings', 'visitorSettings { workOrderIntegrationEnabled }'), {
      input: { workOrderIntegrationEnabled: true },
    });
  }, 60_000);
  afterAll(() => ts?.close());

  describe('the policy', () => {
    it('defaults to no automatic check-out, 240 minutes to a no-show and 30 to overdue', async () => {
      const propertyId = await property();
      const data = await ok(ts, `query ($id: ID!) { node(id: $id) { ... on Property { ${POLICY} } } }`, { id: propertyId });
      expect(data.node.onSitePolicy).toEqual({ autoCheckOut: null, noShowAfterMinutes: 240, overdueAfterMinutes: 30 });
    });

    it("is set by the property's managers and administrators only, field by field", async () => {
      const propertyId = await property();
      const set = (onSitePolicy: unknown, token?: string) =>
        run(ts, m('updateProperty', `property { ${POLICY} }`), { input: { propertyId, onSitePolicy } }, token).then(
          (r) => r.data!.updateProperty,
        );
      expect((await set({ noShowAfterMinutes: 60 }, desk.token)).userErrors.map((e: { code: string }) => e.code)).toEqual([
        'FORBIDDEN',
      ]);
      expect((await set({ autoCheckOut: { dailyAt: '18:30' } }, manager.token)).property.onSitePolicy).toEqual({
        autoCheckOut: { dailyAt: '18:30', hoursAfterDeparture: null },
        noShowAfterMinutes: 240,
        overdueAfterMinutes: 30,
      });
      expect((await set({ overdueAfterMinutes: 0 }, manager.token)).property.onSitePolicy).toMatchObject({
        autoCheckOut: { dailyAt: '18:30' },
        overdueAfterMinutes: 0,
      });
      expect((await set({ autoCheckOut: null })).property.onSitePolicy.autoCheckOut).toBeNull();
      // A manager changes the policy, not the property itself.
      const renamed = await run(
        ts,
        m('updateProperty', 'property { id }'),
        { input: { propertyId, name: 'Mine now' } },
        manager.token,
      );
      expect(renamed.data!.updateProperty.userErrors.map((e: { code: string }) => e.code)).toEqual(['FORBIDDEN']);
    });

    it('refuses bad clock times, absurd minutes and both modes at once, naming the field, and writes nothing', async () => {
      const propertyId = await property();
      const refused = async (onSitePolicy: unknown) =>
        (await ok(ts, m('updateProperty', 'property { id }'), { input: { propertyId, onSitePolicy } })).updateProperty.userErrors;
      const path = (...p: string[]) => ['input', 'onSitePolicy', ...p];
      expect(await refused({ autoCheckOut: { dailyAt: '25:00' } })).toEqual([
        {
          code: 'INVALID_INPUT',
          message: 'dailyAt must be a clock time from 00:00 to 23:59, such as 18:30.',
          field: path('autoCheckOut', 'dailyAt'),
        },
      ]);
      expect(await refused({ autoCheckOut: { dailyAt: '18:00', hoursAfterDeparture: 2 } })).toEqual([
        {
          code: 'INVALID_INPUT',
          message: 'Choose one automatic check-out: dailyAt or hoursAfterDeparture, not both.',
          field: path('autoCheckOut'),
        },
      ]);
      expect((await refused({ autoCheckOut: {} }))[0].message).toMatch(
        /set autoCheckOut to null to turn automatic check-out off/,
      );
      expect(await refused({ noShowAfterMinutes: -5, overdueAfterMinutes: 99_999 })).toEqual([
        { code: 'INVALID_INPUT', message: 'noShowAfterMinutes must be at least 1 minute.', field: path('noShowAfterMinutes') },
        {
          code: 'INVALID_INPUT',
          message: 'overdueAfterMinutes must be at most 10080 minutes (7 days).',
          field: path('overdueAfterMinutes'),
        },
      ]);
      expect(await refused({ autoCheckOut: { hoursAfterDeparture: 0 } })).toEqual([
        {
          code: 'INVALID_INPUT',
          message: 'hoursAfterDeparture must be at least 1.',
          field: path('autoCheckOut', 'hoursAfterDeparture'),
        },
      ]);
      const data = await ok(ts, `query ($id: ID!) { node(id: $id) { ... on Property { ${POLICY} } } }`, { id: propertyId });
      expect(data.node.onSitePolicy).toEqual({ autoCheckOut: null, noShowAfterMinutes: 240, overdueAfterMinutes: 30 });
    });
  });

  describe('no-shows', () => {
    it('turn an EXPECTED visit past its grace into NO_SHOW: off the desk, audited, on its work order, not checked in', async () => {
      clock.set('2026-11-26T09:00:00.000Z');
      const propertyId = await property({ noShowAfterMinutes: 60 });
      const wo = await ok(ts, m('createWorkOrder', 'workOrder { id requestId }'), { input: { propertyId, title: 'Never came' } });
      const { id: workOrderId, requestId } = wo.createWorkOrder.workOrder;
      const visitId = await visit(propertyId, 0, { requestId });
      const onTime = await visit(propertyId, 90 * MINUTE);
      const sub = await subscribeDesk(ts, OnSiteWatch, propertyId);
      const events = () => sub.events.map((e) => [e.visitorDeskChanged.kind, e.visitorDeskChanged.visit.id]);
      try {
        await pass(59 * MINUTE);
        expect((await read(visitId)).status).toBe('EXPECTED');
        await pass(2 * MINUTE);
        expect((await read(visitId)).status).toBe('NO_SHOW');
        expect((await read(onTime)).status).toBe('EXPECTED');
        await until(() => events().length === 1, 'the no-show leaves the desk');
        expect(events()).toEqual([['VISIT_REMOVED', visitId]]);
        await pass(MINUTE);
        expect(events()).toHaveLength(1);
      } finally {
        sub.close();
      }
      expect(await history(visitId)).toContainEqual({ action: 'visit.noShow', source: 'SCHEDULER' });
      const wod = await ok(ts, 'query ($id: ID!) { node(id: $id) { ... on WorkOrder { noShow timeOnSiteMinutes } } }', {
        id: workOrderId,
      });
      expect(wod.node).toEqual({ noShow: true, timeOnSiteMinutes: 0 });
      const late = await ok(ts, m('checkInVisit', 'visit { id }'), { input: { visitId } });
      expect(late.checkInVisit.userErrors).toEqual([
        {
          code: 'INVALID_TRANSITION',
          message:
            'This visit was marked a no-show when its visitor did not arrive in time; register the late arrival as a new visit.',
          field: ['input', 'visitId'],
        },
      ]);
      const done = await ok(ts, m('completeWorkOrder', 'checkedOutVisits { id }'), { input: { workOrderId } });
      expect(done.completeWorkOrder).toEqual({ checkedOutVisits: [], userErrors: [] });
      expect((await read(visitId)).status).toBe('NO_SHOW');
    });

    it('catch a visit created already past its grace at the next pass, and say nothing to a desk it already left', async () => {
      clock.set('2026-11-26T09:00:00.000Z');
      // A desk window of one hour behind: the visit has left the queue before its grace runs out.
      const propertyId = await property({ noShowAfterMinutes: 120 });
      await ok(ts, m('updateProperty', 'property { id }'), { input: { propertyId, deskWindow: { lookBehindMinutes: 60 } } });
      const stale = await visit(propertyId, -3 * HOUR);
      const leaving = await visit(propertyId, 0);
      const sub = await subscribeDesk(ts, OnSiteWatch, propertyId);
      try {
        await pass(MINUTE);
        expect((await read(stale)).status).toBe('NO_SHOW');
        await pass(61 * MINUTE); // `leaving` leaves the window: VISIT_REMOVED
        await pass(60 * MINUTE); // and becomes a no-show: nothing more for the desk
        expect((await read(leaving)).status).toBe('NO_SHOW');
        await until(() => sub.events.length >= 1, 'the window closes on it');
        await new Promise((r) => setTimeout(r, 100));
        expect(sub.events.map((e) => [e.visitorDeskChanged.kind, e.visitorDeskChanged.visit.id])).toEqual([
          ['VISIT_REMOVED', leaving],
        ]);
      } finally {
        sub.close();
      }
    });
  });

  describe('automatic check-out', () => {
    it('daily at a clock time: everyone still in goes out then; later arrivals at the next cutoff', async () => {
      clock.set('2026-11-26T09:00:00.000Z');
      const propertyId = await property({ autoCheckOut: { dailyAt: '18:00' } });
      const wo = await ok(ts, m('createWorkOrder', 'workOrder { id requestId }'), { input: { propertyId, title: 'All day' } });
      const early = await visit(propertyId, 0, { requestId: wo.createWorkOrder.workOrder.requestId });
      await checkIn(early);
      const sub = await subscribeDesk(ts, OnSiteWatch, propertyId);
      try {
        await pass(8 * HOUR + 59 * MINUTE); // 17:59
        expect((await read(early)).status).toBe('CHECKED_IN');
        await pass(30 * MINUTE); // 18:29: out, as of 18:00
        expect(await read(early)).toMatchObject({
          status: 'CHECKED_OUT',
          checkOutReason: 'AUTOMATIC',
          checkedOutAt: '2026-11-26T18:00:00.000Z',
          timeOnSiteMinutes: 9 * 60,
        });
        await until(() => sub.events.some((e) => e.visitorDeskChanged.kind === 'VISIT_CHECKED_OUT'), 'the desk hears it');
      } finally {
        sub.close();
      }
      expect(await history(early)).toContainEqual({ action: 'visit.checkedOut', source: 'SCHEDULER' });
      // The work order stays as it is.
      const status = await ok(ts, 'query ($id: ID!) { node(id: $id) { ... on WorkOrder { status } } }', {
        id: wo.createWorkOrder.workOrder.id,
      });
      expect(status.node.status).toBe('IN_PROGRESS');

      // Checked in after today's cutoff: out at tomorrow's.
      const late = await visit(propertyId, 0);
      await checkIn(late);
      await pass(12 * HOUR); // 06:29 next day
      expect((await read(late)).status).toBe('CHECKED_IN');
      await pass(12 * HOUR); // 18:29 next day
      expect(await read(late)).toMatchObject({ status: 'CHECKED_OUT', checkedOutAt: '2026-11-27T18:00:00.000Z' });
    });

    it("switched on after today's cutoff, acts at the next one", async () => {
      clock.set('2026-11-26T19:00:00.000Z');
      const propertyId = await property();
      const inside = await visit(propertyId, -HOUR);
      await checkIn(inside);
      await ok(ts, m('updateProperty', 'property { id }'), {
        input: { propertyId, onSitePolicy: { autoCheckOut: { dailyAt: '18:00' } } },
      });
      await pass(HOUR);
      expect((await read(inside)).status).toBe('CHECKED_IN');
      await pass(22 * HOUR); // 18:00 next day has passed
      expect(await read(inside)).toMatchObject({ status: 'CHECKED_OUT', checkedOutAt: '2026-11-27T18:00:00.000Z' });
    });

    it('keeps to the local clock across a daylight-saving change', async () => {
      // New York springs forward on 14 March 2027: 18:00 that day is 22:00 UTC, not 23:00.
      clock.set('2027-03-14T01:00:00.000Z'); // 20:00 on the 13th, local
      const created = await ok(ts, m('createProperty', 'property { id }'), {
        input: { name: `Site ${++n}`, timeZone: 'America/New_York' },
      });
      const propertyId = created.createProperty.property.id as string;
      await ok(ts, m('updateProperty', 'property { id }'), {
        input: { propertyId, onSitePolicy: { autoCheckOut: { dailyAt: '18:00' } } },
      });
      const late = await visit(propertyId, 0);
      await ok(ts, m('checkInVisit', 'visit { id }'), { input: { visitId: late } });
      await pass(20 * HOUR + 59 * MINUTE); // 21:59 UTC
      expect((await read(late)).status).toBe('CHECKED_IN');
      await pass(2 * MINUTE);
      expect(await read(late)).toMatchObject({ status: 'CHECKED_OUT', checkedOutAt: '2027-03-14T22:00:00.000Z' });
    });

    it('hours after the later of expected departure and check-in, or after check-in without a departure', async () => {
      clock.set('2026-11-26T09:00:00.000Z');
      const propertyId = await property({ autoCheckOut: { hoursAfterDeparture: 2 } });
      const leaving = await visit(propertyId, 0, { expectedDeparture: clock.in(3 * HOUR) });
      const open = await visit(propertyId, 0);
      await checkIn(leaving);
      await checkIn(open);
      await pass(2 * HOUR + MINUTE);
      expect(await read(open)).toMatchObject({ status: 'CHECKED_OUT', checkedOutAt: '2026-11-26T11:00:00.000Z' });
      expect((await read(leaving)).status).toBe('CHECKED_IN');
      await pass(3 * HOUR);
      expect(await read(leaving)).toMatchObject({
        status: 'CHECKED_OUT',
        checkedOutAt: '2026-11-26T14:00:00.000Z',
        checkOutReason: 'AUTOMATIC',
      });
    });
  });

  describe('overdue', () => {
    it('is heard once past the expected departure and its grace, and again only after the departure moves later', async () => {
      clock.set('2026-11-26T09:00:00.000Z');
      const propertyId = await property({ overdueAfterMinutes: 30 });
      const visitId = await visit(propertyId, 0, { expectedDeparture: clock.in(HOUR) });
      const noDeparture = await visit(propertyId, 0);
      await checkIn(visitId);
      await checkIn(noDeparture);
      const sub = await subscribeDesk(ts, OnSiteWatch, propertyId);
      const overdue = () =>
        sub.events.filter((e) => e.visitorDeskChanged.kind === 'VISIT_OVERDUE').map((e) => e.visitorDeskChanged.visit.id);
      try {
        await pass(89 * MINUTE);
        expect((await read(visitId)).overdue).toBe(false);
        await pass(2 * MINUTE);
        expect((await read(visitId)).overdue).toBe(true);
        await until(() => overdue().length === 1, 'the desk hears it is overdue');
        await pass(HOUR);
        await ok(ts, m('updateVisit', 'visit { overdue }'), { input: { visitId, expectedDeparture: clock.in(HOUR) } });
        expect((await read(visitId)).overdue).toBe(false);
        await pass(HOUR + 31 * MINUTE);
        await until(() => overdue().length === 2, 'the desk hears it again');
        await pass(HOUR);
        expect(overdue()).toEqual([visitId, visitId]);
        expect((await read(noDeparture)).overdue).toBe(false);
      } finally {
        sub.close();
      }
    });
  });

  describe('who is on site', () => {
    it('lists checked-in visits longest on site first, for desk staff, managers and administrators only', async () => {
      clock.set('2026-11-26T09:00:00.000Z');
      const propertyId = await property();
      const first = await visit(propertyId);
      const second = await visit(propertyId);
      const third = await visit(propertyId);
      await checkIn(second);
      await pass(10 * MINUTE);
      await checkIn(first);
      await checkIn(third);
      await visit(propertyId); // expected, not on site
      const onSite = async (token?: string) =>
        (
          await ok(
            ts,
            `query ($id: ID!) { node(id: $id) { ... on Property { onSite(first: 10) { edges { node { id timeOnSiteMinutes } } } } } }`,
            { id: propertyId },
            token,
          )
        ).node?.onSite.edges.map((e: { node: unknown }) => e.node);
      const tie = [first, third].sort((a, b) =>
        Buffer.from(a, 'base64url').toString() < Buffer.from(b, 'base64url').toString() ? -1 : 1,
      );
      const expected = [{ id: second, timeOnSiteMinutes: 10 }, ...tie.map((id) => ({ id, timeOnSiteMinutes: 0 }))];
      expect(await onSite()).toEqual(expected);
      expect(await onSite(desk.token)).toEqual(expected);
      expect(await onSite(manager.token)).toEqual(expected);
      const page = await ok(
        ts,
        `query ($id: ID!) { node(id: $id) { ... on Property { onSite(first: 1) { edges { node { id } } pageInfo { hasNextPage endCursor } } } } }`,
        { id: propertyId },
      );
      expect(page.node.onSite.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([second]);
      const next = await ok(
        ts,
        `query ($id: ID!, $after: String) { node(id: $id) { ... on Property { onSite(first: 5, after: $after) { edges { node { id } } } } } }`,
        {
          id: propertyId,
          after: page.node.onSite.pageInfo.endCursor,
        },
      );
      expect(next.node.onSite.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(tie);
    });

    it("sums a work order's exact times on site, then rounds down", async () => {
      clock.set('2026-11-26T09:00:00.000Z');
      const propertyId = await property();
      const wo = await ok(ts, m('createWorkOrder', 'workOrder { id requestId }'), { input: { propertyId, title: 'Two halves' } });
      const { id: workOrderId, requestId } = wo.createWorkOrder.workOrder;
      const a = await visit(propertyId, 0, { requestId });
      const b = await visit(propertyId, 0, { requestId });
      await checkIn(a);
      await checkIn(b);
      clock.advance(30 * MINUTE + 30_000);
      await ok(ts, m('checkOutVisit', 'visit { id }'), { input: { visitId: a } });
      await ok(ts, m('checkOutVisit', 'visit { id }'), { input: { visitId: b } });
      // 30.5 minutes each: 30 and 30 each, 61 together.
      expect([(await read(a)).timeOnSiteMinutes, (await read(b)).timeOnSiteMinutes]).toEqual([30, 30]);
      const total = await ok(ts, 'query ($id: ID!) { node(id: $id) { ... on WorkOrder { timeOnSiteMinutes noShow } } }', {
        id: workOrderId,
      });
      expect(total.node).toEqual({ timeOnSiteMinutes: 61, noShow: false });
      expect(
        (
          await ok(ts, 'query ($id: ID!) { node(id: $id) { ... on Visit { timeOnSiteMinutes } } }', {
            id: await visit(propertyId),
          })
        ).node.timeOnSiteMinutes,
      ).toBeNull();
    });
  });
});
