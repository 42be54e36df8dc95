import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { hashToken } from '../src/modules/access/auth.ts';
import { DATABASES } from './support/databases.ts';
import { ok, person, run } from './support/people.ts';
import { ADMIN_TOKEN, dbId, startTestServer, Subscription, type TestServer } from './support/server.ts';
import { buildWorld, type World } from './support/world.ts';

// Roles, tokens and the audit trail, through the public API.

const m = (field: string, inputType: string, payload: string) =>
  `mutation ($input: ${inputType}!) { ${field}(input: $input) { ${payload} userErrors { code message field } } }`;

const CHECK_IN = m('checkInVisit', 'CheckInVisitInput', 'visit { id status }');
const CANCEL = m('cancelVisit', 'CancelVisitInput', 'visit { id status }');
const COMPLETE = m(
  'completeWorkOrder',
  'CompleteWorkOrderInput',
  'workOrder { id status } checkedOutVisits { id status checkOutReason }',
);
const CREATE_WO = m('createWorkOrder', 'CreateWorkOrderInput', 'workOrder { id status }');
const UPDATE_WO = m('updateWorkOrder', 'UpdateWorkOrderInput', 'workOrder { id title }');
const CREATE_VISIT = m('createVisit', 'CreateVisitInput', 'visit { id }');
const GRANT = m('grantRole', 'GrantRoleInput', 'user { id roles { role property { id } } }');
const REVOKE = m('revokeRole', 'RevokeRoleInput', 'user { id roles { role property { id } } }');
const ISSUE = m('issueApiToken', 'IssueApiTokenInput', 'token apiToken { id label expiresAt revokedAt user { id } }');
const REVOKE_TOKEN = m('revokeApiToken', 'RevokeApiTokenInput', 'apiToken { id revokedAt }');

describe.each(DATABASES)('access control on %s', (kind) => {
  let ts: TestServer;
  let world: World;

  beforeAll(async () => {
    ts = await startTestServer(kind);
    world = await buildWorld(ts);
  }, 120_000);
  afterAll(() => ts?.close());

  /** A visit expected now at property A, created by its desk (or `token`); returns the payload. */
  async function visitAtA(visitorName: string, token = world.deskA.token) {
    const input = { propertyId: world.a.propertyId, visitorName, expectedArrival: ts.clock.now().toISOString() };
    return (await ok(ts, CREATE_VISIT, { input }, token)).createVisit;
  }

  describe('roles', () => {
    it('are granted and revoked by administrators only; others get FORBIDDEN and nothing changes', async () => {
      const input = { userId: world.deskA.id, role: 'DESK', propertyId: world.b.propertyId };
      for (const caller of [world.managerA, world.deskA, world.vendorA]) {
        const refused = await ok(ts, GRANT, { input }, caller.token);
        expect(refused.grantRole).toMatchObject({ user: null, userErrors: [{ code: 'FORBIDDEN' }] });
      }
      const viewer = await ok(ts, '{ viewer { roles { role property { id } } } }', {}, world.deskA.token);
      expect(viewer.viewer.roles).toEqual([{ role: 'DESK', property: { id: world.a.propertyId } }]);

      const granted = await ok(ts, GRANT, { input });
      expect(granted.grantRole.userErrors).toEqual([]);
      expect(granted.grantRole.user.roles).toEqual([
        { role: 'DESK', property: { id: world.a.propertyId } },
        { role: 'DESK', property: { id: world.b.propertyId } },
      ]);
      // Granting again changes nothing.
      expect((await ok(ts, GRANT, { input })).grantRole.user.roles).toHaveLength(2);
      // The new role works on the next request.
      const desk = await run(
        ts,
        'query ($p: ID!) { visitorDesk(propertyId: $p) { entries { id } } }',
        { p: world.b.propertyId },
        world.deskA.token,
      );
      expect(desk.errors).toBeUndefined();

      const revoked = await ok(ts, REVOKE, { input });
      expect(revoked.revokeRole.user.roles).toEqual([{ role: 'DESK', property: { id: world.a.propertyId } }]);
      const again = await ok(ts, REVOKE, { input });
      expect(again.revokeRole.userErrors).toEqual([
        { code: 'NOT_FOUND', message: 'This user does not hold DESK at that property.', field: ['input', 'role'] },
      ]);
      const gone = await run(
        ts,
        'query ($p: ID!) { visitorDesk(propertyId: $p) { entries { id } } }',
        { p: world.b.propertyId },
        world.deskA.token,
      );
      expect(gone.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });

    it('refuse a property on ADMIN or VENDOR, none on PROPERTY_MANAGER or DESK, and VENDOR without a company', async () => {
      const cases = [
        [{ role: 'ADMIN', propertyId: world.a.propertyId }, 'ADMIN is organisation-wide; leave propertyId out.'],
        [{ role: 'VENDOR', propertyId: world.a.propertyId }, 'VENDOR is organisation-wide; leave propertyId out.'],
        [{ role: 'PROPERTY_MANAGER' }, 'PROPERTY_MANAGER is a role at one property; give its propertyId.'],
        [{ role: 'DESK' }, 'DESK is a role at one property; give its propertyId.'],
      ] as const;
      for (const [grant, message] of cases) {
        const result = await ok(ts, GRANT, { input: { userId: world.deskA.id, ...grant } });
        expect(result.grantRole.userErrors).toEqual([{ code: 'INVALID_INPUT', message, field: ['input', 'propertyId'] }]);
      }
      const vendor = await ok(ts, GRANT, { input: { userId: world.deskA.id, role: 'VENDOR' } });
      expect(vendor.grantRole.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'userId'] });
      const viewer = await ok(ts, '{ viewer { roles { role } } }', {}, world.deskA.token);
      expect(viewer.viewer.roles).toEqual([{ role: 'DESK' }]);
    });

    it("open a property's nested visitorDesk only to whoever works that desk", async () => {
      await visitAtA('Nested Desk Guest');
      const query = 'query ($p: ID!) { node(id: $p) { ... on Property { name visitorDesk { entries { visitorName } } } } }';
      const byDesk = await ok(ts, query, { p: world.a.propertyId }, world.deskA.token);
      expect(byDesk.node.visitorDesk.entries.map((e: any) => e.visitorName)).toContain('Nested Desk Guest');
      // The vendor sees the property (it has work there), not its desk.
      const byVendor = await run(ts, query, { p: world.a.propertyId }, world.vendorA.token);
      expect(byVendor.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(JSON.stringify(byVendor.data)).not.toContain('Nested Desk Guest');
    });

    it('keep the last administrator', async () => {
      const admin = await ok(ts, '{ viewer { id } }');
      const result = await ok(ts, REVOKE, { input: { userId: admin.viewer.id, role: 'ADMIN' } });
      expect(result.revokeRole.userErrors[0]).toMatchObject({ code: 'CONFLICT' });
    });
  });

  describe('what each role may do', () => {
    it('a property manager runs their work orders; the desk may read them but not change them', async () => {
      const created = await ok(
        ts,
        CREATE_WO,
        { input: { propertyId: world.a.propertyId, title: 'Paint the lobby' } },
        world.managerA.token,
      );
      expect(created.createWorkOrder.workOrder.status).toBe('OPEN');
      const workOrderId = created.createWorkOrder.workOrder.id;

      const byDesk = await ok(ts, CREATE_WO, { input: { propertyId: world.a.propertyId, title: 'Nope' } }, world.deskA.token);
      expect(byDesk.createWorkOrder).toMatchObject({
        workOrder: null,
        userErrors: [{ code: 'FORBIDDEN', field: ['input', 'propertyId'] }],
      });
      const update = await ok(ts, UPDATE_WO, { input: { workOrderId, title: 'Nope' } }, world.deskA.token);
      expect(update.updateWorkOrder.userErrors[0].code).toBe('FORBIDDEN');
      const read = await ok(
        ts,
        'query ($id: ID!) { node(id: $id) { ... on WorkOrder { title } } }',
        { id: workOrderId },
        world.deskA.token,
      );
      expect(read.node).toEqual({ title: 'Paint the lobby' });
    });

    it('the desk handles visits; a vendor may see their visit but not check it in', async () => {
      const visitId = (await visitAtA('Pat Courier')).visit.id;
      const byVendor = await ok(ts, CHECK_IN, { input: { visitId: world.a.visitId } }, world.vendorA.token);
      expect(byVendor.checkInVisit.userErrors[0]).toMatchObject({ code: 'FORBIDDEN', field: ['input', 'visitId'] });
      const byDesk = await ok(ts, CHECK_IN, { input: { visitId } }, world.deskA.token);
      expect(byDesk.checkInVisit.visit.status).toBe('CHECKED_IN');
      expect((await visitAtA('Me', world.vendorA.token)).userErrors[0].code).toBe('FORBIDDEN');
    });

    it('a vendor completes their own work order, which checks their visit out; not anyone else’s', async () => {
      const other = await ok(ts, COMPLETE, { input: { workOrderId: world.b.workOrderId } }, world.vendorA.token);
      expect(other.completeWorkOrder.userErrors[0].code).toBe('NOT_FOUND');
      const done = await ok(ts, COMPLETE, { input: { workOrderId: world.a.workOrderId } }, world.vendorA.token);
      expect(done.completeWorkOrder).toEqual({
        workOrder: { id: world.a.workOrderId, status: 'COMPLETED' },
        checkedOutVisits: [{ id: world.a.visitId, status: 'CHECKED_OUT', checkOutReason: 'WORK_ORDER_COMPLETED' }],
        userErrors: [],
      });
      const history = await ok(
        ts,
        'query ($id: ID!) { node(id: $id) { ... on Visit { history { action source actor { id } changes { field from to } } } } }',
        { id: world.a.visitId },
        world.vendorA.token,
      );
      const last = history.node.history.at(-1);
      expect(last).toEqual({
        action: 'visit.checkedOut',
        source: 'INTEGRATION',
        actor: { id: world.vendorA.id },
        changes: expect.arrayContaining([
          { field: 'status', from: 'CHECKED_IN', to: 'CHECKED_OUT' },
          { field: 'checkOutReason', from: null, to: 'WORK_ORDER_COMPLETED' },
        ]),
      });
    });

    it('organisation changes are for administrators only', async () => {
      const attempts = [
        [m('createProperty', 'CreatePropertyInput', 'property { id }'), { name: 'X', timeZone: 'UTC' }],
        [m('createCompany', 'CreateCompanyInput', 'company { id }'), { name: 'X' }],
        [m('updateCompany', 'UpdateCompanyInput', 'company { id }'), { companyId: world.companyId, name: 'X' }],
        [m('createUser', 'CreateUserInput', 'user { id }'), { name: 'X', email: 'x@example.com' }],
        [
          m('updateVisitorSettings', 'UpdateVisitorSettingsInput', 'visitorSettings { workOrderIntegrationEnabled }'),
          { workOrderIntegrationEnabled: false },
        ],
        [m('updateProperty', 'UpdatePropertyInput', 'property { id }'), { propertyId: world.a.propertyId, name: 'X' }],
      ] as const;
      for (const [query, input] of attempts) {
        const result = await ok(ts, query, { input }, world.managerA.token);
        const payload = Object.values(result)[0] as { userErrors: Array<{ code: string }> };
        expect(
          payload.userErrors.map((e) => e.code),
          query,
        ).toEqual(['FORBIDDEN']);
      }
      const settings = await ok(ts, '{ visitorSettings { workOrderIntegrationEnabled } }', {}, world.managerA.token);
      expect(settings.visitorSettings.workOrderIntegrationEnabled).toBe(true);
    });
  });

  describe('API tokens', () => {
    it('show the secret once, store only its hash, and stop working when revoked or expired', async () => {
      const issued = await ok(ts, ISSUE, { input: { userId: world.deskA.id, label: 'Lobby display' } });
      const { token, apiToken } = issued.issueApiToken;
      expect(token).toMatch(/^vwo_[A-Za-z0-9_-]{43}$/);
      const stored = await ts.server.db.prisma.apiToken.findUniqueOrThrow({ where: { id: dbId(apiToken.id) } });
      expect(stored.tokenHash).toBe(hashToken(token));
      expect(JSON.stringify(stored)).not.toContain(token);

      const viewer = await ok(ts, '{ viewer { id } }', {}, token);
      expect(viewer.viewer.id).toBe(world.deskA.id);
      // lastUsedAt is written after the request that used the token, without holding it up.
      const readUse = () =>
        ok(ts, 'query ($id: ID!) { node(id: $id) { ... on ApiToken { lastUsedAt label } } }', { id: apiToken.id });
      let used = await readUse();
      for (let waited = 0; used.node.lastUsedAt === null && waited < 5_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        used = await readUse();
      }
      expect(used.node).toEqual({ lastUsedAt: ts.clock.now().toISOString(), label: 'Lobby display' });

      const revoked = await ok(ts, REVOKE_TOKEN, { input: { apiTokenId: apiToken.id } });
      expect(revoked.revokeApiToken.apiToken.revokedAt).toBe(ts.clock.now().toISOString());
      const after = await run(ts, '{ viewer { id } }', {}, token);
      expect(after.status).toBe(401);
      expect(after.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

      const expiring = await ok(ts, ISSUE, {
        input: { userId: world.deskA.id, expiresAt: new Date(ts.clock.now().getTime() + 60_000).toISOString() },
      });
      expect((await run(ts, '{ viewer { id } }', {}, expiring.issueApiToken.token)).status).toBe(200);
      ts.clock.advance(61_000);
      expect((await run(ts, '{ viewer { id } }', {}, expiring.issueApiToken.token)).status).toBe(401);

      const past = await ok(ts, ISSUE, { input: { userId: world.deskA.id, expiresAt: '2000-01-01T00:00:00Z' } });
      expect(past.issueApiToken).toMatchObject({
        token: null,
        userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'expiresAt'] }],
      });
    });

    it('are issued by administrators only', async () => {
      const result = await ok(ts, ISSUE, { input: { userId: world.deskA.id } }, world.managerA.token);
      expect(result.issueApiToken).toMatchObject({ token: null, apiToken: null, userErrors: [{ code: 'FORBIDDEN' }] });
    });

    it('revoking a token ends its open subscriptions at once, over graphql-ws and SSE', async () => {
      const holder = await person(ts, 'Desk screen', [{ role: 'DESK', propertyId: world.a.propertyId }]);
      const doc = parse('subscription ($p: ID!) { visitorDeskChanged(propertyId: $p) { kind } }');
      const ws = new Subscription<any>(ts.wsClient(holder.token), doc, { p: world.a.propertyId });
      const sse = await fetch(ts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${holder.token}` },
        body: JSON.stringify({
          query: 'subscription ($p: ID!) { visitorDeskChanged(propertyId: $p) { kind } }',
          variables: { p: world.a.propertyId },
        }),
      });
      await new Promise((r) => setTimeout(r, 300));
      await ok(ts, REVOKE_TOKEN, { input: { apiTokenId: holder.tokenId } });
      const error = JSON.stringify(await ws.waitForError());
      expect(error).toContain('UNAUTHENTICATED');
      const body = await Promise.race([sse.text(), new Promise<string>((r) => setTimeout(() => r('still open'), 5_000))]);
      expect(body).toContain('UNAUTHENTICATED');
      expect(body).toContain('event: complete');
      ws.close();
    });
  });

  it("revoking a role ends the user's open subscriptions; what they still hold works again", async () => {
    const holder = await person(ts, 'Two desks', [
      { role: 'DESK', propertyId: world.a.propertyId },
      { role: 'DESK', propertyId: world.b.propertyId },
    ]);
    const doc = parse('subscription ($p: ID!) { visitorDeskChanged(propertyId: $p) { kind } }');
    const atB = new Subscription<any>(ts.wsClient(holder.token), doc, { p: world.b.propertyId });
    await new Promise((r) => setTimeout(r, 300));
    await ok(ts, REVOKE, { input: { userId: holder.id, role: 'DESK', propertyId: world.b.propertyId } });
    expect(JSON.stringify(await atB.waitForError())).toContain('UNAUTHENTICATED');
    const again = new Subscription<any>(ts.wsClient(holder.token), doc, { p: world.b.propertyId });
    expect(JSON.stringify(await again.waitForError())).toContain('NOT_FOUND');
    const atA = new Subscription<any>(ts.wsClient(holder.token), doc, { p: world.a.propertyId });
    await new Promise((r) => setTimeout(r, 300));
    await visitAtA('Still here', ADMIN_TOKEN);
    expect(await atA.waitFor(1)).toEqual([{ visitorDeskChanged: { kind: 'VISIT_ADDED' } }]);
    for (const s of [atB, again, atA]) s.close();
  });

  describe('audit trail', () => {
    it('records every change with source and actor, in the same transaction, and only administrators read it all', async () => {
      const visitId = (await visitAtA('Audit Me')).visit.id;
      await ok(ts, CHECK_IN, { input: { visitId } }, world.deskA.token);
      // A refused change leaves no trace.
      await ok(ts, CANCEL, { input: { visitId } }, world.deskA.token);

      const log = await ok(
        ts,
        'query ($e: ID) { auditEvents(first: 100, entityId: $e) { edges { node { action source entityId actor { id } changes { field from to } } } } }',
        { e: visitId },
      );
      const events = log.auditEvents.edges.map((e: any) => e.node);
      expect(events.map((e: any) => [e.action, e.source, e.actor?.id, e.entityId])).toEqual([
        ['visit.created', 'API', world.deskA.id, visitId],
        ['visit.checkedIn', 'API', world.deskA.id, visitId],
      ]);
      expect(events[0].changes).toEqual(
        expect.arrayContaining([
          { field: 'visitorName', from: null, to: 'Audit Me' },
          { field: 'propertyId', from: null, to: world.a.propertyId },
          { field: 'status', from: null, to: 'EXPECTED' },
        ]),
      );
      expect(events[1].changes).toEqual(
        expect.arrayContaining([
          { field: 'status', from: 'EXPECTED', to: 'CHECKED_IN' },
          { field: 'checkedInAt', from: null, to: ts.clock.now().toISOString() },
        ]),
      );
      const forbidden = await run(ts, '{ auditEvents(first: 1) { edges { node { id } } } }', {}, world.deskA.token);
      expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const history = await ok(
        ts,
        'query ($id: ID!) { node(id: $id) { ... on Visit { history { action } } } }',
        { id: visitId },
        world.deskA.token,
      );
      expect(history.node.history.map((h: any) => h.action)).toEqual(['visit.created', 'visit.checkedIn']);
    });

    it('records the integration and the desk clock as their own sources', async () => {
      const settings = await ok(ts, '{ visitorSettings { workOrderIntegrationEnabled } }');
      expect(settings.visitorSettings.workOrderIntegrationEnabled).toBe(true);
      const vendor = await person(ts, 'Later Vendor', [{ role: 'VENDOR' }], world.companyId);
      const inTwoDays = new Date(ts.clock.now().getTime() + 48 * 3600_000).toISOString();
      const created = await ok(
        ts,
        m('createWorkOrder', 'CreateWorkOrderInput', 'workOrder { id } generatedVisit { id }'),
        { input: { propertyId: world.a.propertyId, title: 'Roof check', assigneeId: vendor.id, scheduledStart: inTwoDays } },
        world.managerA.token,
      );
      const visitId = created.createWorkOrder.generatedVisit.id;
      ts.clock.advance(25 * 3600_000);
      // Reading the desk moves it to now first: the visit's window opened.
      await ok(ts, 'query ($p: ID!) { visitorDesk(propertyId: $p) { entries { id } } }', { p: world.a.propertyId });
      const history = await ok(
        ts,
        'query ($id: ID!) { node(id: $id) { ... on Visit { history { action source actor { id } changes { field from to } } } } }',
        { id: visitId },
      );
      expect(history.node.history.map((h: any) => [h.action, h.source, h.actor?.id ?? null])).toEqual([
        ['visit.generated', 'INTEGRATION', world.managerA.id],
        ['visit.enteredDesk', 'SCHEDULER', null],
      ]);
      expect(history.node.history[1].changes).toEqual([{ field: 'inDeskWindow', from: 'false', to: 'true' }]);
    });

    it('cannot be changed or deleted, even by SQL', async () => {
      const count = await ts.server.db.prisma.auditEvent.count();
      expect(count).toBeGreaterThan(10);
      await expect(ts.server.db.prisma.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
      await expect(ts.server.db.prisma.auditEvent.updateMany({ data: { action: 'forged' } })).rejects.toThrow(/append-only/);
      expect(await ts.server.db.prisma.auditEvent.count()).toBe(count);
      const mutations = Object.keys((await import('../src/graphql/schema.ts')).schema.getMutationType()!.getFields());
      expect(mutations.filter((name) => /audit/i.test(name))).toEqual([]);
    });
  });
});
