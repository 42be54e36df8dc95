import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/index.ts';
import { DATABASES } from './support/databases.ts';
import { HOUR } from './support/clock.ts';
import { startTestServer, subscribeDesk, type Subscription, type TestServer } from './support/server.ts';
import { CreateProperty, CreateVisit, UpdateVisit } from './support/fixtures.ts';

// Fan-out cost: the database work for one desk event is the same for one subscriber as
// for many (the visit is loaded once per event, not once per subscriber).

const Watch = graphql(`
  subscription FanoutWatch($propertyId: ID!) {
    visitorDeskChanged(propertyId: $propertyId) {
      kind
      visit {
        id
        notes
        company {
          name
        }
        workOrder {
          requestId
        }
      }
    }
  }
`);

describe.each(DATABASES)('desk event fan-out on %s', (kind) => {
  let ts: TestServer;
  beforeAll(async () => {
    ts = await startTestServer(kind);
  });
  afterAll(() => ts?.close());

  /** SQL statements the server sends while one event reaches `count` subscribers. */
  async function statementsForOneEvent(count: number): Promise<string[]> {
    const propertyId = (await ts.gql(CreateProperty, { input: { name: `Fan ${count}`, timeZone: 'UTC' } })).createProperty
      .property!.id;
    const visit = (
      await ts.gql(CreateVisit, { input: { propertyId, visitorName: 'Popular', expectedArrival: ts.clock.in(HOUR) } })
    ).createVisit.visit!;
    const client = ts.wsClient();
    const subs: Array<Subscription<unknown>> = [];
    for (let i = 0; i < count; i++) subs.push(await subscribeDesk(ts, Watch, propertyId, client));
    const statements: string[] = [];
    const stop = ts.server.db.watchStatements((sql) => statements.push(sql));
    await ts.gql(UpdateVisit, { input: { visitId: visit.id, notes: `seen by ${count}` } });
    await Promise.all(subs.map((s) => s.waitFor(1)));
    stop();
    for (const sub of subs) {
      expect(sub.events[0]).toMatchObject({
        visitorDeskChanged: { kind: 'VISIT_UPDATED', visit: { id: visit.id, notes: `seen by ${count}` } },
      });
      sub.close();
    }
    return statements;
  }

  it('reads the log and loads the visit once per event, whatever the number of subscribers', async () => {
    const one = await statementsForOneEvent(1);
    const many = await statementsForOneEvent(25);
    const visitReads = (s: string[]) => s.filter((sql) => /^SELECT/.test(sql) && /"Visit"/.test(sql) && !/FOR UPDATE/.test(sql));
    expect(visitReads(many).length).toBe(visitReads(one).length);
    // The log is read once per event per instance; the feed's periodic catch-up (every 5 s)
    // may add one read of its own, so log reads are compared apart from the rest.
    const logReads = (s: string[]) => s.filter((sql) => /^SELECT/.test(sql) && /"DeskEvent"/.test(sql));
    const rest = (s: string[]) => s.filter((sql) => !logReads(s).includes(sql));
    expect(rest(many).sort()).toEqual(rest(one).sort());
    expect(logReads(many).length).toBeGreaterThanOrEqual(1);
    expect(logReads(many).length).toBeLessThanOrEqual(2);
    expect(one.length).toBeGreaterThan(3);
  });
});
