import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { graphql } from './generated/index.ts';
import type { UserErrorCode } from './generated/graphql.ts';
import { DATABASES } from './support/databases.ts';
import { HOUR, MINUTE } from './support/clock.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import {
  CheckIn,
  CompleteWorkOrder,
  CreateVisit,
  CreateWorkOrder,
  organisation,
  SetIntegration,
  UpdateVisit,
  UpdateWorkOrder,
  VisitNode,
  WorkOrderNode,
} from './support/fixtures.ts';

// Linking a visit to a work order by hand through its Request ID, and what the link does.

const ManualLinkPropertyVisits = graphql(`
  query ManualLinkPropertyVisits($id: ID!) {
    node(id: $id) {
      ... on Property {
        visits(first: 100) {
          edges {
            node {
              id
              visitorName
              status
              source
              workOrder {
                requestId
              }
            }
          }
        }
      }
    }
  }
`);

const START = '2026-11-26T09:00:00.000Z';

describe.each(DATABASES)('manual work order links on %s', (kind) => {
  let ts: TestServer;
  let org: Awaited<ReturnType<typeof organisation>>;

  beforeAll(async () => {
    ts = await startTestServer(kind);
    org = await organisation(ts);
  });
  afterAll(() => ts?.close());
  beforeEach(() => ts.clock.set(START));

  async function workOrder(propertyId = org.property.id, title = 'Service the lifts') {
    const result = (await ts.gql(CreateWorkOrder, { input: { propertyId, title, scheduledStart: ts.clock.in(HOUR) } }))
      .createWorkOrder;
    expect(result.userErrors).toEqual([]);
    expect(result.workOrder).toMatchObject({ status: 'OPEN', requestId: expect.stringMatching(/^WO-\d{6}$/) });
    return result.workOrder!;
  }

  async function closedWorkOrder(status: 'COMPLETED' | 'CANCELLED') {
    const wo = await workOrder(org.property.id, `To be ${status.toLowerCase()}`);
    const closed =
      status === 'COMPLETED'
        ? (await ts.gql(CompleteWorkOrder, { input: { workOrderId: wo.id } })).completeWorkOrder
        : (await ts.gql(UpdateWorkOrder, { input: { workOrderId: wo.id, status } })).updateWorkOrder;
    expect(closed.userErrors).toEqual([]);
    expect(closed.workOrder!.status).toBe(status);
    return wo;
  }

  const createVisit = async (visitorName: string, requestId?: string | null) =>
    (
      await ts.gql(CreateVisit, {
        input: { propertyId: org.property.id, visitorName, expectedArrival: ts.clock.in(HOUR), requestId },
      })
    ).createVisit;

  async function plainVisit(visitorName: string) {
    const result = await createVisit(visitorName);
    expect(result.userErrors).toEqual([]);
    expect(result.visit).toMatchObject({ workOrder: null, source: 'MANUAL' });
    return result.visit!;
  }

  const storedVisit = async (id: string) => (await ts.gql(VisitNode, { id })).node;
  const storedWorkOrder = async (id: string) => (await ts.gql(WorkOrderNode, { id })).node;

  async function propertyVisits() {
    const node = (await ts.gql(ManualLinkPropertyVisits, { id: org.property.id })).node;
    if (!node || !('visits' in node)) throw new Error('The property is missing');
    return node.visits.edges.map((e) => e.node);
  }

  /**
   * Tries to link by hand through createVisit and updateVisit (which also renames), and
   * checks both are refused with `code` at input.requestId and that nothing was written.
   */
  async function expectRefused(requestId: string, code: UserErrorCode, message: RegExp) {
    const refusal = [{ code, message: expect.stringMatching(message), field: ['input', 'requestId'] }];

    const before = await propertyVisits();
    const created = await createVisit(`Refused ${code}`, requestId);
    expect(created.visit).toBeNull();
    expect(created.userErrors).toEqual(refusal);
    expect(created.userErrors[0].message).toMatch(/^[A-Z].*\.$/);
    expect(await propertyVisits()).toEqual(before);

    const current = await workOrder(org.property.id, 'Currently linked');
    const visit = (await createVisit('Linked already', current.requestId)).visit!;
    const stored = await storedVisit(visit.id);
    expect(stored).toMatchObject({ workOrder: { id: current.id, requestId: current.requestId } });
    ts.clock.advance(MINUTE);
    const updated = (
      await ts.gql(UpdateVisit, { input: { visitId: visit.id, visitorName: 'Renamed', notes: 'Changed', requestId } })
    ).updateVisit;
    expect(updated.visit).toBeNull();
    expect(updated.userErrors).toEqual(refusal);
    expect(await storedVisit(visit.id)).toEqual(stored);
    expect((await storedWorkOrder(current.id))!).toMatchObject({ visits: [{ id: visit.id }] });
  }

  it('createVisit links a new visit to an open work order of its property by Request ID; the visit stays MANUAL', async () => {
    const wo = await workOrder();
    const result = await createVisit('Liam Lift', wo.requestId);
    expect(result.userErrors).toEqual([]);
    const visit = result.visit!;
    expect(visit).toMatchObject({ status: 'EXPECTED', source: 'MANUAL', workOrder: { id: wo.id, requestId: wo.requestId } });
    expect(await storedVisit(visit.id)).toMatchObject({ source: 'MANUAL', workOrder: { id: wo.id, requestId: wo.requestId } });
    expect(await storedWorkOrder(wo.id)).toMatchObject({
      status: 'OPEN',
      visits: [{ id: visit.id, status: 'EXPECTED', source: 'MANUAL' }],
    });
  });

  it('updateVisit links an existing visit, keeps the link when requestId is absent, and removes it with requestId: null', async () => {
    const wo = await workOrder();
    const visit = await plainVisit('Nora Notlinked');

    const linked = (await ts.gql(UpdateVisit, { input: { visitId: visit.id, requestId: wo.requestId } })).updateVisit;
    expect(linked.userErrors).toEqual([]);
    expect(linked.visit).toMatchObject({ id: visit.id, source: 'MANUAL', workOrder: { id: wo.id, requestId: wo.requestId } });
    expect(await storedWorkOrder(wo.id)).toMatchObject({ visits: [{ id: visit.id, source: 'MANUAL' }] });

    const renamed = (await ts.gql(UpdateVisit, { input: { visitId: visit.id, visitorName: 'Nora Linked' } })).updateVisit;
    expect(renamed.visit).toMatchObject({ visitorName: 'Nora Linked', workOrder: { id: wo.id } });

    const unlinked = (await ts.gql(UpdateVisit, { input: { visitId: visit.id, requestId: null } })).updateVisit;
    expect(unlinked.userErrors).toEqual([]);
    expect(unlinked.visit).toMatchObject({ id: visit.id, visitorName: 'Nora Linked', source: 'MANUAL', workOrder: null });
    expect(await storedVisit(visit.id)).toMatchObject({ status: 'EXPECTED', source: 'MANUAL', workOrder: null });
    expect(await storedWorkOrder(wo.id)).toMatchObject({ visits: [] });

    // Unlinked, the visit no longer follows the work order.
    const completed = (await ts.gql(CompleteWorkOrder, { input: { workOrderId: wo.id } })).completeWorkOrder;
    expect(completed.checkedOutVisits).toEqual([]);
    expect(await storedVisit(visit.id)).toMatchObject({ status: 'EXPECTED', workOrder: null });
  });

  it('refuses to link while the WO Integration flag is off, and writes nothing', async () => {
    const wo = await workOrder();
    await ts.gql(SetIntegration, { enabled: false });
    try {
      const before = await propertyVisits();
      const created = await createVisit('Flag Off', wo.requestId);
      expect(created.visit).toBeNull();
      expect(created.userErrors).toEqual([
        { code: 'WORK_ORDER_INTEGRATION_DISABLED', message: expect.stringMatching(/^[A-Z].*\.$/), field: ['input', 'requestId'] },
      ]);
      expect(await propertyVisits()).toEqual(before);

      const visit = await plainVisit('Flag Off Existing');
      const stored = await storedVisit(visit.id);
      const updated = (
        await ts.gql(UpdateVisit, { input: { visitId: visit.id, visitorName: 'Renamed', requestId: wo.requestId } })
      ).updateVisit;
      expect(updated.visit).toBeNull();
      expect(updated.userErrors).toEqual([
        { code: 'WORK_ORDER_INTEGRATION_DISABLED', message: expect.stringMatching(/^[A-Z].*\.$/), field: ['input', 'requestId'] },
      ]);
      expect(await storedVisit(visit.id)).toEqual(stored);
      expect(await storedWorkOrder(wo.id)).toMatchObject({ visits: [] });
    } finally {
      await ts.gql(SetIntegration, { enabled: true });
    }
  });

  it('refuses a Request ID no work order has with NOT_FOUND, and writes nothing', async () => {
    await expectRefused('WO-999999', 'NOT_FOUND', /WO-999999/);
  });

  it('refuses a work order of another property with WORK_ORDER_PROPERTY_MISMATCH, and writes nothing', async () => {
    const elsewhere = await workOrder(org.otherProperty.id, 'Harbour Point boiler');
    await expectRefused(elsewhere.requestId, 'WORK_ORDER_PROPERTY_MISMATCH', new RegExp(elsewhere.requestId));
    expect(await storedWorkOrder(elsewhere.id)).toMatchObject({ visits: [] });
  });

  it.each(['COMPLETED', 'CANCELLED'] as const)(
    'refuses a %s work order with INVALID_TRANSITION, and writes nothing',
    async (status) => {
      const closed = await closedWorkOrder(status);
      await expectRefused(closed.requestId, 'INVALID_TRANSITION', new RegExp(status.toLowerCase()));
      expect(await storedWorkOrder(closed.id)).toMatchObject({ status, visits: [] });
    },
  );

  it('completing the work order checks out a hand-linked CHECKED_IN visit with reason WORK_ORDER_COMPLETED', async () => {
    const wo = await workOrder();
    // One linked on creation, then checked in; one checked in, then linked.
    const linkedFirst = (await createVisit('Linked, then arrived', wo.requestId)).visit!;
    ts.clock.advance(10 * MINUTE);
    const checkedIn = (await ts.gql(CheckIn, { visitId: linkedFirst.id })).checkInVisit;
    expect(checkedIn.visit).toMatchObject({ status: 'CHECKED_IN', checkedInAt: '2026-11-26T09:10:00.000Z' });
    expect(await storedWorkOrder(wo.id)).toMatchObject({ status: 'IN_PROGRESS' });

    const arrivedFirst = await plainVisit('Arrived, then linked');
    await ts.gql(CheckIn, { visitId: arrivedFirst.id });
    const linked = (await ts.gql(UpdateVisit, { input: { visitId: arrivedFirst.id, requestId: wo.requestId } })).updateVisit;
    expect(linked.userErrors).toEqual([]);
    expect(linked.visit).toMatchObject({ status: 'CHECKED_IN', source: 'MANUAL', workOrder: { id: wo.id } });

    ts.clock.advance(2 * HOUR);
    const now = ts.clock.now().toISOString();
    const result = (await ts.gql(CompleteWorkOrder, { input: { workOrderId: wo.id } })).completeWorkOrder;
    expect(result.userErrors).toEqual([]);
    expect(result.workOrder).toMatchObject({ status: 'COMPLETED', completedAt: now });
    expect(result.checkedOutVisits.map((v) => v.id).sort()).toEqual([linkedFirst.id, arrivedFirst.id].sort());
    for (const id of [linkedFirst.id, arrivedFirst.id]) {
      expect(await storedVisit(id)).toMatchObject({
        status: 'CHECKED_OUT',
        checkOutReason: 'WORK_ORDER_COMPLETED',
        checkedOutAt: now,
        source: 'MANUAL',
        workOrder: { id: wo.id },
      });
    }
  });
});
