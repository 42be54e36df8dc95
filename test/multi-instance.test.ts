import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { print } from 'graphql';
import type { ResultOf } from '@graphql-typed-document-node/core';
import { HOUR, MINUTE, TestClock } from './support/clock.ts';
import { freshDatabase, type TestDatabase } from './support/databases.ts';
import { ADMIN_TOKEN, dbId, startTestServer, subscribeDesk, Subscription, type TestServer } from './support/server.ts';
import { CheckIn, CreateProperty, CreateVisit, DeskChangedWithCursor, UpdateVisit } from './support/fixtures.ts';
import { startServerProcess } from './support/process.ts';
import { mutation, ok } from './support/people.ts';
import { graphql } from './generated/index.ts';

// Several instances behind a load balancer, on one PostgreSQL and one Redis: a change
// committed on any instance reaches the subscribers of every instance, in order, once.
// These need the machine's PostgreSQL and Redis (CI sets both variables).

const postgres = process.env.TEST_DATABASE_URL;
const redis = process.env.REDIS_URL;
if (!postgres || !redis) console.warn('multi-instance tests skipped: set TEST_DATABASE_URL and REDIS_URL to run them');

const Changed = DeskChangedWithCursor;
type Changed = ResultOf<typeof Changed>['visitorDeskChanged'];

const EvacuationChanged = graphql(`
  subscription EvacuationChangedOnTwin($evacuationId: ID!, $after: String) {
    evacuationChanged(evacuationId: $evacuationId, after: $after) {
      kind
      visit {
        id
      }
      evacuation {
        missing
      }
    }
  }
`);

const seqOf = (cursor: string) => Number(Buffer.from(cursor, 'base64url').toString('utf8').split(':')[2]);

describe.runIf(postgres)('two instances on one PostgreSQL', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  const clock = new TestClock();

  beforeAll(async () => {
    database = await freshDatabase('postgres');
    // Both desk clocks run, often, over the same data and the same time.
    a = await startTestServer('postgres', { clock, database, env: { DESK_CLOCK_MS: '25' } });
    b = await startTestServer('postgres', { clock, database, env: { DESK_CLOCK_MS: '25' } });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('announce a visit entering and leaving the desk window exactly once between them', async () => {
    const propertyId = (await a.gql(CreateProperty, { input: { name: 'Twin Towers', timeZone: 'UTC' } })).createProperty.property!
      .id;
    const visits = [];
    for (let i = 0; i < 5; i++) {
      const v = (
        await b.gql(CreateVisit, {
          input: { propertyId, visitorName: `Later ${i}`, expectedArrival: clock.in(3 * 24 * HOUR + i * MINUTE) },
        })
      ).createVisit;
      visits.push(v.visit!.id);
    }
    const onA = await subscribeDesk(a, Changed, propertyId);
    const onB = await subscribeDesk(b, Changed, propertyId);
    // Without Redis, what one instance commits reaches the other's subscribers at its next
    // log catch-up (every 5 s): wait for longer than that.
    const CATCH_UP = 12_000;
    clock.advance(2 * 24 * HOUR + 10 * MINUTE); // every window has opened
    await onA.waitFor(5, CATCH_UP);
    await onB.waitFor(5, CATCH_UP);
    clock.advance(2 * 24 * HOUR); // every window has passed
    await onA.waitFor(10, CATCH_UP);
    await onB.waitFor(10, CATCH_UP);
    await new Promise((r) => setTimeout(r, 300)); // many more clock passes on both instances
    const stored = await a.server.db.prisma.deskEvent.findMany({
      where: { propertyId: dbId(propertyId) },
      orderBy: { seq: 'asc' },
    });
    expect(stored.map((e) => e.kind)).toEqual([...Array(5).fill('VISIT_ADDED'), ...Array(5).fill('VISIT_REMOVED')]);
    for (const sub of [onA, onB]) {
      const got = sub.events.map((e) => e.visitorDeskChanged);
      expect(got.map((e) => seqOf(e.cursor))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(new Set(got.slice(0, 5).map((e) => e.visit.id))).toEqual(new Set(visits));
      sub.close();
    }
  }, 60_000);

  it('make each no-show and automatic check-out once between them, each announced once', async () => {
    const input = (value: Record<string, unknown>) => ({ input: value });
    const property = await ok(a, mutation('createProperty', 'property { id }'), input({ name: 'Twin Docks', timeZone: 'UTC' }));
    const propertyId = property.createProperty.property.id;
    await ok(
      b,
      mutation('updateProperty', 'property { id }'),
      input({ propertyId, onSitePolicy: { autoCheckOut: { hoursAfterDeparture: 1 }, noShowAfterMinutes: 30 } }),
    );
    const expected: string[] = [];
    const onSite: string[] = [];
    for (let i = 0; i < 6; i++) {
      const created = await ok(
        i % 2 ? a : b,
        mutation('createVisit', 'visit { id }'),
        input({ propertyId, visitorName: `Twin ${i}`, expectedArrival: clock.in(0) }),
      );
      const id = created.createVisit.visit.id;
      if (i < 3) expected.push(id);
      else {
        await ok(a, mutation('checkInVisit', 'visit { id }'), input({ visitId: id }));
        onSite.push(id);
      }
    }
    clock.advance(2 * HOUR);
    const settled = async () =>
      (await a.server.db.prisma.visit.count({
        where: { propertyId: dbId(propertyId), status: { in: ['EXPECTED', 'CHECKED_IN'] } },
      })) === 0;
    const deadline = Date.now() + 10_000;
    while (!(await settled()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300)); // many more clock passes on both instances
    const events = await a.server.db.prisma.deskEvent.findMany({
      where: { propertyId: dbId(propertyId) },
      orderBy: { seq: 'asc' },
    });
    const after = (kind: string) =>
      events
        .filter((e) => e.kind === kind)
        .map((e) => e.visitId)
        .sort();
    expect(after('VISIT_REMOVED')).toEqual(expected.map(dbId).sort());
    expect(after('VISIT_CHECKED_OUT')).toEqual(onSite.map(dbId).sort());
    const audits = await a.server.db.prisma.auditEvent.findMany({
      where: { propertyId: dbId(propertyId), action: { in: ['visit.noShow', 'visit.checkedOut'] } },
    });
    expect(audits.map((e) => e.action).sort()).toEqual([...Array(3).fill('visit.checkedOut'), ...Array(3).fill('visit.noShow')]);
  }, 60_000);

  it('announce a certificate expiring under visitors on site exactly once between them', async () => {
    const input = (value: Record<string, unknown>) => ({ input: value });
    const property = await ok(a, mutation('createProperty', 'property { id }'), input({ name: 'Twin Gates', timeZone: 'UTC' }));
    const propertyId = property.createProperty.property.id;
    await ok(a, mutation('setComplianceRequirements', 'property { id }'), input({ propertyId, kinds: ['LICENSE'] }));
    const company = await ok(a, mutation('createCompany', 'company { id }'), input({ name: 'Twin Electrics' }));
    const companyId = company.createCompany.company.id;
    await ok(
      b,
      mutation('addComplianceDocument', 'complianceDocument { id }'),
      input({ companyId, kind: 'LICENSE', effectiveFrom: clock.in(-HOUR), expiresAt: clock.in(HOUR) }),
    );
    const visits: string[] = [];
    for (let i = 0; i < 4; i++) {
      const created = await ok(
        i % 2 ? a : b,
        mutation('createVisit', 'visit { id }'),
        input({ propertyId, companyId, visitorName: `Fitter ${i}`, expectedArrival: clock.in(0) }),
      );
      const id = created.createVisit.visit.id;
      const checkedIn = await ok(a, mutation('checkInVisit', 'visit { status }'), input({ visitId: id }));
      expect(checkedIn.checkInVisit).toEqual({ visit: { status: 'CHECKED_IN' }, userErrors: [] });
      visits.push(id);
    }
    const updates = () => a.server.db.prisma.deskEvent.count({ where: { propertyId: dbId(propertyId), kind: 'VISIT_UPDATED' } });
    clock.advance(2 * HOUR);
    const deadline = Date.now() + 10_000;
    while ((await updates()) < visits.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300)); // many more clock passes on both instances
    const stored = await a.server.db.prisma.deskEvent.findMany({
      where: { propertyId: dbId(propertyId), kind: 'VISIT_UPDATED' },
    });
    expect(stored.map((e) => e.visitId).sort()).toEqual(visits.map(dbId).sort());
  }, 60_000);

  it('start one evacuation between them, with every visitor checking in meanwhile on its list once', async () => {
    const input = (value: Record<string, unknown>) => ({ input: value });
    const property = await ok(a, mutation('createProperty', 'property { id }'), input({ name: 'Twin Halls', timeZone: 'UTC' }));
    const propertyId = property.createProperty.property.id;
    const visits: string[] = [];
    for (let i = 0; i < 12; i++) {
      const created = await ok(
        i % 2 ? a : b,
        mutation('createVisit', 'visit { id }'),
        input({ propertyId, visitorName: `Hall ${i}`, expectedArrival: clock.in(0) }),
      );
      visits.push(created.createVisit.visit.id);
    }
    await ok(a, mutation('checkInVisit', 'visit { id }'), input({ visitId: visits[0] }));
    // Both instances start one while the others check in on either instance.
    const start = (ts: TestServer) => ok(ts, mutation('startEvacuation', 'evacuation { id }'), input({ propertyId }));
    const [first, second] = await Promise.all([
      start(a),
      start(b),
      ...visits.slice(1).map((visitId, i) => ok(i % 2 ? a : b, mutation('checkInVisit', 'visit { id }'), input({ visitId }))),
    ]);
    const answers = [first.startEvacuation, second.startEvacuation];
    expect(answers.map((r) => r.userErrors.map((e: { code: string }) => e.code)).sort()).toEqual([[], ['CONFLICT']]);
    const evacuation = answers.find((r) => r.evacuation)!.evacuation;
    const people = await a.server.db.prisma.evacuationPerson.findMany({ where: { evacuationId: dbId(evacuation.id) } });
    expect(people.map((p) => p.visitId).sort()).toEqual(visits.map(dbId).sort());
    const added = await a.server.db.prisma.evacuationEvent.count({
      where: { evacuationId: dbId(evacuation.id), kind: 'PERSON_ADDED' },
    });
    expect(added).toBeLessThanOrEqual(11);

    // A roll-call screen on one instance hears what is marked on the other (at its next catch-up without Redis).
    const read = await ok(b, 'query ($id: ID!) { node(id: $id) { ... on Evacuation { cursor } } }', { id: evacuation.id });
    const onB = new Subscription(b.wsClient(), EvacuationChanged, { evacuationId: evacuation.id, after: read.node.cursor });
    await ok(a, mutation('markAccountedFor', 'evacuation { id }'), input({ evacuationId: evacuation.id, visitId: visits[3] }));
    const [marked] = await onB.waitFor(1, 12_000);
    expect(marked.evacuationChanged).toMatchObject({
      kind: 'ACCOUNTED_FOR',
      visit: { id: visits[3] },
      evacuation: { missing: 11 },
    });
    onB.close();
  }, 60_000);
});

type Instance = Awaited<ReturnType<typeof startServerProcess>>;

const spawnInstance = (databaseUrl: string) =>
  startServerProcess({ DATABASE_URL: databaseUrl, REDIS_URL: redis, ADMIN_TOKEN, DESK_CLOCK_MS: '200' });

async function call<R, V>(
  instance: Instance,
  doc: import('@graphql-typed-document-node/core').TypedDocumentNode<R, V>,
  variables: V,
): Promise<R> {
  const res = await fetch(instance.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ query: print(doc), variables }),
  });
  const body = (await res.json()) as { data: R; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

function subscribe(instance: Instance, propertyId: string) {
  const client = createClient({
    url: instance.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${ADMIN_TOKEN}` },
    retryAttempts: 0,
  });
  return { client, sub: new Subscription(client, Changed, { propertyId }) };
}

describe.runIf(postgres && redis)('two server processes on one PostgreSQL and one Redis', () => {
  let database: TestDatabase;
  let one: Instance;
  let two: Instance;

  beforeAll(async () => {
    database = await freshDatabase('postgres');
    const url = `${postgres}${postgres!.includes('?') ? '&' : '?'}schema=${database.options.schema}`;
    one = await spawnInstance(url);
    two = await spawnInstance(url);
  }, 90_000);
  afterAll(async () => {
    for (const instance of [one, two]) {
      if (!instance) continue;
      instance.child.kill('SIGTERM');
      expect(await instance.exit).toBe(0);
    }
    await database?.drop();
  }, 30_000);

  /** Waits until the instance's subscription is live: a probe visit arrives through it. */
  async function live(propertyId: string, sub: Subscription<ResultOf<typeof Changed>>) {
    const deadline = Date.now() + 10_000;
    while (sub.events.length === 0) {
      if (Date.now() > deadline) throw new Error('subscription never became live');
      await call(one, CreateVisit, {
        input: { propertyId, visitorName: 'Probe', expectedArrival: new Date(Date.now() + HOUR).toISOString() },
      });
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('deliver every change committed on either instance to subscribers on both, in order, without duplicates', async () => {
    const propertyId = (await call(one, CreateProperty, { input: { name: 'Two Process Plaza', timeZone: 'UTC' } })).createProperty
      .property!.id;
    const s1 = subscribe(one, propertyId);
    const s2 = subscribe(two, propertyId);
    await live(propertyId, s1.sub);
    await live(propertyId, s2.sub);
    const start = new Map([s1.sub, s2.sub].map((sub) => [sub, sub.events.length]));

    const names: string[] = [];
    for (let i = 0; i < 10; i++) {
      const via = i % 2 === 0 ? one : two;
      names.push(`Guest ${i}`);
      await call(via, CreateVisit, {
        input: { propertyId, visitorName: `Guest ${i}`, expectedArrival: new Date(Date.now() + HOUR).toISOString() },
      });
    }
    for (const { sub } of [s1, s2]) {
      await sub.waitFor(start.get(sub)! + 10, 10_000);
      const got = sub.events.map((e) => e.visitorDeskChanged);
      const seqs = got.map((e) => seqOf(e.cursor));
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(got.filter((e) => e.visit.visitorName.startsWith('Guest')).map((e) => e.visit.visitorName)).toEqual(names);
    }
    // Both saw the same sequence from the first guest on.
    const tail = (sub: Subscription<ResultOf<typeof Changed>>) =>
      sub.events
        .map((e) => e.visitorDeskChanged.cursor)
        .filter((c) => seqOf(c) >= seqOf(s1.sub.events.at(-10)!.visitorDeskChanged.cursor));
    expect(tail(s2.sub)).toEqual(tail(s1.sub));
    await s1.client.dispose();
    await s2.client.dispose();
  }, 60_000);

  it('recover from a lost Redis connection without losing committed events', async () => {
    const propertyId = (await call(one, CreateProperty, { input: { name: 'Outage Point', timeZone: 'UTC' } })).createProperty
      .property!.id;
    const { client, sub } = subscribe(two, propertyId);
    await live(propertyId, sub);
    const before = sub.events.length;

    // Cut every Redis subscriber connection (both instances'), then commit at once.
    const admin = new Redis(redis!);
    await admin.client('KILL', 'TYPE', 'pubsub');
    await admin.quit();
    const visit = (
      await call(one, CreateVisit, {
        input: { propertyId, visitorName: 'During Outage', expectedArrival: new Date(Date.now() + HOUR).toISOString() },
      })
    ).createVisit.visit!;
    await call(one, CheckIn, { visitId: visit.id });
    await call(one, UpdateVisit, { input: { visitId: visit.id, notes: 'after the outage' } });

    await sub.waitFor(before + 3, 15_000);
    const got: Changed[] = sub.events.slice(before).map((e) => e.visitorDeskChanged);
    expect(got.map((e) => [e.kind, e.visit.id])).toEqual([
      ['VISIT_ADDED', visit.id],
      ['VISIT_CHECKED_IN', visit.id],
      ['VISIT_UPDATED', visit.id],
    ]);
    expect(two.output()).toMatch(/Redis \(announcements\): connection lost.*through the event log/);
    await client.dispose();
  }, 60_000);

  it('move a visit onto the desk when its window opens, within 5 seconds, announced once', async () => {
    const propertyId = (await call(one, CreateProperty, { input: { name: 'Timely Tower', timeZone: 'UTC' } })).createProperty
      .property!.id;
    // Expected 24 hours and 2 seconds from now: the window (24 h ahead) opens in 2 s.
    const opensAt = Date.now() + 2_000;
    const { client, sub } = subscribe(two, propertyId);
    await live(propertyId, sub);
    const before = sub.events.length;
    const visit = (
      await call(one, CreateVisit, {
        input: { propertyId, visitorName: 'On Time', expectedArrival: new Date(opensAt + 24 * HOUR).toISOString() },
      })
    ).createVisit.visit!;
    await sub.waitFor(before + 1, 8_000);
    const arrived = Date.now();
    const event = sub.events[before].visitorDeskChanged;
    expect(event).toMatchObject({ kind: 'VISIT_ADDED', visit: { id: visit.id } });
    expect(arrived - opensAt).toBeLessThan(5_000);
    await new Promise((r) => setTimeout(r, 1_000)); // several more passes on both instances
    expect(sub.events.slice(before).filter((e) => e.visitorDeskChanged.visit.id === visit.id)).toHaveLength(1);
    await client.dispose();
  }, 60_000);
});
