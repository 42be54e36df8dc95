import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.ts';
import { mutation as m, ok, person, run, type Person } from './support/people.ts';
import { dbId, startTestServer, type TestServer } from './support/server.ts';

// Work orders pushed in by the CMMS that owns them: upsertWorkOrder under the other system's
// id runs the same integration as the API's own mutations, changes nothing when called again,
// and makes one work order however many calls race to create it.

const PAYLOAD = `created workOrder { id requestId title status externalSource externalId assignee { id } }
  generatedVisit { id status } generatedVisits { id } checkedOutVisits { id status }`;

describe.each(DATABASES)('upsertWorkOrder on %s', (kind) => {
  let ts: TestServer;
  let propertyId: string;
  let otherPropertyId: string;
  let vendor: Person;
  let manager: Person;
  let desk: Person;
  let n = 0;

  const upsert = (input: Record<string, unknown>, token?: string) =>
    run(
      ts,
      m('upsertWorkOrder', PAYLOAD),
      { input: { externalSource: 'servicechannel', propertyId, title: 'Fix the chiller', ...input } },
      token,
    ).then((r) => {
      expect(r.errors).toBeUndefined();
      return r.data!.upsertWorkOrder;
    });

  /** What a repeated call must leave alone: audit entries, desk events, visits, webhook deliveries. */
  const footprint = async () => {
    const db = ts.server.db.prisma;
    return {
      audit: await db.auditEvent.count(),
      desk: await db.deskEvent.count(),
      visits: await db.visit.count(),
      webhooks: await db.webhookDelivery.count(),
      workOrders: await db.workOrder.count(),
    };
  };

  beforeAll(async () => {
    ts = await startTestServer(kind, { env: { WEBHOOK_TIMEOUT_MS: '200' } });
    const property = async (name: string) =>
      (await ok(ts, m('createProperty', 'property { id }'), { input: { name, timeZone: 'UTC' } })).createProperty.property
        .id as string;
    propertyId = await property('Chiller Plaza');
    otherPropertyId = await property('Boiler Court');
    const company = (
      await ok(ts, m('createCompany', 'company { id }'), { input: { name: 'Cool Air Ltd', autoCreateVisit: true } })
    ).createCompany.company.id;
    vendor = await person(ts, 'Cora Cool', [], company);
    manager = await person(ts, 'Mona Manager', [{ role: 'PROPERTY_MANAGER', propertyId }]);
    desk = await person(ts, 'Dan Desk', [{ role: 'DESK', propertyId }]);
    await ok(ts, m('updateVisitorSettings', 'visitorSettings { workOrderIntegrationEnabled }'), {
      input: { workOrderIntegrationEnabled: true },
    });
    // A subscribed endpoint: a repeated call must not queue a webhook either.
    await ok(ts, m('createWebhookEndpoint', 'webhookEndpoint { id }'), { input: { url: 'https://93.184.216.34/cmms' } });
  }, 60_000);
  afterAll(() => ts?.close());

  it('creates the work order under its external id, with its visit, and finds it by that id', async () => {
    const externalId = `SC-${++n}`;
    const first = await upsert({ externalId, assigneeId: vendor.id, scheduledStart: ts.clock.in(0) }, manager.token);
    expect(first.userErrors).toEqual([]);
    expect(first).toMatchObject({
      created: true,
      workOrder: {
        title: 'Fix the chiller',
        status: 'OPEN',
        externalSource: 'servicechannel',
        externalId,
        assignee: { id: vendor.id },
      },
      generatedVisit: { status: 'EXPECTED' },
    });
    const found = await ok(
      ts,
      'query ($s: String!, $e: String!) { workOrderByExternalId(externalSource: $s, externalId: $e) { id requestId } }',
      {
        s: 'servicechannel',
        e: externalId,
      },
    );
    expect(found.workOrderByExternalId).toEqual({ id: first.workOrder.id, requestId: first.workOrder.requestId });
    const other = await ok(
      ts,
      'query ($s: String!, $e: String!) { workOrderByExternalId(externalSource: $s, externalId: $e) { id } }',
      {
        s: 'prism',
        e: externalId,
      },
    );
    expect(other.workOrderByExternalId).toBeNull();

    // The same call again: the same answer, and nothing written.
    const before = await footprint();
    const again = await upsert({ externalId, assigneeId: vendor.id, scheduledStart: ts.clock.in(0) }, manager.token);
    expect(again).toMatchObject({
      created: false,
      workOrder: first.workOrder,
      generatedVisit: null,
      generatedVisits: [],
      userErrors: [],
    });
    expect(await footprint()).toEqual(before);
  });

  it('updates it through the same rules, and COMPLETED completes it with every effect of completeWorkOrder', async () => {
    const externalId = `SC-${++n}`;
    const first = await upsert({ externalId, assigneeId: vendor.id });
    const visitId = first.generatedVisit.id;
    await ok(ts, m('checkInVisit', 'visit { id }'), { input: { visitId } });

    const renamed = await upsert({ externalId, title: 'Fix the chiller, then the pumps' });
    expect(renamed).toMatchObject({
      created: false,
      workOrder: { title: 'Fix the chiller, then the pumps', status: 'IN_PROGRESS' },
    });
    const trail = await ok(ts, 'query ($id: ID) { auditEvents(first: 20, entityId: $id) { edges { node { action } } } }', {
      id: first.workOrder.id,
    });
    expect(trail.auditEvents.edges.map((e: { node: { action: string } }) => e.node.action)).toEqual([
      'workOrder.created',
      'workOrder.started',
      'workOrder.updated',
    ]);

    const done = await upsert({ externalId, title: 'Fix the chiller, then the pumps', status: 'COMPLETED' });
    expect(done).toMatchObject({
      created: false,
      workOrder: { status: 'COMPLETED' },
      checkedOutVisits: [{ id: visitId, status: 'CHECKED_OUT' }],
      userErrors: [],
    });
    const before = await footprint();
    expect(await upsert({ externalId, title: 'Fix the chiller, then the pumps', status: 'COMPLETED' })).toMatchObject({
      created: false,
      checkedOutVisits: [],
      userErrors: [],
    });
    expect(await footprint()).toEqual(before);
    // Completed work cannot change any more.
    const late = await upsert({ externalId, title: 'Something else' });
    expect(late.userErrors).toMatchObject([{ code: 'INVALID_TRANSITION', field: ['input', 'workOrderId'] }]);
  });

  it('makes one work order when calls for a new external id race, and every call answers with it', async () => {
    const externalId = `SC-RACE-${++n}`;
    const before = await ts.server.db.prisma.workOrder.count();
    const answers = await Promise.all(Array.from({ length: 8 }, () => upsert({ externalId, assigneeId: vendor.id })));
    expect(answers.every((a) => a.userErrors.length === 0)).toBe(true);
    expect(new Set(answers.map((a) => a.workOrder.id)).size).toBe(1);
    expect(answers.filter((a) => a.created)).toHaveLength(1);
    expect(await ts.server.db.prisma.workOrder.count()).toBe(before + 1);
    expect(await ts.server.db.prisma.visit.count({ where: { workOrderId: dbId(answers[0].workOrder.id) } })).toBe(1);
  });

  it('refuses blank or over-long external ids, another property, and roles that may not, writing nothing', async () => {
    const before = await footprint();
    expect((await upsert({ externalId: '  ' })).userErrors).toEqual([
      { code: 'INVALID_INPUT', message: 'externalId must not be blank.', field: ['input', 'externalId'] },
    ]);
    expect((await upsert({ externalId: 'x'.repeat(201) })).userErrors).toEqual([
      { code: 'INVALID_INPUT', message: 'externalId must be at most 200 characters long.', field: ['input', 'externalId'] },
    ]);
    expect((await upsert({ externalId: 'SC-1', externalSource: '' })).userErrors[0]).toMatchObject({
      field: ['input', 'externalSource'],
    });
    expect((await upsert({ externalId: `SC-${++n}` }, desk.token)).userErrors.map((e: { code: string }) => e.code)).toEqual([
      'FORBIDDEN',
    ]);
    expect(await footprint()).toEqual(before);

    const existing = `SC-${++n}`;
    await upsert({ externalId: existing });
    const moved = await upsert({ externalId: existing, propertyId: otherPropertyId });
    expect(moved.userErrors).toEqual([
      {
        code: 'WORK_ORDER_PROPERTY_MISMATCH',
        message: `servicechannel work order "${existing}" belongs to another property; a work order cannot move between properties.`,
        field: ['input', 'propertyId'],
      },
    ]);
  });
});
