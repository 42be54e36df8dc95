import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { graphql } from './generated/index.ts';
import type { CreateVisitInput } from './generated/graphql.ts';
import { DATABASES } from './support/databases.ts';
import { DAY, HOUR, MINUTE } from './support/clock.ts';
import { dbId, startTestServer, type TestServer } from './support/server.ts';
import {
  CancelVisit,
  CheckIn,
  CheckOut,
  CompleteWorkOrder,
  CreateProperty,
  CreateVisit,
  CreateWorkOrder,
  Desk,
  organisation,
  SetIntegration,
  UpdateVisit,
  UpdateWorkOrder,
  WorkOrderNode,
} from './support/fixtures.ts';

// The Visitor Desk queue and its window, the desk transitions of a visit, and what
// completing a work order does to the visits linked to it.

const DeskTestProperty = graphql(`
  query DeskTestProperty($id: ID!) {
    node(id: $id) {
      ... on Property {
        id
        deskWindow {
          lookBehindMinutes
          lookAheadMinutes
        }
        visits(first: 100) {
          edges {
            node {
              id
              status
              expectedArrival
            }
          }
        }
      }
    }
  }
`);

const DeskTestUpdateProperty = graphql(`
  mutation DeskTestUpdateProperty($input: UpdatePropertyInput!) {
    updateProperty(input: $input) {
      property {
        id
        deskWindow {
          lookBehindMinutes
          lookAheadMinutes
        }
        visitorDesk {
          windowStart
          windowEnd
          entries {
            id
          }
        }
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

/** The whole stored visit, cancellation time included (VisitFields has no cancelledAt). */
const DeskTestVisit = graphql(`
  query DeskTestVisit($id: ID!) {
    node(id: $id) {
      ... on Visit {
        ...VisitFields
        cancelledAt
      }
    }
  }
`);

const START = '2026-11-26T09:00:00.000Z';
const DEFAULT_WINDOW = { lookBehindMinutes: 720, lookAheadMinutes: 1440 };

type Action = 'check in' | 'check out' | 'cancel';
type State = 'EXPECTED' | 'CHECKED_IN' | 'CHECKED_OUT' | 'CANCELLED';

/** Every transition the desk rules do not allow, from each state. */
const REFUSED: Array<[Action, State]> = [
  ['check out', 'EXPECTED'],
  ['check in', 'CHECKED_IN'],
  ['cancel', 'CHECKED_IN'],
  ['check in', 'CHECKED_OUT'],
  ['check out', 'CHECKED_OUT'],
  ['cancel', 'CHECKED_OUT'],
  ['check in', 'CANCELLED'],
  ['check out', 'CANCELLED'],
  ['cancel', 'CANCELLED'],
];

describe.each(DATABASES)('visitor desk on %s', (kind) => {
  let ts: TestServer;
  let org: Awaited<ReturnType<typeof organisation>>;

  beforeAll(async () => {
    ts = await startTestServer(kind);
    org = await organisation(ts);
  });
  afterAll(() => ts?.close());
  // Tests move the clock; each starts from the same moment.
  beforeEach(() => ts.clock.set(START));

  /** A property of its own, so that each test sees only its own desk. */
  async function newProperty(name: string) {
    const result = (await ts.gql(CreateProperty, { input: { name, timeZone: 'America/Chicago' } })).createProperty;
    expect(result.userErrors).toEqual([]);
    return result.property!;
  }

  async function newVisit(
    propertyId: string,
    visitorName: string,
    expectedArrival: string,
    input: Partial<CreateVisitInput> = {},
  ) {
    const result = (await ts.gql(CreateVisit, { input: { propertyId, visitorName, expectedArrival, ...input } })).createVisit;
    expect(result.userErrors).toEqual([]);
    expect(result.visit).toMatchObject({ status: 'EXPECTED', expectedArrival, property: { id: propertyId } });
    return result.visit!;
  }

  const desk = async (propertyId: string) => (await ts.gql(Desk, { propertyId })).visitorDesk;
  const deskIds = async (propertyId: string) => (await desk(propertyId)).entries.map((e) => e.id);
  const stored = async (id: string) => (await ts.gql(DeskTestVisit, { id })).node;

  async function storedProperty(id: string) {
    const node = (await ts.gql(DeskTestProperty, { id })).node;
    if (!node || !('visits' in node)) throw new Error(`No property ${id}`);
    return node;
  }

  const checkIn = async (visitId: string) => (await ts.gql(CheckIn, { visitId })).checkInVisit;
  const checkOut = async (visitId: string) => (await ts.gql(CheckOut, { visitId })).checkOutVisit;
  const cancel = async (visitId: string) => (await ts.gql(CancelVisit, { visitId })).cancelVisit;
  const perform = (action: Action, visitId: string) =>
    action === 'check in' ? checkIn(visitId) : action === 'check out' ? checkOut(visitId) : cancel(visitId);

  /** A visit expected in an hour, brought to `state` through the desk mutations. */
  async function visitIn(propertyId: string, state: State) {
    const visit = await newVisit(propertyId, `Visitor ${state}`, ts.clock.in(HOUR));
    if (state === 'CHECKED_IN' || state === 'CHECKED_OUT') expect((await checkIn(visit.id)).userErrors).toEqual([]);
    if (state === 'CHECKED_OUT') expect((await checkOut(visit.id)).userErrors).toEqual([]);
    if (state === 'CANCELLED') expect((await cancel(visit.id)).userErrors).toEqual([]);
    expect(await stored(visit.id)).toMatchObject({ status: state });
    return visit;
  }

  const byDbId = (a: { id: string }, b: { id: string }) => (dbId(a.id) < dbId(b.id) ? -1 : dbId(a.id) > dbId(b.id) ? 1 : 0);

  describe('the queue', () => {
    it('shows CHECKED_IN visits and EXPECTED ones inside the default window, by expected arrival then id', async () => {
      const property = await newProperty('Queue Tower');
      expect(property.deskWindow).toEqual(DEFAULT_WINDOW);
      const late = await newVisit(property.id, 'Late tonight', ts.clock.in(23 * HOUR));
      const tooLate = await newVisit(property.id, 'Tomorrow evening', ts.clock.in(30 * HOUR));
      const twinA = await newVisit(property.id, 'Twin A', ts.clock.in(2 * HOUR));
      const earlier = await newVisit(property.id, 'Earlier today', ts.clock.in(-11 * HOUR));
      const twinB = await newVisit(property.id, 'Twin B', ts.clock.in(2 * HOUR));
      const tooEarly = await newVisit(property.id, 'Yesterday', ts.clock.in(-13 * HOUR));
      // Expected two days ago, which is outside the window, but on site: the desk must see it.
      const onSite = await newVisit(property.id, 'Long stay', ts.clock.in(-2 * DAY));
      expect((await checkIn(onSite.id)).visit).toMatchObject({ status: 'CHECKED_IN' });

      const result = await desk(property.id);
      expect(result.windowStart).toBe('2026-11-25T21:00:00.000Z');
      expect(result.windowEnd).toBe('2026-11-27T09:00:00.000Z');
      const twins = [twinA, twinB].sort(byDbId).map((v) => v.id);
      expect(result.entries.map((e) => e.id)).toEqual([onSite.id, earlier.id, ...twins, late.id]);
      expect(result.entries.map((e) => e.status)).toEqual(['CHECKED_IN', 'EXPECTED', 'EXPECTED', 'EXPECTED', 'EXPECTED']);
      // The two left out exist all the same.
      const visits = (await storedProperty(property.id)).visits.edges.map((e) => e.node.id);
      expect(visits).toEqual(expect.arrayContaining([tooLate.id, tooEarly.id]));
      expect(visits).toHaveLength(7);
    });

    it('includes visits exactly at the window edges and leaves out those one minute beyond', async () => {
      const property = await newProperty('Edge House');
      const firstIn = await newVisit(property.id, 'Exactly 720 minutes ago', ts.clock.in(-720 * MINUTE));
      await newVisit(property.id, '721 minutes ago', ts.clock.in(-721 * MINUTE));
      const lastIn = await newVisit(property.id, 'Exactly 1440 minutes ahead', ts.clock.in(1440 * MINUTE));
      await newVisit(property.id, '1441 minutes ahead', ts.clock.in(1441 * MINUTE));

      const result = await desk(property.id);
      expect(result.entries.map((e) => e.id)).toEqual([firstIn.id, lastIn.id]);
      expect(result.windowStart).toBe(firstIn.expectedArrival);
      expect(result.windowEnd).toBe(lastIn.expectedArrival);
    });

    it('keeps a visit weeks ahead off the desk until the clock comes close to it, then drops it once it is overdue', async () => {
      const property = await newProperty('Future Plaza');
      const arrival = ts.clock.in(3 * 7 * DAY);
      const visit = await newVisit(property.id, 'Three weeks out', arrival);

      expect(await deskIds(property.id)).toEqual([]);
      expect(await stored(visit.id)).toMatchObject({ id: visit.id, status: 'EXPECTED', expectedArrival: arrival });
      expect((await storedProperty(property.id)).visits.edges).toEqual([
        { node: { id: visit.id, status: 'EXPECTED', expectedArrival: arrival } },
      ]);

      const arrivalMs = new Date(arrival).getTime();
      ts.clock.set(new Date(arrivalMs - 1441 * MINUTE));
      expect(await deskIds(property.id)).toEqual([]);
      ts.clock.advance(MINUTE);
      expect(await deskIds(property.id)).toEqual([visit.id]);
      ts.clock.set(arrival);
      expect(await deskIds(property.id)).toEqual([visit.id]);
      ts.clock.set(new Date(arrivalMs + 720 * MINUTE));
      expect(await deskIds(property.id)).toEqual([visit.id]);
      ts.clock.advance(MINUTE);
      expect(await deskIds(property.id)).toEqual([]);
      // Only off the queue: the visit itself is still expected.
      expect(await stored(visit.id)).toMatchObject({ status: 'EXPECTED' });
    });

    it('keeps CHECKED_IN visits on the desk whatever the time, and never shows CHECKED_OUT or CANCELLED ones', async () => {
      const property = await newProperty('Status Court');
      const onSite = await visitIn(property.id, 'CHECKED_IN');
      const left = await visitIn(property.id, 'CHECKED_OUT');
      const cancelled = await visitIn(property.id, 'CANCELLED');
      const expected = await visitIn(property.id, 'EXPECTED');
      expect((await deskIds(property.id)).sort()).toEqual([onSite.id, expected.id].sort());

      ts.clock.advance(10 * DAY);
      expect(await deskIds(property.id)).toEqual([onSite.id]);
      ts.clock.set('2026-10-01T00:00:00.000Z');
      expect(await deskIds(property.id)).toEqual([onSite.id]);
      expect((await storedProperty(property.id)).visits.edges.map((e) => e.node.id).sort()).toEqual(
        [onSite.id, left.id, cancelled.id, expected.id].sort(),
      );
    });

    it("never shows another property's visits", async () => {
      const property = await newProperty('Own Desk');
      const other = await newProperty('Other Desk');
      const mine = await newVisit(property.id, 'Mine', ts.clock.in(HOUR));
      const theirs = await newVisit(other.id, 'Theirs', ts.clock.in(HOUR));
      const theirsOnSite = await newVisit(other.id, 'Theirs on site', ts.clock.in(-HOUR));
      await checkIn(theirsOnSite.id);

      expect(await deskIds(property.id)).toEqual([mine.id]);
      expect((await deskIds(other.id)).sort()).toEqual([theirs.id, theirsOnSite.id].sort());
      expect(await deskIds(org.property.id)).not.toContain(mine.id);
    });

    it('shows a narrower window as soon as updateProperty changes it', async () => {
      const property = await newProperty('Narrow Hall');
      const soon = await newVisit(property.id, 'In two hours', ts.clock.in(2 * HOUR));
      const recent = await newVisit(property.id, 'Two hours ago', ts.clock.in(-2 * HOUR));
      const tonight = await newVisit(property.id, 'In twenty hours', ts.clock.in(20 * HOUR));
      expect(await deskIds(property.id)).toEqual([recent.id, soon.id, tonight.id]);

      const narrowed = (
        await ts.gql(DeskTestUpdateProperty, {
          input: { propertyId: property.id, deskWindow: { lookBehindMinutes: 60, lookAheadMinutes: 180 } },
        })
      ).updateProperty;
      expect(narrowed.userErrors).toEqual([]);
      expect(narrowed.property).toEqual({
        id: property.id,
        deskWindow: { lookBehindMinutes: 60, lookAheadMinutes: 180 },
        visitorDesk: {
          windowStart: '2026-11-26T08:00:00.000Z',
          windowEnd: '2026-11-26T12:00:00.000Z',
          entries: [{ id: soon.id }],
        },
      });
      expect((await storedProperty(property.id)).deskWindow).toEqual({ lookBehindMinutes: 60, lookAheadMinutes: 180 });
      const result = await desk(property.id);
      expect(result.entries.map((e) => e.id)).toEqual([soon.id]);
      expect([result.windowStart, result.windowEnd]).toEqual(['2026-11-26T08:00:00.000Z', '2026-11-26T12:00:00.000Z']);

      // Changing one side keeps the other.
      const widened = (
        await ts.gql(DeskTestUpdateProperty, { input: { propertyId: property.id, deskWindow: { lookAheadMinutes: 1440 } } })
      ).updateProperty;
      expect(widened.property!.deskWindow).toEqual({ lookBehindMinutes: 60, lookAheadMinutes: 1440 });
      expect(await deskIds(property.id)).toEqual([soon.id, tonight.id]);

      // Zero is a window too: only visits expected at this very minute.
      const now = await newVisit(property.id, 'Right now', ts.clock.in(0));
      const closed = (
        await ts.gql(DeskTestUpdateProperty, {
          input: { propertyId: property.id, deskWindow: { lookBehindMinutes: 0, lookAheadMinutes: 0 } },
        })
      ).updateProperty;
      expect(closed.property).toMatchObject({
        deskWindow: { lookBehindMinutes: 0, lookAheadMinutes: 0 },
        visitorDesk: { windowStart: START, windowEnd: START, entries: [{ id: now.id }] },
      });
      ts.clock.advance(MINUTE);
      expect(await deskIds(property.id)).toEqual([]);
      // Other properties keep their own window.
      expect((await storedProperty(org.property.id)).deskWindow).toEqual(DEFAULT_WINDOW);
    });

    it.each([
      ['an unknown property id', () => Buffer.from(`Property:${randomUUID()}`, 'utf8').toString('base64url'), 'NOT_FOUND'],
      ['the id of something that is not a property', () => org.vendor.id, 'NOT_FOUND'],
      ['a malformed id', () => 'not-a-property-id', 'BAD_USER_INPUT'],
      ['an empty id', () => '', 'BAD_USER_INPUT'],
    ])('answers %s with a clean GraphQL error and no data', async (_label, propertyId, code) => {
      await newVisit(org.property.id, 'Somebody at the shared desk', ts.clock.in(HOUR));
      const result = await ts.request(Desk, { propertyId: propertyId() });
      expect(result.status).toBeLessThan(500);
      expect(result.data ?? null).toBeNull();
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]).toMatchObject({ path: ['visitorDesk'], extensions: { code } });
      expect(result.errors![0].message).toMatch(/^[A-Z"].*\.$/);
      expect(JSON.stringify(result)).not.toMatch(/Somebody|prisma|stack/i);
    });
  });

  describe('check-in, check-out and cancel', () => {
    it("checks an EXPECTED visit in at the clock's now and starts its OPEN work order", async () => {
      const property = await newProperty('Check-in Centre');
      const created = (
        await ts.gql(CreateWorkOrder, {
          input: {
            propertyId: property.id,
            title: 'Rewire the lobby',
            assigneeId: org.vendor.id,
            scheduledStart: ts.clock.in(HOUR),
          },
        })
      ).createWorkOrder;
      expect(created.workOrder!.status).toBe('OPEN');
      const visit = created.generatedVisit!;
      ts.clock.advance(37 * MINUTE);

      const result = await checkIn(visit.id);
      expect(result.userErrors).toEqual([]);
      expect(result.visit).toMatchObject({
        id: visit.id,
        status: 'CHECKED_IN',
        checkedInAt: ts.clock.now().toISOString(),
        checkedOutAt: null,
      });
      expect(await stored(visit.id)).toMatchObject({
        status: 'CHECKED_IN',
        checkedInAt: '2026-11-26T09:37:00.000Z',
        checkOutReason: null,
      });
      expect((await ts.gql(WorkOrderNode, { id: created.workOrder!.id })).node).toMatchObject({
        status: 'IN_PROGRESS',
        completedAt: null,
        visits: [{ id: visit.id, status: 'CHECKED_IN', source: 'WORK_ORDER' }],
      });
      expect(await deskIds(property.id)).toEqual([visit.id]);
    });

    it('leaves an ON_HOLD work order on hold when its visitor checks in', async () => {
      const property = await newProperty('On Hold House');
      const created = (
        await ts.gql(CreateWorkOrder, { input: { propertyId: property.id, title: 'Wait for parts', assigneeId: org.vendor.id } })
      ).createWorkOrder;
      const held = (await ts.gql(UpdateWorkOrder, { input: { workOrderId: created.workOrder!.id, status: 'ON_HOLD' } }))
        .updateWorkOrder;
      expect(held.workOrder).toMatchObject({
        status: 'ON_HOLD',
        visits: [{ id: created.generatedVisit!.id, status: 'EXPECTED' }],
      });

      const result = await checkIn(created.generatedVisit!.id);
      expect(result.userErrors).toEqual([]);
      expect(result.visit).toMatchObject({ status: 'CHECKED_IN', checkedInAt: START });
      expect((await ts.gql(WorkOrderNode, { id: created.workOrder!.id })).node).toMatchObject({ status: 'ON_HOLD' });
    });

    it('checks a CHECKED_IN visit out with reason DESK, and it leaves the desk', async () => {
      const property = await newProperty('Check-out Court');
      const visit = await visitIn(property.id, 'CHECKED_IN');
      expect(await deskIds(property.id)).toEqual([visit.id]);
      ts.clock.advance(3 * HOUR);

      const result = await checkOut(visit.id);
      expect(result.userErrors).toEqual([]);
      expect(result.visit).toMatchObject({
        status: 'CHECKED_OUT',
        checkOutReason: 'DESK',
        checkedInAt: START,
        checkedOutAt: '2026-11-26T12:00:00.000Z',
      });
      expect(await stored(visit.id)).toMatchObject({
        status: 'CHECKED_OUT',
        checkOutReason: 'DESK',
        checkedOutAt: '2026-11-26T12:00:00.000Z',
      });
      expect(await deskIds(property.id)).toEqual([]);
    });

    it('cancels an EXPECTED visit, and it leaves the desk', async () => {
      const property = await newProperty('Cancel Corner');
      const visit = await newVisit(property.id, 'Not coming', ts.clock.in(HOUR));
      expect(await deskIds(property.id)).toEqual([visit.id]);
      ts.clock.advance(5 * MINUTE);

      const result = await cancel(visit.id);
      expect(result.userErrors).toEqual([]);
      expect(result.visit).toMatchObject({ status: 'CANCELLED', checkedInAt: null, checkedOutAt: null });
      expect(await stored(visit.id)).toMatchObject({ status: 'CANCELLED', cancelledAt: '2026-11-26T09:05:00.000Z' });
      expect(await deskIds(property.id)).toEqual([]);
    });

    it.each(REFUSED)('refuses to %s a visit that is %s, and leaves it as it was', async (action, state) => {
      const property = await newProperty(`Refusals ${action} ${state}`);
      const visit = await visitIn(property.id, state);
      const before = await stored(visit.id);
      const deskBefore = await deskIds(property.id);
      ts.clock.advance(HOUR);

      const result = await perform(action, visit.id);
      expect(result.visit).toBeNull();
      expect(result.userErrors).toEqual([
        { code: 'INVALID_TRANSITION', message: expect.stringMatching(/^[A-Z].*\.$/), field: ['input', 'visitId'] },
      ]);
      expect(result.userErrors[0].message).toContain(state.toLowerCase().replace('_', ' '));
      expect(await stored(visit.id)).toEqual(before);
      ts.clock.set(START);
      expect(await deskIds(property.id)).toEqual(deskBefore);
    });
  });

  describe('completing a work order', () => {
    /** A work order with a generated visit on site, and hand-linked visits in every state. */
    async function workOrderWithVisits(name: string) {
      const property = await newProperty(name);
      const created = (
        await ts.gql(CreateWorkOrder, {
          input: {
            propertyId: property.id,
            title: 'Replace the chiller',
            assigneeId: org.vendor.id,
            scheduledStart: ts.clock.in(HOUR),
          },
        })
      ).createWorkOrder;
      const wo = created.workOrder!;
      const generated = created.generatedVisit!;
      await checkIn(generated.id);

      const link = { requestId: wo.requestId };
      const expectedLinked = await newVisit(property.id, 'Helper, not arrived', ts.clock.in(2 * HOUR), link);
      const onSiteLinked = await newVisit(property.id, 'Inspector, on site', ts.clock.in(-HOUR));
      await checkIn(onSiteLinked.id);
      // Linked by hand after arriving.
      const linked = (await ts.gql(UpdateVisit, { input: { visitId: onSiteLinked.id, requestId: wo.requestId } })).updateVisit;
      expect(linked.userErrors).toEqual([]);
      expect(linked.visit).toMatchObject({ status: 'CHECKED_IN', source: 'MANUAL', workOrder: { id: wo.id } });
      const alreadyLeft = await newVisit(property.id, 'Surveyor, gone home', ts.clock.in(-2 * HOUR), link);
      await checkIn(alreadyLeft.id);
      await checkOut(alreadyLeft.id);
      const alreadyCancelled = await newVisit(property.id, 'Supplier, called off', ts.clock.in(3 * HOUR), link);
      await cancel(alreadyCancelled.id);
      const unrelated = await newVisit(property.id, 'Unrelated guest', ts.clock.in(HOUR));

      expect((await ts.gql(WorkOrderNode, { id: wo.id })).node).toMatchObject({ status: 'IN_PROGRESS' });
      expect((await deskIds(property.id)).sort()).toEqual(
        [generated.id, expectedLinked.id, onSiteLinked.id, unrelated.id].sort(),
      );
      return { property, wo, generated, expectedLinked, onSiteLinked, alreadyLeft, alreadyCancelled, unrelated };
    }

    it('checks out linked visitors on site and cancels those not arrived, generated or linked by hand', async () => {
      const s = await workOrderWithVisits('Completion Tower');
      const untouched = await Promise.all([s.alreadyLeft, s.alreadyCancelled, s.unrelated].map((v) => stored(v.id)));
      ts.clock.advance(4 * HOUR);
      const now = ts.clock.now().toISOString();

      const result = (await ts.gql(CompleteWorkOrder, { input: { workOrderId: s.wo.id } })).completeWorkOrder;
      expect(result.userErrors).toEqual([]);
      expect(result.workOrder).toMatchObject({ id: s.wo.id, status: 'COMPLETED', completedAt: now });
      expect(result.checkedOutVisits.map((v) => v.id).sort()).toEqual(
        [s.generated.id, s.expectedLinked.id, s.onSiteLinked.id].sort(),
      );
      const returned = new Map(result.checkedOutVisits.map((v) => [v.id, v]));
      expect(returned.get(s.generated.id)).toMatchObject({
        status: 'CHECKED_OUT',
        checkOutReason: 'WORK_ORDER_COMPLETED',
        checkedOutAt: now,
        source: 'WORK_ORDER',
      });
      expect(returned.get(s.onSiteLinked.id)).toMatchObject({
        status: 'CHECKED_OUT',
        checkOutReason: 'WORK_ORDER_COMPLETED',
        checkedOutAt: now,
        source: 'MANUAL',
      });
      expect(returned.get(s.expectedLinked.id)).toMatchObject({
        status: 'CANCELLED',
        checkOutReason: null,
        checkedOutAt: null,
        source: 'MANUAL',
      });

      // As stored: all at the moment of completion, one change.
      expect(await stored(s.generated.id)).toMatchObject({
        status: 'CHECKED_OUT',
        checkOutReason: 'WORK_ORDER_COMPLETED',
        checkedOutAt: now,
        checkedInAt: START,
      });
      expect(await stored(s.onSiteLinked.id)).toMatchObject({
        status: 'CHECKED_OUT',
        checkOutReason: 'WORK_ORDER_COMPLETED',
        checkedOutAt: now,
      });
      expect(await stored(s.expectedLinked.id)).toMatchObject({ status: 'CANCELLED', cancelledAt: now, checkedOutAt: null });
      // Visits already closed, and visits of no work order, are left alone.
      expect(await Promise.all([s.alreadyLeft, s.alreadyCancelled, s.unrelated].map((v) => stored(v.id)))).toEqual(untouched);
      expect(untouched.map((v) => v && 'status' in v && [v.status, v.checkOutReason])).toEqual([
        ['CHECKED_OUT', 'DESK'],
        ['CANCELLED', null],
        ['EXPECTED', null],
      ]);

      ts.clock.set(START);
      expect(await deskIds(s.property.id)).toEqual([s.unrelated.id]);
      expect((await ts.gql(WorkOrderNode, { id: s.wo.id })).node).toMatchObject({ status: 'COMPLETED', completedAt: now });
    });

    it('refuses to complete a work order twice and changes nothing the second time', async () => {
      const s = await workOrderWithVisits('Twice Tower');
      const first = (await ts.gql(CompleteWorkOrder, { input: { workOrderId: s.wo.id } })).completeWorkOrder;
      expect(first.userErrors).toEqual([]);
      const woAfterFirst = (await ts.gql(WorkOrderNode, { id: s.wo.id })).node;
      const ids = [s.generated, s.expectedLinked, s.onSiteLinked, s.alreadyLeft, s.alreadyCancelled, s.unrelated].map(
        (v) => v.id,
      );
      const visitsAfterFirst = await Promise.all(ids.map(stored));
      ts.clock.advance(DAY);

      const second = (await ts.gql(CompleteWorkOrder, { input: { workOrderId: s.wo.id } })).completeWorkOrder;
      expect(second.workOrder).toBeNull();
      expect(second.checkedOutVisits).toEqual([]);
      expect(second.userErrors).toEqual([
        { code: 'INVALID_TRANSITION', message: expect.stringMatching(/^[A-Z].*completed.*\.$/), field: ['input', 'workOrderId'] },
      ]);
      expect((await ts.gql(WorkOrderNode, { id: s.wo.id })).node).toEqual(woAfterFirst);
      expect(await Promise.all(ids.map(stored))).toEqual(visitsAfterFirst);
    });

    it('with the WO Integration flag off, completes the work order but changes no visit', async () => {
      const s = await workOrderWithVisits('Flag Off Tower');
      const ids = [s.generated, s.expectedLinked, s.onSiteLinked, s.alreadyLeft, s.alreadyCancelled, s.unrelated].map(
        (v) => v.id,
      );
      const before = await Promise.all(ids.map(stored));
      const deskBefore = await deskIds(s.property.id);
      await ts.gql(SetIntegration, { enabled: false });
      try {
        ts.clock.advance(HOUR);
        const result = (await ts.gql(CompleteWorkOrder, { input: { workOrderId: s.wo.id } })).completeWorkOrder;
        expect(result.userErrors).toEqual([]);
        expect(result.workOrder).toMatchObject({ status: 'COMPLETED', completedAt: ts.clock.now().toISOString() });
        expect(result.checkedOutVisits).toEqual([]);
        expect(await Promise.all(ids.map(stored))).toEqual(before);
        ts.clock.set(START);
        expect(await deskIds(s.property.id)).toEqual(deskBefore);
      } finally {
        await ts.gql(SetIntegration, { enabled: true });
      }
    });
  });
});
