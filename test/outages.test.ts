import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { print } from 'graphql';
import type { ResultOf, TypedDocumentNode } from '@graphql-typed-document-node/core';
import { graphql } from './generated/index.ts';
import { HOUR } from './support/clock.ts';
import { freshDatabase, type TestDatabase } from './support/databases.ts';
import { ADMIN_TOKEN, dbId, Subscription } from './support/server.ts';
import { CreateProperty, CreateVisit, DeskChangedWithCursor } from './support/fixtures.ts';
import { killServer, startServerProcess, type ServerProcess } from './support/process.ts';
import { startProxy, type TcpProxy } from './support/proxy.ts';

// An operator's bad day, for real: the server processes reach PostgreSQL or Redis through a
// TCP proxy that can refuse connections, or hold them open while forwarding nothing (a frozen
// host, a partition). The time bounds asserted are behaviour, generous for a noisy machine.

const postgres = process.env.TEST_DATABASE_URL;
const redis = process.env.REDIS_URL;
if (!postgres) console.warn('outage tests skipped: set TEST_DATABASE_URL (and REDIS_URL) to run them');

type Changed = ResultOf<typeof DeskChangedWithCursor>['visitorDeskChanged'];

const seqOf = (cursor: string) => Number(Buffer.from(cursor, 'base64url').toString('utf8').split(':')[2]);

type Instance = ServerProcess & { url: string };
const instances: Instance[] = [];
const clients: Client[] = [];

async function start(env: Record<string, string>): Promise<Instance> {
  const instance = await startServerProcess({ ADMIN_TOKEN, LOG_LEVEL: 'info', ...env });
  instances.push(instance);
  return instance;
}

async function stopAll() {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  for (const instance of instances.splice(0)) {
    instance.child.kill('SIGTERM');
    const code = await Promise.race([instance.exit, new Promise((r) => setTimeout(() => r('hung'), 15_000))]);
    killServer(instance);
    expect(code, instance.output()).toBe(0);
    expect(instance.output()).not.toMatch(/Unhandled|ECONNRESET.*\n\s+at /);
  }
}

interface Timed<T> {
  ms: number;
  status: number;
  body: T;
}

async function timed<T>(run: () => Promise<Response>): Promise<Timed<T>> {
  const began = performance.now();
  const res = await run();
  const body = (await res.json()) as T;
  return { ms: performance.now() - began, status: res.status, body };
}

const health = (instance: Instance) => timed<{ status: string }>(() => fetch(instance.url.replace('/graphql', '/health')));

type GraphQLBody<R> = { data?: R; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };

const call = <R, V>(instance: Instance, doc: TypedDocumentNode<R, V>, variables: V) =>
  timed<GraphQLBody<R>>(() =>
    fetch(instance.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ query: print(doc), variables }),
    }),
  );

async function ok<R, V>(instance: Instance, doc: TypedDocumentNode<R, V>, variables: V): Promise<R> {
  const { body } = await call(instance, doc, variables);
  if (body.errors || !body.data) throw new Error(JSON.stringify(body));
  return body.data;
}

/** Polls /health until it answers 200; returns how long that took. */
async function healthyWithin(instance: Instance, limitMs: number): Promise<number> {
  const began = performance.now();
  for (;;) {
    const { status } = await health(instance);
    if (status === 200) return performance.now() - began;
    if (performance.now() - began > limitMs) throw new Error(`/health still ${status} after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function waitForOutput(instance: Instance, pattern: RegExp, count: number, limitMs = 10_000) {
  const deadline = Date.now() + limitMs;
  while ((instance.output().match(new RegExp(pattern, 'g')) ?? []).length < count) {
    if (Date.now() > deadline) throw new Error(`Expected ${count} × ${pattern} in:\n${instance.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const count = (text: string, pattern: RegExp) => (text.match(new RegExp(pattern, 'g')) ?? []).length;

/** The answer to a request that hit the outage: a masked error, no SQL, no stack. */
function expectMasked(body: GraphQLBody<unknown>) {
  expect(body.errors?.map((e) => e.message)).toEqual(['Unexpected error.']);
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/SELECT|INSERT|BEGIN|timeout|\.ts:\d+|at /i);
}

describe.runIf(postgres)('a silent, refusing or exhausted PostgreSQL', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let direct: pg.Client;

  const viaProxy = () => `${proxy.url(postgres!)}${postgres!.includes('?') ? '&' : '?'}schema=${database.options.schema}`;
  const propertyNames = async () =>
    (await direct.query<{ name: string }>('SELECT "name" FROM "Property" ORDER BY "name"')).rows.map((r) => r.name);
  const auditedProperties = async () =>
    (
      await direct.query<{ entityId: string }>(`SELECT "entityId" FROM "AuditEvent" WHERE "action" = 'property.created'`)
    ).rows.map((r) => r.entityId);

  beforeAll(async () => {
    database = await freshDatabase('postgres');
    const url = new URL(postgres!);
    proxy = await startProxy(url.hostname, Number(url.port || 5432));
    direct = new pg.Client({ connectionString: postgres, options: `-c search_path="${database.options.schema}"` });
    await direct.connect();
  });
  afterEach(stopAll, 30_000);
  afterAll(async () => {
    await direct?.end();
    await proxy?.close();
    await database?.drop();
  });

  it('stalled: /health says 503 within 2 s, a request gets a masked error, nothing half-written; 200 again soon after', async () => {
    proxy.set('forward');
    const server = await start({
      DATABASE_URL: viaProxy(),
      DATABASE_STATEMENT_TIMEOUT_MS: '1000',
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      RATE_LIMIT_PER_MINUTE: '0',
    });
    expect((await health(server)).status).toBe(200);
    await ok(server, CreateProperty, { input: { name: 'Before the stall', timeZone: 'UTC' } });

    proxy.set('stall');
    const probes = await Promise.all([health(server), health(server), health(server)]);
    probes.push(await health(server));
    for (const probe of probes) {
      expect(probe.status).toBe(503);
      expect(probe.body).toEqual({ status: 'unavailable' });
      expect(probe.ms).toBeLessThan(2_500);
    }
    const during = await call(server, CreateProperty, { input: { name: 'During the stall', timeZone: 'UTC' } });
    expectMasked(during.body);
    // The statement limit (1 s) plus the client's margin for a silent server (2 s), then some.
    expect(during.ms).toBeLessThan(6_000);

    proxy.set('forward');
    expect(await healthyWithin(server, 5_000)).toBeLessThan(5_000);
    await ok(server, CreateProperty, { input: { name: 'After the stall', timeZone: 'UTC' } });

    // The refused request's transaction was rolled back whole: its connection was dropped,
    // not handed to the next request.
    const names = await propertyNames();
    expect(names.filter((n) => n === 'Before the stall')).toHaveLength(1);
    expect(names.filter((n) => n === 'After the stall')).toHaveLength(1);
    expect(names).not.toContain('During the stall');
    expect(await auditedProperties()).toHaveLength(names.length);

    expect(count(server.output(), /The database does not answer within 1500 ms/)).toBe(1);
    await waitForOutput(server, /The database answers again\./, 1);
  }, 60_000);

  it('refused: /health says 503 at once and requests fail cleanly; 200 again soon after', async () => {
    proxy.set('forward');
    const server = await start({ DATABASE_URL: viaProxy(), DATABASE_CONNECT_TIMEOUT_MS: '1000', RATE_LIMIT_PER_MINUTE: '0' });
    const before = (await propertyNames()).length;

    proxy.set('refuse');
    for (let i = 0; i < 3; i++) {
      const probe = await health(server);
      expect(probe.status).toBe(503);
      expect(probe.ms).toBeLessThan(2_500);
    }
    const refused = await call(server, CreateProperty, { input: { name: 'While refused', timeZone: 'UTC' } });
    expect(refused.ms).toBeLessThan(3_000);
    expect(refused.status).not.toBe(200);
    expect(JSON.stringify(refused.body)).not.toMatch(/ECONNRESET|\.ts:\d+|at /);

    proxy.set('forward');
    expect(await healthyWithin(server, 5_000)).toBeLessThan(5_000);
    await ok(server, CreateProperty, { input: { name: 'After the refusal', timeZone: 'UTC' } });
    const names = await propertyNames();
    expect(names).toHaveLength(before + 1);
    expect(names).not.toContain('While refused');
  }, 60_000);

  it('pool exhausted: /health says 503 while every connection is taken; each acknowledged write is stored once', async () => {
    proxy.set('forward');
    const server = await start({ DATABASE_URL: viaProxy(), DATABASE_POOL_SIZE: '2', RATE_LIMIT_PER_MINUTE: '0' });
    expect((await health(server)).status).toBe(200);

    // Every write to Property waits for this lock, holding its pool connection meanwhile.
    await direct.query('BEGIN');
    await direct.query('LOCK TABLE "Property" IN ACCESS EXCLUSIVE MODE');
    const writes = ['Queued 1', 'Queued 2', 'Queued 3'].map((name) =>
      call(server, CreateProperty, { input: { name, timeZone: 'UTC' } }),
    );
    await new Promise((r) => setTimeout(r, 500));
    const probe = await health(server);
    expect(probe.status).toBe(503);
    expect(probe.ms).toBeLessThan(2_500);
    await direct.query('COMMIT');

    const answers = await Promise.all(writes);
    expect(await healthyWithin(server, 5_000)).toBeLessThan(5_000);
    const names = await propertyNames();
    const acknowledged = answers
      .filter((a) => a.body.data?.createProperty.property)
      .map((a) => a.body.data!.createProperty.property!.name);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const answer of answers) if (!answer.body.data?.createProperty.property) expectMasked(answer.body);
    for (const name of ['Queued 1', 'Queued 2', 'Queued 3'])
      expect(names.filter((n) => n === name)).toHaveLength(acknowledged.includes(name) ? 1 : 0);
    expect(await auditedProperties()).toHaveLength(names.length);
  }, 60_000);
});

const Viewer = graphql(`
  query OutageViewer {
    viewer {
      id
    }
  }
`);

const IssueToken = graphql(`
  mutation OutageIssueToken($input: IssueApiTokenInput!) {
    issueApiToken(input: $input) {
      token
      apiToken {
        id
      }
    }
  }
`);

const RevokeToken = graphql(`
  mutation OutageRevokeToken($input: RevokeApiTokenInput!) {
    revokeApiToken(input: $input) {
      apiToken {
        revokedAt
      }
    }
  }
`);

describe.runIf(postgres && redis)('a silent Redis between two instances', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let one: Instance;
  let two: Instance;

  beforeAll(async () => {
    database = await freshDatabase('postgres');
    const url = new URL(redis!);
    proxy = await startProxy(url.hostname, Number(url.port || 6379));
    const env = {
      DATABASE_URL: `${postgres}${postgres!.includes('?') ? '&' : '?'}schema=${database.options.schema}`,
      REDIS_URL: proxy.url(redis!),
      REDIS_TIMEOUT_MS: '250',
      DESK_CLOCK_MS: '0',
    };
    one = await start(env);
    two = await start(env);
  }, 60_000);
  // Long enough for stopAll to report an instance that hangs on SIGTERM (15 s each).
  afterAll(async () => {
    proxy?.set('forward');
    await stopAll();
    await proxy?.close();
    await database?.drop();
  }, 60_000);

  function subscribe(instance: Instance, propertyId: string, token = ADMIN_TOKEN) {
    const client = createClient({
      url: instance.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    clients.push(client);
    return new Subscription(client, DeskChangedWithCursor, { propertyId });
  }

  it('holds no request up, keeps every desk event flowing to both instances in order, once, and logs the outage once', async () => {
    const propertyId = (await ok(one, CreateProperty, { input: { name: 'Quiet Redis House', timeZone: 'UTC' } })).createProperty
      .property!.id;
    const subs = [subscribe(one, propertyId), subscribe(two, propertyId)];
    const names: string[] = [];
    const visit = async (via: Instance, name: string) => {
      names.push(name);
      const answer = await call(via, CreateVisit, {
        input: { propertyId, visitorName: name, expectedArrival: new Date(Date.now() + HOUR).toISOString() },
      });
      expect(answer.body.errors).toBeUndefined();
      return answer;
    };
    // Live on both: a visit arrives on both subscriptions.
    for (let i = 0; subs.some((s) => s.events.length === 0); i++) {
      if (i > 50) throw new Error('the subscriptions never became live');
      await visit(one, `Probe ${i}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // What each subscription must receive: every visit from the first probe it saw on.
    const due = (sub: (typeof subs)[number]) => names.length - names.indexOf(sub.events[0].visitorDeskChanged.visit.visitorName);

    proxy.set('stall');
    // Each request (rate limited through Redis) waits on it at most the bound, then not at all.
    for (let i = 0; i < 8; i++) {
      const answer = await visit(i % 2 === 0 ? one : two, `Stall ${i}`);
      expect(answer.ms).toBeLessThan(1_500);
    }
    for (const instance of [one, two]) {
      await waitForOutput(instance, /Redis \(rate limit\): no answer within 250 ms/, 1);
      await waitForOutput(instance, /Redis \(announcements\): no answer within 250 ms/, 2);
    }
    const fast = [];
    for (let i = 0; i < 5; i++) fast.push((await visit(two, `Known stall ${i}`)).ms);
    expect(Math.max(...fast)).toBeLessThan(1_000);
    // The other instance's events come from the event log's catch-up (every 5 s).
    for (const sub of subs) await sub.waitFor(due(sub), 15_000);

    proxy.set('forward');
    for (const instance of [one, two]) await waitForOutput(instance, /Redis \((rate limit|announcements)\) is back\./, 3);
    for (let i = 0; i < 3; i++) await visit(i % 2 === 0 ? one : two, `After ${i}`);
    for (const sub of subs) await sub.waitFor(due(sub), 10_000);
    await new Promise((r) => setTimeout(r, 500)); // late Redis messages queued during the stall

    for (const sub of subs) {
      const got: Changed[] = sub.events.map((e) => e.visitorDeskChanged);
      const seqs = got.map((e) => seqOf(e.cursor));
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(got.map((e) => e.visit.visitorName)).toEqual(names.slice(names.length - got.length));
      expect(got.every((e) => e.kind === 'VISIT_ADDED')).toBe(true);
    }
    // Every acknowledged visit is stored once.
    const direct = new pg.Client({ connectionString: postgres, options: `-c search_path="${database.options.schema}"` });
    await direct.connect();
    const stored = await direct
      .query<{ visitorName: string }>(`SELECT "visitorName" FROM "Visit" WHERE "propertyId" = $1`, [dbId(propertyId)])
      .finally(() => direct.end());
    expect(stored.rows.map((r) => r.visitorName).sort()).toEqual([...names].sort());
    for (const instance of [one, two]) {
      expect(count(instance.output(), /Redis \(rate limit\): no answer/)).toBe(1);
      expect(count(instance.output(), /Redis \(announcements\): no answer/)).toBe(2);
    }
  }, 90_000);

  it("ends a revoked token's subscriptions on its own instance at once during the stall, and on the other once Redis answers", async () => {
    const propertyId = (await ok(one, CreateProperty, { input: { name: 'Revocation Row', timeZone: 'UTC' } })).createProperty
      .property!.id;
    const adminId = (await ok(one, Viewer, {})).viewer!.id;
    const issued = (await ok(one, IssueToken, { input: { userId: adminId, label: 'lobby screen' } })).issueApiToken;
    const subs = [subscribe(one, propertyId, issued.token!), subscribe(two, propertyId, issued.token!)];
    for (let i = 0; subs.some((s) => s.events.length === 0); i++) {
      if (i > 50) throw new Error('the subscriptions never became live');
      await ok(one, CreateVisit, {
        input: { propertyId, visitorName: `Probe ${i}`, expectedArrival: new Date(Date.now() + HOUR).toISOString() },
      });
      await new Promise((r) => setTimeout(r, 100));
    }

    proxy.set('stall');
    await ok(one, RevokeToken, { input: { apiTokenId: issued.apiToken!.id } });
    const ended = await subs[0].waitForError(2_000);
    expect(JSON.stringify(ended)).toContain('UNAUTHENTICATED');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(subs[1].errors).toEqual([]);

    proxy.set('forward');
    const endedElsewhere = await subs[1].waitForError(10_000);
    expect(JSON.stringify(endedElsewhere)).toContain('UNAUTHENTICATED');
  }, 60_000);
});
