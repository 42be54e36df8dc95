import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/index.ts';
import { DATABASES } from './support/databases.ts';
import { MINUTE } from './support/clock.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { CreateProperty, CreateVisit, CreateWorkOrder, organisation } from './support/fixtures.ts';

// A desk read costs the same number of SQL statements for 5 entries as for 50: each
// entry's work order, company, visitor and host come with the entries, not one by one.

const FullDesk = graphql(`
  query FullDesk($propertyId: ID!) {
    visitorDesk(propertyId: $propertyId) {
      cursor
      entries {
        id
        visitorName
        status
        expectedArrival
        company {
          name
        }
        visitor {
          name
        }
        host {
          name
        }
        workOrder {
          requestId
          title
          assignee {
            name
          }
        }
      }
    }
  }
`);

describe.each(DATABASES)('desk read cost on %s', (kind) => {
  let ts: TestServer;
  let org: Awaited<ReturnType<typeof organisation>>;
  beforeAll(async () => {
    ts = await startTestServer(kind);
    org = await organisation(ts);
  });
  afterAll(() => ts?.close());

  /** A property whose desk has `count` entries, half of them generated from work orders. */
  async function deskWith(count: number): Promise<string> {
    const propertyId = (await ts.gql(CreateProperty, { input: { name: `Busy ${count}`, timeZone: 'UTC' } })).createProperty
      .property!.id;
    for (let i = 0; i < count; i++) {
      const at = ts.clock.in((i + 1) * MINUTE);
      if (i % 2 === 0) {
        await ts.gql(CreateWorkOrder, {
          input: { propertyId, title: `Job ${i}`, assigneeId: org.vendor.id, scheduledStart: at },
        });
      } else {
        await ts.gql(CreateVisit, { input: { propertyId, visitorName: `Guest ${i}`, hostId: org.host.id, expectedArrival: at } });
      }
    }
    return propertyId;
  }

  async function statementsToRead(propertyId: string, expected: number): Promise<number> {
    const statements: string[] = [];
    const stop = ts.server.db.watchStatements((sql) => statements.push(sql));
    const desk = (await ts.gql(FullDesk, { propertyId })).visitorDesk;
    stop();
    expect(desk.entries).toHaveLength(expected);
    expect(desk.entries.filter((e) => e.workOrder?.assignee?.name === 'Vera Vendor')).toHaveLength(Math.ceil(expected / 2));
    expect(desk.entries.filter((e) => e.host?.name === 'Hana Host')).toHaveLength(Math.floor(expected / 2));
    return statements.length;
  }

  it('is the same for 5 and 50 entries (no N+1)', async () => {
    const small = await statementsToRead(await deskWith(5), 5);
    const large = await statementsToRead(await deskWith(50), 50);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(15);
  });
});
