import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { graphql } from './generated/index.ts';
import { DATABASES } from './support/databases.ts';
import { MINUTE } from './support/clock.ts';
import { dbId, setColumn, sqlOn, startTestServer, type TestServer } from './support/server.ts';
import { CreateCompany, CreateProperty, CreateUser, CreateVisit, CreateWorkOrder, organisation } from './support/fixtures.ts';

// A desk read costs the same number of SQL statements for 5 entries as for 50: each
// entry's work order, company, visitor and host come with the entries, not one by one.
// The usual desk selection is read by one hand-shaped statement; a selection that goes
// deeper (the work order's assignee) is read by Prisma. Both must give the same answers.
// A read of an unchanged desk is answered again from the instance's last read of it, and
// only while no row it shows has changed.

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

  /** desk_reads_total of this instance, by answer. */
  async function deskReads(): Promise<{ held: number; read: number }> {
    const text = await (await fetch(new URL('/metrics', ts.url))).text();
    const count = (answer: string) =>
      Number(new RegExp(`^desk_reads_total\\{answer="${answer}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
    return { held: count('held'), read: count('read') };
  }

  it('answers a read again only while no row it shows has changed, whoever changed it, and as Prisma reads it', async () => {
    const company = (await ts.gql(CreateCompany, { input: { name: 'Held Heating', autoCreateVisit: true } })).createCompany
      .company!;
    const vendor = (await ts.gql(CreateUser, { input: { name: 'Hal Held', email: 'hal@held.test', companyId: company.id } }))
      .createUser.user!;
    const host = (await ts.gql(CreateUser, { input: { name: 'Holly Host', email: 'holly@owner.test' } })).createUser.user!;
    const propertyId = (await ts.gql(CreateProperty, { input: { name: 'Held Plaza', timeZone: 'UTC' } })).createProperty.property!
      .id;
    const generated = (
      await ts.gql(CreateWorkOrder, {
        input: { propertyId, title: 'Boiler service', assigneeId: vendor.id, scheduledStart: ts.clock.in(MINUTE) },
      })
    ).createWorkOrder.workOrder!;
    await ts.gql(CreateVisit, {
      input: { propertyId, visitorName: 'Gail Guest', hostId: host.id, expectedArrival: ts.clock.in(2 * MINUTE) },
    });
    const fields = `${ENTRY_FIELDS} compliance { compliant problems { code } }`;
    // The deeper selection has Prisma read every entry's rows again: the reference answer.
    const viaPrisma = async () =>
      (await readWith(propertyId, `${fields} workOrder { assignee { name } }`)).entries.map((e) => {
        const workOrder = e.workOrder as Record<string, unknown> | null;
        if (!workOrder) return e;
        const { assignee, ...rest } = workOrder;
        expect(assignee).toEqual({ name: (e.visitor as { name: string }).name });
        return { ...e, workOrder: rest };
      });
    const sql = (text: string, ...params: unknown[]) => sqlOn(ts, text, ...params);

    const first = await readWith(propertyId, fields);
    expect(first.entries).toHaveLength(2);
    const before = await deskReads();
    const again = await readWith(propertyId, fields);
    expect(again).toEqual(first);
    expect(await deskReads()).toEqual({ held: before.held + 1, read: before.read });

    // Each change is made with SQL, as a process that announces nothing would make it.
    const generatedEntry = (entries: Record<string, any>[]) => entries.find((e) => e.workOrder !== null)!;
    const guestEntry = (entries: Record<string, any>[]) => entries.find((e) => e.workOrder === null)!;
    const set = (table: string, column: string, value: string, id: string) => setColumn(ts, table, column, value, id);
    const changes: Array<[string, () => Promise<unknown>, (entries: Record<string, any>[]) => unknown, unknown]> = [
      ['company', set('Company', 'name', 'Held Co', dbId(company.id)), (e) => generatedEntry(e).company.name, 'Held Co'],
      ['visitor', set('User', 'name', 'Hal Held Jr', dbId(vendor.id)), (e) => generatedEntry(e).visitor.name, 'Hal Held Jr'],
      ['host', set('User', 'email', 'holly@held.test', dbId(host.id)), (e) => guestEntry(e).host.email, 'holly@held.test'],
      [
        'work order',
        set('WorkOrder', 'title', 'Boiler repair', dbId(generated.id)),
        (e) => generatedEntry(e).workOrder.title,
        'Boiler repair',
      ],
      [
        'property',
        set('Property', 'name', 'Held Plaza East', dbId(propertyId)),
        (e) => guestEntry(e).property.name,
        'Held Plaza East',
      ],
      [
        'visit',
        () =>
          sql(
            'UPDATE "Visit" SET "visitorName" = $1 WHERE "workOrderId" IS NULL AND "propertyId" = $2::uuid',
            'Gail Guest-Smith',
            dbId(propertyId),
          ),
        (e) => guestEntry(e).visitorName,
        'Gail Guest-Smith',
      ],
      [
        'requirements',
        () => sql(`UPDATE "Property" SET "complianceRequirements" = '{LICENSE}' WHERE "id" = $1::uuid`, dbId(propertyId)),
        (e) => generatedEntry(e).compliance.problems.map((p: { code: string }) => p.code),
        ['MISSING_DOCUMENT'],
      ],
      [
        'document',
        () =>
          sql(
            `INSERT INTO "ComplianceDocument" ("id", "companyId", "kind", "effectiveFrom", "expiresAt", "approvedAt", "createdAt", "updatedAt")
         VALUES (gen_random_uuid(), $1::uuid, 'LICENSE', $2::timestamptz - interval '1 day', $2::timestamptz + interval '1 day', $2, $2, $2)`,
            dbId(company.id),
            ts.clock.now().toISOString(),
          ),
        (e) => generatedEntry(e).compliance.problems,
        [],
      ],
      [
        'document expiry',
        () =>
          sql(
            `UPDATE "ComplianceDocument" SET "expiresAt" = $2::timestamptz - interval '1 hour' WHERE "companyId" = $1::uuid`,
            dbId(company.id),
            ts.clock.now().toISOString(),
          ),
        (e) => generatedEntry(e).compliance.problems.map((p: { code: string }) => p.code),
        ['EXPIRED_DOCUMENT'],
      ],
      [
        'membership',
        () =>
          sql(
            `UPDATE "Visit" SET "status" = 'CANCELLED', "cancelledAt" = now() WHERE "workOrderId" IS NULL AND "propertyId" = $1::uuid`,
            dbId(propertyId),
          ),
        (e) => e.length,
        1,
      ],
    ];
    for (const [what, change, shown, expected] of changes) {
      const counts = await deskReads();
      await change();
      // The held read's version no longer holds: one statement more, for the rows.
      const read = await readWith(propertyId, fields);
      expect(shown(read.entries), what).toEqual(expected);
      expect(read.statements, what).toBe(first.statements + 1);
      expect(read.entries, what).toEqual(await viaPrisma());
      // Read anew, and held again: the next read is answered from it.
      const next = await readWith(propertyId, fields);
      expect(next, what).toEqual({ ...read, statements: first.statements });
      expect(await deskReads(), what).toEqual({ held: counts.held + 2, read: counts.read + 1 });
    }
  });
});
