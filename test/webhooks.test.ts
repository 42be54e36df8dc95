import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { createPubSub } from 'graphql-yoga';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWork } from '../src/core/unit-of-work.ts';
import { SYSTEM } from '../src/modules/access/access.ts';
import { createVisit } from '../src/modules/visits/visits.ts';
import { WEBHOOK_EVENT_TYPES } from '../src/modules/webhooks/event-types.ts';
import { DATABASES, freshDatabase, type TestDatabase } from './support/databases.ts';
import { mutation as m, ok, person, run, type Person } from './support/people.ts';
import { killServer, startServerProcess, type ServerProcess } from './support/process.ts';
import { ADMIN_TOKEN, dbId, startTestServer, until, type TestServer } from './support/server.ts';
import { startReceiver, type Receiver } from './support/webhook-receiver.ts';

// Signed webhooks: endpoints (ADMIN only, https to public addresses), the outbox written
// in the change's own transaction, and delivery by server processes to a real https
// receiver, verified with the Standard Webhooks reference library.

const ENDPOINT = 'webhookEndpoint { id url description eventTypes enabled }';
const PUBLIC_URL = 'https://93.184.216.34/hooks';

describe.each(DATABASES)('webhook endpoints on %s', (kind) => {
  let ts: TestServer;
  let manager: Person;

  const create = (input: Record<string, unknown>, token?: string) =>
    run(ts, m('createWebhookEndpoint', `${ENDPOINT} secret`), { input }, token).then((r) => r.data!.createWebhookEndpoint);

  beforeAll(async () => {
    // No network here: attempts to the public address fail fast.
    ts = await startTestServer(kind, {
      env: { WEBHOOK_TIMEOUT_MS: '200', WEBHOOK_RETRY_SCHEDULE: '0,432000,60' },
    });
    manager = await person(ts, 'Hook Manager', []);
    const property = await ok(ts, m('createProperty', 'property { id }'), { input: { name: 'Hook House', timeZone: 'UTC' } });
    await ok(ts, m('grantRole', 'user { id }'), {
      input: { userId: manager.id, role: 'PROPERTY_MANAGER', propertyId: property.createProperty.property.id },
    });
  }, 60_000);
  afterAll(() => ts?.close());

  it('are registered by administrators only, with the secret in that answer only', async () => {
    const refused = await create({ url: PUBLIC_URL }, manager.token);
    expect(refused).toMatchObject({ webhookEndpoint: null, secret: null, userErrors: [{ code: 'FORBIDDEN' }] });
    const list = await run(ts, '{ webhookEndpoints(first: 5) { edges { node { id } } } }', {}, manager.token);
    expect(list.errors?.[0]).toMatchObject({
      message: 'Only an administrator reads webhook endpoints.',
      extensions: { code: 'FORBIDDEN' },
    });

    const made = await create({
      url: PUBLIC_URL,
      description: 'Lobby screen',
      eventTypes: ['visit.checkedIn', 'visit.checkedIn'],
    });
    expect(made.userErrors).toEqual([]);
    expect(made.webhookEndpoint).toMatchObject({
      url: PUBLIC_URL,
      description: 'Lobby screen',
      eventTypes: ['visit.checkedIn'],
      enabled: true,
    });
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const hidden = await run(ts, 'query ($id: ID!) { node(id: $id) { id } }', { id: made.webhookEndpoint.id }, manager.token);
    expect(hidden.data!.node).toBeNull();
    const webhookEndpointId = made.webhookEndpoint.id;
    for (const [field, payload, input] of [
      ['updateWebhookEndpoint', 'webhookEndpoint { id }', { webhookEndpointId, enabled: false }],
      ['deleteWebhookEndpoint', 'deletedWebhookEndpointId', { webhookEndpointId }],
      ['rotateWebhookSecret', 'secret', { webhookEndpointId }],
      ['sendTestWebhook', 'webhookDelivery { id }', { webhookEndpointId }],
    ] as const) {
      const answer = await run(ts, m(field, payload), { input }, manager.token);
      expect(
        answer.data![field].userErrors.map((e: { code: string }) => e.code),
        field,
      ).toEqual(['FORBIDDEN']);
    }
    expect(
      (await ok(ts, 'query ($id: ID!) { node(id: $id) { ... on WebhookEndpoint { enabled } } }', { id: webhookEndpointId })).node,
    ).toEqual({
      enabled: true,
    });
    // Rotating gives a new secret; neither appears anywhere else, the audit trail included.
    const rotated = await ok(ts, m('rotateWebhookSecret', 'secret'), { input: { webhookEndpointId: made.webhookEndpoint.id } });
    expect(rotated.rotateWebhookSecret.secret).toMatch(/^whsec_/);
    expect(rotated.rotateWebhookSecret.secret).not.toBe(made.secret);
    const trail = await ok(
      ts,
      'query ($id: ID) { auditEvents(first: 10, entityId: $id) { edges { node { action changes { field to } } } } }',
      {
        id: made.webhookEndpoint.id,
      },
    );
    const text = JSON.stringify(trail);
    expect(trail.auditEvents.edges.map((e: { node: { action: string } }) => e.node.action)).toEqual([
      'webhookEndpoint.created',
      'webhookEndpoint.secretRotated',
    ]);
    expect(text).not.toContain(made.secret.slice(6));
    expect(text).not.toContain(rotated.rotateWebhookSecret.secret.slice(6));
    await ok(ts, m('deleteWebhookEndpoint', 'deletedWebhookEndpointId'), {
      input: { webhookEndpointId: made.webhookEndpoint.id },
    });
  });

  it('refuse plain http, private addresses however spelled, and unknown event types, writing nothing', async () => {
    const refused = async (input: Record<string, unknown>) => {
      const answer = await create(input);
      expect(answer.webhookEndpoint).toBeNull();
      return answer.userErrors;
    };
    expect(await refused({ url: 'http://93.184.216.34/hooks' })).toEqual([
      { code: 'INVALID_INPUT', message: 'Webhook URLs must use https.', field: ['input', 'url'] },
    ]);
    for (const [url, shown] of [
      ['https://127.0.0.1/x', '127.0.0.1 is a loopback address'],
      ['https://0x7f.1/x', '127.0.0.1 is a loopback address'],
      ['https://2130706433/x', '127.0.0.1 is a loopback address'],
      ['https://017700000001/x', '127.0.0.1 is a loopback address'],
      ['https://[::ffff:127.0.0.1]/x', '127.0.0.1 is a loopback address'],
      ['https://[::1]/x', '::1 is a loopback address'],
      ['https://10.1.2.3/x', '10.1.2.3 is a private network address'],
      ['https://192.168.0.10/x', '192.168.0.10 is a private network address'],
      ['https://169.254.169.254/latest/meta-data', '169.254.169.254 is a cloud metadata address'],
      ['https://localhost/x', '127.0.0.1 is a loopback address'],
    ]) {
      const [error] = await refused({ url });
      expect(error, url).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'url'] });
      expect(error.message, url).toContain(shown);
    }
    expect(await refused({ url: 'https://user:pw@93.184.216.34/x' })).toMatchObject([{ field: ['input', 'url'] }]);
    expect(await refused({ url: 'not a url' })).toMatchObject([{ code: 'INVALID_INPUT', field: ['input', 'url'] }]);
    expect(await refused({ url: PUBLIC_URL, eventTypes: ['visit.checkedIn', 'visit.teleported'] })).toEqual([
      {
        code: 'INVALID_INPUT',
        message:
          '"visit.teleported" is not an event type; use one of visit.generated, visit.created, visit.updated, … (all are listed in the README).',
        field: ['input', 'eventTypes', '1'],
      },
    ]);
    const list = await ok(ts, '{ webhookEndpoints(first: 50) { edges { node { url } } } }');
    expect(list.webhookEndpoints.edges).toEqual([]);
  });

  it('queue each change for the endpoints subscribed to it, in its own transaction, with the object as the API shows it', async () => {
    const all = (await create({ url: PUBLIC_URL })).webhookEndpoint;
    const checkIns = (await create({ url: `${PUBLIC_URL}/in`, eventTypes: ['visit.checkedIn'] })).webhookEndpoint;
    const off = (await create({ url: `${PUBLIC_URL}/off` })).webhookEndpoint;
    await ok(ts, m('updateWebhookEndpoint', ENDPOINT), { input: { webhookEndpointId: off.id, enabled: false } });
    const property = (await ok(ts, m('createProperty', 'property { id }'), { input: { name: 'Hook Annex', timeZone: 'UTC' } }))
      .createProperty.property.id;
    const company = (await ok(ts, m('createCompany', 'company { id }'), { input: { name: 'Hook Crew', autoCreateVisit: true } }))
      .createCompany.company.id;
    const vendor = await person(ts, 'Hook Vendor', [], company);
    await ok(ts, m('updateVisitorSettings', 'visitorSettings { workOrderIntegrationEnabled }'), {
      input: { workOrderIntegrationEnabled: true },
    });
    const created = await ok(ts, m('createWorkOrder', 'workOrder { id } generatedVisit { id }'), {
      input: { propertyId: property, title: 'Hook up the hooks', assigneeId: vendor.id },
    });
    const visitId = created.createWorkOrder.generatedVisit.id;
    await ok(ts, m('checkInVisit', 'visit { id }'), { input: { visitId } });

    const deliveries = (endpointId: string) =>
      ts.server.db.prisma.webhookDelivery.findMany({
        where: { endpointId: dbId(endpointId) },
        orderBy: [{ createdAt: 'asc' }, { eventType: 'asc' }],
      });
    expect((await deliveries(all.id)).map((d) => d.eventType).sort()).toEqual(
      ['visit.checkedIn', 'visit.generated', 'workOrder.created', 'workOrder.started'].sort(),
    );
    const [checkedIn] = await deliveries(checkIns.id);
    expect((await deliveries(checkIns.id)).map((d) => d.eventType)).toEqual(['visit.checkedIn']);
    expect(await deliveries(off.id)).toEqual([]);
    // Each endpoint has its own webhook-id for the event.
    const again = (await deliveries(all.id)).find((d) => d.eventType === 'visit.checkedIn')!;
    expect(again.eventId).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(again.eventId).not.toBe(checkedIn.eventId);

    const body = JSON.parse(checkedIn.body);
    const shown = await ok(
      ts,
      `query ($id: ID!) { node(id: $id) { ... on Visit {
        id status visitorName source expectedArrival expectedDeparture checkedInAt checkedOutAt checkOutReason
        property { id } company { id name } workOrder { id requestId title status } } } }`,
      { id: visitId },
    );
    expect(body).toEqual({ type: 'visit.checkedIn', timestamp: expect.any(String), data: { visit: shown.node } });
    const woEvent = (await deliveries(all.id)).find((d) => d.eventType === 'workOrder.created')!;
    const wo = await ok(
      ts,
      `query ($id: ID!) { node(id: $id) { ... on WorkOrder {
        id requestId title description status property { id } assignee { id } scheduledStart scheduledEnd completedAt externalSource externalId } } }`,
      { id: created.createWorkOrder.workOrder.id },
    );
    // As the work order was when it was created: OPEN, before the check-in started it.
    expect(JSON.parse(woEvent.body).data).toEqual({ workOrder: { ...wo.node, status: 'OPEN' } });

    // A change that rolls back queues nothing.
    const before = await ts.server.db.prisma.webhookDelivery.count();
    const failing = runWork(
      { prisma: ts.server.db.prisma, clock: ts.clock, announcements: createPubSub() },
      SYSTEM,
      async (work) => {
        await createVisit({ propertyId: dbId(property), visitorName: 'Never Was', expectedArrival: ts.clock.now() })(work);
        throw new Error('rolled back');
      },
    );
    await expect(failing).rejects.toThrow('rolled back');
    expect(await ts.server.db.prisma.webhookDelivery.count()).toBe(before);

    // A change with subscribers writes its outbox in one statement.
    const statements: string[] = [];
    const outboxStatements = async (change: () => Promise<unknown>) => {
      statements.length = 0;
      const stop = ts.server.db.watchStatements((sql) => statements.push(sql));
      await change();
      stop();
      return statements.filter((sql) => sql.includes('INSERT INTO "WebhookDelivery"')).length;
    };
    const plainVisit = () =>
      ok(ts, m('createVisit', 'visit { id }'), {
        input: { propertyId: property, visitorName: 'Plain', expectedArrival: ts.clock.in(0) },
      });
    expect(await outboxStatements(() => ok(ts, m('checkOutVisit', 'visit { id }'), { input: { visitId } }))).toBe(1);
    expect(await outboxStatements(plainVisit)).toBe(1);
    // With none (an endpoint for other events, a disabled one), none: the audit statement asked
    // whether any endpoint subscribes.
    // The worker may be recording attempts to the endpoint right then: CONFLICT says to try again.
    const remove = async (webhookEndpointId: string) => {
      for (let attempt = 1; ; attempt++) {
        const { deleteWebhookEndpoint: deleted } = await ok(ts, m('deleteWebhookEndpoint', 'deletedWebhookEndpointId'), {
          input: { webhookEndpointId },
        });
        if (deleted.userErrors[0]?.code === 'CONFLICT' && attempt < 5) continue;
        expect(deleted).toEqual({ deletedWebhookEndpointId: webhookEndpointId, userErrors: [] });
        return;
      }
    };
    await remove(all.id);
    const queued = await ts.server.db.prisma.webhookDelivery.count();
    expect(await outboxStatements(plainVisit)).toBe(0);
    expect(
      statements.filter((sql) => sql.includes('INSERT INTO "AuditEvent"') && sql.includes('"WebhookEndpoint"')),
    ).toHaveLength(1);
    expect(await ts.server.db.prisma.webhookDelivery.count()).toBe(queued);
    for (const id of [checkIns.id, off.id]) await remove(id);
    expect(await outboxStatements(plainVisit)).toBe(0);
  });

  it('check the address again at every attempt: one that is not allowed (any more) gets nothing', async () => {
    // As if its name now resolved to this machine: saved before, refused when sending.
    const endpoint = await ts.server.db.prisma.webhookEndpoint.create({
      data: { url: 'https://127.0.0.1:9/hooks', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
    });
    const sent = await ok(ts, m('sendTestWebhook', 'webhookDelivery { id }'), {
      input: { webhookEndpointId: Buffer.from(`WebhookEndpoint:${endpoint.id}`).toString('base64url') },
    });
    await ts.server.webhooks.tick();
    const delivery = await ok(
      ts,
      'query ($id: ID!) { node(id: $id) { ... on WebhookDelivery { status attempts { responseStatus error } nextAttemptAt } } }',
      {
        id: sent.sendTestWebhook.webhookDelivery.id,
      },
    );
    expect(delivery.node.status).toBe('PENDING');
    expect(delivery.node.attempts.length).toBeGreaterThanOrEqual(1);
    for (const attempt of delivery.node.attempts) {
      expect(attempt).toEqual({
        responseStatus: null,
        error: '127.0.0.1 resolves to 127.0.0.1 is a loopback address; webhooks go to public addresses only.',
      });
    }
    await ts.server.db.prisma.webhookEndpoint.delete({ where: { id: endpoint.id } });
  });

  it('record a batch of attempts together, in as many statements whatever its size', async () => {
    const endpoint = await ts.server.db.prisma.webhookEndpoint.create({
      data: { url: 'https://127.0.0.1:9/batch', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
    });
    // Written without waking the worker, so that its next pass claims them in one batch.
    const queue = (count: number) =>
      ts.server.db.prisma.webhookDelivery.createMany({
        data: Array.from({ length: count }, (_, i) => ({
          endpointId: endpoint.id,
          eventId: `msg_batch_${count}_${i}`,
          eventType: 'webhook.test',
          body: '{}',
          nextAttemptAt: ts.clock.now(),
          createdAt: ts.clock.now(),
        })),
      });
    const pass = async () => {
      const statements: string[] = [];
      const stop = ts.server.db.watchStatements((sql) => statements.push(sql));
      await ts.server.webhooks.tick();
      stop();
      return statements;
    };
    await queue(2);
    const small = await pass();
    await queue(12); // and the two again: their retry is due at once (the schedule's 0 s)
    const large = await pass();
    expect(large).toHaveLength(small.length);
    expect(small.filter((sql) => sql.includes('"WebhookDelivery"'))).toHaveLength(2); // the claim, then the record
    const deliveries = await ts.server.db.prisma.webhookDelivery.findMany({ where: { endpointId: endpoint.id } });
    expect(deliveries.map((d) => [d.eventId.split('_')[2], d.status, (d.attempts as unknown[]).length]).sort()).toEqual(
      [...Array(2).fill(['2', 'PENDING', 2]), ...Array(12).fill(['12', 'PENDING', 1])].sort(),
    );
    expect(deliveries.every((d) => d.leaseUntil === null)).toBe(true);
    const { failingSince } = await ts.server.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(failingSince).toEqual(ts.clock.now());
    await ts.server.db.prisma.webhookEndpoint.delete({ where: { id: endpoint.id } });
  });

  it('disable an endpoint failing without a success for 5 days, and say so in the audit trail', async () => {
    // Nothing answers at this address here: every attempt fails.
    const { webhookEndpoint } = await create({ url: `${PUBLIC_URL}/down` });
    const send = async () =>
      (await ok(ts, m('sendTestWebhook', 'webhookDelivery { id }'), { input: { webhookEndpointId: webhookEndpoint.id } }))
        .sendTestWebhook.webhookDelivery.id as string;
    const first = await send();
    await ts.server.webhooks.tick(); // fails at once and again right after (the schedule's 0 s)
    const DAY = 24 * 3_600_000;
    ts.clock.advance(DAY);
    const second = await send();
    await ts.server.webhooks.tick();
    ts.clock.advance(4 * DAY);
    await ts.server.webhooks.tick(); // five days after the first failure, with no success since
    const state = await ok(
      ts,
      `query ($e: ID!, $a: ID!, $b: ID!) {
        e: node(id: $e) { ... on WebhookEndpoint { enabled disabledAt } }
        a: node(id: $a) { ... on WebhookDelivery { status nextAttemptAt attempts { responseStatus } } }
        b: node(id: $b) { ... on WebhookDelivery { status nextAttemptAt } } }`,
      { e: webhookEndpoint.id, a: first, b: second },
    );
    expect(state.e).toEqual({ enabled: false, disabledAt: ts.clock.in(0) });
    expect(state.a).toMatchObject({ status: 'FAILED', nextAttemptAt: null });
    expect(state.a.attempts).toHaveLength(3);
    expect(state.b).toEqual({ status: 'FAILED', nextAttemptAt: null });
    const trail = await ok(ts, 'query ($id: ID) { auditEvents(first: 10, entityId: $id) { edges { node { action source } } } }', {
      id: webhookEndpoint.id,
    });
    expect(trail.auditEvents.edges.map((e: { node: unknown }) => e.node)).toContainEqual({
      action: 'webhookEndpoint.disabled',
      source: 'SCHEDULER',
    });
    // Disabled: nothing is queued for it, and sending by hand is refused until it is enabled again.
    const refused = await run(ts, m('sendTestWebhook', 'webhookDelivery { id }'), {
      input: { webhookEndpointId: webhookEndpoint.id },
    });
    expect(refused.data!.sendTestWebhook.userErrors).toMatchObject([{ code: 'INVALID_TRANSITION' }]);
    const revived = await ok(ts, m('updateWebhookEndpoint', 'webhookEndpoint { enabled disabledAt }'), {
      input: { webhookEndpointId: webhookEndpoint.id, enabled: true },
    });
    expect(revived.updateWebhookEndpoint.webhookEndpoint).toEqual({ enabled: true, disabledAt: null });
    await ok(ts, m('deleteWebhookEndpoint', 'deletedWebhookEndpointId'), { input: { webhookEndpointId: webhookEndpoint.id } });
  });

  it('are documented: the README lists every event type', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    for (const type of WEBHOOK_EVENT_TYPES) expect(readme, type).toContain(`\`${type}\``);
  });
});

/** Runs an operation on a server process as the administrator; fails on any GraphQL error. */
async function gqlAt(url: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data: any; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const DELIVERIES = `query ($id: ID!) { node(id: $id) { ... on WebhookEndpoint {
  deliveries(first: 50) { edges { node { id eventId eventType status nextAttemptAt attempts { at responseStatus durationMs error } } } } } } }`;

const postgres = process.env.TEST_DATABASE_URL;

describe.each(DATABASES)('webhook delivery by server processes on %s', (kind) => {
  let receiver: Receiver;
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  let dbEnv: Record<string, string>;
  const servers: (ServerProcess & { url: string })[] = [];

  /** A server process that trusts the receiver's certificate and retries after 1 s, then 1 s. */
  async function server(extra: Record<string, string> = {}) {
    const proc = await startServerProcess({
      ...dbEnv,
      ADMIN_TOKEN,
      NODE_EXTRA_CA_CERTS: receiver.caFile,
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_RETRY_SCHEDULE: '1,1',
      WEBHOOK_TIMEOUT_MS: '1000',
      WEBHOOK_POLL_MS: '100',
      ...extra,
    });
    servers.push(proc);
    return proc;
  }

  beforeAll(async () => {
    receiver = await startReceiver();
    if (kind === 'postgres') {
      database = await freshDatabase('postgres');
      dbEnv = { DATABASE_URL: `${postgres}${postgres!.includes('?') ? '&' : '?'}schema=${database.options.schema}` };
    } else {
      dataDir = await mkdtemp(join(tmpdir(), 'webhooks-'));
      dbEnv = { DATA_DIR: dataDir };
    }
  }, 60_000);
  afterAll(async () => {
    for (const proc of servers) killServer(proc);
    await Promise.all(servers.map((p) => p.exit));
    await receiver?.close();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 30_000);

  const endpoint = async (url: string, input: Record<string, unknown> = {}) =>
    (await gqlAt(url, m('createWebhookEndpoint', `${ENDPOINT} secret`), { input: { url: receiver.url, ...input } }))
      .createWebhookEndpoint;

  const deliveriesOf = async (url: string, endpointId: string) =>
    (await gqlAt(url, DELIVERIES, { id: endpointId })).node.deliveries.edges.map((e: { node: unknown }) => e.node);

  it('signs every delivery by Standard Webhooks, retries a failing receiver on the schedule, and survives a restart', async () => {
    let proc = await server();
    const made = await endpoint(proc.url);
    expect(made.userErrors).toEqual([]);
    // Private addresses allowed here, plain http still not.
    const plain = await endpoint(proc.url, { url: receiver.url.replace('https:', 'http:') });
    expect(plain.userErrors).toEqual([
      { code: 'INVALID_INPUT', message: 'Webhook URLs must use https.', field: ['input', 'url'] },
    ]);
    const verify = (i: number, secret = made.secret) => {
      const got = receiver.received[i];
      return new Webhook(secret).verify(got.body, got.headers) as { type: string; data: Record<string, any> };
    };

    // A visit arrives: the receiver hears visit.created, then visit.checkedIn, each verified.
    const property = (
      await gqlAt(proc.url, m('createProperty', 'property { id }'), { input: { name: 'Signal Tower', timeZone: 'UTC' } })
    ).createProperty.property.id;
    const visit = (
      await gqlAt(proc.url, m('createVisit', 'visit { id }'), {
        input: { propertyId: property, visitorName: 'Sam Signal', expectedArrival: new Date().toISOString() },
      })
    ).createVisit.visit.id;
    await gqlAt(proc.url, m('checkInVisit', 'visit { id }'), { input: { visitId: visit } });
    await until(() => receiver.received.length >= 2, 'two deliveries arrive');
    const events = [verify(0), verify(1)];
    expect(events.map((e) => e.type).sort()).toEqual(['visit.checkedIn', 'visit.created']);
    const checkedIn = events.find((e) => e.type === 'visit.checkedIn')!;
    expect(checkedIn.data.visit).toMatchObject({ id: visit, status: 'CHECKED_IN', visitorName: 'Sam Signal', workOrder: null });
    expect(() =>
      new Webhook('whsec_' + Buffer.from('x'.repeat(24)).toString('base64')).verify(
        receiver.received[0].body,
        receiver.received[0].headers,
      ),
    ).toThrow();
    // Received before recorded: the worker records a batch once its last attempt has ended.
    const recorded = () => deliveriesOf(proc.url, made.webhookEndpoint.id);
    let listed = await recorded();
    for (let i = 0; i < 50 && listed.some((d: { status: string }) => d.status !== 'SUCCEEDED'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      listed = await recorded();
    }
    expect(listed.map((d: { status: string }) => d.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(new Set(listed.map((d: { eventId: string }) => d.eventId))).toEqual(
      new Set(receiver.received.slice(0, 2).map((r) => r.headers['webhook-id'])),
    );
    expect(listed[0]).toMatchObject({ nextAttemptAt: null, attempts: [{ responseStatus: 200, error: null }] });

    // Failing twice, then recovering: three attempts of the same event, on the schedule.
    receiver.received.length = 0;
    receiver.answer(500, 503, 200);
    const test = (
      await gqlAt(proc.url, m('sendTestWebhook', 'webhookDelivery { id eventId }'), {
        input: { webhookEndpointId: made.webhookEndpoint.id },
      })
    ).sendTestWebhook.webhookDelivery;
    await until(() => receiver.received.length >= 3, 'the third attempt', 10_000);
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([test.eventId, test.eventId, test.eventId]);
    // Each retry signed at least the schedule's 1 s after the attempt before it started.
    const signedAt = receiver.received.map((r) => Number(r.headers['webhook-timestamp']));
    expect([signedAt[1] - signedAt[0], signedAt[2] - signedAt[1]].every((s) => s >= 1)).toBe(true);
    expect(verify(2).type).toBe('webhook.test');
    const settled = async () => (await deliveriesOf(proc.url, made.webhookEndpoint.id))[0];
    for (let i = 0; i < 50 && (await settled()).status !== 'SUCCEEDED'; i++) await new Promise((r) => setTimeout(r, 100));
    const done = await settled();
    expect(done).toMatchObject({
      eventType: 'webhook.test',
      status: 'SUCCEEDED',
      nextAttemptAt: null,
      attempts: [{ responseStatus: 500 }, { responseStatus: 503 }, { responseStatus: 200 }],
    });
    // The schedule counts from when an attempt started, not from when the receiver heard it.
    const started = done.attempts.map((a: { at: string }) => Date.parse(a.at));
    expect(started[1] - started[0]).toBeGreaterThanOrEqual(1000);
    expect(started[2] - started[1]).toBeGreaterThanOrEqual(1000);

    // Every attempt failing: FAILED after the schedule, with no next attempt; a timeout says so.
    receiver.received.length = 0;
    receiver.answer(500, 'hang', 307);
    const doomed = (
      await gqlAt(proc.url, m('sendTestWebhook', 'webhookDelivery { id }'), {
        input: { webhookEndpointId: made.webhookEndpoint.id },
      })
    ).sendTestWebhook.webhookDelivery;
    const state = async () =>
      (
        await gqlAt(
          proc.url,
          `query ($id: ID!) { node(id: $id) { ... on WebhookDelivery { status nextAttemptAt attempts { responseStatus error } } } }`,
          { id: doomed.id },
        )
      ).node;
    for (let i = 0; i < 80 && (await state()).status !== 'FAILED'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await state()).toEqual({
      status: 'FAILED',
      nextAttemptAt: null,
      attempts: [
        { responseStatus: 500, error: null },
        { responseStatus: null, error: 'No answer within 1000 ms.' },
        { responseStatus: 307, error: null },
      ],
    });
    // The redirect was not followed.
    expect(receiver.received.map((r) => r.url)).toEqual(['/hooks', '/hooks', '/hooks']);

    // Redelivered: the same webhook-id again, as a new delivery.
    receiver.received.length = 0;
    receiver.answer(200);
    const redelivered = (
      await gqlAt(proc.url, m('redeliverWebhook', 'webhookDelivery { id eventId status }'), {
        input: { webhookDeliveryId: doomed.id },
      })
    ).redeliverWebhook;
    expect(redelivered.userErrors).toEqual([]);
    expect(redelivered.webhookDelivery.id).not.toBe(doomed.id);
    await until(() => receiver.received.length >= 1, 'the redelivery');
    const original = receiver.received[0].headers['webhook-id'];
    expect(redelivered.webhookDelivery.eventId).toBe(original);

    // Rotated: for a day, each delivery carries both signatures, and either secret verifies it.
    const rotated = (
      await gqlAt(proc.url, m('rotateWebhookSecret', 'secret'), { input: { webhookEndpointId: made.webhookEndpoint.id } })
    ).rotateWebhookSecret.secret;
    receiver.received.length = 0;
    await gqlAt(proc.url, m('sendTestWebhook', 'webhookDelivery { id }'), {
      input: { webhookEndpointId: made.webhookEndpoint.id },
    });
    await until(() => receiver.received.length >= 1, 'a delivery after rotation');
    expect(receiver.received[0].headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verify(0, rotated).type).toBe('webhook.test');
    expect(verify(0, made.secret).type).toBe('webhook.test');

    // Killed with deliveries pending (the receiver failing), restarted: they are delivered.
    receiver.received.length = 0;
    receiver.answer(500);
    for (let i = 0; i < 3; i++) {
      await gqlAt(proc.url, m('sendTestWebhook', 'webhookDelivery { id }'), {
        input: { webhookEndpointId: made.webhookEndpoint.id },
      });
    }
    await until(() => receiver.received.length >= 3, 'the first attempts fail');
    killServer(proc);
    await proc.exit;
    const pending = new Set(receiver.received.map((r) => r.headers['webhook-id']));
    receiver.received.length = 0;
    receiver.answer(200);
    proc = await server();
    await until(
      () => new Set(receiver.received.filter((r) => r.headers['webhook-id']).map((r) => r.headers['webhook-id'])).size >= 3,
      'delivered after restart',
      15_000,
    );
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(pending);

    // The secrets never reach the logs.
    expect(servers.map((p) => p.output()).join('\n')).not.toContain(made.secret.slice(6));
    expect(servers.map((p) => p.output()).join('\n')).not.toContain(rotated.slice(6));

    // Deleted: nothing more is sent to it.
    const deleted = await gqlAt(proc.url, m('deleteWebhookEndpoint', 'deletedWebhookEndpointId'), {
      input: { webhookEndpointId: made.webhookEndpoint.id },
    });
    expect(deleted.deleteWebhookEndpoint).toEqual({ deletedWebhookEndpointId: made.webhookEndpoint.id, userErrors: [] });
    receiver.received.length = 0;
    await gqlAt(proc.url, m('checkOutVisit', 'visit { id }'), { input: { visitId: visit } });
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received).toEqual([]);
  }, 90_000);

  // Two instances need a database both can open: PostgreSQL (the embedded one is one process's).
  if (kind === 'postgres') {
    it('delivers each event once from two instances on one database', async () => {
      const one = servers.at(-1)!;
      const two = await server();
      // An address of its own, so that what other endpoints still get is told apart.
      const made = await endpoint(two.url, { url: `${receiver.url}-twins`, eventTypes: ['visit.created'] });
      receiver.received.length = 0;
      receiver.answer(200);
      const property = (
        await gqlAt(one.url, m('createProperty', 'property { id }'), { input: { name: 'Twin Signals', timeZone: 'UTC' } })
      ).createProperty.property.id;
      const expectedArrival = new Date().toISOString();
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          gqlAt(i % 2 ? one.url : two.url, m('createVisit', 'visit { id }'), {
            input: { propertyId: property, visitorName: `Twin ${i}`, expectedArrival },
          }),
        ),
      );
      const twins = () => receiver.received.filter((r) => r.url === '/hooks-twins');
      await until(() => twins().length >= 30, 'thirty deliveries', 15_000);
      await new Promise((r) => setTimeout(r, 1000)); // both workers polled many times more
      const ids = twins().map((r) => r.headers['webhook-id']);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
      const stored = await deliveriesOf(one.url, made.webhookEndpoint.id);
      expect(
        stored.filter((d: { status: string; attempts: unknown[] }) => d.status === 'SUCCEEDED' && d.attempts.length === 1),
      ).toHaveLength(30);
    }, 60_000);
  }
});
