import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionResult } from 'graphql';
import { DATABASES } from './support/databases.ts';
import { HOUR } from './support/clock.ts';
import { dbId, startTestServer, type TestServer } from './support/server.ts';
import {
  CheckIn,
  CompleteWorkOrder,
  CreateUser,
  CreateVisit,
  CreateWorkOrder,
  Desk,
  UpdateVisit,
  organisation,
  UpdateWorkOrder,
  VisitNode,
  WorkOrderNode,
} from './support/fixtures.ts';

// Concurrent conflicting writes: one winner, the others a clear user error, and never an
// inconsistent state (above all, no visitor left CHECKED_IN on a COMPLETED work order).
// On PostgreSQL the requests really overlap; on PGlite they are serialised, and must end
// the same way.

/** A mutation answered over HTTP 200 without top-level errors: business refusals are userErrors. */
function answered<R>(result: ExecutionResult<R> & { status: number }): R {
  expect(result.status).toBe(200);
  expect(result.errors).toBeUndefined();
  expect(result.data).toBeTruthy();
  return result.data!;
}

const RACE_CODES = ['INVALID_TRANSITION', 'CONFLICT'];

describe.each(DATABASES)('concurrent conflicting writes on %s', (kind) => {
  let ts: TestServer;
  let org: Awaited<ReturnType<typeof organisation>>;

  beforeAll(async () => {
    ts = await startTestServer(kind);
    org = await organisation(ts, { integration: true });
  });
  afterAll(() => ts?.close());

  /** A work order assigned to the Auto-Create Visit vendor, with its generated visit (EXPECTED, on the desk now). */
  async function workOrderWithVisit(title: string) {
    const result = answered(
      await ts.request(CreateWorkOrder, { input: { propertyId: org.property.id, title, assigneeId: org.vendor.id } }),
    ).createWorkOrder;
    expect(result.userErrors).toEqual([]);
    expect(result.generatedVisit).toMatchObject({ status: 'EXPECTED', source: 'WORK_ORDER' });
    return { workOrder: result.workOrder!, visit: result.generatedVisit! };
  }

  const deskIds = async () => new Set((await ts.gql(Desk, { propertyId: org.property.id })).visitorDesk.entries.map((v) => v.id));

  const auditCount = (action: string, entityId: string) =>
    ts.server.db.prisma.auditEvent.count({ where: { action, entityId: dbId(entityId) } });

  it('20 parallel completions of one work order: exactly one completes it and checks its visitor out', async () => {
    const { workOrder, visit } = await workOrderWithVisit('Race to complete');
    const checkedIn = answered(await ts.request(CheckIn, { visitId: visit.id })).checkInVisit;
    expect(checkedIn.userErrors).toEqual([]);
    expect(checkedIn.visit).toMatchObject({ status: 'CHECKED_IN' });
    expect(await deskIds()).toContain(visit.id);

    const results = await Promise.all(
      Array.from({ length: 20 }, () => ts.request(CompleteWorkOrder, { input: { workOrderId: workOrder.id } })),
    );
    const payloads = results.map((r) => answered(r).completeWorkOrder);
    const winners = payloads.filter((p) => p.workOrder);
    const losers = payloads.filter((p) => !p.workOrder);

    expect(winners).toHaveLength(1);
    expect(winners[0].userErrors).toEqual([]);
    expect(winners[0].workOrder).toMatchObject({ id: workOrder.id, status: 'COMPLETED' });
    expect(winners[0].checkedOutVisits).toHaveLength(1);
    expect(winners[0].checkedOutVisits![0]).toMatchObject({
      id: visit.id,
      status: 'CHECKED_OUT',
      checkOutReason: 'WORK_ORDER_COMPLETED',
    });
    expect(losers).toHaveLength(19);
    for (const loser of losers) {
      expect(loser.checkedOutVisits).toEqual([]);
      expect(loser.userErrors).toHaveLength(1);
      expect(RACE_CODES).toContain(loser.userErrors[0].code);
      expect(loser.userErrors[0].message).toMatch(/\S/);
    }

    const storedWorkOrder = (await ts.gql(WorkOrderNode, { id: workOrder.id })).node;
    expect(storedWorkOrder).toMatchObject({
      status: 'COMPLETED',
      completedAt: winners[0].workOrder!.completedAt,
      visits: [{ id: visit.id, status: 'CHECKED_OUT' }],
    });
    expect(storedWorkOrder && 'completedAt' in storedWorkOrder && storedWorkOrder.completedAt).toBeTruthy();
    const storedVisit = (await ts.gql(VisitNode, { id: visit.id })).node;
    expect(storedVisit).toMatchObject({ status: 'CHECKED_OUT', checkOutReason: 'WORK_ORDER_COMPLETED' });
    expect(await deskIds()).not.toContain(visit.id);
    // Completed once, checked out once: the losers wrote nothing.
    expect(await auditCount('workOrder.completed', workOrder.id)).toBe(1);
    expect(await auditCount('visit.checkedOut', visit.id)).toBe(1);
    expect(await ts.server.db.prisma.deskEvent.count({ where: { visitId: dbId(visit.id), kind: 'VISIT_CHECKED_OUT' } })).toBe(1);
  });

  it('a check-in racing a completion never leaves a visitor checked in on a completed work order', async () => {
    const outcomes = { checkInFirst: 0, completionFirst: 0 };
    for (let round = 0; round < 15; round++) {
      const { workOrder, visit } = await workOrderWithVisit(`Check-in race ${round}`);
      // Alternate which request is sent first, so serialised PGlite sees both orders too.
      const fire = {
        checkIn: () => ts.request(CheckIn, { visitId: visit.id }),
        complete: () => ts.request(CompleteWorkOrder, { input: { workOrderId: workOrder.id } }),
      };
      const [checkInResult, completeResult] =
        round % 2 === 0
          ? await Promise.all([fire.checkIn(), fire.complete()])
          : await Promise.all([fire.complete(), fire.checkIn()]).then(([c, i]) => [i, c] as const);
      const checkIn = answered(checkInResult).checkInVisit;
      const complete = answered(completeResult).completeWorkOrder;

      // Completion always succeeds: nothing else closes this work order.
      expect(complete.userErrors).toEqual([]);
      expect(complete.workOrder).toMatchObject({ id: workOrder.id, status: 'COMPLETED' });
      expect(complete.checkedOutVisits).toHaveLength(1);

      const storedVisit = (await ts.gql(VisitNode, { id: visit.id })).node;
      const storedWorkOrder = (await ts.gql(WorkOrderNode, { id: workOrder.id })).node;
      expect(storedWorkOrder).toMatchObject({ status: 'COMPLETED' });
      expect(storedVisit).not.toMatchObject({ status: 'CHECKED_IN' });

      if (checkIn.visit) {
        // The check-in committed first; the completion then checked the visitor out.
        outcomes.checkInFirst++;
        expect(checkIn.userErrors).toEqual([]);
        expect(checkIn.visit).toMatchObject({ id: visit.id, status: 'CHECKED_IN' });
        expect(complete.checkedOutVisits![0]).toMatchObject({
          id: visit.id,
          status: 'CHECKED_OUT',
          checkOutReason: 'WORK_ORDER_COMPLETED',
        });
        expect(storedVisit).toMatchObject({ status: 'CHECKED_OUT', checkOutReason: 'WORK_ORDER_COMPLETED' });
      } else {
        // The completion committed first and cancelled the visit; the check-in was refused.
        outcomes.completionFirst++;
        expect(checkIn.userErrors).toEqual([
          expect.objectContaining({ code: 'INVALID_TRANSITION', field: ['input', 'visitId'] }),
        ]);
        expect(complete.checkedOutVisits![0]).toMatchObject({ id: visit.id, status: 'CANCELLED' });
        expect(storedVisit).toMatchObject({ status: 'CANCELLED', checkedInAt: null, checkOutReason: null });
      }
      expect(await deskIds()).not.toContain(visit.id);
    }
    expect(outcomes.checkInFirst + outcomes.completionFirst).toBe(15);
  });

  it('10 parallel check-ins of one expected visit: exactly one checks it in', async () => {
    const manual = answered(
      await ts.request(CreateVisit, {
        input: { propertyId: org.property.id, visitorName: 'Gina Guest', expectedArrival: ts.clock.in(HOUR) },
      }),
    ).createVisit.visit!;
    const generated = (await workOrderWithVisit('Parallel check-ins')).visit;

    // A visit without a work order (locks the visit only) and a generated one (work order, then visit).
    for (const visit of [manual, generated]) {
      const results = await Promise.all(Array.from({ length: 10 }, () => ts.request(CheckIn, { visitId: visit.id })));
      const payloads = results.map((r) => answered(r).checkInVisit);
      const winners = payloads.filter((p) => p.visit);
      expect(winners).toHaveLength(1);
      expect(winners[0].userErrors).toEqual([]);
      expect(winners[0].visit).toMatchObject({ id: visit.id, status: 'CHECKED_IN' });
      const losers = payloads.filter((p) => !p.visit);
      expect(losers).toHaveLength(9);
      for (const loser of losers) {
        expect(loser.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_TRANSITION', field: ['input', 'visitId'] })]);
      }
      const stored = (await ts.gql(VisitNode, { id: visit.id })).node;
      expect(stored).toMatchObject({ status: 'CHECKED_IN', checkedInAt: winners[0].visit!.checkedInAt });
      expect(winners[0].visit!.checkedInAt).toBeTruthy();
      expect(await auditCount('visit.checkedIn', visit.id)).toBe(1);
      expect(await ts.server.db.prisma.deskEvent.count({ where: { visitId: dbId(visit.id), kind: 'VISIT_CHECKED_IN' } })).toBe(1);
    }
  });

  it('parallel reassignments racing a completion leave no visit in play on the completed work order', async () => {
    const { workOrder } = await workOrderWithVisit('Reassign race');
    const assignees = [org.vendor2.id, org.vendor.id, org.vendor2.id, org.plainVendor.id, org.vendor.id, null, org.vendor2.id];
    const [complete, ...updates] = await Promise.all([
      ts.request(CompleteWorkOrder, { input: { workOrderId: workOrder.id } }),
      ...assignees.map((assigneeId) => ts.request(UpdateWorkOrder, { input: { workOrderId: workOrder.id, assigneeId } })),
    ]);
    const completed = answered(complete).completeWorkOrder;
    expect(completed.userErrors).toEqual([]);
    expect(completed.workOrder).toMatchObject({ status: 'COMPLETED' });
    for (const update of updates) {
      const payload = answered(update).updateWorkOrder;
      if (payload.workOrder) expect(payload.userErrors).toEqual([]);
      else expect(payload.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_TRANSITION' })]);
    }
    const stored = (await ts.gql(WorkOrderNode, { id: workOrder.id })).node;
    expect(stored).toMatchObject({ status: 'COMPLETED' });
    const visits = stored && 'visits' in stored ? stored.visits : [];
    expect(visits.length).toBeGreaterThanOrEqual(1);
    for (const v of visits) expect(['CANCELLED', 'CHECKED_OUT']).toContain(v.status);
  });

  it('two visits swapping work orders at the same moment: both end linked, never a deadlock or a server error', async () => {
    for (let round = 0; round < 5; round++) {
      const manual = async (title: string) => {
        const wo = answered(await ts.request(CreateWorkOrder, { input: { propertyId: org.property.id, title } })).createWorkOrder;
        const visit = answered(
          await ts.request(CreateVisit, {
            input: {
              propertyId: org.property.id,
              visitorName: `Visitor for ${title}`,
              expectedArrival: ts.clock.now().toISOString(),
              requestId: wo.workOrder!.requestId,
            },
          }),
        ).createVisit;
        expect(visit.userErrors).toEqual([]);
        return { workOrder: wo.workOrder!, visit: visit.visit! };
      };
      const one = await manual(`Swap ${round} A`);
      const two = await manual(`Swap ${round} B`);
      const [first, second] = await Promise.all([
        ts.request(UpdateVisit, { input: { visitId: one.visit.id, requestId: two.workOrder.requestId } }),
        ts.request(UpdateVisit, { input: { visitId: two.visit.id, requestId: one.workOrder.requestId } }),
      ]);
      // Each change either linked its visit to the other work order or was refused as a
      // CONFLICT and left it where it was: the stored links say which.
      const swaps = [
        { payload: answered(first).updateVisit, visit: one.visit, from: one.workOrder, to: two.workOrder },
        { payload: answered(second).updateVisit, visit: two.visit, from: two.workOrder, to: one.workOrder },
      ];
      for (const { payload, visit, from, to } of swaps) {
        if (payload.visit) expect(payload).toMatchObject({ visit: { workOrder: { id: to.id } }, userErrors: [] });
        else expect(payload.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT' })]);
        const stored = (await ts.gql(VisitNode, { id: visit.id })).node;
        expect(stored && 'workOrder' in stored ? stored.workOrder?.id : null).toBe(payload.visit ? to.id : from.id);
      }
    }
  });

  it('parallel creation of users with the same email: exactly one is created, the rest CONFLICT', async () => {
    const email = `race-${kind}@acme.test`;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => ts.request(CreateUser, { input: { name: `Racer ${i}`, email } })),
    );
    const payloads = results.map((r) => answered(r).createUser);
    const created = payloads.filter((p) => p.user);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ user: { email }, userErrors: [] });
    const refused = payloads.filter((p) => !p.user);
    expect(refused).toHaveLength(9);
    for (const p of refused) {
      expect(p.userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT', field: ['input', 'email'] })]);
    }
    expect(await ts.server.db.prisma.user.count({ where: { email } })).toBe(1);
  });
});
