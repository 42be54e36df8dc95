import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { graphql } from './generated/index.ts';
import { DATABASES } from './support/databases.ts';
import { MINUTE } from './support/clock.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { CreateProperty, CreateVisit, CreateWorkOrder, organisation } from './support/fixtures.ts';

// A desk read costs the same number of SQL statements for 5 entries as for 50: each
// entry's work order, company, visitor and host come with the entries, not one by one.
// The usual desk selection is read by one hand-shaped statement; a selection that goes
// deeper (the work order's assignee) is read by Prisma. Both must give the same answers.

const ENTRY_FIELDS = `
  id visitorName status source expectedArrival expectedDeparture checkedInAt checkedOutAt checkOutReason cancelledAt notes
  property { id name timeZone }
  company { id name autoCreateVisit }
  visitor { id name email }
  host { id name email }
  workOrder { id requestId title description status scheduledStart scheduledEnd completedAt }
`;

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

  /** The statements of one read of the desk with `entryFields` (entries under `alias`), and its entries. */
  async function readWith(propertyId: string, entryFields: string, alias = 'entries') {
    const statements: string[] = [];
    const stop = ts.server.db.watchStatements((sql) => statements.push(sql));
    const doc = parse(`query ($p: ID!) { visitorDesk(propertyId: $p) { cursor ${alias}: entries { ${entryFields} } } }`);
    const { data, errors } = await ts.request(doc as TypedDocumentNode<any>, { p: propertyId });
    stop();
    expect(errors).toBeUndefined();
    return { statements: statements.length, entries: data.visitorDesk[alias] as Record<string, unknown>[] };
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

  it('gives the same entries from the hand-shaped read as from Prisma, at a constant cost on both paths', async () => {
    const small = await deskWith(5);
    const large = await deskWith(50);
    const deeper = `${ENTRY_FIELDS} workOrder { assignee { name } }`;
    // One at a time: the statement counter sees every request of the server.
    const fastSmall = await readWith(small, ENTRY_FIELDS);
    const fastLarge = await readWith(large, ENTRY_FIELDS);
    const deepSmall = await readWith(small, deeper);
    const deepLarge = await readWith(large, deeper);
    expect(fastLarge.entries).toHaveLength(50);
    expect(fastLarge.statements).toBe(fastSmall.statements);
    expect(deepLarge.statements).toBe(deepSmall.statements);
    // The deeper selection costs one more statement (Prisma's read of the same visits), not one per entry.
    expect(deepLarge.statements).toBeGreaterThan(fastLarge.statements);
    const withoutAssignee = (entries: Record<string, unknown>[]) =>
      entries.map((e) => {
        const { assignee, ...workOrder } = (e.workOrder ?? {}) as Record<string, unknown>;
        expect(e.workOrder === null || typeof assignee === 'object').toBe(true);
        return { ...e, workOrder: e.workOrder === null ? null : workOrder };
      });
    expect(withoutAssignee(deepLarge.entries)).toEqual(fastLarge.entries);
    expect(withoutAssignee(deepSmall.entries)).toEqual(fastSmall.entries);
    // The same under an alias: the same entries, at the same cost.
    const aliased = await readWith(large, deeper, 'queue');
    expect(aliased.entries).toEqual(deepLarge.entries);
    expect(aliased.statements).toBe(deepLarge.statements);
    expect(fastLarge.entries.filter((e) => e.workOrder !== null)).toHaveLength(25);
    expect(fastLarge.entries.filter((e) => e.host !== null)).toHaveLength(25);
  });

  it('answers every field in the order the selection asks for it (GraphQL responses are ordered maps)', async () => {
    const { entries } = await readWith(await deskWith(2), 'id visitorName status company { name id } workOrder { title id }');
    for (const entry of entries) expect(Object.keys(entry)).toEqual(['id', 'visitorName', 'status', 'company', 'workOrder']);
    // The generated visit (of the work order) has the vendor's company.
    const withCompany = entries.find((e) => e.company !== null) as { company: object } | undefined;
    expect(withCompany).toBeDefined();
    expect(Object.keys(withCompany!.company)).toEqual(['name', 'id']);
    const node = await ts.request(
      parse('query ($id: ID!) { node(id: $id) { ... on Visit { visitorName id } } }') as TypedDocumentNode<any>,
      {
        id: entries[0].id,
      },
    );
    expect(Object.keys(node.data.node)).toEqual(['visitorName', 'id']);
  });

  it("reads every entry's history in one statement, oldest first, whatever the number of entries", async () => {
    const small = await deskWith(5);
    const large = await deskWith(50);
    const fields = 'id source history { action source actor { name } changes { field } }';
    const few = await readWith(small, fields);
    const many = await readWith(large, fields);
    expect(many.statements).toBe(few.statements);
    expect(many.entries).toHaveLength(50);
    for (const entry of many.entries) {
      const history = entry.history as Array<{ action: string; source: string; actor: { name: string } | null }>;
      // A generated visit starts with its generation by the integration, one added by hand with its creation.
      expect(history[0]).toMatchObject(
        entry.source === 'WORK_ORDER'
          ? { action: 'visit.generated', source: 'INTEGRATION', actor: { name: 'Administrator' } }
          : { action: 'visit.created', source: 'API', actor: { name: 'Administrator' } },
      );
    }
    // Without history, one statement fewer: all the histories came in one.
    const without = await readWith(large, 'id source');
    expect(many.statements).toBe(without.statements + 1);
  });
});
