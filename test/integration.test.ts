import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.ts';
import { HOUR, DAY } from './support/clock.ts';
import { startTestServer, statementsDuring, type TestServer } from './support/server.ts';
import { mutation, ok } from './support/people.ts';
import { CreateWorkOrder, organisation, SetIntegration, UpdateWorkOrder, VisitNode, WorkOrderNode } from './support/fixtures.ts';

// Rules 1-4: the WO Integration flag, Request IDs, generated visits and keeping them true.

describe.each(DATABASES)('work order integration on %s', (kind) => {
  let ts: TestServer;
  let org: Awaited<ReturnType<typeof organisation>>;

  beforeAll(async () => {
    ts = await startTestServer(kind);
    org = await organisation(ts, { integration: false });
  });
  afterAll(() => ts?.close());

  const create = (input: Partial<Parameters<typeof CreateWorkOrder.__apiType & {}>[0]['input']> = {}) =>
    ts
      .gql(CreateWorkOrder, { input: { propertyId: org.property.id, title: 'Fix the lobby lights', ...input } })
      .then((r) => r.createWorkOrder);

  it('generates nothing while the WO Integration flag is off (the default)', async () => {
    const settings = await ts.gql(SetIntegration, { enabled: false });
    expect(settings.updateVisitorSettings.visitorSettings).toEqual({ workOrderIntegrationEnabled: false });
    const result = await create({ assigneeId: org.vendor.id });
    expect(result.userErrors).toEqual([]);
    expect(result.generatedVisit).toBeNull();
    expect(result.workOrder!.visits).toEqual([]);
  });

  it('gives every work order a unique sequential Request ID, also under concurrency', async () => {
    const first = await create();
    const created = await Promise.all(Array.from({ length: 12 }, (_, i) => create({ title: `Concurrent ${i}` })));
    const numbers = [first, ...created].map((r) => Number(r.workOrder!.requestId.slice(3)));
    expect(first.workOrder!.requestId).toMatch(/^WO-\d{6}$/);
    expect(new Set(numbers).size).toBe(13);
    expect(Math.max(...numbers) - Math.min(...numbers)).toBe(12);
  });

  describe('with the integration on', () => {
    beforeAll(async () => {
      await ts.gql(SetIntegration, { enabled: true });
    });

    it('answers from the rows the change returned: asking for more of them reads nothing more', async () => {
      const cost = async (payload: string) => {
        let data: any;
        const count = await statementsDuring(ts, async () => {
          data = await ok(ts, mutation('createWorkOrder', payload), {
            input: {
              propertyId: org.property.id,
              title: 'Payload cost',
              assigneeId: org.vendor.id,
              scheduledStart: ts.clock.in(HOUR),
            },
          });
        });
        expect(data.createWorkOrder.userErrors).toEqual([]);
        return { count, data: data.createWorkOrder };
      };
      await cost(''); // warm: the first write of a kind may prepare statements
      const bare = await cost('');
      const full = await cost(
        'workOrder { id requestId title description status scheduledStart scheduledEnd completedAt externalId } generatedVisit { id status visitorName source expectedArrival expectedDeparture checkedInAt notes } generatedVisits { id status }',
      );
      expect(full.data.workOrder).toMatchObject({ title: 'Payload cost', status: 'OPEN' });
      expect(full.data.generatedVisit).toMatchObject({ status: 'EXPECTED', visitorName: 'Vera Vendor' });
      expect(full.count).toBe(bare.count);
    });

    it('generates exactly one visit, filled from the work order, for an Auto-Create Visit assignee', async () => {
      const start = ts.clock.in(2 * HOUR);
      const end = ts.clock.in(5 * HOUR);
      const result = await create({
        assigneeId: org.vendor.id,
        scheduledStart: start,
        scheduledEnd: end,
        description: 'Bring a ladder',
      });
      expect(result.userErrors).toEqual([]);
      const wo = result.workOrder!;
      expect(result.generatedVisit).toMatchObject({
        visitorName: 'Vera Vendor',
        status: 'EXPECTED',
        source: 'WORK_ORDER',
        expectedArrival: start,
        expectedDeparture: end,
        notes: 'Bring a ladder',
        property: { id: org.property.id },
        visitor: { id: org.vendor.id },
        company: { id: org.autoCompany.id, name: 'Acme Electric' },
        workOrder: { id: wo.id, requestId: wo.requestId },
      });
      expect(wo.visits).toEqual([{ id: result.generatedVisit!.id, status: 'EXPECTED', source: 'WORK_ORDER' }]);
    });

    it('expects the visitor now when the work order has no scheduled start', async () => {
      const result = await create({ assigneeId: org.vendor.id });
      expect(result.generatedVisit!.expectedArrival).toBe(ts.clock.now().toISOString());
      expect(result.generatedVisit!.expectedDeparture).toBeNull();
    });

    it('generates nothing for an assignee whose company lacks Auto-Create Visit, or without an assignee', async () => {
      expect((await create({ assigneeId: org.plainVendor.id })).generatedVisit).toBeNull();
      expect((await create({ assigneeId: org.host.id })).generatedVisit).toBeNull();
      const unassigned = await create();
      expect(unassigned.generatedVisit).toBeNull();
      expect(unassigned.workOrder!.visits).toEqual([]);
    });

    it('generates the visit when an open work order later gets an eligible assignee', async () => {
      const wo = (await create()).workOrder!;
      const result = (await ts.gql(UpdateWorkOrder, { input: { workOrderId: wo.id, assigneeId: org.vendor.id } }))
        .updateWorkOrder;
      expect(result.userErrors).toEqual([]);
      expect(result.generatedVisit).toMatchObject({ visitor: { id: org.vendor.id }, source: 'WORK_ORDER', status: 'EXPECTED' });
      expect(result.workOrder!.visits).toHaveLength(1);
    });

    it('never creates a second visit when anything else is edited', async () => {
      const wo = (await create({ assigneeId: org.vendor.id })).workOrder!;
      for (const input of [
        { title: 'Fix all the lights' },
        { description: 'Also the stairwell' },
        { status: 'ON_HOLD' as const },
        { assigneeId: org.vendor.id },
      ]) {
        const result = (await ts.gql(UpdateWorkOrder, { input: { workOrderId: wo.id, ...input } })).updateWorkOrder;
        expect(result.userErrors).toEqual([]);
        expect(result.generatedVisit).toBeNull();
        expect(result.workOrder!.visits).toHaveLength(1);
      }
    });

    it('moves the expected times of the generated visit when the work order is rescheduled', async () => {
      const { workOrder, generatedVisit } = await create({ assigneeId: org.vendor.id, scheduledStart: ts.clock.in(HOUR) });
      const start = ts.clock.in(2 * DAY);
      const end = ts.clock.in(2 * DAY + 3 * HOUR);
      const result = (
        await ts.gql(UpdateWorkOrder, { input: { workOrderId: workOrder!.id, scheduledStart: start, scheduledEnd: end } })
      ).updateWorkOrder;
      expect(result.userErrors).toEqual([]);
      const visit = (await ts.gql(VisitNode, { id: generatedVisit!.id })).node;
      expect(visit).toMatchObject({ id: generatedVisit!.id, expectedArrival: start, expectedDeparture: end, status: 'EXPECTED' });
      expect(result.workOrder!.visits).toHaveLength(1);
    });

    it('reassigning cancels the not-yet-arrived visit and generates one for the new assignee', async () => {
      const { workOrder, generatedVisit } = await create({ assigneeId: org.vendor.id });
      const result = (await ts.gql(UpdateWorkOrder, { input: { workOrderId: workOrder!.id, assigneeId: org.vendor2.id } }))
        .updateWorkOrder;
      expect(result.userErrors).toEqual([]);
      expect(result.generatedVisit).toMatchObject({ visitorName: 'Victor Volt', status: 'EXPECTED' });
      expect((await ts.gql(VisitNode, { id: generatedVisit!.id })).node).toMatchObject({ status: 'CANCELLED' });
      expect(result.workOrder!.visits.map((v) => v.status)).toEqual(['CANCELLED', 'EXPECTED']);
    });

    it('reassigning to an ineligible assignee only cancels the old visit', async () => {
      const { workOrder, generatedVisit } = await create({ assigneeId: org.vendor.id });
      const result = (await ts.gql(UpdateWorkOrder, { input: { workOrderId: workOrder!.id, assigneeId: org.plainVendor.id } }))
        .updateWorkOrder;
      expect(result.generatedVisit).toBeNull();
      expect((await ts.gql(VisitNode, { id: generatedVisit!.id })).node).toMatchObject({ status: 'CANCELLED' });
    });

    it('unassigning or cancelling the work order cancels its generated visit', async () => {
      const a = await create({ assigneeId: org.vendor.id });
      await ts.gql(UpdateWorkOrder, { input: { workOrderId: a.workOrder!.id, assigneeId: null } });
      expect((await ts.gql(VisitNode, { id: a.generatedVisit!.id })).node).toMatchObject({ status: 'CANCELLED' });

      const b = await create({ assigneeId: org.vendor.id });
      const cancelled = (await ts.gql(UpdateWorkOrder, { input: { workOrderId: b.workOrder!.id, status: 'CANCELLED' } }))
        .updateWorkOrder;
      expect(cancelled.workOrder!.status).toBe('CANCELLED');
      expect((await ts.gql(VisitNode, { id: b.generatedVisit!.id })).node).toMatchObject({ status: 'CANCELLED' });
    });

    it('refuses to change a closed work order and to complete one through updateWorkOrder', async () => {
      const { workOrder } = await create();
      const viaUpdate = (await ts.gql(UpdateWorkOrder, { input: { workOrderId: workOrder!.id, status: 'COMPLETED' } }))
        .updateWorkOrder;
      expect(viaUpdate.userErrors).toEqual([
        { code: 'INVALID_INPUT', message: expect.stringContaining('completeWorkOrder'), field: ['input', 'status'] },
      ]);
      await ts.gql(UpdateWorkOrder, { input: { workOrderId: workOrder!.id, status: 'CANCELLED' } });
      const after = (
        await ts.gql(UpdateWorkOrder, { input: { workOrderId: workOrder!.id, title: 'Again', assigneeId: org.vendor.id } })
      ).updateWorkOrder;
      expect(after.userErrors).toEqual([
        { code: 'INVALID_TRANSITION', message: expect.stringMatching(/cancelled/), field: ['input', 'workOrderId'] },
      ]);
      const stored = (await ts.gql(WorkOrderNode, { id: workOrder!.id })).node;
      expect(stored).toMatchObject({ title: 'Fix the lobby lights', status: 'CANCELLED', assignee: null, visits: [] });
    });
  });
});
