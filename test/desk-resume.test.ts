import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultOf } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { graphql } from './generated/index.ts';
import { DATABASES } from './support/databases.ts';
import { HOUR, MINUTE } from './support/clock.ts';
import { ADMIN_TOKEN, dbId, startTestServer, subscribeDesk, Subscription, type TestServer } from './support/server.ts';
import { CheckIn, CreateProperty, CreateVisit, organisation, UpdateVisit } from './support/fixtures.ts';

// Resume without gaps: the desk snapshot and every event carry a cursor; subscribing with
// `after` replays every later event in order, then goes live. A client that reads the
// desk, subscribes with its cursor, drops and resubscribes with its last cursor has seen
// every change exactly once.

const DeskSnapshot = graphql(`
  query DeskSnapshot($propertyId: ID!) {
    visitorDesk(propertyId: $propertyId) {
      cursor
      entries {
        id
        status
      }
    }
  }
`);

const DeskCursorOnly = graphql(`
  query DeskCursorOnly($propertyId: ID!) {
    visitorDesk(propertyId: $propertyId) {
      cursor
    }
  }
`);

const DeskAfter = graphql(`
  subscription DeskAfter($propertyId: ID!, $after: String) {
    visitorDeskChanged(propertyId: $propertyId, after: $after) {
      kind
      cursor
      visit {
        id
        visitorName
        status
      }
    }
  }
`);

type Event = ResultOf<typeof DeskAfter>['visitorDeskChanged'];
const events = (sub: Subscription<ResultOf<typeof DeskAfter>>) => sub.events.map((e) => e.visitorDeskChanged);

describe.each(DATABASES)('desk cursors and resume on %s', (kind) => {
  let ts: TestServer;
  let org: Awaited<ReturnType<typeof organisation>>;

  beforeAll(async () => {
    ts = await startTestServer(kind, { env: { DESK_HISTORY_HOURS: '1' } });
    org = await organisation(ts);
  });
  afterAll(() => ts?.close());

  /** A property of its own per test, so cursors and queues don't mix. */
  async function freshProperty(name: string) {
    return (await ts.gql(CreateProperty, { input: { name, timeZone: 'UTC' } })).createProperty.property!.id;
  }

  async function addVisit(propertyId: string, name: string, arrivesIn = HOUR) {
    const result = (
      await ts.gql(CreateVisit, { input: { propertyId, visitorName: name, expectedArrival: ts.clock.in(arrivesIn) } })
    ).createVisit;
    expect(result.userErrors).toEqual([]);
    return result.visit!;
  }

  const resume = (propertyId: string, after: string | null) => subscribeDesk(ts, DeskAfter, propertyId, ts.wsClient(), { after });

  it('replays, in order and exactly once, every change made while a display was away', async () => {
    const propertyId = await freshProperty('Resume Plaza');
    const before = await addVisit(propertyId, 'Before Snapshot');

    const snapshot = (await ts.gql(DeskSnapshot, { propertyId })).visitorDesk;
    expect(snapshot.entries.map((v) => v.id)).toEqual([before.id]);

    // Changes between the snapshot and the subscription are replayed, not lost.
    const a = await addVisit(propertyId, 'Arrives While Connecting');
    const first = await resume(propertyId, snapshot.cursor);
    await ts.gql(CheckIn, { visitId: before.id });
    await first.waitFor(2);
    expect(events(first).map((e) => [e.kind, e.visit.id])).toEqual([
      ['VISIT_ADDED', a.id],
      ['VISIT_CHECKED_IN', before.id],
    ]);

    // The display drops; the desk keeps changing.
    first.close();
    const lastCursor = events(first).at(-1)!.cursor;
    const b = await addVisit(propertyId, 'While Away 1');
    await ts.gql(CheckIn, { visitId: a.id });
    await ts.gql(UpdateVisit, { input: { visitId: b.id, notes: 'Parking bay 4' } });

    // It comes back with its last cursor: the three missed changes, then live ones.
    const second = await resume(propertyId, lastCursor);
    await second.waitFor(3);
    const c = await addVisit(propertyId, 'After Return');
    await second.waitFor(4);
    expect(events(second).map((e) => [e.kind, e.visit.id])).toEqual([
      ['VISIT_ADDED', b.id],
      ['VISIT_CHECKED_IN', a.id],
      ['VISIT_UPDATED', b.id],
      ['VISIT_ADDED', c.id],
    ]);
    // Every change seen exactly once across both connections, cursors strictly ordered.
    const all = [...events(first), ...events(second)];
    expect(new Set(all.map((e) => e.cursor)).size).toBe(all.length);
    second.close();
  });

  it('a plain subscription starts from now; a cursor with nothing after it waits for live events', async () => {
    const propertyId = await freshProperty('Live Only Court');
    await addVisit(propertyId, 'Old News');
    const live = await resume(propertyId, null);
    const { cursor } = (await ts.gql(DeskCursorOnly, { propertyId })).visitorDesk;
    const upToDate = await resume(propertyId, cursor);
    const fresh = await addVisit(propertyId, 'Fresh News');
    await live.waitFor(1);
    await upToDate.waitFor(1);
    expect(events(live).map((e) => e.visit.id)).toEqual([fresh.id]);
    expect(events(upToDate).map((e) => e.visit.id)).toEqual([fresh.id]);
    expect(events(live)[0].cursor).toBe(events(upToDate)[0].cursor);
    live.close();
    upToDate.close();
  });

  it('the snapshot and its cursor agree: what the entries show is never replayed again', async () => {
    const propertyId = await freshProperty('Consistency House');
    const visits = await Promise.all(Array.from({ length: 5 }, (_, i) => addVisit(propertyId, `Guest ${i}`)));
    // Reads racing writes: whatever each snapshot shows, its replay holds only what it does not.
    const racing = Promise.all(visits.map((v) => ts.gql(CheckIn, { visitId: v.id })));
    const snapshot = (await ts.gql(DeskSnapshot, { propertyId })).visitorDesk;
    await racing;
    const sub = await resume(propertyId, snapshot.cursor);
    const checkedInBefore = snapshot.entries.filter((v) => v.status === 'CHECKED_IN').map((v) => v.id);
    const expectedReplay = visits.map((v) => v.id).filter((id) => !checkedInBefore.includes(id));
    if (expectedReplay.length > 0) await sub.waitFor(expectedReplay.length);
    await ts.gql(UpdateVisit, { input: { visitId: visits[0].id, notes: 'sentinel' } });
    await sub.waitFor(expectedReplay.length + 1);
    const replayed = events(sub).slice(0, -1);
    expect(replayed.every((e) => e.kind === 'VISIT_CHECKED_IN')).toBe(true);
    expect(replayed.map((e) => e.visit.id).sort()).toEqual(expectedReplay.sort());
    expect(events(sub).at(-1)).toMatchObject({ kind: 'VISIT_UPDATED', visit: { id: visits[0].id } });
    sub.close();
  });

  it('refuses a cursor of another desk, a forged one, and one older than the kept history', async () => {
    const propertyId = await freshProperty('Cursor Court');
    const { cursor: otherCursor } = (await ts.gql(DeskCursorOnly, { propertyId: org.otherProperty.id })).visitorDesk;
    for (const after of [otherCursor, 'bm9wZQ', Buffer.from(`desk:${dbId(propertyId)}:999`).toString('base64url')]) {
      const sub = new Subscription(ts.wsClient(), DeskAfter, { propertyId, after });
      expect(await sub.waitForError()).toMatchObject({
        message: expect.stringMatching(/cursor/),
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }

    const { cursor: old } = (await ts.gql(DeskCursorOnly, { propertyId })).visitorDesk;
    await addVisit(propertyId, 'Long Gone');
    // History is kept for one hour here: two hours later the desk clock has pruned it.
    ts.clock.advance(2 * HOUR);
    await ts.server.desk.tick();
    const expired = new Subscription(ts.wsClient(), DeskAfter, { propertyId, after: old });
    const error = (await expired.waitForError()) as { message: string; extensions: { code: string } };
    expect(error.extensions.code).toBe('CURSOR_EXPIRED');
    expect(error.message).toMatch(/reload the desk with visitorDesk/);
    ts.clock.advance(-2 * HOUR);
  });

  it('replays over GraphQL-over-SSE too', async () => {
    const propertyId = await freshProperty('Stream Street');
    const { cursor } = (await ts.gql(DeskCursorOnly, { propertyId })).visitorDesk;
    const visit = await addVisit(propertyId, 'Seen Over SSE');
    const abort = new AbortController();
    const res = await fetch(ts.url, {
      method: 'POST',
      signal: abort.signal,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ query: print(DeskAfter), variables: { propertyId, after: cursor } }),
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('"VISIT_ADDED"')) text += new TextDecoder().decode((await reader.read()).value);
    const payload = JSON.parse(/event: next\ndata: (.*)\n/.exec(text)![1]) as { data: { visitorDeskChanged: Event } };
    expect(payload.data.visitorDeskChanged).toMatchObject({
      kind: 'VISIT_ADDED',
      visit: { id: visit.id, visitorName: 'Seen Over SSE' },
    });
    abort.abort();
  });

  it('moves visits onto and off the desk as time passes, with no mutation, announced once', async () => {
    const propertyId = await freshProperty('Clockwork Tower');
    const visit = await addVisit(propertyId, 'Next Week', 7 * 24 * HOUR);
    const sub = await resume(propertyId, null);
    // One minute before the window opens (24 h ahead): nothing.
    ts.clock.advance(6 * 24 * HOUR - MINUTE);
    await ts.server.desk.tick();
    ts.clock.advance(2 * MINUTE);
    await ts.server.desk.tick();
    await ts.server.desk.tick();
    await sub.waitFor(1);
    // Past the window (12 h after the expected arrival): it leaves.
    ts.clock.advance(36 * HOUR);
    await ts.server.desk.tick();
    await sub.waitFor(2);
    const snapshot = (await ts.gql(DeskSnapshot, { propertyId })).visitorDesk;
    expect(events(sub).map((e) => [e.kind, e.visit.id])).toEqual([
      ['VISIT_ADDED', visit.id],
      ['VISIT_REMOVED', visit.id],
    ]);
    expect(snapshot.entries).toEqual([]);
    sub.close();
    ts.clock.advance(-(7 * 24 * HOUR + 11 * HOUR + MINUTE));
  });
});
