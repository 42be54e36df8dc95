import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGraphQLError, createSchema, createYoga } from 'graphql-yoga';
import { openSql, targetFromEnv, type Queryable } from './lib/sql.ts';
import { Prisma } from '../src/generated/prisma/client.ts';
import { webhookDeliveriesSql, webhookSubscribersSql } from '../src/modules/webhooks/outbox.ts';
import { deskMovesDueSql } from '../src/modules/desk/clock.ts';

// The hand-written baseline for `npm run bench`: a minimal graphql-yoga server whose
// resolvers run hand-written SQL through the same driver as the real server (PGlite on
// DATA_DIR, or pg on DATABASE_URL with ?schema=) on a copy of the prepared database. It
// answers exactly the benchmark's operations, with the same JSON and the same rows written:
//
//   visitorDesk(propertyId) { entries { … } }: one joined read of the desk (the same rule:
//     CHECKED_IN, or EXPECTED with inDeskWindow; ordered by expectedArrival, id);
//   createWorkOrder: the work order, its generated visit (assignee of an Auto-Create Visit
//     company, integration on), the desk event and two audit rows, in one transaction;
//   completeWorkOrder: the work order completed, its visits checked out (or cancelled),
//     their desk events and audit rows, in one transaction.
//
// Every request first looks up its token with the user's role assignments, as the real
// server does. Writes queue their webhook deliveries when an endpoint subscribes (with the
// real server's statements, src/modules/webhooks/outbox.ts), and a check-out takes the
// roll call's share lock and looks for an open evacuation; the desk read checks whether the
// desk clock is behind (src/modules/desk/clock.ts) and refuses to answer if it is (the real
// server would move visits first; nothing is ever due in the benchmark). With PGlite only
// one process may open the folder: the real server must be stopped first.

const db = await openSql(targetFromEnv(process.env));

/** Queries run since start, served at GET /stats (the benchmark reads it to count queries per request). */
let queries = 0;
const counted = (q: Queryable): Queryable => ({
  query: (sql, params) => {
    queries++;
    return q.query(sql, params);
  },
});
const query = counted(db).query;
/** A transaction whose BEGIN and COMMIT count as statements too (Prisma's count includes its COMMIT). */
const transaction = <T>(fn: (tx: Queryable) => Promise<T>) => {
  queries += 2;
  return db.transaction((tx) => fn(counted(tx)));
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
const requestId = (n: number) => `WO-${String(n).padStart(6, '0')}`;

/** The database id inside a global id of `type`, or null. */
function idOf(global: string, type: string): string | null {
  const text = Buffer.from(global, 'base64url').toString('utf8');
  const id = text.slice(type.length + 1);
  return text.startsWith(`${type}:`) && UUID.test(id) ? id : null;
}

interface Grant {
  role: 'ADMIN' | 'PROPERTY_MANAGER' | 'DESK' | 'VENDOR';
  propertyId: string | null;
}
interface Viewer {
  id: string;
  grants: Grant[];
}
type Ctx = {
  viewer: Viewer;
};

/** The rights the benchmark's operations need (src/modules/access/access.ts). */
const isAdmin = (v: Viewer) => v.grants.some((g) => g.role === 'ADMIN');
const staffs = (v: Viewer, propertyId: string) => isAdmin(v) || v.grants.some((g) => g.propertyId === propertyId);
const manages = (v: Viewer, propertyId: string) =>
  isAdmin(v) || v.grants.some((g) => g.role === 'PROPERTY_MANAGER' && g.propertyId === propertyId);

interface DeskRow {
  pid: string;
  movesDue: boolean;
  id: string | null;
  visitorName: string;
  status: string;
  expectedArrival: Date;
  companyName: string | null;
  visitorUserName: string | null;
  hostName: string | null;
  woNumber: number | null;
  woTitle: string | null;
}

/** The desk read, with whether the desk clock is behind (computed once, on the property's row, not once per entry). */
const deskSql = (propertyId: string, now: Date) => Prisma.sql`
  WITH p AS MATERIALIZED (SELECT p."id", ${deskMovesDueSql(now)} AS "movesDue" FROM "Property" p WHERE p."id" = ${propertyId}::uuid)
  SELECT p."id" AS "pid", p."movesDue", v."id", v."visitorName", v."status", v."expectedArrival",
         c."name" AS "companyName", vu."name" AS "visitorUserName", h."name" AS "hostName",
         w."number" AS "woNumber", w."title" AS "woTitle"
  FROM p
  LEFT JOIN "Visit" v ON v."propertyId" = p."id"
    AND (v."status" = 'CHECKED_IN' OR (v."status" = 'EXPECTED' AND v."inDeskWindow"))
  LEFT JOIN "Company" c ON c."id" = v."companyId"
  LEFT JOIN "User" vu ON vu."id" = v."visitorId"
  LEFT JOIN "User" h ON h."id" = v."hostId"
  LEFT JOIN "WorkOrder" w ON w."id" = v."workOrderId"
  ORDER BY v."expectedArrival", v."id"`;

// ---------------------------------------------------------------------------------------
// Writes: the same rows as the real server's unit of work (src/core/unit-of-work.ts
// runWork): the change, its desk events (src/modules/desk/log.ts) and its audit rows
// (src/core/audit-trail.ts), in one transaction.

type Value = string | number | boolean | Date | null;
interface Change {
  field: string;
  from: string | null;
  to: string | null;
  ref?: string;
}

/** Field-level changes as src/core/audit-trail.ts fieldChanges records them: null fields skipped, references typed. */
function changes(fields: Array<[field: string, from: Value, to: Value, ref?: string]>): Change[] {
  const show = (v: Value) => (v === null ? null : v instanceof Date ? v.toISOString() : String(v));
  return fields
    .filter(([, from, to]) => show(from) !== show(to))
    .map(([field, from, to, ref]) => ({ field, from: show(from), to: show(to), ...(ref ? { ref } : {}) }));
}

interface Audit {
  action: string;
  source: 'API' | 'INTEGRATION';
  entityType: 'WorkOrder' | 'Visit';
  entityId: string;
  changes: Change[];
}

interface DeskChange {
  kind: 'VISIT_ADDED' | 'VISIT_CHECKED_OUT' | 'VISIT_REMOVED';
  visitId: string;
}

/** The unit of work's tail: desk events after taking the property's stream row, then the audit rows and the webhook outbox. */
async function record(tx: Queryable, propertyId: string, actorId: string, now: Date, desk: DeskChange[], audit: Audit[]) {
  if (desk.length > 0) {
    const [{ lastSeq }] = await tx.query<{ lastSeq: number }>(
      `INSERT INTO "DeskStream" ("propertyId", "lastSeq") VALUES ($1::uuid, $2)
       ON CONFLICT ("propertyId") DO UPDATE SET "lastSeq" = "DeskStream"."lastSeq" + $2 RETURNING "lastSeq"`,
      [propertyId, desk.length],
    );
    const first = lastSeq - desk.length + 1;
    await tx.query(
      `INSERT INTO "DeskEvent" ("propertyId", "seq", "kind", "visitId", "occurredAt")
       SELECT $1::uuid, $2::int + i - 1, (e->>'kind')::"DeskEventKind", (e->>'visitId')::uuid, $3
       FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS t(e, i)`,
      [propertyId, first, now, JSON.stringify(desk)],
    );
  }
  // The audit rows, and (in the same statement) whether an endpoint subscribes to these events.
  const audited = Prisma.sql`
    WITH added AS (
      INSERT INTO "AuditEvent" ("id", "occurredAt", "action", "source", "actorId", "entityType", "entityId", "propertyId", "changes")
      SELECT gen_random_uuid(), ${now}, e->>'action', (e->>'source')::"AuditSource", ${actorId}::uuid, e->>'entityType',
             (e->>'entityId')::uuid, ${propertyId}::uuid, e->'changes'
      FROM jsonb_array_elements(${JSON.stringify(audit)}::jsonb) WITH ORDINALITY AS t(e, i) ORDER BY i
    )
    SELECT ${webhookSubscribersSql(audit)} AS "subscribed"`;
  const [{ subscribed }] = await tx.query<{ subscribed: boolean }>(audited.text, audited.values);
  const outbox = subscribed ? webhookDeliveriesSql(audit, now) : null;
  if (outbox) await tx.query(outbox.text, outbox.values);
}

const userError = (code: string, message: string) => ({ userErrors: [{ code, message }] });

interface CreateInput {
  propertyId: string;
  title: string;
  description?: string | null;
  assigneeId?: string | null;
  scheduledStart?: string | null;
  scheduledEnd?: string | null;
}

/**
 * createWorkOrder with the integration's generated visit (src/modules/work-orders/work-orders.ts,
 * integration.ts). The benchmark's requests always generate a visit; a request outside
 * that path (no eligible assignee, integration off) creates the work order alone.
 */
async function createWorkOrder(viewer: Viewer, input: CreateInput) {
  const propertyId = idOf(input.propertyId, 'Property');
  const assigneeId = input.assigneeId ? idOf(input.assigneeId, 'User') : null;
  if (!propertyId || (input.assigneeId && !assigneeId)) return userError('NOT_FOUND', 'No such property or user.');
  if (!manages(viewer, propertyId))
    return userError('FORBIDDEN', "Your role does not include changing this property's work orders.");
  const scheduledStart = input.scheduledStart ? new Date(input.scheduledStart) : null;
  const scheduledEnd = input.scheduledEnd ? new Date(input.scheduledEnd) : null;
  return transaction(async (tx) => {
    const now = new Date();
    // Property (with its desk window), settings and assignee (with its company) in one read.
    const [ctx] = await tx.query<{
      behind: number;
      ahead: number;
      integration: boolean | null;
      assigneeId: string | null;
      assigneeName: string | null;
      companyId: string | null;
      autoCreateVisit: boolean | null;
    }>(
      `SELECT p."deskLookBehindMinutes" AS "behind", p."deskLookAheadMinutes" AS "ahead",
              s."workOrderIntegrationEnabled" AS "integration",
              u."id" AS "assigneeId", u."name" AS "assigneeName", c."id" AS "companyId", c."autoCreateVisit"
       FROM "Property" p
       LEFT JOIN "VisitorSettings" s ON s."id" = 1
       LEFT JOIN "User" u ON u."id" = $2::uuid
       LEFT JOIN "Company" c ON c."id" = u."companyId"
       WHERE p."id" = $1::uuid`,
      [propertyId, assigneeId],
    );
    if (!ctx || (assigneeId && !ctx.assigneeId)) return userError('NOT_FOUND', 'No such property or user.');
    const [wo] = await tx.query<{ id: string; number: number }>(
      `INSERT INTO "WorkOrder" ("id", "propertyId", "title", "description", "assigneeId", "scheduledStart", "scheduledEnd", "updatedAt")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING "id", "number"`,
      [randomUUID(), propertyId, input.title, input.description ?? null, assigneeId, scheduledStart, scheduledEnd, now],
    );
    const audit: Audit[] = [
      {
        action: 'workOrder.created',
        source: 'API',
        entityType: 'WorkOrder',
        entityId: wo.id,
        changes: changes([
          ['number', null, wo.number],
          ['propertyId', null, propertyId, 'Property'],
          ['title', null, input.title],
          ['description', null, input.description ?? null],
          ['status', null, 'OPEN'],
          ['assigneeId', null, assigneeId, 'User'],
          ['scheduledStart', null, scheduledStart],
          ['scheduledEnd', null, scheduledEnd],
        ]),
      },
    ];
    const desk: DeskChange[] = [];
    let generatedVisit: { id: string; status: string } | null = null;
    if (ctx.integration && ctx.autoCreateVisit) {
      const arrival = scheduledStart ?? now;
      const departure = scheduledEnd && scheduledEnd > arrival ? scheduledEnd : null;
      const t = arrival.getTime();
      const inDeskWindow = t >= now.getTime() - ctx.behind * 60_000 && t <= now.getTime() + ctx.ahead * 60_000;
      const visitId = randomUUID();
      await tx.query(
        `INSERT INTO "Visit" ("id", "propertyId", "visitorName", "visitorId", "companyId", "expectedArrival",
                              "expectedDeparture", "source", "workOrderId", "notes", "inDeskWindow", "updatedAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'WORK_ORDER', $8, $9, $10, $11)`,
        [
          visitId,
          propertyId,
          ctx.assigneeName,
          assigneeId,
          ctx.companyId,
          arrival,
          departure,
          wo.id,
          input.description ?? null,
          inDeskWindow,
          now,
        ],
      );
      if (inDeskWindow) desk.push({ kind: 'VISIT_ADDED', visitId });
      audit.push({
        action: 'visit.generated',
        source: 'INTEGRATION',
        entityType: 'Visit',
        entityId: visitId,
        changes: changes([
          ['propertyId', null, propertyId, 'Property'],
          ['visitorName', null, ctx.assigneeName],
          ['visitorId', null, assigneeId, 'User'],
          ['companyId', null, ctx.companyId, 'Company'],
          ['expectedArrival', null, arrival],
          ['expectedDeparture', null, departure],
          ['status', null, 'EXPECTED'],
          ['source', null, 'WORK_ORDER'],
          ['workOrderId', null, wo.id, 'WorkOrder'],
          ['notes', null, input.description ?? null],
          ['inDeskWindow', null, inDeskWindow],
        ]),
      });
      generatedVisit = { id: globalId('Visit', visitId), status: 'EXPECTED' };
    }
    await record(tx, propertyId, viewer.id, now, desk, audit);
    return {
      workOrder: { id: globalId('WorkOrder', wo.id), requestId: requestId(wo.number), status: 'OPEN' },
      generatedVisit,
      userErrors: [],
    };
  });
}

/** completeWorkOrder (src/modules/work-orders/work-orders.ts, integration.ts onWorkOrderCompleted). */
async function completeWorkOrder(viewer: Viewer, input: { workOrderId: string }) {
  const id = idOf(input.workOrderId, 'WorkOrder');
  if (!id) return userError('NOT_FOUND', 'No work order exists with this id.');
  return transaction(async (tx) => {
    const now = new Date();
    // The work order's row lock first, then its visits', as the real server orders them.
    const [wo] = await tx.query<{
      number: number;
      propertyId: string;
      assigneeId: string | null;
      status: string;
      integration: boolean | null;
    }>(
      `SELECT w."number", w."propertyId", w."assigneeId", w."status", s."workOrderIntegrationEnabled" AS "integration"
       FROM "WorkOrder" w LEFT JOIN "VisitorSettings" s ON s."id" = 1 WHERE w."id" = $1::uuid FOR UPDATE OF w`,
      [id],
    );
    const vendorOwn = wo && wo.assigneeId === viewer.id && viewer.grants.some((g) => g.role === 'VENDOR');
    if (!wo || !(staffs(viewer, wo.propertyId) || vendorOwn)) return userError('NOT_FOUND', 'No work order exists with this id.');
    if (!(manages(viewer, wo.propertyId) || vendorOwn)) return userError('FORBIDDEN', 'Your role does not include this.');
    if (!['OPEN', 'IN_PROGRESS', 'ON_HOLD'].includes(wo.status))
      return userError('INVALID_TRANSITION', `Work order ${requestId(wo.number)} can no longer change.`);
    await tx.query(`UPDATE "WorkOrder" SET "status" = 'COMPLETED', "completedAt" = $2, "updatedAt" = $2 WHERE "id" = $1::uuid`, [
      id,
      now,
    ]);
    const audit: Audit[] = [
      {
        action: 'workOrder.completed',
        source: 'API',
        entityType: 'WorkOrder',
        entityId: id,
        changes: changes([
          ['status', wo.status, 'COMPLETED'],
          ['completedAt', null, now],
        ]),
      },
    ];
    // A visitor on site is checked out; one who never arrived is cancelled.
    const visits = wo.integration
      ? await tx.query<{ id: string; before: string; status: string; inDeskWindow: boolean }>(
          `WITH open AS (
             SELECT "id", "status" FROM "Visit" WHERE "workOrderId" = $1::uuid AND "status" IN ('EXPECTED', 'CHECKED_IN')
             ORDER BY "createdAt", "id" FOR UPDATE)
           UPDATE "Visit" v SET
             "status" = CASE WHEN o."status" = 'CHECKED_IN' THEN 'CHECKED_OUT' ELSE 'CANCELLED' END::"VisitStatus",
             "checkedOutAt" = CASE WHEN o."status" = 'CHECKED_IN' THEN $2::timestamptz END,
             "checkOutReason" = CASE WHEN o."status" = 'CHECKED_IN' THEN 'WORK_ORDER_COMPLETED'::"CheckOutReason" END,
             "cancelledAt" = CASE WHEN o."status" = 'EXPECTED' THEN $2::timestamptz END,
             "updatedAt" = $2
           FROM open o WHERE v."id" = o."id"
           RETURNING v."id", o."status"::text AS "before", v."status"::text AS "status", v."inDeskWindow"`,
          [id, now],
        )
      : [];
    if (visits.some((v) => v.status === 'CHECKED_OUT')) {
      // The roll call's share lock, then (a statement of its own) whether one is open; none is in the benchmark.
      await tx.query(`SELECT 1 FROM "Property" WHERE "id" = ANY($1::uuid[]) ORDER BY "id" FOR SHARE`, [[wo.propertyId]]);
      const open = await tx.query(`SELECT "id" FROM "Evacuation" WHERE "propertyId" = ANY($1::uuid[]) AND "endedAt" IS NULL`, [
        [wo.propertyId],
      ]);
      if (open.length > 0) throw new Error('The hand-written server does not follow an open evacuation.');
    }
    const desk: DeskChange[] = [];
    for (const v of visits) {
      const out = v.status === 'CHECKED_OUT';
      if (out) desk.push({ kind: 'VISIT_CHECKED_OUT', visitId: v.id });
      else if (v.inDeskWindow) desk.push({ kind: 'VISIT_REMOVED', visitId: v.id });
      audit.push({
        action: out ? 'visit.checkedOut' : 'visit.cancelled',
        source: 'INTEGRATION',
        entityType: 'Visit',
        entityId: v.id,
        changes: out
          ? changes([
              ['status', v.before, v.status],
              ['checkedOutAt', null, now],
              ['checkOutReason', null, 'WORK_ORDER_COMPLETED'],
            ])
          : changes([
              ['status', v.before, v.status],
              ['cancelledAt', null, now],
            ]),
      });
    }
    await record(tx, wo.propertyId, viewer.id, now, desk, audit);
    return {
      workOrder: { id: globalId('WorkOrder', id), requestId: requestId(wo.number), status: 'COMPLETED' },
      checkedOutVisits: visits.map((v) => ({ id: globalId('Visit', v.id), status: v.status })),
      userErrors: [],
    };
  });
}

// ---------------------------------------------------------------------------------------

const yoga = createYoga({
  schema: createSchema({
    typeDefs: /* GraphQL */ `
      type Query {
        visitorDesk(propertyId: ID!): VisitorDesk!
      }
      type VisitorDesk {
        entries: [Visit!]!
      }
      enum VisitStatus {
        EXPECTED
        CHECKED_IN
        CHECKED_OUT
        CANCELLED
      }
      type Visit {
        id: ID!
        visitorName: String!
        status: VisitStatus!
        expectedArrival: String!
        company: Named
        visitor: Named
        host: Named
        workOrder: WorkOrder
      }
      type Named {
        name: String!
      }
      type WorkOrder {
        id: ID!
        requestId: String!
        title: String!
        status: String!
      }
      type Mutation {
        createWorkOrder(input: CreateWorkOrderInput!): CreateWorkOrderPayload!
        completeWorkOrder(input: CompleteWorkOrderInput!): CompleteWorkOrderPayload!
      }
      # DateTime as in the real schema (ISO 8601 strings), so that one operation text serves both servers.
      scalar DateTime
      input CreateWorkOrderInput {
        propertyId: ID!
        title: String!
        description: String
        assigneeId: ID
        scheduledStart: DateTime
        scheduledEnd: DateTime
      }
      input CompleteWorkOrderInput {
        workOrderId: ID!
      }
      type UserError {
        code: String!
        message: String!
      }
      type CreateWorkOrderPayload {
        workOrder: WorkOrder
        generatedVisit: Visit
        userErrors: [UserError!]!
      }
      type CompleteWorkOrderPayload {
        workOrder: WorkOrder
        checkedOutVisits: [Visit!]!
        userErrors: [UserError!]!
      }
    `,
    resolvers: {
      Query: {
        visitorDesk: async (_root: unknown, args: { propertyId: string }, ctx: Ctx) => {
          const id = idOf(args.propertyId, 'Property');
          const desk = id && staffs(ctx.viewer, id) ? deskSql(id, new Date()) : null;
          const rows = desk ? await query<DeskRow>(desk.text, desk.values) : [];
          if (rows.length === 0)
            throw createGraphQLError('No property exists with this propertyId.', { extensions: { code: 'NOT_FOUND' } });
          if (rows[0].movesDue) throw new Error('The hand-written server does not move visits as time passes.');
          return {
            entries: rows
              .filter((r) => r.id !== null)
              .map((r) => ({
                id: globalId('Visit', r.id!),
                visitorName: r.visitorName,
                status: r.status,
                expectedArrival: r.expectedArrival.toISOString(),
                company: r.companyName === null ? null : { name: r.companyName },
                visitor: r.visitorUserName === null ? null : { name: r.visitorUserName },
                host: r.hostName === null ? null : { name: r.hostName },
                workOrder: r.woNumber === null ? null : { requestId: requestId(r.woNumber), title: r.woTitle },
              })),
          };
        },
      },
      Mutation: {
        createWorkOrder: (_root: unknown, args: { input: CreateInput }, ctx: Ctx) => createWorkOrder(ctx.viewer, args.input),
        completeWorkOrder: (_root: unknown, args: { input: { workOrderId: string } }, ctx: Ctx) =>
          completeWorkOrder(ctx.viewer, args.input),
      },
    },
  }),
  graphqlEndpoint: '/graphql',
  graphiql: false,
  landingPage: false,
  logging: 'warn',
  maskedErrors: true,
  // One token lookup per request with the user's role assignments, as the real server does
  // (src/modules/access/auth.ts), including its lastUsedAt refresh at most once a minute.
  context: async ({ request }): Promise<Ctx> => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
    const rows = match
      ? await query<{
          tokenId: string;
          id: string;
          revokedAt: Date | null;
          expiresAt: Date | null;
          lastUsedAt: Date | null;
          grants: Grant[];
        }>(
          `SELECT t."id" AS "tokenId", u."id", t."revokedAt", t."expiresAt", t."lastUsedAt",
                  COALESCE((SELECT jsonb_agg(jsonb_build_object('role', r."role", 'propertyId', r."propertyId"))
                            FROM "RoleAssignment" r WHERE r."userId" = u."id"), '[]') AS "grants"
           FROM "ApiToken" t JOIN "User" u ON u."id" = t."userId"
           WHERE t."tokenHash" = $1`,
          [createHash('sha256').update(match[1], 'utf8').digest('hex')],
        )
      : [];
    const token = rows[0];
    const now = new Date();
    if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= now))
      throw createGraphQLError('Authentication required.', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
    if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() >= 60_000)
      query(`UPDATE "ApiToken" SET "lastUsedAt" = $2 WHERE "id" = $1`, [token.tokenId, now]).catch(() => {});
    return { viewer: { id: token.id, grants: token.grants } };
  },
});

const http = createServer((req, res) => {
  if (req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ queries }));
    return;
  }
  void yoga.handle(req, res);
});
http.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { port } = http.address() as AddressInfo;
  process.stdout.write(`handwritten server on http://127.0.0.1:${port}/graphql\n`);
});
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  http.closeAllConnections();
  http.close(() => void db.close().finally(() => process.exit(0)));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
