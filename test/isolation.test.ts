import { randomUUID } from 'node:crypto';
import { getNamedType, isInputObjectType, type GraphQLField, type GraphQLInputType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '../src/graphql/global-id.ts';
import { schema } from '../src/graphql/schema.ts';
import { DATABASES } from './support/databases.ts';
import { ok, run, type Person } from './support/people.ts';
import { startTestServer, Subscription, type TestServer } from './support/server.ts';
import { buildWorld, type Side, type World } from './support/world.ts';
import { parse } from 'graphql';

// Tenant isolation, as a matrix: every root field that takes an id or a Request ID, called
// by each non-administrator role against an object of a property the role does not hold,
// must answer exactly as it answers for an id that names nothing at all.

interface Ids extends Side {
  apiTokenId: string;
  userId: string;
  /** Open, with the side's checked-in visit on its list. */
  evacuationId: string;
}

interface Case {
  field: string;
  kind: 'query' | 'mutation';
  /** The operation aimed at `target`; `own` holds valid ids of the caller's own property. */
  build(target: Ids, own: Side): { query: string; variables: Record<string, unknown> };
}

const m = (field: string, inputType: string, payload: string) =>
  `mutation ($input: ${inputType}!) { ${field}(input: $input) { ${payload} userErrors { code message field } } }`;

const CASES: Case[] = [
  ...(['propertyId', 'workOrderId', 'visitId'] as const).map((key): Case => ({
    field: 'node',
    kind: 'query',
    build: (t) => ({ query: 'query ($id: ID!) { node(id: $id) { id } }', variables: { id: t[key] } }),
  })),
  {
    field: 'nodes',
    kind: 'query',
    build: (t) => ({
      query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      variables: { ids: [t.propertyId, t.workOrderId, t.visitId, t.apiTokenId] },
    }),
  },
  {
    field: 'workOrderByRequestId',
    kind: 'query',
    build: (t) => ({
      query: 'query ($r: String!) { workOrderByRequestId(requestId: $r) { id } }',
      variables: { r: t.requestId },
    }),
  },
  {
    field: 'visitorDesk',
    kind: 'query',
    build: (t) => ({
      query: 'query ($p: ID!) { visitorDesk(propertyId: $p) { entries { id } } }',
      variables: { p: t.propertyId },
    }),
  },
  {
    field: 'auditEvents',
    kind: 'query',
    build: (t) => ({
      query: 'query ($e: ID) { auditEvents(first: 5, entityId: $e) { edges { node { id } } } }',
      variables: { e: t.visitId },
    }),
  },
  {
    field: 'updateProperty',
    kind: 'mutation',
    build: (t) => ({
      query: m('updateProperty', 'UpdatePropertyInput', 'property { id }'),
      variables: { input: { propertyId: t.propertyId, name: 'Renamed' } },
    }),
  },
  {
    field: 'setComplianceRequirements',
    kind: 'mutation',
    build: (t) => ({
      query: m('setComplianceRequirements', 'SetComplianceRequirementsInput', 'property { id complianceRequirements }'),
      variables: { input: { propertyId: t.propertyId, kinds: ['LICENSE'] } },
    }),
  },
  {
    field: 'createWorkOrder',
    kind: 'mutation',
    build: (t) => ({
      query: m('createWorkOrder', 'CreateWorkOrderInput', 'workOrder { id }'),
      variables: { input: { propertyId: t.propertyId, title: 'Sneaky' } },
    }),
  },
  ...['updateWorkOrder', 'completeWorkOrder'].map((field): Case => ({
    field,
    kind: 'mutation',
    build: (t) => ({
      query: m(field, `${field[0].toUpperCase()}${field.slice(1)}Input`, 'workOrder { id }'),
      variables: { input: { workOrderId: t.workOrderId, ...(field === 'updateWorkOrder' && { title: 'Sneaky' }) } },
    }),
  })),
  {
    field: 'createVisit',
    kind: 'mutation',
    build: (t) => ({
      query: m('createVisit', 'CreateVisitInput', 'visit { id }'),
      variables: { input: { propertyId: t.propertyId, visitorName: 'Sneaky', expectedArrival: new Date().toISOString() } },
    }),
  },
  {
    // The caller's own property, linked to the other property's work order by Request ID.
    field: 'createVisit',
    kind: 'mutation',
    build: (t, own) => ({
      query: m('createVisit', 'CreateVisitInput', 'visit { id }'),
      variables: {
        input: {
          propertyId: own.propertyId,
          visitorName: 'Sneaky',
          expectedArrival: new Date().toISOString(),
          requestId: t.requestId,
        },
      },
    }),
  },
  {
    field: 'updateVisit',
    kind: 'mutation',
    build: (t) => ({
      query: m('updateVisit', 'UpdateVisitInput', 'visit { id }'),
      variables: { input: { visitId: t.visitId, notes: 'Sneaky' } },
    }),
  },
  {
    field: 'updateVisit',
    kind: 'mutation',
    build: (t, own) => ({
      query: m('updateVisit', 'UpdateVisitInput', 'visit { id }'),
      variables: { input: { visitId: own.manualVisitId, requestId: t.requestId } },
    }),
  },
  ...['checkInVisit', 'checkOutVisit', 'cancelVisit'].map((field): Case => ({
    field,
    kind: 'mutation',
    build: (t) => ({
      query: m(field, `${field[0].toUpperCase()}${field.slice(1)}Input`, 'visit { id }'),
      variables: { input: { visitId: field === 'checkOutVisit' ? t.visitId : t.manualVisitId } },
    }),
  })),
  ...['grantRole', 'revokeRole'].map((field): Case => ({
    field,
    kind: 'mutation',
    build: (t) => ({
      query: m(field, `${field[0].toUpperCase()}${field.slice(1)}Input`, 'user { id }'),
      variables: { input: { userId: t.userId, role: 'DESK', propertyId: t.propertyId } },
    }),
  })),
  {
    field: 'upsertWorkOrder',
    kind: 'mutation',
    build: (t) => ({
      query: m('upsertWorkOrder', 'UpsertWorkOrderInput', 'workOrder { id } created'),
      variables: { input: { externalSource: 'cmms', externalId: 'SNEAKY-1', propertyId: t.propertyId, title: 'Sneaky' } },
    }),
  },
  {
    field: 'startEvacuation',
    kind: 'mutation',
    build: (t) => ({
      query: m('startEvacuation', 'StartEvacuationInput', 'evacuation { id }'),
      variables: { input: { propertyId: t.propertyId } },
    }),
  },
  {
    field: 'markAccountedFor',
    kind: 'mutation',
    build: (t) => ({
      query: m('markAccountedFor', 'MarkAccountedForInput', 'evacuation { id missing }'),
      variables: { input: { evacuationId: t.evacuationId, visitId: t.visitId } },
    }),
  },
  {
    field: 'endEvacuation',
    kind: 'mutation',
    build: (t) => ({
      query: m('endEvacuation', 'EndEvacuationInput', 'evacuation { id endedAt }'),
      variables: { input: { evacuationId: t.evacuationId } },
    }),
  },
  {
    field: 'issueApiToken',
    kind: 'mutation',
    build: (t) => ({ query: m('issueApiToken', 'IssueApiTokenInput', 'token'), variables: { input: { userId: t.userId } } }),
  },
  {
    field: 'revokeApiToken',
    kind: 'mutation',
    build: (t) => ({
      query: m('revokeApiToken', 'RevokeApiTokenInput', 'apiToken { id }'),
      variables: { input: { apiTokenId: t.apiTokenId } },
    }),
  },
];

/** Fields that take ids but are not about a property's objects, and why they are outside the matrix. */
const NOT_PROPERTY_DATA: Record<string, string> = {
  updateCompany: 'companies are organisation-wide; only administrators change them',
  createUser: 'users are organisation-wide; only administrators create them',
  addComplianceDocument:
    "a company's documents: companies are organisation-wide (vendors of other companies: compliance.test.ts)",
  approveComplianceDocument: 'as addComplianceDocument',
  removeComplianceDocument: 'as addComplianceDocument',
  visitorDeskChanged: 'the subscription has its own test below (it needs a live client)',
  updateWebhookEndpoint: 'webhook endpoints are organisation-wide; only administrators see or change them (webhooks.test.ts)',
  deleteWebhookEndpoint: 'as updateWebhookEndpoint',
  rotateWebhookSecret: 'as updateWebhookEndpoint',
  sendTestWebhook: 'as updateWebhookEndpoint',
  redeliverWebhook: 'as updateWebhookEndpoint',
  evacuationStarted: 'refused alike for another property and an unknown id: evacuation.test.ts',
  evacuationChanged: "refused alike for another property's evacuation and an unknown id: evacuation.test.ts",
};

/** Every root field with an ID or a Request ID among its arguments or input fields. */
function fieldsTakingIds(): string[] {
  const takesId = (type: GraphQLInputType, name: string, seen = new Set<string>()): boolean => {
    if (name === 'requestId') return true;
    const named = getNamedType(type);
    if (named.name === 'ID') return true;
    if (!isInputObjectType(named) || seen.has(named.name)) return false;
    seen.add(named.name);
    return Object.values(named.getFields()).some((f) => takesId(f.type, f.name, seen));
  };
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
  return roots.flatMap((root) =>
    Object.values(root!.getFields())
      .filter((field: GraphQLField<unknown, unknown>) => field.args.some((a) => takesId(a.type, a.name)))
      .map((field) => field.name),
  );
}

/**
 * What a caller can observe of an answer: data, error codes and messages, HTTP status. A
 * message may quote the Request ID the caller typed; that quote is what they sent, not a leak.
 */
function observed(result: Awaited<ReturnType<typeof run>>, requestId: string) {
  const text = JSON.stringify({
    status: result.status,
    data: result.data ?? null,
    errors: (result.errors ?? []).map((e) => ({ message: e.message, code: e.extensions?.code })),
  });
  return JSON.parse(text.replaceAll(requestId, '<requestId>'));
}

/** The codes an answer refuses with: a top-level error's, or its payload's userErrors. */
function refusal(result: Awaited<ReturnType<typeof run>>): string[] {
  if (result.errors?.length) return result.errors.map((e) => String(e.extensions?.code));
  const payload = Object.values(result.data ?? {})[0] as { userErrors?: Array<{ code: string }> } | null;
  return payload?.userErrors?.map((e) => e.code) ?? [];
}

describe.each(DATABASES)('tenant isolation on %s', (kind) => {
  let ts: TestServer;
  let world: World;
  let foreign: Ids;
  let unknown: Ids;

  beforeAll(async () => {
    ts = await startTestServer(kind);
    world = await buildWorld(ts);
    const evacuation = await ok(
      ts,
      'mutation ($input: StartEvacuationInput!) { startEvacuation(input: $input) { evacuation { id } } }',
      { input: { propertyId: world.b.propertyId } },
    );
    foreign = {
      ...world.b,
      apiTokenId: world.vendorB.tokenId,
      userId: world.vendorB.id,
      evacuationId: evacuation.startEvacuation.evacuation.id,
    };
    const fake = (type: string) => encodeGlobalID(type, randomUUID());
    unknown = {
      propertyId: fake('Property'),
      workOrderId: fake('WorkOrder'),
      requestId: 'WO-999999',
      visitId: fake('Visit'),
      manualVisitId: fake('Visit'),
      apiTokenId: fake('ApiToken'),
      userId: fake('User'),
      evacuationId: fake('Evacuation'),
    };
  }, 120_000);
  afterAll(() => ts?.close());

  it('covers every root field that takes an id or a Request ID', () => {
    const covered = new Set([...CASES.map((c) => c.field), ...Object.keys(NOT_PROPERTY_DATA)]);
    expect(fieldsTakingIds().filter((f) => !covered.has(f))).toEqual([]);
  });

  const roles: Array<[string, (w: World) => Person]> = [
    ['PROPERTY_MANAGER of A', (w) => w.managerA],
    ['DESK of A', (w) => w.deskA],
    ['VENDOR with work at A', (w) => w.vendorA],
  ];

  describe.each(roles)('%s', (_name, who) => {
    it.each(CASES.map((c, i) => [`${c.kind} ${c.field} #${i}`, c] as const))(
      '%s: an object of property B answers exactly like one that does not exist',
      async (_label, c) => {
        const caller = who(world);
        const aimedAtB = c.build(foreign, world.a);
        const aimedAtNothing = c.build(unknown, world.a);
        const atB = await run(ts, aimedAtB.query, aimedAtB.variables, caller.token);
        const atNothing = await run(ts, aimedAtNothing.query, aimedAtNothing.variables, caller.token);
        expect(observed(atB, foreign.requestId)).toEqual(observed(atNothing, unknown.requestId));
        expect(atB.status).toBe(200);
        // Either nothing is there (null) or a refusal that reveals nothing.
        const codes = refusal(atB);
        if (codes.length === 0) expect(Object.values(atB.data ?? {}).flat()).not.toContainEqual(expect.anything());
        else expect(['NOT_FOUND', 'FORBIDDEN']).toContain(codes[0]);
      },
    );

    it('changed nothing at property B', async () => {
      const b = await ok(
        ts,
        `query ($p: ID!, $v: ID!, $m: ID!, $e: ID!) {
          property: node(id: $p) { ... on Property { name complianceRequirements workOrders(first: 10) { edges { node { id title status } } } } }
          visit: node(id: $v) { ... on Visit { status notes } }
          manual: node(id: $m) { ... on Visit { status } }
          evacuation: node(id: $e) { ... on Evacuation { endedAt missing } }
        }`,
        { p: world.b.propertyId, v: world.b.visitId, m: world.b.manualVisitId, e: foreign.evacuationId },
      );
      expect(b.property.name).toBe('Beta Tower');
      expect(b.property.complianceRequirements).toEqual([]);
      expect(b.property.workOrders.edges).toHaveLength(1);
      expect(b.property.workOrders.edges[0].node.status).toBe('IN_PROGRESS');
      expect(b.visit).toEqual({ status: 'CHECKED_IN', notes: null });
      expect(b.manual).toEqual({ status: 'EXPECTED' });
      expect(b.evacuation).toEqual({ endedAt: null, missing: 1 });
    });
  });

  it('lists leave property B out: properties, and its visits and work orders', async () => {
    for (const caller of [world.managerA, world.deskA, world.vendorA]) {
      const data = await ok(ts, '{ properties(first: 50) { edges { node { id } } } }', {}, caller.token);
      expect(data.properties.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([world.a.propertyId]);
    }
    const admin = await ok(ts, '{ properties(first: 50) { edges { node { id } } } }');
    expect(admin.properties.edges).toHaveLength(2);
  });

  it('a vendor sees only their own work orders and visits, even at a property where they work', async () => {
    const query = `query ($p: ID!) { node(id: $p) { ... on Property {
      workOrders(first: 50) { edges { node { id visits { id } } } }
      visits(first: 50) { edges { node { id } } } } } }`;
    const data = await ok(ts, query, { p: world.a.propertyId }, world.vendorA.token);
    expect(data.node.workOrders.edges).toEqual([{ node: { id: world.a.workOrderId, visits: [{ id: world.a.visitId }] } }]);
    expect(data.node.visits.edges).toEqual([{ node: { id: world.a.visitId } }]);
    // The desk staff of A see both of A's visits.
    const desk = await ok(ts, query, { p: world.a.propertyId }, world.deskA.token);
    expect(desk.node.visits.edges).toHaveLength(2);
  });

  it("another property's desk subscription is refused like an unknown one and delivers nothing", async () => {
    const doc = parse('subscription ($p: ID!) { visitorDeskChanged(propertyId: $p) { kind visit { id } } }');
    const own = new Subscription<any>(ts.wsClient(world.deskA.token), doc, { p: world.a.propertyId });
    const atB = new Subscription<any>(ts.wsClient(world.deskA.token), doc, { p: world.b.propertyId });
    const atNothing = new Subscription<any>(ts.wsClient(world.deskA.token), doc, { p: unknown.propertyId });
    const errorAtB = (await atB.waitForError()) as Array<{ message: string; extensions: { code: string } }>;
    const errorAtNothing = (await atNothing.waitForError()) as Array<{ message: string; extensions: { code: string } }>;
    expect(JSON.stringify(errorAtB)).toEqual(JSON.stringify(errorAtNothing));
    expect(JSON.stringify(errorAtB)).toContain('NOT_FOUND');
    // Give the own-desk subscription time to start, then change both desks.
    await new Promise((r) => setTimeout(r, 300));
    await ok(ts, m('checkOutVisit', 'CheckOutVisitInput', 'visit { id }'), { input: { visitId: world.b.visitId } });
    await ok(ts, m('cancelVisit', 'CancelVisitInput', 'visit { id }'), { input: { visitId: world.a.manualVisitId } });
    const [event] = await own.waitFor(1);
    expect(event.visitorDeskChanged.visit.id).toBe(world.a.manualVisitId);
    expect(atB.events).toEqual([]);
    for (const s of [own, atB, atNothing]) s.close();
  });
});
