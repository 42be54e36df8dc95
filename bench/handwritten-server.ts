import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createGraphQLError, createSchema, createYoga } from 'graphql-yoga';

// The hand-written baseline for `npm run bench`: a minimal graphql-yoga server whose
// resolvers run hand-written SQL through the same driver (PGlite) on the same data folder
// (DATA_DIR) that the real server prepared. It answers exactly the benchmark's desk read:
//
//   visitorDesk(propertyId) { entries { id visitorName status expectedArrival
//     company { name } visitor { name } host { name } workOrder { requestId title } } }
//
// with the same JSON as the real server, in two queries per request: the token-hash lookup
// (as the real server authenticates every request) and one joined read of the desk (the
// same rule: CHECKED_IN, or EXPECTED with inDeskWindow; ordered by expectedArrival, id).
// Only one process may open a PGlite folder: the real server must be stopped first.

const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error('DATA_DIR is required');
const db = await PGlite.create(resolve(dataDir));

/** Queries run since start, served at GET /stats (the benchmark reads it to count queries per request). */
let queries = 0;
const query = async <T>(sql: string, params: unknown[]) => {
  queries++;
  return (await db.query<T>(sql, params)).rows;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
const requestId = (n: number) => `WO-${String(n).padStart(6, '0')}`;

interface Viewer {
  id: string;
}
type Ctx = {
  viewer: Viewer;
};

interface DeskRow {
  pid: string;
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

const DESK_SQL = `
  SELECT p."id" AS "pid", v."id", v."visitorName", v."status", v."expectedArrival",
         c."name" AS "companyName", vu."name" AS "visitorUserName", h."name" AS "hostName",
         w."number" AS "woNumber", w."title" AS "woTitle"
  FROM "Property" p
  LEFT JOIN "Visit" v ON v."propertyId" = p."id"
    AND (v."status" = 'CHECKED_IN' OR (v."status" = 'EXPECTED' AND v."inDeskWindow"))
  LEFT JOIN "Company" c ON c."id" = v."companyId"
  LEFT JOIN "User" vu ON vu."id" = v."visitorId"
  LEFT JOIN "User" h ON h."id" = v."hostId"
  LEFT JOIN "WorkOrder" w ON w."id" = v."workOrderId"
  WHERE p."id" = $1::uuid
  ORDER BY v."expectedArrival", v."id"`;

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
        requestId: String!
        title: String!
      }
    `,
    resolvers: {
      Query: {
        visitorDesk: async (_root: unknown, args: { propertyId: string }) => {
          const text = Buffer.from(args.propertyId, 'base64url').toString('utf8');
          const [type, id] = [text.slice(0, text.indexOf(':')), text.slice(text.indexOf(':') + 1)];
          const rows = type === 'Property' && UUID.test(id) ? await query<DeskRow>(DESK_SQL, [id]) : [];
          if (rows.length === 0)
            throw createGraphQLError('No property exists with this propertyId.', { extensions: { code: 'NOT_FOUND' } });
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
    },
  }),
  graphqlEndpoint: '/graphql',
  graphiql: false,
  landingPage: false,
  logging: 'warn',
  maskedErrors: true,
  // One token-hash lookup per request, as the real server does.
  context: async ({ request }): Promise<Ctx> => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
    const rows = match
      ? await query<{ id: string; revokedAt: Date | null; expiresAt: Date | null }>(
          `SELECT u."id", t."revokedAt", t."expiresAt" FROM "ApiToken" t JOIN "User" u ON u."id" = t."userId"
           WHERE t."tokenHash" = $1`,
          [createHash('sha256').update(match[1], 'utf8').digest('hex')],
        )
      : [];
    const token = rows[0];
    if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= new Date()))
      throw createGraphQLError('Authentication required.', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
    return { viewer: { id: token.id } };
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
