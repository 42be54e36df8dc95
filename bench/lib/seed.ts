import type { Queryable } from './sql.ts';

// Seeding for `npm run bench`. What a scenario measures is created through the real
// server's public API (so it is exactly what the server would have written); bulk rows
// that only need to be there (the pool of work orders to complete, months of history)
// are inserted with SQL while no server holds the database.

/** One GraphQL call to the real server as the administrator; throws on errors and userErrors. */
export type Call = (query: string, variables?: Record<string, unknown>) => Promise<any>;

const CREATE_PROPERTY = `mutation ($input: CreatePropertyInput!) { createProperty(input: $input) { property { id } userErrors { code message } } }`;
const CREATE_COMPANY = `mutation ($input: CreateCompanyInput!) { createCompany(input: $input) { company { id } userErrors { code message } } }`;
const CREATE_USER = `mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id } userErrors { code message } } }`;
const SET_INTEGRATION = `mutation { updateVisitorSettings(input: { workOrderIntegrationEnabled: true }) { visitorSettings { workOrderIntegrationEnabled } userErrors { code message } } }`;
const CREATE_WORK_ORDER = `mutation ($input: CreateWorkOrderInput!) { createWorkOrder(input: $input) { workOrder { id requestId } userErrors { code message } } }`;
const CREATE_VISIT = `mutation ($input: CreateVisitInput!) { createVisit(input: $input) { visit { id } userErrors { code message } } }`;
const CHECK_IN = `mutation ($visitId: ID!) { checkInVisit(input: { visitId: $visitId }) { visit { id status } userErrors { code message } } }`;

export const createProperty = async (call: Call, name: string, timeZone = 'America/Chicago') =>
  (await call(CREATE_PROPERTY, { input: { name, timeZone } })).createProperty.property.id as string;

/**
 * The desk of `desk-read`: two properties, five companies, ten vendor users, three hosts,
 * the integration on, then `entries` work orders and visits linked to them by Request ID
 * (expectedArrival 5, 10, … minutes ahead), every fifth visit checked in.
 */
export async function seedDesk(call: Call, entries: number): Promise<{ propertyId: string }> {
  const propertyId = await createProperty(call, 'Bench Tower');
  await createProperty(call, 'Other Tower', 'Europe/London');
  await call(SET_INTEGRATION);
  const companies: string[] = [];
  for (let c = 0; c < 5; c++)
    companies.push((await call(CREATE_COMPANY, { input: { name: `Vendor Co ${c}` } })).createCompany.company.id);
  const vendors: Array<{ id: string; companyId: string }> = [];
  for (let u = 0; u < 10; u++) {
    const companyId = companies[u % companies.length];
    const id = (await call(CREATE_USER, { input: { name: `Vendor ${u}`, email: `vendor${u}@bench.test`, companyId } })).createUser
      .user.id;
    vendors.push({ id, companyId });
  }
  const hosts: string[] = [];
  for (let h = 0; h < 3; h++)
    hosts.push((await call(CREATE_USER, { input: { name: `Host ${h}`, email: `host${h}@bench.test` } })).createUser.user.id);
  const now = Date.now();
  for (let i = 0; i < entries; i++) {
    const wo = (await call(CREATE_WORK_ORDER, { input: { propertyId, title: `Repair ${i}` } })).createWorkOrder.workOrder;
    const vendor = vendors[i % vendors.length];
    const visit = (
      await call(CREATE_VISIT, {
        input: {
          propertyId,
          visitorName: `Visitor ${i}`,
          visitorId: vendor.id,
          companyId: vendor.companyId,
          hostId: hosts[i % hosts.length],
          requestId: wo.requestId,
          // Inside the default window (12 h behind, 24 h ahead); distinct, so the order is stable.
          expectedArrival: new Date(now + (i + 1) * 5 * 60_000).toISOString(),
        },
      })
    ).createVisit.visit;
    if (i % 5 === 0) await call(CHECK_IN, { visitId: visit.id });
  }
  return { propertyId };
}

/**
 * What the write scenarios need: a property, a company flagged Auto-Create Visit, one of
 * its users as the assignee, and the integration on.
 */
export async function seedAssignee(call: Call): Promise<{ propertyId: string; assigneeId: string }> {
  const propertyId = await createProperty(call, 'Write Tower');
  await call(SET_INTEGRATION);
  const companyId = (await call(CREATE_COMPANY, { input: { name: 'Auto Vendor Co', autoCreateVisit: true } })).createCompany
    .company.id;
  const assigneeId = (await call(CREATE_USER, { input: { name: 'Auto Vendor', email: 'auto.vendor@bench.test', companyId } }))
    .createUser.user.id;
  return { propertyId, assigneeId };
}

/** A database uuid from a global id (base64url of `Type:uuid`). */
export const rawId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
export const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');

/**
 * `size` work orders IN_PROGRESS, each with its generated visit CHECKED_IN, as the API
 * would leave them after createWorkOrder → updateWorkOrder(IN_PROGRESS) → checkInVisit.
 * Their history (audit rows, desk events) is left out: completing them does not read it.
 * Returns their global ids in Request ID order.
 */
export async function insertCompletionPool(db: Queryable, propertyId: string, assigneeId: string, size: number) {
  await db.query(
    `WITH wo AS (
       INSERT INTO "WorkOrder" ("id", "propertyId", "title", "status", "assigneeId", "scheduledStart", "updatedAt")
       SELECT gen_random_uuid(), $1::uuid, 'Pool ' || i, 'IN_PROGRESS', $2::uuid, now(), now()
       FROM generate_series(1, $3::int) AS i
       RETURNING "id", "scheduledStart")
     INSERT INTO "Visit" ("id", "propertyId", "visitorName", "visitorId", "companyId", "expectedArrival", "status",
                          "source", "checkedInAt", "workOrderId", "inDeskWindow", "updatedAt")
     SELECT gen_random_uuid(), $1::uuid, u."name", u."id", u."companyId", wo."scheduledStart", 'CHECKED_IN',
            'WORK_ORDER', now(), wo."id", true, now()
     FROM wo CROSS JOIN "User" u WHERE u."id" = $2::uuid`,
    [propertyId, assigneeId, size],
  );
  const rows = await db.query<{ id: string }>(
    `SELECT "id" FROM "WorkOrder" WHERE "title" LIKE 'Pool %' AND "status" = 'IN_PROGRESS' ORDER BY "number"`,
  );
  return rows.map((r) => globalId('WorkOrder', r.id));
}

/**
 * Fills the database up to `total` visits with months of history around the measured
 * property: `properties` other properties (each with its desk stream row), and visits
 * spread over them and the measured one: most in the past 180 days, CHECKED_OUT or
 * CANCELLED; one in ten EXPECTED 2 to 180 days ahead (outside the desk window). None of
 * them is on a desk, so the measured desk stays the same 50 entries. Their audit and desk
 * event history is left empty (the desk read does not touch it).
 */
export async function insertHistory(db: Queryable, measuredPropertyId: string, total: number, properties = 200) {
  const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Visit"`);
  const missing = total - n;
  if (missing <= 0) return;
  await db.query(
    `INSERT INTO "Property" ("id", "name", "timeZone", "updatedAt")
     SELECT gen_random_uuid(), 'History ' || i, 'America/Chicago', now() FROM generate_series(1, $1::int) AS i`,
    [properties],
  );
  await db.query(`INSERT INTO "DeskStream" ("propertyId") SELECT "id" FROM "Property" ON CONFLICT DO NOTHING`);
  // Row i: the measured property for every seventh, else one of the others by turns; a
  // vendor (user and company) by turns; every tenth ahead, the rest behind, alternately
  // checked out and cancelled.
  await db.query(
    `WITH props AS (SELECT array_agg("id" ORDER BY "id") AS ids FROM "Property" WHERE "id" <> $2::uuid),
          people AS (SELECT array_agg("id" ORDER BY "id") AS ids, array_agg("companyId" ORDER BY "id") AS companies
                     FROM "User" WHERE "companyId" IS NOT NULL),
          rows AS (
            SELECT i, (i % 10 = 0) AS ahead, 1 + i % array_length(people.ids, 1) AS who,
                   now() - interval '1 day' - (i % 259200) * interval '1 minute' AS past,
                   now() + interval '2 days' + (i % 256320) * interval '1 minute' AS future
            FROM generate_series(1, $1::int) AS i, people)
     INSERT INTO "Visit" ("id", "propertyId", "visitorName", "visitorId", "companyId", "expectedArrival", "status",
                          "checkedInAt", "checkedOutAt", "checkOutReason", "cancelledAt", "inDeskWindow", "createdAt", "updatedAt")
     SELECT gen_random_uuid(),
            CASE WHEN i % 7 = 0 THEN $2::uuid ELSE props.ids[1 + i % array_length(props.ids, 1)] END,
            'History visitor ' || i, people.ids[who], people.companies[who],
            CASE WHEN ahead THEN future ELSE past END,
            (CASE WHEN ahead THEN 'EXPECTED' WHEN i % 2 = 0 THEN 'CHECKED_OUT' ELSE 'CANCELLED' END)::"VisitStatus",
            CASE WHEN NOT ahead AND i % 2 = 0 THEN past END,
            CASE WHEN NOT ahead AND i % 2 = 0 THEN past + interval '2 hours' END,
            CASE WHEN NOT ahead AND i % 2 = 0 THEN 'DESK'::"CheckOutReason" END,
            CASE WHEN NOT ahead AND i % 2 = 1 THEN past END,
            false, LEAST(past, now()), now()
     FROM rows, props, people`,
    [missing, measuredPropertyId],
  );
}
