import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, freshDatabase, type TestDatabase } from './support/databases.ts';
import { MINUTE, TestClock } from './support/clock.ts';
import { dbId, setColumn, sqlOn, startTestServer, statementsDuring, type TestServer } from './support/server.ts';
import {
  CreateCompany,
  CreateProperty,
  CreateUser,
  CreateVisit,
  CreateWorkOrder,
  SetIntegration,
  UpdateVisit,
} from './support/fixtures.ts';
import { person, run, type Person } from './support/people.ts';

// A desk display reads the same desk with the same query again and again. While no row the answer
// shows has changed, the GraphQL answer built for the last read is given again (src/modules/desk/
// answers.ts). These tests hold that it is given only then: after any change to a row it shows,
// made by any instance or directly in SQL, the next read answers what Prisma reads; only for the
// selections the desk's version covers; and never across viewers of different access.

const ENTRY = `
  fragment Entry on Visit {
    id visitorName status source expectedArrival expectedDeparture checkedInAt checkedOutAt checkOutReason cancelledAt notes
    property { id name timeZone }
    company { id name autoCreateVisit }
    visitor { id name email }
    host { id name email }
    workOrder { id requestId title description status scheduledStart scheduledEnd completedAt }
  }`;

/** The desk query of a display: answerable. */
const DISPLAY = `query Display($p: ID!) { visitorDesk(propertyId: $p) { property { name } queue: entries { ...Entry } } } ${ENTRY}`;

/** The same entries, through Prisma's read of them (the work order's assignee takes the entries off the desk's own read). */
const REFERENCE = `query Reference($p: ID!) { visitorDesk(propertyId: $p) { property { name } queue: entries { ...Entry workOrder { assignee { name } } } } } ${ENTRY}`;

interface Desk {
  property: { name: string };
  queue: Array<Record<string, any>>;
}

/** A property with a generated visit (company, vendor, work order) and a guest's visit (host). */
async function heldDesk(ts: TestServer, name: string) {
  const company = (await ts.gql(CreateCompany, { input: { name: `${name} Heating`, autoCreateVisit: true } })).createCompany
    .company!;
  const vendor = (
    await ts.gql(CreateUser, {
      input: { name: `${name} Vendor`, email: `vendor@${name.toLowerCase()}.test`, companyId: company.id },
    })
  ).createUser.user!;
  const host = (await ts.gql(CreateUser, { input: { name: `${name} Host`, email: `host@${name.toLowerCase()}.test` } }))
    .createUser.user!;
  const propertyId = (await ts.gql(CreateProperty, { input: { name: `${name} Plaza`, timeZone: 'UTC' } })).createProperty
    .property!.id;
  const workOrder = (
    await ts.gql(CreateWorkOrder, {
      input: { propertyId, title: 'Boiler service', assigneeId: vendor.id, scheduledStart: ts.clock.in(MINUTE) },
    })
  ).createWorkOrder.workOrder!;
  const guest = (
    await ts.gql(CreateVisit, {
      input: { propertyId, visitorName: 'Gail Guest', hostId: host.id, expectedArrival: ts.clock.in(2 * MINUTE) },
    })
  ).createVisit.visit!;
  return { company, vendor, host, propertyId, workOrder, guest };
}

describe.each(DATABASES)('desk answers on %s', (kind) => {
  let ts: TestServer;
  beforeAll(async () => {
    ts = await startTestServer(kind);
    await ts.gql(SetIntegration, { enabled: true });
  });
  afterAll(() => ts?.close());

  /** desk_answers_reused_total of this instance. */
  async function reused(): Promise<number> {
    const text = await (await fetch(new URL('/metrics', ts.url))).text();
    return Number(/^desk_answers_reused_total (\d+)$/m.exec(text)?.[1]);
  }

  /** One read of `query` (as the administrator, or with `token`): its result and the statements it cost. */
  async function read(query: string, variables: Record<string, unknown>, token?: string) {
    let result!: Awaited<ReturnType<typeof run>>;
    const statements = await statementsDuring(ts, async () => (result = await run(ts, query, variables, token)));
    return { result, statements };
  }

  const deskOf = async (query: string, propertyId: string, token?: string) => {
    const { result, statements } = await read(query, { p: propertyId }, token);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return { desk: result.data.visitorDesk as Desk, statements };
  };

  /** The reference read, with the assignee taken out again. */
  const reference = async (propertyId: string): Promise<Desk> => {
    const { desk } = await deskOf(REFERENCE, propertyId);
    return {
      ...desk,
      queue: desk.queue.map((e) => {
        if (!e.workOrder) return e;
        const { assignee: _assignee, ...workOrder } = e.workOrder;
        return { ...e, workOrder };
      }),
    };
  };

  it('answers an unchanged desk again, and after any change to a row it shows, whoever made it, what Prisma reads', async () => {
    const { company, vendor, host, propertyId, workOrder, guest } = await heldDesk(ts, 'Answer');
    const first = await deskOf(DISPLAY, propertyId);
    expect(first.desk.queue).toHaveLength(2);
    expect(first.desk).toEqual(await reference(propertyId));

    const before = await reused();
    const again = await deskOf(DISPLAY, propertyId);
    expect(again.desk).toEqual(first.desk);
    expect(await reused()).toBe(before + 1);
    // The token, then the desk's version: nothing more.
    expect(again.statements).toBe(2);

    const sql = (text: string, ...params: unknown[]) => sqlOn(ts, text, ...params);
    const set = (table: string, column: string, value: string, id: string) => setColumn(ts, table, column, value, id);
    const generated = (desk: Desk) => desk.queue.find((e) => e.workOrder !== null)!;
    const guestOf = (desk: Desk) => desk.queue.find((e) => e.id === guest.id)!;
    // Each change is made with SQL, as a process that announces nothing would make it, or through the API.
    const changes: Array<[string, () => Promise<unknown>, (desk: Desk) => unknown, unknown]> = [
      ['company', set('Company', 'name', 'Answer Co', dbId(company.id)), (d) => generated(d).company.name, 'Answer Co'],
      ['visitor', set('User', 'name', 'Ann Vendor', dbId(vendor.id)), (d) => generated(d).visitor.name, 'Ann Vendor'],
      ['host', set('User', 'email', 'host@answered.test', dbId(host.id)), (d) => guestOf(d).host.email, 'host@answered.test'],
      [
        'work order',
        set('WorkOrder', 'title', 'Boiler repair', dbId(workOrder.id)),
        (d) => generated(d).workOrder.title,
        'Boiler repair',
      ],
      [
        'property',
        set('Property', 'name', 'Answer Plaza East', dbId(propertyId)),
        (d) => [d.property.name, guestOf(d).property.name],
        ['Answer Plaza East', 'Answer Plaza East'],
      ],
      [
        'visit, through the API',
        () => ts.gql(UpdateVisit, { input: { visitId: guest.id, visitorName: 'Gail Guest-Smith' } }),
        (d) => guestOf(d).visitorName,
        'Gail Guest-Smith',
      ],
      [
        'membership',
        () => sql(`UPDATE "Visit" SET "status" = 'CANCELLED', "cancelledAt" = now() WHERE "id" = $1::uuid`, dbId(guest.id)),
        (d) => d.queue.map((e) => e.id),
        [generated(first.desk).id],
      ],
    ];
    for (const [what, change, shown, expected] of changes) {
      await change();
      const count = await reused();
      const changed = await deskOf(DISPLAY, propertyId);
      expect(shown(changed.desk), what).toEqual(expected);
      expect(changed.desk, what).toEqual(await reference(propertyId));
      // The answer built anew is given again while nothing changes.
      const next = await deskOf(DISPLAY, propertyId);
      expect(next.desk, what).toEqual(changed.desk);
      expect(await reused(), what).toBe(count + 1);
    }
  });

  it('executes every time a selection the desk version does not cover, and keeps its answers exact', async () => {
    const { propertyId } = await heldDesk(ts, 'Uncovered');
    const uncovered = [
      'cursor entries { id }',
      'windowStart windowEnd entries { id }',
      'entries { id compliance { compliant } }',
      'entries { id history { action } }',
      'entries { id overdue }',
      'entries { workOrder { assignee { name } } }',
      'entries { workOrder { visits { id } } }',
    ];
    for (const fields of uncovered) {
      const query = `query ($p: ID!) { visitorDesk(propertyId: $p) { ${fields} } }`;
      const count = await reused();
      const first = await deskOf(query, propertyId);
      const second = await deskOf(query, propertyId);
      expect(second.desk, fields).toEqual(first.desk);
      expect(await reused(), fields).toBe(count);
    }
    // Two root fields: executed every time too.
    const count = await reused();
    for (let i = 0; i < 2; i++) {
      const { result } = await read(`query ($p: ID!) { visitorDesk(propertyId: $p) { entries { id } } viewer { name } }`, {
        p: propertyId,
      });
      expect(result.data.viewer.name).toBe('Administrator');
    }
    expect(await reused()).toBe(count);
    // The window moves with the time, over the same unchanged rows.
    const window = `query ($p: ID!) { visitorDesk(propertyId: $p) { windowStart entries { id } } }`;
    const earlier = (await deskOf(window, propertyId)).desk as unknown as { windowStart: string };
    ts.clock.advance(MINUTE);
    const later = (await deskOf(window, propertyId)).desk as unknown as { windowStart: string };
    expect(Date.parse(later.windowStart) - Date.parse(earlier.windowStart)).toBe(MINUTE);
  });

  describe('between viewers', () => {
    let propertyId: string;
    let desk: Person;
    let manager: Person;
    let otherDesk: Person;
    beforeAll(async () => {
      ({ propertyId } = await heldDesk(ts, 'Viewers'));
      const other = (await ts.gql(CreateProperty, { input: { name: 'Elsewhere', timeZone: 'UTC' } })).createProperty.property!.id;
      desk = await person(ts, 'Dora Desk', [{ role: 'DESK', propertyId }]);
      manager = await person(ts, 'Mona Manager', [{ role: 'PROPERTY_MANAGER', propertyId }]);
      otherDesk = await person(ts, 'Otto Desk', [{ role: 'DESK', propertyId: other }]);
    });

    it('gives an answer again only to viewers of the same access', async () => {
      const admin = await deskOf(DISPLAY, propertyId);
      const count = await reused();
      // Each other access: executed for it first, then held for it.
      for (const [i, viewer] of [desk, manager].entries()) {
        expect((await deskOf(DISPLAY, propertyId, viewer.token)).desk).toEqual(admin.desk);
        expect(await reused()).toBe(count + i);
        await deskOf(DISPLAY, propertyId, viewer.token);
        expect(await reused()).toBe(count + i + 1);
      }
      await deskOf(DISPLAY, propertyId);
      expect(await reused()).toBe(count + 3);
    });

    it('refuses as before, every time, whatever was held', async () => {
      await deskOf(DISPLAY, propertyId);
      const count = await reused();
      const asId = (typename: string, id: string) => Buffer.from(`${typename}:${id}`).toString('base64url');
      const cases: Array<[string, string, string | undefined]> = [
        ['desk of another property', propertyId, otherDesk.token],
        ['unknown property', asId('Property', '00000000-0000-4000-8000-000000000000'), undefined],
        ['malformed id', 'not-an-id', undefined],
        ['id of a visit', asId('Visit', dbId(propertyId)), undefined],
      ];
      for (const [what, p, token] of cases) {
        // The same refusal as for a selection that is never held.
        const executed = await read(`query ($p: ID!) { visitorDesk(propertyId: $p) { cursor } }`, { p }, token);
        const refusal = executed.result.errors?.[0];
        expect(refusal?.extensions?.code, what).toMatch(/^(FORBIDDEN|NOT_FOUND|BAD_USER_INPUT)$/);
        for (let i = 0; i < 2; i++) {
          const { result } = await read(DISPLAY, { p }, token);
          expect(result.data?.visitorDesk ?? null, what).toBeNull();
          expect(
            result.errors?.map((e) => [e.message, e.extensions?.code]),
            what,
          ).toEqual([[refusal!.message, refusal!.extensions!.code]]);
        }
      }
      expect(await reused()).toBe(count);
    });
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('desk answers of two instances on one PostgreSQL', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    database = await freshDatabase('postgres');
    const clock = new TestClock();
    a = await startTestServer('postgres', { clock, database });
    b = await startTestServer('postgres', { clock, database });
    await a.gql(SetIntegration, { enabled: true });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('gives no answer again once the other instance changed a row it shows, though nothing was announced', async () => {
    const { guest, propertyId } = await heldDesk(a, 'Twin');
    const display = async (ts: TestServer) => (await run(ts, DISPLAY, { p: propertyId })).data.visitorDesk as Desk;
    const held = await display(a);
    expect(await display(a)).toEqual(held);
    await b.gql(UpdateVisit, { input: { visitId: guest.id, visitorName: 'Gail from B' } });
    const seen = await display(a);
    expect(seen.queue.find((e) => e.id === guest.id)!.visitorName).toBe('Gail from B');
    expect(seen).toEqual(await display(b));
  });
});
