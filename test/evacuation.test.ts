import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, MINUTE, TestClock } from './support/clock.ts';
import { DATABASES } from './support/databases.ts';
import { mutation as m, ok, person, run, type Person } from './support/people.ts';
import { ADMIN_TOKEN, startTestServer, Subscription, until, type TestServer } from './support/server.ts';
import { graphql } from './generated/index.ts';

// The evacuation roll call: who is on the list, accounting for people once, check-ins and
// check-outs during it, one open per property, and its live stream, resumable by cursor.

const EVACUATION = `id startedAt endedAt accountedFor missing cursor
  people { visit { id visitorName } accountedForAt accountedForHow accountedForBy { id } }`;

const EvacuationWatch = graphql(`
  subscription EvacuationWatch($evacuationId: ID!, $after: String) {
    evacuationChanged(evacuationId: $evacuationId, after: $after) {
      kind
      cursor
      visit {
        id
      }
      evacuation {
        id
        accountedFor
        missing
        endedAt
      }
    }
  }
`);

const EvacuationStarts = graphql(`
  subscription EvacuationStarts($propertyId: ID!) {
    evacuationStarted(propertyId: $propertyId) {
      id
      endedAt
      missing
    }
  }
`);

type Person_ = { visit: { id: string; visitorName: string }; accountedForAt: string | null; accountedForHow: string | null };

describe.each(DATABASES)('evacuation roll call on %s', (kind) => {
  let ts: TestServer;
  let manager: Person;
  let desk: Person;
  let otherDesk: Person;
  const clock = new TestClock('2026-11-26T09:00:00.000Z');
  let n = 0;

  async function property() {
    const created = await ok(ts, m('createProperty', 'property { id }'), {
      input: { name: `Tower ${++n}`, timeZone: 'Europe/London' },
    });
    const propertyId = created.createProperty.property.id as string;
    for (const [who, role] of [
      [manager, 'PROPERTY_MANAGER'],
      [desk, 'DESK'],
    ] as const) {
      await ok(ts, m('grantRole', 'user { id }'), { input: { userId: who.id, role, propertyId } });
    }
    return propertyId;
  }

  async function checkedIn(propertyId: string, name = `Visitor ${++n}`) {
    const created = await ok(ts, m('createVisit', 'visit { id }'), {
      input: { propertyId, visitorName: name, expectedArrival: clock.in(0) },
    });
    const visitId = created.createVisit.visit.id as string;
    const checked = await ok(ts, m('checkInVisit', 'visit { status }'), { input: { visitId } }, desk.token);
    expect(checked.checkInVisit).toEqual({ visit: { status: 'CHECKED_IN' }, userErrors: [] });
    return visitId;
  }

  const start = (propertyId: string, token = desk.token) =>
    run(ts, m('startEvacuation', `evacuation { ${EVACUATION} }`), { input: { propertyId } }, token).then(
      (r) => r.data!.startEvacuation,
    );
  const mark = (evacuationId: string, visitId: string, token = desk.token) =>
    run(ts, m('markAccountedFor', `evacuation { ${EVACUATION} }`), { input: { evacuationId, visitId } }, token).then(
      (r) => r.data!.markAccountedFor,
    );
  const end = (evacuationId: string, token = desk.token) =>
    run(ts, m('endEvacuation', `evacuation { ${EVACUATION} }`), { input: { evacuationId } }, token).then(
      (r) => r.data!.endEvacuation,
    );
  const read = async (evacuationId: string) =>
    (await ok(ts, `query ($id: ID!) { node(id: $id) { ... on Evacuation { ${EVACUATION} } } }`, { id: evacuationId })).node;
  const openOn = async (propertyId: string, token?: string) =>
    (await ok(ts, 'query ($id: ID!) { node(id: $id) { ... on Property { evacuation { id } } } }', { id: propertyId }, token)).node
      ?.evacuation;
  const status = (people: Person_[]) =>
    Object.fromEntries(people.map((p) => [p.visit.visitorName, p.accountedForHow ?? 'MISSING']));

  beforeAll(async () => {
    ts = await startTestServer(kind, clock);
    manager = await person(ts, 'Floor Warden', []);
    desk = await person(ts, 'Lobby Desk', []);
    otherDesk = await person(ts, 'Elsewhere Desk', []);
  }, 60_000);
  afterAll(() => ts?.close());

  it('starts with everyone checked in on the list, one at a time per property, for its desk staff and managers', async () => {
    const propertyId = await property();
    const elsewhere = await property();
    await ok(ts, m('grantRole', 'user { id }'), { input: { userId: otherDesk.id, role: 'DESK', propertyId: elsewhere } });
    await checkedIn(propertyId, 'Ada Inside');
    await checkedIn(propertyId, 'Ben Inside');
    await ok(ts, m('createVisit', 'visit { id }'), {
      input: { propertyId, visitorName: 'Cy Expected', expectedArrival: clock.in(HOUR) },
    });
    await checkedIn(elsewhere, 'Dee Elsewhere');

    expect((await start(propertyId, otherDesk.token)).userErrors).toEqual([
      { code: 'NOT_FOUND', message: expect.stringMatching(/property/), field: ['input', 'propertyId'] },
    ]);
    expect(await openOn(propertyId)).toBeNull();

    const started = await start(propertyId);
    expect(started.userErrors).toEqual([]);
    const evacuation = started.evacuation;
    expect(evacuation).toMatchObject({ startedAt: clock.in(0), endedAt: null, accountedFor: 0, missing: 2 });
    expect(status(evacuation.people)).toEqual({ 'Ada Inside': 'MISSING', 'Ben Inside': 'MISSING' });
    expect(await openOn(propertyId, manager.token)).toEqual({ id: evacuation.id });
    expect(await openOn(elsewhere)).toBeNull();

    const again = await start(propertyId, manager.token);
    expect(again).toEqual({
      evacuation: null,
      userErrors: [
        {
          code: 'CONFLICT',
          message: `An evacuation of Tower ${n - 1} is already under way since 09:00; end it before starting another.`,
          field: ['input', 'propertyId'],
        },
      ],
    });
    // Another property's desk cannot see or change it.
    const hidden = await run(ts, `query ($id: ID!) { node(id: $id) { id } }`, { id: evacuation.id }, otherDesk.token);
    expect(hidden.data!.node).toBeNull();
    expect((await end(evacuation.id, otherDesk.token)).userErrors.map((e: { code: string }) => e.code)).toEqual(['NOT_FOUND']);
  });

  it('accounts for each person once, follows check-ins and check-outs, and always adds up', async () => {
    clock.set('2026-11-26T09:00:00.000Z');
    const propertyId = await property();
    const ada = await checkedIn(propertyId, 'Ada');
    const ben = await checkedIn(propertyId, 'Ben');
    const stranger = await checkedIn(await property(), 'Stranger');
    const { evacuation } = await start(propertyId);

    clock.advance(2 * MINUTE);
    const marked = await mark(evacuation.id, ada);
    expect(marked.userErrors).toEqual([]);
    const first = marked.evacuation.people.find((p: Person_) => p.visit.id === ada);
    expect(first).toEqual({
      visit: { id: ada, visitorName: 'Ada' },
      accountedForAt: clock.in(0),
      accountedForHow: 'MARKED',
      accountedForBy: { id: desk.id },
    });
    // Again: nothing changes, no error.
    clock.advance(MINUTE);
    const twice = await mark(evacuation.id, ada, manager.token);
    expect(twice.userErrors).toEqual([]);
    expect(twice.evacuation.people.find((p: Person_) => p.visit.id === ada)).toEqual(first);

    // Checked in during it: on the list, missing. Checked out: accounted for from that moment.
    const cy = await checkedIn(propertyId, 'Cy Late');
    await ok(ts, m('checkOutVisit', 'visit { id }'), { input: { visitId: ben } }, desk.token);
    const now = await read(evacuation.id);
    expect(status(now.people)).toEqual({ Ada: 'MARKED', Ben: 'CHECKED_OUT', 'Cy Late': 'MISSING' });
    expect(now.people.find((p: Person_) => p.visit.id === ben).accountedForAt).toBe(clock.in(0));
    expect([now.accountedFor, now.missing]).toEqual([2, 1]);
    // Missing first.
    expect(now.people[0].visit.id).toBe(cy);

    expect((await mark(evacuation.id, stranger)).userErrors).toEqual([
      {
        code: 'NOT_FOUND',
        message:
          "This visitor is not on this evacuation's list: it holds those on site when it started and those checked in since.",
        field: ['input', 'visitId'],
      },
    ]);
    expect((await mark(evacuation.id, propertyId)).userErrors[0]).toMatchObject({
      code: 'INVALID_INPUT',
      field: ['input', 'visitId'],
    });

    const ended = await end(evacuation.id, manager.token);
    expect(ended.userErrors).toEqual([]);
    expect(ended.evacuation).toMatchObject({ endedAt: clock.in(0), accountedFor: 2, missing: 1 });
    expect(await openOn(propertyId)).toBeNull();
    expect((await mark(evacuation.id, cy)).userErrors).toEqual([
      {
        code: 'INVALID_TRANSITION',
        message: 'This evacuation was ended at 09:03; start a new one if people must be accounted for again.',
        field: ['input', 'evacuationId'],
      },
    ]);
    expect((await end(evacuation.id)).userErrors[0].code).toBe('INVALID_TRANSITION');
    // A check-out after it ended changes nothing on it; a new one may start.
    await ok(ts, m('checkOutVisit', 'visit { id }'), { input: { visitId: cy } }, desk.token);
    expect(status((await read(evacuation.id)).people)['Cy Late']).toBe('MISSING');
    expect((await start(propertyId)).userErrors).toEqual([]);

    const trail = await ok(
      ts,
      'query ($id: ID!) { auditEvents(entityId: $id, first: 10) { edges { node { action actor { id } } } } }',
      { id: evacuation.id },
    );
    expect(trail.auditEvents.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { action: 'evacuation.started', actor: { id: desk.id } },
      { action: 'evacuation.accountedFor', actor: { id: desk.id } },
      { action: 'evacuation.ended', actor: { id: manager.id } },
    ]);
  });

  it('counts a visitor the scheduler or a completed work order checks out as accounted for', async () => {
    clock.set('2026-11-26T09:00:00.000Z');
    const propertyId = await property();
    await ok(ts, m('updateProperty', 'property { id }'), {
      input: { propertyId, onSitePolicy: { autoCheckOut: { hoursAfterDeparture: 1 } } },
    });
    await ok(ts, m('updateVisitorSettings', 'visitorSettings { workOrderIntegrationEnabled }'), {
      input: { workOrderIntegrationEnabled: true },
    });
    const wo = await ok(ts, m('createWorkOrder', 'workOrder { id requestId }'), { input: { propertyId, title: 'Boiler' } });
    const created = await ok(ts, m('createVisit', 'visit { id }'), {
      input: {
        propertyId,
        visitorName: 'Fixer',
        expectedArrival: clock.in(0),
        requestId: wo.createWorkOrder.workOrder.requestId,
      },
    });
    const fixer = created.createVisit.visit.id;
    await ok(ts, m('checkInVisit', 'visit { id }'), { input: { visitId: fixer } });
    const leaving = await checkedIn(propertyId, 'Leaving');
    const { evacuation } = await start(propertyId);
    expect(evacuation.missing).toBe(2);

    clock.advance(HOUR + MINUTE);
    await ts.server.desk.tick();
    const after = await read(evacuation.id);
    expect(status(after.people)).toMatchObject({ Leaving: 'CHECKED_OUT', Fixer: 'CHECKED_OUT' });
    const left = after.people.find((p: Person_) => p.visit.id === leaving);
    expect(left).toMatchObject({ accountedForAt: '2026-11-26T10:00:00.000Z', accountedForBy: null });
    expect([after.accountedFor, after.missing]).toEqual([2, 0]);
  });

  it('streams every change over graphql-ws and SSE, resumes after a drop with no gap, and completes when it ends', async () => {
    clock.set('2026-11-26T09:00:00.000Z');
    const propertyId = await property();
    const ada = await checkedIn(propertyId, 'Ada');
    const ben = await checkedIn(propertyId, 'Ben');
    const { evacuation } = await start(propertyId);

    const client = ts.wsClient(desk.token);
    const live = new Subscription(client, EvacuationWatch, { evacuationId: evacuation.id, after: evacuation.cursor });
    await mark(evacuation.id, ada);
    const [marked] = await live.waitFor(1);
    expect(marked.evacuationChanged).toMatchObject({
      kind: 'ACCOUNTED_FOR',
      visit: { id: ada },
      evacuation: { id: evacuation.id, accountedFor: 1, missing: 1 },
    });
    live.close(); // the display drops off

    // Meanwhile: someone checks in, Ben is marked, and again (no event).
    const cy = await checkedIn(propertyId, 'Cy');
    await mark(evacuation.id, ben);
    await mark(evacuation.id, ben);

    const resumed = new Subscription(ts.wsClient(desk.token), EvacuationWatch, {
      evacuationId: evacuation.id,
      after: marked.evacuationChanged.cursor,
    });
    const replayed = await resumed.waitFor(2);
    expect(replayed.map((e) => [e.evacuationChanged.kind, e.evacuationChanged.visit?.id])).toEqual([
      ['PERSON_ADDED', cy],
      ['ACCOUNTED_FOR', ben],
    ]);
    await mark(evacuation.id, cy);
    await end(evacuation.id);
    const all = await resumed.waitFor(4);
    expect(all.slice(2).map((e) => e.evacuationChanged.kind)).toEqual(['ACCOUNTED_FOR', 'ENDED']);
    expect(all[3].evacuationChanged.evacuation).toMatchObject({ accountedFor: 3, missing: 0, endedAt: clock.in(0) });

    // Over SSE, from its first read: every change in order, then the stream completes.
    const res = await fetch(ts.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${desk.token}` },
      body: JSON.stringify({
        query: print(EvacuationWatch),
        variables: { evacuationId: evacuation.id, after: evacuation.cursor },
      }),
    });
    expect(res.status).toBe(200);
    const text = await res.text(); // ends: the stream completes after ENDED
    const kinds = [...text.matchAll(/"kind":"(\w+)"/g)].map((match) => match[1]);
    expect(kinds).toEqual(['ACCOUNTED_FOR', 'PERSON_ADDED', 'ACCOUNTED_FOR', 'ACCOUNTED_FOR', 'ENDED']);
    expect(text).toContain('event: complete');

    // A cursor of another evacuation is refused.
    const other = await start(propertyId);
    const refused = new Subscription(ts.wsClient(desk.token), EvacuationWatch, {
      evacuationId: other.evacuation.id,
      after: evacuation.cursor,
    });
    expect(JSON.stringify(await refused.waitForError())).toMatch(/does not come from this evacuation/);
  });

  it('tells every display of the property when one starts, whoever started it', async () => {
    const propertyId = await property();
    const first = (await start(propertyId, manager.token)).evacuation;
    // Subscribed while one is open: that one first, then each that starts.
    const starts = new Subscription(ts.wsClient(desk.token), EvacuationStarts, { propertyId });
    await starts.waitFor(1);
    await end(first.id);
    const second = (await start(propertyId)).evacuation;
    const got = await starts.waitFor(2);
    expect(got.map((e) => e.evacuationStarted)).toEqual([
      { id: first.id, endedAt: null, missing: 0 },
      { id: second.id, endedAt: null, missing: 0 },
    ]);
    starts.close();
    const refused = new Subscription(ts.wsClient(otherDesk.token), EvacuationStarts, { propertyId });
    expect(JSON.stringify(await refused.waitForError())).toMatch(/No property whose desk you work/);
  });

  it('refuses the stream to those who do not work the property', async () => {
    const propertyId = await property();
    const { evacuation } = await start(propertyId);
    const sub = new Subscription(ts.wsClient(otherDesk.token), EvacuationWatch, { evacuationId: evacuation.id });
    expect(JSON.stringify(await sub.waitForError())).toMatch(/No evacuation/);
    const admin = new Subscription(ts.wsClient(ADMIN_TOKEN), EvacuationWatch, {
      evacuationId: evacuation.id,
      after: evacuation.cursor,
    });
    await end(evacuation.id);
    await admin.waitFor(1);
    await until(() => admin.events.length === 1, 'the end reaches the administrator');
    expect(admin.events[0].evacuationChanged.kind).toBe('ENDED');
  });
});
