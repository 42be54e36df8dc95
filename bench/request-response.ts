import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import {
  buildOurs,
  OURS_BUNDLE,
  medianRssKB,
  pinSelf,
  ROOT,
  sleep,
  spawnServer,
  cpuTimeMs,
  tasksetAvailable,
  guardRun,
  envInt as int,
  gitInfo,
  log,
  type ServerProcess,
} from './lib/processes.ts';
import { copyTarget, dropTarget, freshTarget, migrateSchema, openSql, targetEnv, type DbTarget } from './lib/sql.ts';
import { insertCompletionPool, insertHistory, rawId, seedAssignee, seedDesk, type Call } from './lib/seed.ts';
import { deskReadSql } from '../src/modules/desk/read.ts';

// Request/response benchmark: `npm run bench`. See bench/README.md ("Request/response").
//
// Three servers, each its own process (pinned to CPU 0 when taskset exists), driven by
// autocannon from this process (pinned to CPU 1): `hello` (bare yoga, the ceiling),
// `handwritten` (yoga + hand-written SQL on PGlite, the same data folder) and `ours`
// (the bundle `npm start` runs). Interleaved rounds: hello, handwritten, ours, hello, ….

const ROUNDS = int('BENCH_ROUNDS', 3);
const WARMUP_S = int('BENCH_WARMUP_S', 5);
const DURATION_S = int('BENCH_DURATION_S', 10);
const CONNECTIONS = int('BENCH_CONNECTIONS', 10);
const DESK_ENTRIES = int('BENCH_DESK_ENTRIES', 50);
const STARTUP_RUNS = int('BENCH_STARTUP_RUNS', 3);
const OUT = process.env.BENCH_OUT || join(ROOT, 'bench/results/bench.json');
const TOTAL_TIMEOUT_MS = int('BENCH_TIMEOUT_MS', 20 * 60_000);
const LARGE_VISITS = int('BENCH_LARGE_VISITS', 100_000);
const SMALL_VISITS = 1_000;
/** Requests a second the completion pool is sized for (warm-up + measured), per server run. */
const POOL_RATE = int('BENCH_POOL_RATE', 1_000);
/** PostgreSQL instead of PGlite: every database is a private schema of this database, dropped afterwards. */
const DATABASE_URL = process.env.DATABASE_URL || undefined;
/** The budgets: ours ÷ handwritten req/s for the desk read and for the writes, per database. */
const BUDGETS = {
  ...(DATABASE_URL ? { deskRead: 0.85, writes: 0.6, idleRssMB: 150 } : { deskRead: 0.7, writes: 0.5, idleRssMB: 250 }),
  startupMs: 2000,
  largeP50Ratio: 1.5,
};
const SERVERS = ['hello', 'handwritten', 'ours'] as const;
type ServerName = (typeof SERVERS)[number];

// ---------------------------------------------------------------------------------------
// Cleanup: servers are killed and temporary folders removed however this process ends.

const { temporary, done: stopWatchdog } = guardRun(TOTAL_TIMEOUT_MS);

// ---------------------------------------------------------------------------------------

async function post(url: string, query: string, variables: Record<string, unknown>, token?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as { data?: any; errors?: unknown[] } };
}

async function gql<T = any>(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const { status, body } = await post(url, query, variables, token);
  if (status !== 200 || body.errors?.length || !body.data)
    throw new Error(`HTTP ${status}: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  for (const payload of Object.values(body.data) as Array<{ userErrors?: unknown[] }>)
    if (payload?.userErrors?.length) throw new Error(`user errors: ${JSON.stringify(payload.userErrors)}`);
  return body.data as T;
}

function serverEnv(extra: Record<string, string | undefined>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of [
    'DATABASE_URL',
    'REDIS_URL',
    'DESK_CLOCK_MS',
    'WS_KEEPALIVE_MS',
    'DESK_HISTORY_HOURS',
    'DATA_DIR',
    'NODE_OPTIONS',
  ])
    delete env[name];
  // The load comes from one token at thousands of requests a second: no rate limit.
  return {
    ...env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
    RATE_LIMIT_PER_MINUTE: '0',
    ...extra,
  };
}

const healthy = async (url: string) =>
  (await fetch(new URL('/health', url), { signal: AbortSignal.timeout(5_000) })).status === 200;

let serverCpu: number | undefined;

/** Extra Node.js flags for the real server only, e.g. `--cpu-prof --cpu-prof-dir=DIR`. */
const OURS_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS || '').split(/\s+/).filter(Boolean);
/** The same for the hand-written server, to compare profiles. */
const HANDWRITTEN_NODE_ARGS = (process.env.BENCH_HANDWRITTEN_NODE_ARGS || '').split(/\s+/).filter(Boolean);

function spawnNamed(name: ServerName, target: DbTarget | null, token: string): Promise<ServerProcess> {
  const script = { hello: 'bench/hello-server.ts', handwritten: 'bench/handwritten-server.ts', ours: OURS_BUNDLE }[name];
  return spawnServer({
    name,
    script,
    env: serverEnv(target ? { ...targetEnv(target), ADMIN_TOKEN: token } : {}),
    cpu: serverCpu,
    nodeArgs: name === 'ours' ? OURS_NODE_ARGS : name === 'handwritten' ? HANDWRITTEN_NODE_ARGS : [],
    ready: name === 'ours' ? healthy : undefined,
    timeoutMs: 120_000,
  });
}

// ---------------------------------------------------------------------------------------
// Scenarios. Each prepares one or more databases (variants: desk-read-large has two sizes)
// and says what a request is and what a right answer is.

export const DESK_READ = `query DeskRead($propertyId: ID!) {
  visitorDesk(propertyId: $propertyId) {
    entries { id visitorName status expectedArrival company { name } visitor { name } host { name } workOrder { requestId title } }
  }
}`;
const CREATE = `mutation CreateWorkOrder($input: CreateWorkOrderInput!) {
  createWorkOrder(input: $input) { workOrder { id requestId status } generatedVisit { id status } userErrors { code } }
}`;
const COMPLETE = `mutation CompleteWorkOrder($workOrderId: ID!) {
  completeWorkOrder(input: { workOrderId: $workOrderId }) { workOrder { id requestId status } checkedOutVisits { id status } userErrors { code } }
}`;
const HELLO = '{ __typename }';

const SCENARIO_NAMES = ['desk-read', 'create-work-order', 'complete-work-order', 'desk-read-large'] as const;
type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** A prepared database and what its requests need. */
interface Prepared {
  target: DbTarget;
  propertyId: string;
  assigneeId?: string;
  /** Work orders to complete, one per request, in order (every server run starts on a fresh copy). */
  pool?: string[];
  setupMs: number;
}

interface Scenario {
  name: ScenarioName;
  servers: readonly ServerName[];
  /** Writes: each server run gets its own copy, and the rows it wrote are counted. */
  writes: boolean;
  query: string;
  prepare(dir: string, token: string): Promise<Array<{ label: string; prepared: Prepared }>>;
  /** A generator of request variables for one server run. */
  variables(p: Prepared): () => Record<string, unknown>;
  /** Why the answer's data is wrong, or null. */
  check(data: any): string | null;
  /** The part of a sample that must be equal between handwritten and ours. */
  comparable(data: any): unknown;
}

/** A fresh database, seeded through the real server's API by `seed`, then by `bulk` with SQL. */
async function prepareWith(
  dir: string,
  name: string,
  token: string,
  seed: (call: Call) => Promise<Omit<Prepared, 'target' | 'setupMs'>>,
  bulk?: (sql: Awaited<ReturnType<typeof openSql>>, p: Prepared) => Promise<void>,
): Promise<Prepared> {
  const start = performance.now();
  const target = freshTarget({ databaseUrl: DATABASE_URL, dir }, name);
  registerTarget(target);
  if (target.kind === 'postgres') await migrateSchema(target);
  const server = await spawnNamed('ours', target, token);
  let seeded;
  try {
    seeded = await seed((q, v = {}) => gql(server.url, q, v, token));
  } finally {
    await server.stop();
  }
  const prepared: Prepared = { target, ...seeded, setupMs: 0 };
  if (bulk) {
    const sql = await openSql(target);
    await bulk(sql, prepared).finally(() => sql.close());
  }
  prepared.setupMs = Math.round(performance.now() - start);
  return prepared;
}

const deskCheck = (data: any) =>
  data?.visitorDesk?.entries?.length === DESK_ENTRIES ? null : `desk has ${data?.visitorDesk?.entries?.length} entries`;

const deskScenario = (name: 'desk-read' | 'desk-read-large', sizes: number[]): Scenario => ({
  name,
  servers: name === 'desk-read' ? SERVERS : ['handwritten', 'ours'],
  writes: false,
  query: DESK_READ,
  prepare: async (dir, token) => {
    const variants = [];
    for (const size of sizes) {
      const label = sizes.length > 1 ? `${size} visits` : '';
      const prepared = await prepareWith(
        dir,
        `${name}-${size}`,
        token,
        (call) => seedDesk(call, DESK_ENTRIES),
        size > 0 ? (sql, p) => insertHistory(sql, rawId(p.propertyId), size) : undefined,
      );
      variants.push({ label, prepared });
    }
    return variants;
  },
  variables: (p) => () => ({ propertyId: p.propertyId }),
  check: deskCheck,
  comparable: (data) => data,
});

const SCENARIOS: Record<ScenarioName, () => Scenario> = {
  'desk-read': () => deskScenario('desk-read', [0]),
  'desk-read-large': () => deskScenario('desk-read-large', [SMALL_VISITS, LARGE_VISITS]),
  'create-work-order': () => ({
    name: 'create-work-order',
    servers: ['handwritten', 'ours'],
    writes: true,
    query: CREATE,
    prepare: async (dir, token) => [{ label: '', prepared: await prepareWith(dir, 'create-work-order', token, seedAssignee) }],
    // scheduledStart ≈ now: the generated visit lands inside the desk window (a desk event).
    variables: (p) => {
      const input = {
        propertyId: p.propertyId,
        title: 'Bench repair',
        assigneeId: p.assigneeId,
        scheduledStart: new Date().toISOString(),
      };
      return () => ({ input });
    },
    check: (data) => {
      const r = data?.createWorkOrder;
      return r?.userErrors?.length === 0 && r.workOrder?.status === 'OPEN' && r.generatedVisit?.status === 'EXPECTED'
        ? null
        : `unexpected payload ${JSON.stringify(r)}`;
    },
    // Ids are new on each server; the Request ID comes from the same sequence position.
    comparable: (data) => ({
      ...data.createWorkOrder,
      workOrder: { ...data.createWorkOrder.workOrder, id: '' },
      generatedVisit: { status: data.createWorkOrder.generatedVisit.status },
    }),
  }),
  'complete-work-order': () => ({
    name: 'complete-work-order',
    servers: ['handwritten', 'ours'],
    writes: true,
    query: COMPLETE,
    prepare: async (dir, token) => {
      // Enough for the fastest server at POOL_RATE through warm-up and measurement, plus the samples.
      const size = (WARMUP_S + DURATION_S) * POOL_RATE + 10;
      const prepared = await prepareWith(dir, 'complete-work-order', token, seedAssignee, async (sql, p) => {
        p.pool = await insertCompletionPool(sql, rawId(p.propertyId), rawId(p.assigneeId!), size);
      });
      return [{ label: '', prepared }];
    },
    variables: (p) => {
      let next = 0;
      return () => ({ workOrderId: p.pool![next++ % p.pool!.length] });
    },
    check: (data) => {
      const r = data?.completeWorkOrder;
      return r?.userErrors?.length === 0 &&
        r.workOrder?.status === 'COMPLETED' &&
        r.checkedOutVisits?.[0]?.status === 'CHECKED_OUT'
        ? null
        : `unexpected payload ${JSON.stringify(r)}`;
    },
    comparable: (data) => data,
  }),
};

/** BENCH_SCENARIOS=a,b (default: all), in the order given. */
function selectedScenarios(): Scenario[] {
  const names = (process.env.BENCH_SCENARIOS || SCENARIO_NAMES.join(',')).split(',').map((s) => s.trim());
  for (const n of names)
    if (!(SCENARIO_NAMES as readonly string[]).includes(n))
      throw new Error(`Unknown scenario ${n}; known: ${SCENARIO_NAMES.join(', ')}`);
  return names.map((n) => SCENARIOS[n as ScenarioName]());
}

// PostgreSQL schemas are not removed with the temporary folder: drop them at the end.
const targets: DbTarget[] = [];
const registerTarget = (t: DbTarget) => void (t.kind === 'postgres' && targets.push(t));

// ---------------------------------------------------------------------------------------
// One measured server: sample check, warm-up, measured phase.

interface Measurement {
  server: ServerName;
  variant: string;
  round: number;
  rps: number;
  latencyMs: { p50: number; p99: number; mean: number };
  requests: number;
  non2xx: number;
  /** Responses with GraphQL errors, userErrors or any other wrong body. */
  bodyMismatches: number;
  socketErrors: number;
  timeouts: number;
  /** Queries per request counted by the server itself (handwritten only). */
  queriesPerRequest?: number;
  /**
   * The server process's CPU time (user + system) per request over the measured phase, in ms:
   * steadier than req/s on a busy machine. With the embedded database it includes the
   * database's work; on PostgreSQL that runs in the database's own processes.
   */
  cpuMsPerRequest?: number;
  /** Rows written during the run (after minus before) per work order created or completed (write scenarios). */
  rowsPerWorkOrder?: Record<string, number>;
}

/** A request body per call (the next pool id for completions) and a check of each answer. */
interface Load {
  body(): string;
  verify(text: string): boolean;
}

function cannon(url: string, token: string, seconds: number, load: Load) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        // setupRequest runs once per request sent, so each gets the next body.
        requests: [{ setupRequest: (req: any) => ({ ...req, body: load.body() }) }],
        connections: CONNECTIONS,
        duration: seconds,
        timeout: 10,
        verifyBody: load.verify,
      } as autocannon.Options,
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    // A hung run is stopped after twice its duration.
    const timer = setTimeout(() => (instance as unknown as { stop(): void }).stop(), (seconds * 2 + 10) * 1000);
    instance.on('done', () => clearTimeout(timer));
  });
}

const errorFree = (text: string, check: (data: any) => string | null) => {
  try {
    const body = JSON.parse(text) as { data?: unknown; errors?: unknown[] };
    return !body.errors?.length && check(body.data) === null;
  } catch {
    return false;
  }
};

async function measure(
  scenario: Scenario,
  name: ServerName,
  server: ServerProcess,
  token: string,
  prepared: Prepared,
): Promise<{ m: Omit<Measurement, 'variant' | 'round'> & { answered: number }; sample: { data: unknown } }> {
  const query = name === 'hello' ? HELLO : scenario.query;
  const nextVariables = name === 'hello' ? () => ({}) : scenario.variables(prepared);
  const check = name === 'hello' ? (d: any) => (d?.__typename === 'Query' ? null : 'not Query') : scenario.check;
  const stats = async () =>
    ((await (await fetch(new URL('/stats', server.url), { signal: AbortSignal.timeout(5_000) })).json()) as { queries: number })
      .queries;
  const before = name === 'handwritten' ? await stats() : 0;
  const sample = await post(server.url, query, nextVariables(), token);
  const queriesPerRequest = name === 'handwritten' ? (await stats()) - before : undefined;
  if (sample.status !== 200 || !errorFree(sample.text, check))
    throw new Error(`${name}: sample request failed: HTTP ${sample.status} ${sample.text.slice(0, 500)}`);
  // Reads answer the same every time: compare whole bodies. Writes: the payload's shape.
  const load: Load = scenario.writes
    ? { body: () => JSON.stringify({ query, variables: nextVariables() }), verify: (t) => errorFree(t, check) }
    : (() => {
        const body = JSON.stringify({ query, variables: nextVariables() });
        return { body: () => body, verify: (t: string) => t === sample.text };
      })();
  const warm = await cannon(server.url, token, WARMUP_S, load);
  const cpuBefore = cpuTimeMs(server.pid);
  const r = await cannon(server.url, token, DURATION_S, load);
  const cpuMsPerRequest = Math.round(((cpuTimeMs(server.pid) - cpuBefore) / Math.max(1, r.requests.total)) * 100) / 100;
  const m = {
    server: name,
    rps: Math.round(r.requests.average),
    latencyMs: { p50: r.latency.p50, p99: r.latency.p99, mean: r.latency.average },
    requests: r.requests.total,
    non2xx: r.non2xx,
    bodyMismatches: r.mismatches,
    socketErrors: r.errors,
    timeouts: r.timeouts,
    ...(queriesPerRequest !== undefined ? { queriesPerRequest } : {}),
    cpuMsPerRequest,
    answered: 1 + warm.requests.total + r.requests.total,
  };
  return { m, sample: { data: sample.body.data } };
}

/** Row counts that the write scenarios change (compared before and after a server run). */
async function rowCounts(target: DbTarget): Promise<Record<string, number>> {
  const sql = await openSql(target);
  try {
    const [counts] = await sql.query<Record<string, number>>(
      `SELECT (SELECT count(*) FROM "WorkOrder")::int AS "workOrders",
              (SELECT count(*) FROM "WorkOrder" WHERE "status" = 'COMPLETED')::int AS "completedWorkOrders",
              (SELECT count(*) FROM "Visit")::int AS "visits",
              (SELECT count(*) FROM "Visit" WHERE "checkOutReason" = 'WORK_ORDER_COMPLETED')::int AS "visitsCheckedOutByCompletion",
              (SELECT count(*) FROM "DeskEvent")::int AS "deskEvents",
              (SELECT count(*) FROM "AuditEvent")::int AS "auditEvents"`,
    );
    const actions = await sql.query<{ action: string; n: number }>(
      `SELECT "action", count(*)::int AS "n" FROM "AuditEvent" GROUP BY "action"`,
    );
    for (const a of actions) counts[`audit:${a.action}`] = a.n;
    return counts;
  } finally {
    await sql.close();
  }
}

/** One server on its own copy of the prepared database: start, measure, stop, count what it wrote. */
async function runServer(scenario: Scenario, name: ServerName, prepared: Prepared, dir: string, token: string, run: number) {
  const target = name === 'hello' ? null : await copyTarget(prepared.target, `run-${run}`, dir);
  if (target) registerTarget(target);
  try {
    const before = scenario.writes && target ? await rowCounts(target) : null;
    const server = await spawnNamed(name, target, token);
    let result;
    try {
      result = await measure(scenario, name, server, token, prepared);
    } finally {
      await server.stop();
    }
    const { answered: _answered, ...m } = result.m;
    if (before && target) {
      // Per work order created or completed (in-flight requests at the end of a phase are
      // committed but not counted by autocannon, so requests are not the denominator).
      const after = await rowCounts(target);
      const delta = (k: string) => after[k] - (before[k] ?? 0);
      const per = delta('workOrders') || delta('completedWorkOrders');
      const rows = Object.keys(after)
        .filter((k) => delta(k) !== 0)
        .map((k) => [k, Math.round((delta(k) / per) * 100) / 100]);
      Object.assign(m, { rowsPerWorkOrder: Object.fromEntries(rows) });
    }
    return { m: m as Omit<Measurement, 'variant' | 'round'>, sample: result.sample };
  } finally {
    if (target) await dropTarget(target);
  }
}

// ---------------------------------------------------------------------------------------
// Start-up time and idle memory of the real server on the already-migrated database.

async function startup(target: DbTarget, token: string) {
  const runs: Array<{ healthyMs: number; idleRssKB: number; rssSamplesKB: number[] }> = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    const start = performance.now();
    const server = await spawnNamed('ours', target, token);
    const healthyMs = Math.round(performance.now() - start);
    try {
      await sleep(2_000);
      const rss = await medianRssKB(server.pid);
      runs.push({ healthyMs, idleRssKB: rss.median, rssSamplesKB: rss.samples });
      log(`  start-up ${i + 1}: healthy after ${healthyMs} ms, idle RSS ${Math.round(rss.median / 1024)} MB`);
    } finally {
      await server.stop();
    }
  }
  return runs;
}

// ---------------------------------------------------------------------------------------
// SQL statements per request of the real server, counted in-process (watchStatements).

async function statementsPerRequest(scenario: Scenario, prepared: Prepared, dir: string, token: string) {
  const target = await copyTarget(prepared.target, 'statements', dir);
  registerTarget(target);
  const { loadConfig } = await import('../src/config.ts');
  const { startServer } = await import('../src/server/server.ts');
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    ...targetEnv(target),
    ADMIN_TOKEN: token,
    LOG_LEVEL: 'silent',
    DESK_CLOCK_MS: '0', // no background statements while counting
    WEBHOOK_POLL_MS: '3600000', // nor the webhook worker's polling
  });
  const server = await startServer({ config });
  try {
    const url = `http://127.0.0.1:${server.port}/graphql`;
    const variables = scenario.variables(prepared);
    await gql(url, scenario.query, variables(), token); // warm: caches, prepared plans
    const statements: string[] = [];
    const stop = server.db.watchStatements((sql) => statements.push(sql));
    await gql(url, scenario.query, variables(), token);
    stop();
    // BENCH_SHOW_SQL=1 prints them (what the real server runs per request).
    if (process.env.BENCH_SHOW_SQL) log(`${scenario.name}: statements of one request:\n${statements.join('\n---\n')}`);
    return statements;
  } finally {
    await server.close();
    await dropTarget(target);
  }
}

// ---------------------------------------------------------------------------------------
// The desk query's plan on a prepared database, through the driver directly.

/** The desk read as Prisma sends it (its WHERE and ORDER BY; the joins are per row). */
async function deskPlan(target: DbTarget, propertyId: string): Promise<string[]> {
  const sql = await openSql(target);
  try {
    await sql.query('ANALYZE "Visit"');
    // The server's own desk statement, as it runs it.
    const desk = deskReadSql(rawId(propertyId), new Date());
    const plan = await sql.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${desk.text}`, desk.values);
    return plan.map((r) => r['QUERY PLAN']);
  } finally {
    await sql.close();
  }
}

// ---------------------------------------------------------------------------------------

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pad = (s: string | number, n: number, left = false) => (left ? String(s).padEnd(n) : String(s).padStart(n));

interface Summary {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  graphqlErrorsOrMismatches: number;
  socketErrors: number;
}

function summarise(ms: Measurement[]): Summary {
  return {
    rps: median(ms.map((m) => m.rps)),
    p50Ms: median(ms.map((m) => m.latencyMs.p50)),
    p99Ms: median(ms.map((m) => m.latencyMs.p99)),
    non2xx: ms.reduce((a, m) => a + m.non2xx, 0),
    graphqlErrorsOrMismatches: ms.reduce((a, m) => a + m.bodyMismatches, 0),
    socketErrors: ms.reduce((a, m) => a + m.socketErrors, 0),
  };
}

/** Interleaved rounds of one scenario: round by round, variant by variant, server by server. */
async function runScenario(scenario: Scenario, dir: string, token: string) {
  log(`\n${scenario.name}: preparing…`);
  const variants = await scenario.prepare(dir, token);
  for (const v of variants) log(`  prepared${v.label ? ` (${v.label})` : ''} in ${v.prepared.setupMs} ms`);
  const measurements: Measurement[] = [];
  const references = new Map<string, unknown>();
  let run = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    for (const { label, prepared } of variants) {
      for (const name of scenario.servers) {
        const { m, sample } = await runServer(scenario, name, prepared, dir, token, run++);
        if (name !== 'hello') {
          const comparable = JSON.stringify(scenario.comparable(sample.data));
          if (!references.has(label)) references.set(label, comparable);
          else if (references.get(label) !== comparable)
            throw new Error(`${scenario.name} ${name}: the answer differs from the other server's: ${comparable.slice(0, 300)}`);
        }
        measurements.push({ ...m, variant: label, round });
        log(
          `  round ${round} ${pad(label, 14, true)} ${pad(name, 11, true)} ${pad(m.rps, 6)} req/s  p50 ${m.latencyMs.p50} ms  p99 ${m.latencyMs.p99} ms  non-2xx ${m.non2xx}  errors/mismatches ${m.bodyMismatches}  CPU ${m.cpuMsPerRequest} ms/request`,
        );
      }
    }
  }
  const result: Record<string, unknown> = { query: scenario.query, variants: {} as Record<string, unknown> };
  const lines: string[] = [];
  for (const { label, prepared } of variants) {
    const statements = await statementsPerRequest(scenario, prepared, dir, token);
    const ms = measurements.filter((m) => m.variant === label);
    const summary = Object.fromEntries(scenario.servers.map((s) => [s, summarise(ms.filter((m) => m.server === s))])) as Record<
      ServerName,
      Summary
    >;
    const handwrittenQueries = ms.find((m) => m.server === 'handwritten')?.queriesPerRequest ?? null;
    const sql = { hello: '0', handwritten: String(handwrittenQueries), ours: String(statements.length) };
    lines.push(
      `${scenario.name}${label ? ` (${label})` : ''}: medians of ${ROUNDS} rounds, ${DURATION_S} s each, ${CONNECTIONS} connections`,
      `server       req/s   p50 ms  p99 ms  non-2xx  GraphQL errors/mismatches  SQL/request`,
      `-----------  ------  ------  ------  -------  -------------------------  -----------`,
      ...scenario.servers.map((name) => {
        const s = summary[name];
        return `${pad(name, 11, true)}  ${pad(s.rps, 6)}  ${pad(s.p50Ms, 6)}  ${pad(s.p99Ms, 6)}  ${pad(s.non2xx, 7)}  ${pad(s.graphqlErrorsOrMismatches, 25)}  ${pad(sql[name], 11)}`;
      }),
      `ours / handwritten req/s: ${((summary.ours.rps / summary.handwritten.rps) * 100).toFixed(1)}%`,
    );
    (result.variants as Record<string, unknown>)[label || 'default'] = {
      setupMs: prepared.setupMs,
      poolSize: prepared.pool?.length,
      measurements: ms,
      medians: summary,
      ratioOursToHandwrittenRps: summary.ours.rps / summary.handwritten.rps,
      sqlPerRequest: { ours: statements.length, oursStatements: statements, handwritten: handwrittenQueries },
      ...(scenario.name === 'desk-read-large' ? { explain: await deskPlan(prepared.target, prepared.propertyId) } : {}),
    };
  }
  if (scenario.name === 'desk-read-large') {
    const [small, large] = variants.map((v) => (result.variants as any)[v.label].medians);
    const ratios = { handwritten: large.handwritten.p50Ms / small.handwritten.p50Ms, ours: large.ours.p50Ms / small.ours.p50Ms };
    result.p50Ratio = { ...ratios, budget: `<= ${BUDGETS.largeP50Ratio}`, met: ratios.ours <= BUDGETS.largeP50Ratio };
    lines.push(
      `p50 at ${LARGE_VISITS} / p50 at ${SMALL_VISITS} visits: ours ${ratios.ours.toFixed(2)}× (budget <= ${BUDGETS.largeP50Ratio}×) ${ratios.ours <= BUDGETS.largeP50Ratio ? 'MET' : 'MISSED'}, handwritten ${ratios.handwritten.toFixed(2)}×`,
    );
    const plan = (result.variants as any)[variants[1].label].explain as string[];
    lines.push(`desk query plan at ${LARGE_VISITS} visits:`, ...plan.map((l) => `  ${l}`));
  }
  for (const line of lines) log(line);
  return { result, lines, firstTarget: variants[0].prepared.target };
}

async function main() {
  buildOurs();
  const cpuCount = cpus().length;
  const pinned = tasksetAvailable(cpuCount) && pinSelf(1);
  serverCpu = pinned ? 0 : undefined;
  const machine = {
    cpus: cpuCount,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    pinning: pinned ? 'servers on CPU 0, load generator (this process) on CPU 1' : 'none (taskset unavailable or 1 CPU)',
    database: DATABASE_URL
      ? 'PostgreSQL (DATABASE_URL, a private schema per server run)'
      : 'PGlite (a copy of the folder per server run)',
  };
  const scenarios = selectedScenarios();
  log(`Request/response benchmark: ${machine.cpus} CPUs (${machine.cpuModel}), Node.js ${machine.node}; ${machine.pinning}`);
  log(
    `${scenarios.map((s) => s.name).join(', ')} on ${machine.database}: ${ROUNDS} rounds × (warm-up ${WARMUP_S} s + ${DURATION_S} s), ${CONNECTIONS} connections`,
  );

  const token = `bench-admin-${randomBytes(16).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'vwo-bench-rr-'));
  temporary.push(dir);

  const results: Record<string, unknown> = {};
  const lines: string[] = [];
  let startupTarget: DbTarget | null = null;
  try {
    for (const scenario of scenarios) {
      const r = await runScenario(scenario, dir, token);
      results[scenario.name] = r.result;
      lines.push(...r.lines, '');
      startupTarget ??= r.firstTarget;
    }
    log('\nStart-up of the real server on a migrated database…');
    const startupRuns = await startup(startupTarget!, token);
    const startupMs = median(startupRuns.map((r) => r.healthyMs));
    const idleRssMB = median(startupRuns.map((r) => r.idleRssKB)) / 1024;
    const ratioOf = (name: string) => (results[name] as any)?.variants.default.ratioOursToHandwrittenRps as number | undefined;
    const shares = [
      ['desk-read', BUDGETS.deskRead],
      ['create-work-order', BUDGETS.writes],
      ['complete-work-order', BUDGETS.writes],
    ] as const;
    const budgets: Record<string, unknown> = {};
    for (const [name, budget] of shares) {
      const ratio = ratioOf(name);
      if (ratio === undefined) continue;
      budgets[`${name}Ratio`] = { value: ratio, budget: `>= ${budget}`, met: ratio >= budget };
      lines.push(
        `${name} ours / handwritten req/s: ${(ratio * 100).toFixed(1)}% (budget >= ${budget * 100}%) ${ratio >= budget ? 'MET' : 'MISSED'}`,
      );
    }
    if (results['desk-read-large']) budgets.deskReadLargeP50Ratio = (results['desk-read-large'] as any).p50Ratio;
    budgets.startupMs = { value: startupMs, budget: `< ${BUDGETS.startupMs}`, met: startupMs < BUDGETS.startupMs };
    budgets.idleRssMB = { value: idleRssMB, budget: `<= ${BUDGETS.idleRssMB}`, met: idleRssMB <= BUDGETS.idleRssMB };
    lines.push(
      `start-up to healthy (median of ${STARTUP_RUNS}): ${startupMs} ms (budget < ${BUDGETS.startupMs} ms) ${startupMs < BUDGETS.startupMs ? 'MET' : 'MISSED'}`,
      `idle RSS after start-up (median): ${idleRssMB.toFixed(1)} MB (budget <= ${BUDGETS.idleRssMB} MB) ${idleRssMB <= BUDGETS.idleRssMB ? 'MET' : 'MISSED'}`,
    );
    log('');
    for (const line of lines) log(line);

    const result = {
      benchmark: 'request-response',
      command: 'npm run bench',
      finishedAt: new Date().toISOString(),
      machine,
      git: gitInfo(),
      settings: {
        scenarios: scenarios.map((s) => s.name),
        rounds: ROUNDS,
        warmupSeconds: WARMUP_S,
        durationSeconds: DURATION_S,
        connections: CONNECTIONS,
        deskEntries: DESK_ENTRIES,
        largeVisits: [SMALL_VISITS, LARGE_VISITS],
        poolRate: POOL_RATE,
      },
      scenarios: results,
      startup: { runs: startupRuns, medianHealthyMs: startupMs, medianIdleRssMB: idleRssMB },
      budgets,
      table: lines,
    };
    mkdirSync(join(OUT, '..'), { recursive: true });
    writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
    log(`\nWritten to ${OUT}`);
  } finally {
    for (const t of targets) await dropTarget(t).catch(() => {});
  }
}

main()
  .then(() => {
    stopWatchdog();
    process.exit(0);
  })
  .catch((err) => {
    log(`\nBenchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  });
