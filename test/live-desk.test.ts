import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { print } from 'graphql';
import type { ResultOf } from '@graphql-typed-document-node/core';
import { graphql } from './generated/index.ts';
import { DATABASES } from './support/databases.ts';
import { DAY, HOUR, MINUTE } from './support/clock.ts';
import { ADMIN_TOKEN, dbId, startTestServer, subscribeDesk, Subscription, type TestServer } from './support/server.ts';
import {
  CancelVisit,
  CheckIn,
  CheckOut,
  CompleteWorkOrder,
  CreateVisit,
  CreateWorkOrder,
  Desk,
  organisation,
  UpdateVisit,
  UpdateWorkOrder,
} from './support/fixtures.ts';

// Rule 9: visitorDeskChanged(propertyId) streams the property's desk queue changes, live,
// over graphql-ws and GraphQL-over-SSE, only after commit, in commit order, per property.

/** The desk event with the whole visit as the subscriber receives it (re-read at delivery). */
const LiveDeskChanged = graphql(`
  subscription LiveDeskChanged($propertyId: ID!) {
    visitorDeskChanged(propertyId: $propertyId) {
      kind
      occurredAt
      visit {
        ...VisitFields
        cancelledAt
        workOrder {
          title
        }
      }
    }
  }
`);

type DeskEvent = ResultOf<typeof LiveDeskChanged>['visitorDeskChanged'];

/** Reads a desk subscription's events one at a time, in the order they arrived. */
class Feed {
  private read = 0;
  constructor(readonly sub: Subscription<ResultOf<typeof LiveDeskChanged>>) {}

  /** The next event not read yet; fails when none arrives in time. */
  async next(): Promise<DeskEvent> {
    const events = await this.sub.waitFor(this.read + 1);
    return events[this.read++].visitorDeskChanged;
  }

  async take(count: number): Promise<DeskEvent[]> {
    const taken: DeskEvent[] = [];
    for (let i = 0; i < count; i++) taken.push(await this.next());
    return taken;
  }

  /** Everything received so far, read or not. */
  get received(): DeskEvent[] {
    return this.sub.events.map((e) => e.visitorDeskChanged);
  }
}

/** Polls a condition that becomes true through I/O (not time rules); bounded. */
async function eventually(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A well-formed global id of a property that does not exist. */
const unknownPropertyId = Buffer.from('Property:00000000-0000-4000-8000-000000000000', 'utf8').toString('base64url');

describe.each(DATABASES)('live visitor desk on %s', (kind) => {
  let ts: TestServer;
  let org: Awaited<ReturnType<typeof organisation>>;
  let propertyId: string;
  const opened: Feed[] = [];

  beforeAll(async () => {
    ts = await startTestServer(kind);
    org = await organisation(ts);
    propertyId = org.property.id;
  });
  afterAll(() => ts?.close());
  afterEach(async () => {
    for (const feed of opened.splice(0)) feed.sub.close();
    if (!org) return;
    // Wait until the server has let go of them: the next test's subscribeDesk counts on a
    // settled subscriber count to know when its own subscription is live.
    await eventually(
      () => subscribers(org.property.id) === 0 && subscribers(org.otherProperty.id) === 0,
      'the server drops the closed subscriptions',
    );
  });

  const subscribers = (id = propertyId) => ts.server.desk.subscriberCount(dbId(id));
  const now = () => ts.clock.now().toISOString();

  /**
   * Reads the desk, as a display does (which also brings the queue up to the test clock:
   * visits of earlier tests whose window has passed leave it now, not during this test),
   * then subscribes over a fresh graphql-ws client and resolves once the server listens.
   */
  async function watch(id = propertyId, client = ts.wsClient()): Promise<Feed> {
    await ts.gql(Desk, { propertyId: id });
    const feed = new Feed(await subscribeDesk(ts, LiveDeskChanged, id, client));
    opened.push(feed);
    return feed;
  }

  async function createVisit(input: { name: string; arrivesIn: number; propertyId?: string; requestId?: string }) {
    const result = (
      await ts.gql(CreateVisit, {
        input: {
          propertyId: input.propertyId ?? propertyId,
          visitorName: input.name,
          expectedArrival: ts.clock.in(input.arrivesIn),
          ...(input.requestId && { requestId: input.requestId }),
        },
      })
    ).createVisit;
    expect(result.userErrors).toEqual([]);
    return result.visit!;
  }

  async function createWorkOrder(input: { title: string; startsIn?: number; assigneeId?: string; propertyId?: string }) {
    const result = (
      await ts.gql(CreateWorkOrder, {
        input: {
          propertyId: input.propertyId ?? propertyId,
          title: input.title,
          ...(input.assigneeId && { assigneeId: input.assigneeId }),
          ...(input.startsIn !== undefined && { scheduledStart: ts.clock.in(input.startsIn) }),
        },
      })
    ).createWorkOrder;
    expect(result.userErrors).toEqual([]);
    return result;
  }

  async function checkIn(visitId: string) {
    const result = (await ts.gql(CheckIn, { visitId })).checkInVisit;
    expect(result.userErrors).toEqual([]);
    return result.visit!;
  }

  async function updateWorkOrder(input: Parameters<typeof UpdateWorkOrder.__apiType & {}>[0]['input']) {
    const result = (await ts.gql(UpdateWorkOrder, { input })).updateWorkOrder;
    expect(result.userErrors).toEqual([]);
    return result;
  }

  async function updateVisit(input: Parameters<typeof UpdateVisit.__apiType & {}>[0]['input']) {
    const result = (await ts.gql(UpdateVisit, { input })).updateVisit;
    expect(result.userErrors).toEqual([]);
    return result.visit!;
  }

  it('works from the default desk window: 12 hours behind to 24 hours ahead of now', async () => {
    expect(org.property.deskWindow).toEqual({ lookBehindMinutes: 12 * 60, lookAheadMinutes: 24 * 60 });
    const desk = (await ts.gql(Desk, { propertyId })).visitorDesk;
    expect(desk).toMatchObject({ windowStart: ts.clock.in(-12 * HOUR), windowEnd: ts.clock.in(24 * HOUR) });
  });

  describe('VISIT_ADDED', () => {
    it('when a work order generates a visit inside the window', async () => {
      const feed = await watch();
      ts.clock.advance(5 * MINUTE);
      const { workOrder, generatedVisit } = await createWorkOrder({
        title: 'Replace the chiller',
        startsIn: 2 * HOUR,
        assigneeId: org.vendor.id,
      });
      expect(generatedVisit).not.toBeNull();
      expect(await feed.next()).toEqual({
        kind: 'VISIT_ADDED',
        occurredAt: now(),
        visit: expect.objectContaining({
          id: generatedVisit!.id,
          status: 'EXPECTED',
          source: 'WORK_ORDER',
          visitorName: 'Vera Vendor',
          expectedArrival: ts.clock.in(2 * HOUR),
          cancelledAt: null,
          property: { id: propertyId },
          company: { id: org.autoCompany.id, name: 'Acme Electric' },
          workOrder: { id: workOrder!.id, requestId: workOrder!.requestId, title: 'Replace the chiller' },
        }),
      });
    });

    it('when an open work order gets an eligible assignee later', async () => {
      const feed = await watch();
      const { workOrder } = await createWorkOrder({ title: 'Service the lifts', startsIn: HOUR });
      ts.clock.advance(MINUTE);
      const { generatedVisit } = await updateWorkOrder({ workOrderId: workOrder!.id, assigneeId: org.vendor2.id });
      expect(await feed.next()).toMatchObject({
        kind: 'VISIT_ADDED',
        occurredAt: now(),
        visit: { id: generatedVisit!.id, status: 'EXPECTED', visitorName: 'Victor Volt', workOrder: { id: workOrder!.id } },
      });
    });

    it('when a visit is created inside the window', async () => {
      const feed = await watch();
      ts.clock.advance(3 * MINUTE);
      const visit = await createVisit({ name: 'Dana Delivery', arrivesIn: 3 * HOUR });
      expect(await feed.next()).toEqual({
        kind: 'VISIT_ADDED',
        occurredAt: now(),
        visit: expect.objectContaining({
          id: visit.id,
          status: 'EXPECTED',
          source: 'MANUAL',
          visitorName: 'Dana Delivery',
          expectedArrival: ts.clock.in(3 * HOUR),
          workOrder: null,
        }),
      });
    });

    it('not for visits weeks ahead, outside the window: the next event is the later in-window change', async () => {
      const feed = await watch();
      const far = await createVisit({ name: 'Far Future', arrivesIn: 3 * 7 * DAY });
      const farGenerated = await createWorkOrder({
        title: 'Annual inspection',
        startsIn: 3 * 7 * DAY,
        assigneeId: org.vendor.id,
      });
      expect(farGenerated.generatedVisit).toMatchObject({ status: 'EXPECTED', expectedArrival: ts.clock.in(3 * 7 * DAY) });
      // Just outside either edge of the window, too.
      await createVisit({ name: 'Just Too Late', arrivesIn: 24 * HOUR + MINUTE });
      await createVisit({ name: 'Just Too Early', arrivesIn: -(12 * HOUR + MINUTE) });
      // Edits that keep them outside the window are not desk changes either.
      await updateVisit({ visitId: far.id, notes: 'Parking booked' });
      await updateWorkOrder({ workOrderId: farGenerated.workOrder!.id, title: 'Annual fire inspection' });

      ts.clock.advance(MINUTE);
      const near = await createVisit({ name: 'Near Now', arrivesIn: 30 * MINUTE });
      expect(await feed.next()).toMatchObject({
        kind: 'VISIT_ADDED',
        occurredAt: now(),
        visit: { id: near.id, visitorName: 'Near Now' },
      });
      expect(feed.received).toHaveLength(1);

      // Rescheduling the far visit into the window puts it on the desk.
      ts.clock.advance(MINUTE);
      await updateVisit({ visitId: far.id, expectedArrival: ts.clock.in(4 * HOUR) });
      expect(await feed.next()).toMatchObject({
        kind: 'VISIT_ADDED',
        occurredAt: now(),
        visit: { id: far.id, status: 'EXPECTED', expectedArrival: ts.clock.in(4 * HOUR), notes: 'Parking booked' },
      });
      expect(feed.received).toHaveLength(2);
    });
  });

  describe('check-in and check-out', () => {
    it('VISIT_CHECKED_IN on check-in and VISIT_CHECKED_OUT on desk check-out, each with the visit as committed', async () => {
      const visit = await createVisit({ name: 'Carla Courier', arrivesIn: HOUR });
      const feed = await watch();

      ts.clock.advance(50 * MINUTE);
      const checkedInAt = now();
      await checkIn(visit.id);
      expect(await feed.next()).toEqual({
        kind: 'VISIT_CHECKED_IN',
        occurredAt: checkedInAt,
        visit: expect.objectContaining({ id: visit.id, status: 'CHECKED_IN', checkedInAt, checkedOutAt: null }),
      });

      ts.clock.advance(2 * HOUR);
      const checkedOutAt = now();
      const out = (await ts.gql(CheckOut, { visitId: visit.id })).checkOutVisit;
      expect(out.userErrors).toEqual([]);
      expect(await feed.next()).toEqual({
        kind: 'VISIT_CHECKED_OUT',
        occurredAt: checkedOutAt,
        visit: expect.objectContaining({
          id: visit.id,
          status: 'CHECKED_OUT',
          checkedInAt,
          checkedOutAt,
          checkOutReason: 'DESK',
        }),
      });
      expect(feed.received).toHaveLength(2);
    });

    it('completing a work order: VISIT_CHECKED_OUT for the visitor on site, VISIT_REMOVED for one who never arrived', async () => {
      const { workOrder, generatedVisit } = await createWorkOrder({
        title: 'Rewire floor 3',
        startsIn: 30 * MINUTE,
        assigneeId: org.vendor.id,
      });
      const helper = await createVisit({ name: 'Harry Helper', arrivesIn: HOUR, requestId: workOrder!.requestId });
      expect(helper.workOrder).toEqual({ id: workOrder!.id, requestId: workOrder!.requestId });
      const feed = await watch();

      ts.clock.advance(20 * MINUTE);
      await checkIn(generatedVisit!.id);
      expect(await feed.next()).toMatchObject({
        kind: 'VISIT_CHECKED_IN',
        occurredAt: now(),
        visit: { id: generatedVisit!.id, status: 'CHECKED_IN' },
      });

      ts.clock.advance(3 * HOUR);
      const completedAt = now();
      const completed = (await ts.gql(CompleteWorkOrder, { input: { workOrderId: workOrder!.id } })).completeWorkOrder;
      expect(completed.userErrors).toEqual([]);
      expect(completed.workOrder).toMatchObject({ status: 'COMPLETED', completedAt });

      const events = await feed.take(2);
      expect(events.map((e) => e.occurredAt)).toEqual([completedAt, completedAt]);
      const byVisit = Object.fromEntries(events.map((e) => [e.visit.id, e]));
      expect(byVisit[generatedVisit!.id]).toMatchObject({
        kind: 'VISIT_CHECKED_OUT',
        visit: { status: 'CHECKED_OUT', checkedOutAt: completedAt, checkOutReason: 'WORK_ORDER_COMPLETED' },
      });
      expect(byVisit[helper.id]).toMatchObject({
        kind: 'VISIT_REMOVED',
        visit: { status: 'CANCELLED', cancelledAt: completedAt, checkedInAt: null },
      });
      expect(feed.received).toHaveLength(3);
    });
  });

  describe('VISIT_UPDATED when an on-desk visit is edited', () => {
    it('by updateVisit: notes, or a reschedule within the window', async () => {
      const visit = await createVisit({ name: 'Nina Notes', arrivesIn: 2 * HOUR });
      const feed = await watch();

      ts.clock.advance(MINUTE);
      await updateVisit({ visitId: visit.id, notes: 'Needs a visitor badge for floor 7' });
      expect(await feed.next()).toEqual({
        kind: 'VISIT_UPDATED',
        occurredAt: now(),
        visit: expect.objectContaining({ id: visit.id, status: 'EXPECTED', notes: 'Needs a visitor badge for floor 7' }),
      });

      ts.clock.advance(MINUTE);
      await updateVisit({ visitId: visit.id, expectedArrival: ts.clock.in(6 * HOUR) });
      expect(await feed.next()).toMatchObject({
        kind: 'VISIT_UPDATED',
        occurredAt: now(),
        visit: { id: visit.id, expectedArrival: ts.clock.in(6 * HOUR) },
      });

      // A checked-in visitor is on the desk whatever the window says: edits are updates too.
      ts.clock.advance(MINUTE);
      await checkIn(visit.id);
      expect(await feed.next()).toMatchObject({ kind: 'VISIT_CHECKED_IN', visit: { id: visit.id, status: 'CHECKED_IN' } });
      ts.clock.advance(2 * DAY);
      await updateVisit({ visitId: visit.id, notes: 'Staying late' });
      expect(await feed.next()).toMatchObject({
        kind: 'VISIT_UPDATED',
        occurredAt: now(),
        visit: { id: visit.id, status: 'CHECKED_IN', notes: 'Staying late' },
      });
      expect(feed.received).toHaveLength(4);
    });

    it('by its work order: a title change, or a reschedule within the window', async () => {
      const { workOrder, generatedVisit } = await createWorkOrder({
        title: 'Patch the roof',
        startsIn: HOUR,
        assigneeId: org.vendor.id,
      });
      const linked = await createVisit({ name: 'Linda Linked', arrivesIn: 2 * HOUR, requestId: workOrder!.requestId });
      const feed = await watch();

      ts.clock.advance(MINUTE);
      await updateWorkOrder({ workOrderId: workOrder!.id, title: 'Patch the roof and gutters' });
      const retitled = await feed.take(2);
      expect(retitled.map((e) => [e.kind, e.occurredAt, e.visit.workOrder?.title])).toEqual([
        ['VISIT_UPDATED', now(), 'Patch the roof and gutters'],
        ['VISIT_UPDATED', now(), 'Patch the roof and gutters'],
      ]);
      expect(retitled.map((e) => e.visit.id).sort()).toEqual([generatedVisit!.id, linked.id].sort());

      ts.clock.advance(MINUTE);
      await updateWorkOrder({ workOrderId: workOrder!.id, scheduledStart: ts.clock.in(8 * HOUR) });
      expect(await feed.next()).toEqual({
        kind: 'VISIT_UPDATED',
        occurredAt: now(),
        visit: expect.objectContaining({ id: generatedVisit!.id, status: 'EXPECTED', expectedArrival: ts.clock.in(8 * HOUR) }),
      });

      // The title changes again once one visitor is checked in and the other moved weeks ahead:
      // an update for the one on site only, nothing for the one now off the desk.
      await checkIn(linked.id);
      expect(await feed.next()).toMatchObject({ kind: 'VISIT_CHECKED_IN', visit: { id: linked.id } });
      await updateVisit({ visitId: generatedVisit!.id, expectedArrival: ts.clock.in(3 * 7 * DAY) });
      expect(await feed.next()).toMatchObject({ kind: 'VISIT_REMOVED', visit: { id: generatedVisit!.id } });
      ts.clock.advance(MINUTE);
      await updateWorkOrder({ workOrderId: workOrder!.id, title: 'Roof done, gutters left' });
      expect(await feed.next()).toMatchObject({
        kind: 'VISIT_UPDATED',
        occurredAt: now(),
        visit: { id: linked.id, status: 'CHECKED_IN', workOrder: { title: 'Roof done, gutters left' } },
      });
      expect(feed.received).toHaveLength(6);
    });

    it('once per visit when one edit both retitles and reschedules its work order', async () => {
      const { workOrder, generatedVisit } = await createWorkOrder({
        title: 'Seal the skylight',
        startsIn: HOUR,
        assigneeId: org.vendor.id,
      });
      const feed = await watch();
      ts.clock.advance(MINUTE);
      await updateWorkOrder({ workOrderId: workOrder!.id, title: 'Seal both skylights', scheduledStart: ts.clock.in(2 * HOUR) });
      expect(await feed.next()).toMatchObject({
        kind: 'VISIT_UPDATED',
        visit: { id: generatedVisit!.id, workOrder: { title: 'Seal both skylights' } },
      });
      // The next change is the next event: no second VISIT_UPDATED for the same edit.
      await ts.gql(CancelVisit, { visitId: generatedVisit!.id });
      expect(await feed.next()).toMatchObject({ kind: 'VISIT_REMOVED', visit: { id: generatedVisit!.id } });
      expect(feed.received).toHaveLength(2);
    });
  });

  describe('VISIT_REMOVED', () => {
    it('when an on-desk visit is cancelled', async () => {
      const visit = await createVisit({ name: 'Cancelled Carl', arrivesIn: HOUR });
      const feed = await watch();
      ts.clock.advance(MINUTE);
      const cancelled = (await ts.gql(CancelVisit, { visitId: visit.id })).cancelVisit;
      expect(cancelled.userErrors).toEqual([]);
      expect(await feed.next()).toEqual({
        kind: 'VISIT_REMOVED',
        occurredAt: now(),
        visit: expect.objectContaining({ id: visit.id, status: 'CANCELLED', cancelledAt: now() }),
      });
    });

    it('when a reschedule moves the visit out of the window (work order or visit)', async () => {
      const { workOrder, generatedVisit } = await createWorkOrder({
        title: 'Paint the car park',
        startsIn: 2 * HOUR,
        assigneeId: org.vendor.id,
      });
      const visit = await createVisit({ name: 'Moved Mona', arrivesIn: 2 * HOUR });
      const feed = await watch();

      ts.clock.advance(MINUTE);
      await updateWorkOrder({ workOrderId: workOrder!.id, scheduledStart: ts.clock.in(10 * DAY) });
      expect(await feed.next()).toEqual({
        kind: 'VISIT_REMOVED',
        occurredAt: now(),
        visit: expect.objectContaining({ id: generatedVisit!.id, status: 'EXPECTED', expectedArrival: ts.clock.in(10 * DAY) }),
      });

      ts.clock.advance(MINUTE);
      await updateVisit({ visitId: visit.id, expectedArrival: ts.clock.in(2 * DAY) });
      expect(await feed.next()).toMatchObject({
        kind: 'VISIT_REMOVED',
        occurredAt: now(),
        visit: { id: visit.id, status: 'EXPECTED', expectedArrival: ts.clock.in(2 * DAY) },
      });
    });

    it('when reassignment or cancellation of the work order cancels its visit', async () => {
      const first = await createWorkOrder({ title: 'Swap the locks', startsIn: HOUR, assigneeId: org.vendor.id });
      const second = await createWorkOrder({ title: 'Clean the atrium', startsIn: HOUR, assigneeId: org.vendor.id });
      const feed = await watch();

      ts.clock.advance(MINUTE);
      const reassigned = await updateWorkOrder({ workOrderId: first.workOrder!.id, assigneeId: org.vendor2.id });
      const [removed, added] = await feed.take(2);
      expect(removed).toMatchObject({
        kind: 'VISIT_REMOVED',
        occurredAt: now(),
        visit: { id: first.generatedVisit!.id, status: 'CANCELLED', visitorName: 'Vera Vendor' },
      });
      expect(added).toMatchObject({
        kind: 'VISIT_ADDED',
        occurredAt: now(),
        visit: { id: reassigned.generatedVisit!.id, status: 'EXPECTED', visitorName: 'Victor Volt' },
      });

      ts.clock.advance(MINUTE);
      await updateWorkOrder({ workOrderId: second.workOrder!.id, assigneeId: null });
      expect(await feed.next()).toMatchObject({
        kind: 'VISIT_REMOVED',
        occurredAt: now(),
        visit: { id: second.generatedVisit!.id, status: 'CANCELLED' },
      });

      ts.clock.advance(MINUTE);
      await updateWorkOrder({ workOrderId: first.workOrder!.id, status: 'CANCELLED' });
      expect(await feed.next()).toMatchObject({
        kind: 'VISIT_REMOVED',
        occurredAt: now(),
        visit: { id: reassigned.generatedVisit!.id, status: 'CANCELLED' },
      });
      expect(feed.received).toHaveLength(4);
    });
  });

  it("never delivers another property's events", async () => {
    const mine = await watch();
    const theirs = await watch(org.otherProperty.id);

    ts.clock.advance(MINUTE);
    const elsewhere = await createVisit({ name: 'Elsewhere Ed', arrivesIn: HOUR, propertyId: org.otherProperty.id });
    await checkIn(elsewhere.id);
    const generated = await createWorkOrder({
      title: 'Harbour pumps',
      startsIn: HOUR,
      assigneeId: org.vendor.id,
      propertyId: org.otherProperty.id,
    });
    // The other property's desk did see all three: they are real desk changes.
    expect((await theirs.take(3)).map((e) => [e.kind, e.visit.id, e.visit.property.id])).toEqual([
      ['VISIT_ADDED', elsewhere.id, org.otherProperty.id],
      ['VISIT_CHECKED_IN', elsewhere.id, org.otherProperty.id],
      ['VISIT_ADDED', generated.generatedVisit!.id, org.otherProperty.id],
    ]);

    ts.clock.advance(MINUTE);
    const here = await createVisit({ name: 'Here Hilda', arrivesIn: HOUR });
    expect(await mine.next()).toMatchObject({
      kind: 'VISIT_ADDED',
      occurredAt: now(),
      visit: { id: here.id, property: { id: propertyId } },
    });
    expect(mine.received).toHaveLength(1);
    expect(theirs.received).toHaveLength(3);
  });

  it('publishes nothing for a refused change; the next valid change is the next event', async () => {
    const { workOrder: foreign } = await createWorkOrder({ title: 'Harbour lights', propertyId: org.otherProperty.id });
    const feed = await watch();

    const mismatch = (
      await ts.gql(CreateVisit, {
        input: { propertyId, visitorName: 'Wrong Link', expectedArrival: ts.clock.in(HOUR), requestId: foreign!.requestId },
      })
    ).createVisit;
    expect(mismatch.visit).toBeNull();
    expect(mismatch.userErrors).toEqual([
      { code: 'WORK_ORDER_PROPERTY_MISMATCH', message: expect.any(String), field: ['input', 'requestId'] },
    ]);
    const desk = (await ts.gql(Desk, { propertyId })).visitorDesk;
    expect(desk.entries.map((v) => v.visitorName)).not.toContain('Wrong Link');

    ts.clock.advance(MINUTE);
    const visit = await createVisit({ name: 'Valid Val', arrivesIn: HOUR });
    expect(await feed.next()).toMatchObject({ kind: 'VISIT_ADDED', occurredAt: now(), visit: { id: visit.id } });
    await checkIn(visit.id);
    expect(await feed.next()).toMatchObject({ kind: 'VISIT_CHECKED_IN', visit: { id: visit.id, status: 'CHECKED_IN' } });

    ts.clock.advance(MINUTE);
    const twice = (await ts.gql(CheckIn, { visitId: visit.id })).checkInVisit;
    expect(twice).toEqual({
      visit: null,
      userErrors: [{ code: 'INVALID_TRANSITION', message: expect.stringContaining('checked in'), field: ['input', 'visitId'] }],
    });
    const cancel = (await ts.gql(CancelVisit, { visitId: visit.id })).cancelVisit;
    expect(cancel.userErrors).toEqual([{ code: 'INVALID_TRANSITION', message: expect.any(String), field: ['input', 'visitId'] }]);
    const badTimes = (
      await ts.gql(UpdateVisit, { input: { visitId: visit.id, notes: 'never saved', expectedDeparture: ts.clock.in(-2 * DAY) } })
    ).updateVisit;
    expect(badTimes.userErrors).toEqual([
      { code: 'INVALID_INPUT', message: expect.any(String), field: ['input', 'expectedDeparture'] },
    ]);

    ts.clock.advance(MINUTE);
    await ts.gql(CheckOut, { visitId: visit.id });
    expect(await feed.next()).toMatchObject({
      kind: 'VISIT_CHECKED_OUT',
      occurredAt: now(),
      visit: { id: visit.id, status: 'CHECKED_OUT', notes: null },
    });
    expect(feed.received).toHaveLength(3);
  });

  it('delivers several changes in a row in commit order', async () => {
    const feed = await watch();
    const expected: Array<[string, string, string]> = [];
    const step = async <T>(change: () => Promise<T>, kindOf: string, idOf: (value: T) => string) => {
      ts.clock.advance(MINUTE);
      const at = now();
      const value = await change();
      expected.push([kindOf, idOf(value), at]);
      return value;
    };
    // No waiting for events in between: the changes commit one after the other.
    const a = await step(
      () => createVisit({ name: 'Order A', arrivesIn: HOUR }),
      'VISIT_ADDED',
      (v) => v.id,
    );
    const b = await step(
      () => createVisit({ name: 'Order B', arrivesIn: 2 * HOUR }),
      'VISIT_ADDED',
      (v) => v.id,
    );
    const c = await step(
      () => createVisit({ name: 'Order C', arrivesIn: 3 * HOUR }),
      'VISIT_ADDED',
      (v) => v.id,
    );
    await step(
      () => checkIn(b.id),
      'VISIT_CHECKED_IN',
      () => b.id,
    );
    await step(
      () => ts.gql(CancelVisit, { visitId: c.id }),
      'VISIT_REMOVED',
      () => c.id,
    );
    await step(
      () => updateVisit({ visitId: a.id, notes: 'Last edit' }),
      'VISIT_UPDATED',
      () => a.id,
    );
    await step(
      () => ts.gql(CheckOut, { visitId: b.id }),
      'VISIT_CHECKED_OUT',
      () => b.id,
    );

    const events = await feed.take(expected.length);
    expect(events.map((e) => [e.kind, e.visit.id, e.occurredAt])).toEqual(expected);
    // Each visit's last event shows its final committed state.
    expect(events[4].visit).toMatchObject({ id: c.id, status: 'CANCELLED' });
    expect(events[5].visit).toMatchObject({ id: a.id, status: 'EXPECTED', notes: 'Last edit' });
    expect(events[6].visit).toMatchObject({ id: b.id, status: 'CHECKED_OUT' });
  });

  it('gives every event to each subscriber of the property, and stops counting one that leaves', async () => {
    const before = subscribers();
    const first = await watch();
    const second = await watch();
    expect(subscribers()).toBe(before + 2);

    ts.clock.advance(MINUTE);
    const visit = await createVisit({ name: 'Shared Sam', arrivesIn: HOUR });
    await checkIn(visit.id);
    await updateVisit({ visitId: visit.id, notes: 'At reception' });
    const [a, b] = await Promise.all([first.take(3), second.take(3)]);
    expect(a.map((e) => e.kind)).toEqual(['VISIT_ADDED', 'VISIT_CHECKED_IN', 'VISIT_UPDATED']);
    expect(b).toEqual(a);
    expect(a.every((e) => e.visit.id === visit.id)).toBe(true);

    // The first one leaves: the server stops serving it at once, not at the next event.
    const serving = subscribers();
    first.sub.close();
    await eventually(
      () => subscribers() === serving - 1,
      `the server drops the subscriber that left (count ${subscribers()}, expected ${serving - 1})`,
    );
    await ts.gql(CheckOut, { visitId: visit.id });
    expect(await second.next()).toMatchObject({ kind: 'VISIT_CHECKED_OUT', visit: { id: visit.id, status: 'CHECKED_OUT' } });
    expect(first.received).toHaveLength(3);
  });

  describe('authentication', () => {
    it('refuses a graphql-ws connection with a bad token (4403) and an anonymous subscription (UNAUTHENTICATED)', async () => {
      const before = subscribers();
      for (const connectionParams of [
        { authorization: 'Bearer not-a-real-token' },
        { authorization: ADMIN_TOKEN },
        { authorization: `Basic ${ADMIN_TOKEN}` },
      ]) {
        let connected = false;
        let client!: ReturnType<typeof createClient>;
        const closed = await new Promise<{ code: number; reason: string }>((resolve) => {
          client = createClient({
            url: ts.wsUrl,
            webSocketImpl: WebSocket,
            connectionParams,
            retryAttempts: 0,
            lazy: false,
            onNonLazyError: () => {},
            on: { connected: () => (connected = true), closed: (event) => resolve(event as { code: number; reason: string }) },
          });
        });
        await client.dispose();
        expect(connected).toBe(false);
        expect(closed.code).toBe(4403);
      }

      // The harness client, subscribing through the refused connection, gets the close as its error.
      const refused = new Subscription(ts.wsClient('wrong-token'), LiveDeskChanged, { propertyId });
      const error = (await refused.waitForError()) as { code: number };
      expect(error.code).toBe(4403);
      // Without any token the connection is let in, but the operation is refused: no data.
      const anonymous = new Subscription(ts.wsClient(null), LiveDeskChanged, { propertyId });
      expect(await anonymous.waitForError()).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }),
      ]);

      // Nobody was subscribed, and a change reaches only a real subscriber.
      expect(subscribers()).toBe(before);
      const feed = await watch();
      const visit = await createVisit({ name: 'After Refusal', arrivesIn: HOUR });
      expect(await feed.next()).toMatchObject({ kind: 'VISIT_ADDED', visit: { id: visit.id } });
      expect(refused.events).toEqual([]);
      expect(anonymous.events).toEqual([]);
    });

    it('answers an HTTP request without a valid token with 401 UNAUTHENTICATED and no data', async () => {
      for (const token of [null, 'not-a-real-token']) {
        const result = await ts.request(Desk, { propertyId }, token);
        expect(result.status).toBe(401);
        expect(result.errors).toHaveLength(1);
        expect(result.errors![0]).toMatchObject({
          message: expect.stringContaining('Authorization: Bearer'),
          extensions: { code: 'UNAUTHENTICATED' },
        });
        expect(result.data).toBeUndefined();
      }
    });
  });

  it('answers an unknown propertyId with an error, not events', async () => {
    const visit = await createVisit({ name: 'Not A Property', arrivesIn: 5 * HOUR });
    const cases = [
      { propertyId: unknownPropertyId, code: 'NOT_FOUND' },
      { propertyId: visit.id, code: 'NOT_FOUND' },
      { propertyId: 'not-an-id', code: 'BAD_USER_INPUT' },
    ];
    const client = ts.wsClient();
    const before = subscribers();
    const refused = cases.map((c) => new Subscription(client, LiveDeskChanged, { propertyId: c.propertyId }));
    for (const [i, sub] of refused.entries()) {
      const error = (await sub.waitForError()) as { message: string; path?: string[]; extensions?: { code?: string } };
      expect(error).toMatchObject({ path: ['visitorDeskChanged'], extensions: { code: cases[i].code } });
    }
    expect(subscribers(unknownPropertyId)).toBe(0);
    expect(subscribers()).toBe(before);

    // The client is fine and a real subscription on it works; the refused ones get nothing.
    const feed = await watch(propertyId, client);
    await checkIn(visit.id);
    expect(await feed.next()).toMatchObject({ kind: 'VISIT_CHECKED_IN', visit: { id: visit.id } });
    for (const sub of refused) expect(sub.events).toEqual([]);
  });

  describe('over GraphQL-over-SSE', () => {
    /** Opens the subscription as an SSE stream and reads its messages one by one. */
    async function sse(variables: { propertyId: string }, token: string | null = ADMIN_TOKEN) {
      const abort = new AbortController();
      const response = await fetch(ts.url, {
        method: 'POST',
        signal: abort.signal,
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(token && { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify({ query: print(LiveDeskChanged), variables }),
      });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = '';

      /** The next `event:` message (keep-alive comments skipped); fails after `timeoutMs`. */
      async function message(timeoutMs = 5_000): Promise<{ event: string; data: string }> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const end = buffer.indexOf('\n\n');
          if (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const lines = block.split('\n');
            const event = lines
              .find((l) => l.startsWith('event:'))
              ?.slice(6)
              .trim();
            const data = lines
              .filter((l) => l.startsWith('data:'))
              .map((l) => l.slice(5).trimStart())
              .join('\n');
            if (event) return { event, data };
            continue;
          }
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`No SSE message within ${timeoutMs} ms; got ${JSON.stringify(buffer)}`)),
              Math.max(0, deadline - Date.now()),
            );
          });
          const chunk = await Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer));
          if (chunk.done) throw new Error(`The SSE stream ended; left over: ${JSON.stringify(buffer)}`);
          buffer += decoder.decode(chunk.value, { stream: true });
        }
      }
      return { response, message, close: () => abort.abort() };
    }

    it('streams the check-in of a visit as an SSE `next` event', async () => {
      const visit = await createVisit({ name: 'Stream Stella', arrivesIn: HOUR });
      const before = subscribers();
      const stream = await sse({ propertyId });
      try {
        expect(stream.response.status).toBe(200);
        expect(stream.response.headers.get('content-type')).toContain('text/event-stream');
        await eventually(() => subscribers() > before, 'the SSE subscription is live');

        ts.clock.advance(7 * MINUTE);
        const checkedInAt = now();
        await checkIn(visit.id);
        const msg = await stream.message();
        expect(msg.event).toBe('next');
        const payload = JSON.parse(msg.data) as { data?: ResultOf<typeof LiveDeskChanged>; errors?: unknown };
        expect(payload.errors).toBeUndefined();
        expect(payload.data!.visitorDeskChanged).toEqual({
          kind: 'VISIT_CHECKED_IN',
          occurredAt: checkedInAt,
          visit: expect.objectContaining({
            id: visit.id,
            status: 'CHECKED_IN',
            checkedInAt,
            visitorName: 'Stream Stella',
            property: { id: propertyId },
          }),
        });
      } finally {
        stream.close();
      }
      // The server lets go of the stream once the client has left.
      await eventually(
        () => subscribers() === before,
        `the server drops the SSE subscriber (count ${subscribers()}, expected ${before})`,
      );
    });

    it('refuses an SSE subscription without a token, and answers an unknown property with an error', async () => {
      const anonymous = await sse({ propertyId }, null);
      try {
        expect(anonymous.response.status).toBe(401);
        const msg = await anonymous.message();
        expect(msg.event).toBe('next');
        const payload = JSON.parse(msg.data) as { data?: unknown; errors: Array<{ extensions: { code: string } }> };
        expect(payload.data).toBeUndefined();
        expect(payload.errors.map((e) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
        expect((await anonymous.message()).event).toBe('complete');
      } finally {
        anonymous.close();
      }

      const unknown = await sse({ propertyId: unknownPropertyId });
      try {
        const msg = await unknown.message();
        expect(msg.event).toBe('next');
        const payload = JSON.parse(msg.data) as { data?: unknown; errors: Array<{ extensions: { code: string } }> };
        expect(payload.errors.map((e) => e.extensions.code)).toEqual(['NOT_FOUND']);
        expect((await unknown.message()).event).toBe('complete');
      } finally {
        unknown.close();
      }
    });
  });
});
