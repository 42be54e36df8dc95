import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createPubSub } from 'graphql-yoga';
import { Webhook } from 'standardwebhooks';
import {
  buildOurs,
  cpuTimeMs,
  envInt as int,
  gitInfo,
  guardRun,
  log,
  machineBusyMs,
  OURS_BUNDLE,
  ROOT,
  sleep,
  spawnServer,
  type ServerProcess,
} from './lib/processes.ts';
import { seedAssignee, type Call } from './lib/seed.ts';
import { localhostCertificate } from '../test/support/webhook-receiver.ts';
import { dropTarget, freshTarget, migrateSchema, openSql, targetEnv, type DbTarget } from './lib/sql.ts';
import { loadConfig } from '../src/config.ts';
import type { Announcements } from '../src/core/announcements.ts';
import type { AuditEntry } from '../src/core/audit-trail.ts';
import { systemClock } from '../src/core/clock.ts';
import { startServer, type RunningServer } from '../src/server/server.ts';
import { queueWebhookDeliveries } from '../src/modules/webhooks/outbox.ts';
import { WebhookWorker, type WebhookAttempt } from '../src/modules/webhooks/worker.ts';

// Webhooks: `npm run bench:webhooks`. See bench/README.md ("Webhooks").
//
// 1. Statements per change: the real server in this process (DESK_CLOCK_MS=0), its delivery
//    worker stopped, so that every statement counted is the request's own. The write scenarios,
//    with no endpoint and with one subscribed to every event type; the difference may be at most 1.
// 2. Delivery throughput, in rounds: N deliveries queued through the same in-process server
//    (worker stopped, so nothing is sent while queueing), the endpoint then disabled; the real
//    server processes (`node dist/server/main.mjs`) start on the database, the endpoint is
//    enabled, and a local https receiver answering 200 at once times the arrivals and checks
//    that each webhook-id arrives once. On PostgreSQL, each round again with two instances on
//    the same database.

const DELIVERIES = int('BENCH_WEBHOOKS_DELIVERIES', 2000);
/** Throughput runs (each on a backlog of its own); the median counts. */
const ROUNDS = int('BENCH_WEBHOOKS_ROUNDS', 3);
/** Requests counted per scenario and endpoint count (after one warm-up request). */
const COUNTED = int('BENCH_WEBHOOKS_REQUESTS', 3);
/** Concurrent requests while queueing. */
const QUEUE_CONCURRENCY = 4;
/** The instances' poll interval: enabling the endpoint queues nothing, so a poll starts the delivery. */
const POLL_MS = 100;
/** After the last expected arrival, how long to wait for duplicates before stopping the servers. */
const SETTLE_MS = 1500;
const DATABASE_URL = process.env.DATABASE_URL || undefined;
const OUT = process.env.BENCH_OUT || join(ROOT, `bench/results/${DATABASE_URL ? 'webhooks-postgres' : 'webhooks'}.json`);
const TOTAL_TIMEOUT_MS = int('BENCH_TIMEOUT_MS', 15 * 60_000);
/** Extra Node.js flags for the server processes, e.g. `--cpu-prof --cpu-prof-dir=DIR` (see bench/profile-summary.ts). */
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS || '').split(/\s+/).filter(Boolean);
const TOKEN = `bench-admin-${randomBytes(16).toString('hex')}`;

const { temporary, done: stopWatchdog } = guardRun(TOTAL_TIMEOUT_MS);

// ---------------------------------------------------------------------------------------
// GraphQL as the administrator.

async function gql(url: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (res.status !== 200 || body.errors?.length || !body.data)
    throw new Error(`HTTP ${res.status}: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  for (const payload of Object.values(body.data) as Array<{ userErrors?: unknown[] }>)
    if (payload?.userErrors?.length) throw new Error(`user errors: ${JSON.stringify(payload.userErrors)}`);
  return body.data;
}

const CREATE_WORK_ORDER = `mutation ($input: CreateWorkOrderInput!) {
  createWorkOrder(input: $input) { workOrder { id status } generatedVisit { id status } userErrors { code message } } }`;
const COMPLETE_WORK_ORDER = `mutation ($workOrderId: ID!) {
  completeWorkOrder(input: { workOrderId: $workOrderId }) { workOrder { id status } checkedOutVisits { id status } userErrors { code message } } }`;
const CREATE_VISIT = `mutation ($input: CreateVisitInput!) { createVisit(input: $input) { visit { id } userErrors { code message } } }`;
const CHECK_IN = `mutation ($visitId: ID!) { checkInVisit(input: { visitId: $visitId }) { visit { id status } userErrors { code message } } }`;
const CREATE_ENDPOINT = `mutation ($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { webhookEndpoint { id } secret userErrors { code message } } }`;
const SET_ENABLED = `mutation ($id: ID!, $enabled: Boolean!) {
  updateWebhookEndpoint(input: { webhookEndpointId: $id, enabled: $enabled }) { webhookEndpoint { enabled } userErrors { code message } } }`;
const DELETE_ENDPOINT = `mutation ($id: ID!) { deleteWebhookEndpoint(input: { webhookEndpointId: $id }) { deletedWebhookEndpointId userErrors { code message } } }`;

const rawId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

// ---------------------------------------------------------------------------------------
// The real server in this process, with its delivery worker stopped: nothing but requests
// sends statements (the desk clock is off too), and queued deliveries stay queued.

async function startQuiet(target: DbTarget): Promise<{ server: RunningServer; call: Call }> {
  const server = await startServer({
    config: loadConfig({
      ...targetEnv(target),
      PORT: '0',
      HOST: '127.0.0.1',
      ADMIN_TOKEN: TOKEN,
      LOG_LEVEL: 'error',
      DESK_CLOCK_MS: '0',
      RATE_LIMIT_PER_MINUTE: '0',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    }),
  });
  await server.webhooks.close();
  const url = `http://127.0.0.1:${server.port}/graphql`;
  return { server, call: (query, variables) => gql(url, query, variables) };
}

// ---------------------------------------------------------------------------------------
// 1. Statements per change.

interface Scenario {
  name: string;
  /** Work the request needs first (outside the counted window); returns the request's variables. */
  prepare(call: Call): Promise<Record<string, unknown>>;
  query: string;
  check(data: any): boolean;
}

function scenarios(propertyId: string, assigneeId: string): Scenario[] {
  // scheduledStart = now: the generated visit is in the desk window (a desk event too).
  const workOrder = () => ({
    input: { propertyId, title: 'Bench repair', assigneeId, scheduledStart: new Date().toISOString() },
  });
  const createWorkOrder = (call: Call) => call(CREATE_WORK_ORDER, workOrder()).then((d) => d.createWorkOrder);
  const createVisit = (call: Call) =>
    call(CREATE_VISIT, {
      input: { propertyId, visitorName: 'Bench visitor', expectedArrival: new Date().toISOString() },
    }).then((d) => d.createVisit.visit.id as string);
  return [
    {
      // A work order for a company with Auto-Create Visit: the work order and its generated visit.
      name: 'create-work-order',
      prepare: async () => workOrder(),
      query: CREATE_WORK_ORDER,
      check: (d) => d.createWorkOrder.workOrder.status === 'OPEN' && d.createWorkOrder.generatedVisit?.status === 'EXPECTED',
    },
    {
      // IN_PROGRESS with its generated visit CHECKED_IN (the check-in started it).
      name: 'complete-work-order',
      prepare: async (call) => {
        const created = await createWorkOrder(call);
        await call(CHECK_IN, { visitId: created.generatedVisit.id });
        return { workOrderId: created.workOrder.id };
      },
      query: COMPLETE_WORK_ORDER,
      check: (d) =>
        d.completeWorkOrder.workOrder.status === 'COMPLETED' && d.completeWorkOrder.checkedOutVisits[0]?.status === 'CHECKED_OUT',
    },
    {
      // A visit without a work order.
      name: 'check-in',
      prepare: async (call) => ({ visitId: await createVisit(call) }),
      query: CHECK_IN,
      check: (d) => d.checkInVisit.visit.status === 'CHECKED_IN',
    },
  ];
}

const isOutboxInsert = (sql: string) => sql.includes('INSERT INTO "WebhookDelivery"');
/** Any other statement on the deliveries is the worker's (claims, attempt records): none may be counted. */
const isDeliveryWork = (sql: string) => !isOutboxInsert(sql) && sql.includes('"WebhookDelivery"');

async function countStatements(server: RunningServer, call: Call, scenario: Scenario) {
  const counts: number[] = [];
  const outboxInserts: number[] = [];
  let sample: string[] = [];
  let data: any;
  for (let i = 0; i <= COUNTED; i++) {
    const variables = await scenario.prepare(call);
    const statements: string[] = [];
    const stop = server.db.watchStatements((sql) => statements.push(sql));
    data = await call(scenario.query, variables).finally(stop);
    if (!scenario.check(data)) throw new Error(`${scenario.name}: unexpected answer ${JSON.stringify(data)}`);
    const stray = statements.filter(isDeliveryWork);
    if (stray.length > 0) throw new Error(`${scenario.name}: delivery statements in the request's window:\n${stray.join('\n')}`);
    if (i === 0) continue; // warm-up: caches, prepared plans
    counts.push(statements.length);
    outboxInserts.push(statements.filter(isOutboxInsert).length);
    sample = statements;
  }
  return { counts, outboxInserts, sample, last: data };
}

const ROLLED_BACK = new Error('rolled back');

/**
 * The outbox statement alone: queueWebhookDeliveries for a completion's two events (the work
 * order and its visit, as completeWorkOrder audits them), in transactions rolled back; median
 * ms, and of a `SELECT 1` sent the same way (what any statement costs).
 */
async function outboxInsertMs(server: RunningServer, completed: any) {
  const entry = (action: string, entityType: 'Visit' | 'WorkOrder', id: string): AuditEntry => ({
    action,
    source: 'API',
    entityType,
    entityId: rawId(id),
    propertyId: null,
    changes: [],
  });
  const entries = [
    entry('workOrder.completed', 'WorkOrder', completed.completeWorkOrder.workOrder.id),
    entry('visit.checkedOut', 'Visit', completed.completeWorkOrder.checkedOutVisits[0].id),
  ];
  const times: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < 21; i++) {
    await server.db.prisma
      .$transaction(async (tx) => {
        let started = performance.now();
        await queueWebhookDeliveries(tx, entries, new Date());
        times.push(performance.now() - started);
        started = performance.now();
        await tx.$executeRaw`SELECT 1`;
        floor.push(performance.now() - started);
        throw ROLLED_BACK;
      })
      .catch((err: unknown) => {
        if (err !== ROLLED_BACK) throw err;
      });
  }
  // The first run plans the statement.
  return { outboxInsert: round(median(times.slice(1))), select1: round(median(floor.slice(1))) };
}

const deliveryCount = (server: RunningServer) => server.db.prisma.webhookDelivery.count();

async function statementsPerChange(server: RunningServer, call: Call) {
  const { propertyId, assigneeId } = await seedAssignee(call);
  const list = scenarios(propertyId, assigneeId);
  const without: Record<string, Awaited<ReturnType<typeof countStatements>>> = {};
  for (const s of list) without[s.name] = await countStatements(server, call, s);
  if ((await deliveryCount(server)) !== 0) throw new Error('Deliveries were queued with no endpoint');
  const completed = without['complete-work-order'].last;
  const outboxWithout = await outboxInsertMs(server, completed);

  // Nothing listens at this address: the worker's attempts below fail at once, sending nothing.
  const closedPort = await freePort();
  const made = (await call(CREATE_ENDPOINT, { input: { url: `https://127.0.0.1:${closedPort}/hooks` } })).createWebhookEndpoint;
  const endpointId = made.webhookEndpoint.id as string;
  const withOne: typeof without = {};
  const queued: Record<string, number> = {};
  for (const s of list) {
    const before = await deliveryCount(server);
    withOne[s.name] = await countStatements(server, call, s);
    // Everything the scenario did (its preparations too) went to the endpoint: at least one per counted request.
    queued[s.name] = (await deliveryCount(server)) - before;
    if (queued[s.name] < COUNTED + 1) throw new Error(`${s.name}: only ${queued[s.name]} deliveries queued`);
  }
  const outboxWith = await outboxInsertMs(server, completed);
  const worker = await workerStatements(server);
  await call(DELETE_ENDPOINT, { id: endpointId });

  const rows = list.map((s) => {
    const a = without[s.name];
    const b = withOne[s.name];
    return {
      scenario: s.name,
      withoutEndpoint: a.counts,
      withOneEndpoint: b.counts,
      /** The strictest reading: the most with one endpoint against the fewest with none. */
      difference: Math.max(...b.counts) - Math.min(...a.counts),
      outboxInsertsPerRequest: { withoutEndpoint: Math.max(...a.outboxInserts), withOneEndpoint: Math.max(...b.outboxInserts) },
      /** As if there were no webhooks at all: the same change without its outbox statement. */
      withoutOutbox: Math.min(...a.counts) - Math.max(...a.outboxInserts),
      deliveriesQueued: queued[s.name],
      statementsWithOneEndpoint: b.sample,
    };
  });
  return { scenarios: rows, outboxInsertMs: { withoutEndpoint: outboxWithout, withOneEndpoint: outboxWith }, worker };
}

/**
 * What delivering costs in statements, after the change's commit: a worker of our own (the
 * server's is stopped) sends what the scenarios queued. Counted on failed attempts (nothing
 * listens at the address); a successful one runs as many statements (a different UPDATE of
 * the endpoint). Claims are counted apart from the attempt records.
 */
async function workerStatements(server: RunningServer) {
  const pending = await server.db.prisma.webhookDelivery.count({ where: { status: 'PENDING' } });
  const config = loadConfig({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_POLL_MS: String(3_600_000) });
  const worker = new WebhookWorker({
    prisma: server.db.prisma,
    clock: systemClock,
    announcements: createPubSub() as Announcements,
    logger: server.logger,
    settings: config.webhooks,
  });
  const statements: string[] = [];
  const stop = server.db.watchStatements((sql) => statements.push(sql));
  await worker.tick().finally(stop);
  await worker.close();
  const claims = statements.filter((sql) => sql.includes('SET "leaseUntil"') && sql.includes('SKIP LOCKED')).length;
  const records = statements.length - claims;
  return {
    attempts: pending,
    claims,
    /** Statements recording the attempts, COMMITs included (a BEGIN is not reported). */
    recordStatements: records,
    recordTransactions: statements.filter((sql) => sql === 'COMMIT').length,
    recordStatementsPerAttempt: round(records / pending, 3),
    statements,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createTcpServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------
// 2. Delivery throughput.

interface Arrival {
  id: string;
  at: number;
  /** The sender's port: which instance's connection it came on. */
  remotePort: number;
  headers: Record<string, string>;
  body: string;
}

/** An https receiver on 127.0.0.1 answering 200 at once, with a certificate made for this run. */
async function startReceiver() {
  const pems = await localhostCertificate();
  const dir = mkdtempSync(join(tmpdir(), 'vwo-bench-receiver-'));
  temporary.push(dir);
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, pems.cert);
  const arrivals: Arrival[] = [];
  let handshakes = 0;
  const server = createHttpsServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const headers = req.headers as Record<string, string>;
      arrivals.push({ id: headers['webhook-id'], at: performance.now(), remotePort: req.socket.remotePort!, headers, body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.on('secureConnection', () => handshakes++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // A host name, as real endpoints have: each attempt resolves it.
    url: `https://localhost:${port}/hooks`,
    port,
    caFile,
    arrivals,
    handshakes: () => handshakes,
    reset() {
      arrivals.length = 0;
      handshakes = 0;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

interface Endpoint {
  id: string;
  secret: string;
}

/** Queues `count` deliveries to `endpoint` (one visit.created each), then disables it; returns their webhook-ids. */
async function queueDeliveries(target: DbTarget, endpoint: Endpoint | null, receiver: Receiver, count: number) {
  const { server, call } = await startQuiet(target);
  try {
    if (!endpoint) {
      const made = (await call(CREATE_ENDPOINT, { input: { url: receiver.url, description: 'Bench receiver' } }))
        .createWebhookEndpoint;
      endpoint = { id: made.webhookEndpoint.id, secret: made.secret };
    }
    const propertyId = (
      await call(
        `mutation { createProperty(input: { name: "Hook Tower", timeZone: "UTC" }) { property { id } userErrors { code } } }`,
      )
    ).createProperty.property.id;
    const started = performance.now();
    let next = 0;
    const lane = async (): Promise<void> => {
      for (let i = next++; i < count; i = next++) {
        await call(CREATE_VISIT, {
          input: {
            propertyId,
            visitorName: `Hook visitor ${i}`,
            expectedArrival: new Date(Date.now() + 3_600_000).toISOString(),
          },
        });
      }
    };
    await Promise.all(Array.from({ length: QUEUE_CONCURRENCY }, lane));
    const queueMs = performance.now() - started;
    await call(SET_ENABLED, { id: endpoint.id, enabled: false });
    const pending = await server.db.prisma.webhookDelivery.findMany({
      where: { endpointId: rawId(endpoint.id), status: 'PENDING' },
      select: { eventId: true },
    });
    if (pending.length !== count) throw new Error(`Expected ${count} pending deliveries, found ${pending.length}`);
    return { endpoint, eventIds: pending.map((p) => p.eventId), queueMs: Math.round(queueMs) };
  } finally {
    await server.close();
  }
}

function serverEnv(target: DbTarget, receiver: Receiver): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of ['DATABASE_URL', 'DATA_DIR', 'REDIS_URL', 'DESK_CLOCK_MS', 'NODE_OPTIONS']) delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith('WEBHOOK_')) delete env[name];
  return {
    ...env,
    ...targetEnv(target),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
    RATE_LIMIT_PER_MINUTE: '0',
    ADMIN_TOKEN: TOKEN,
    NODE_EXTRA_CA_CERTS: receiver.caFile,
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_POLL_MS: String(POLL_MS),
  };
}

/**
 * The local ports of a process's connections to `remotePort` (from /proc). The remote port
 * matters: the kernel may give connections to different addresses the same local port.
 */
function connectionPorts(pid: number, remotePort: number): Set<number> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const socket = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (socket) inodes.add(socket[1]);
    } catch {
      // Closed meanwhile.
    }
  }
  const ports = new Set<number>();
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const port = (address: string) => parseInt(address.split(':')[1], 16);
      if (cols.length > 9 && cols[3] === '01' && inodes.has(cols[9]) && port(cols[2]) === remotePort) ports.add(port(cols[1]));
    }
  }
  return ports;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const spread = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), max: round(sorted[sorted.length - 1] ?? NaN) };
};

async function until(condition: () => boolean, what: string, timeoutMs: number) {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Starts `instances` server processes, enables the endpoint, and times the deliveries to the receiver. */
async function deliver(
  target: DbTarget,
  receiver: Receiver,
  queued: Awaited<ReturnType<typeof queueDeliveries>>,
  instances: number,
) {
  const { endpoint, eventIds } = queued;
  const count = eventIds.length;
  receiver.reset();
  const servers: ServerProcess[] = [];
  try {
    for (let i = 0; i < instances; i++) {
      servers.push(
        await spawnServer({
          name: `ours-${i + 1}`,
          script: OURS_BUNDLE,
          env: serverEnv(target, receiver),
          nodeArgs: SERVER_NODE_ARGS,
          ready: async (url) => (await fetch(new URL('/health', url), { signal: AbortSignal.timeout(5_000) })).status === 200,
          timeoutMs: 120_000,
        }),
      );
    }
    // The endpoint was disabled while no instance ran: nothing arrived so far.
    if (receiver.arrivals.length > 0) throw new Error('Deliveries arrived before the endpoint was enabled');
    const cpu = () => ({ servers: servers.map((s) => cpuTimeMs(s.pid)), self: cpuTimeMs(process.pid), machine: machineBusyMs() });
    const cpuStart = cpu();
    const enabling = performance.now();
    await gql(servers[0].url, SET_ENABLED, { id: endpoint.id, enabled: true });
    await until(() => receiver.arrivals.length >= count, `${count} deliveries`, 120_000);
    const cpuEnd = cpu();
    const wallMs = performance.now() - enabling;
    const senders = servers.map((s) => connectionPorts(s.pid, receiver.port));
    await sleep(SETTLE_MS); // a delivery sent twice would arrive by now
    await Promise.all(servers.map((s) => s.stop()));

    const arrivals = [...receiver.arrivals].sort((a, b) => a.at - b.at);
    const seen = new Map<string, number>();
    for (const a of arrivals) seen.set(a.id, (seen.get(a.id) ?? 0) + 1);
    const duplicates = [...seen].filter(([, n]) => n > 1).length;
    const expected = new Set(eventIds);
    const unknown = [...seen.keys()].filter((id) => !expected.has(id)).length;
    const missing = eventIds.filter((id) => !seen.has(id)).length;
    // Signed by the endpoint's secret (verified after the timing, not while receiving).
    const verifier = new Webhook(endpoint.secret);
    let badSignatures = 0;
    for (const a of arrivals) {
      try {
        verifier.verify(a.body, a.headers);
      } catch {
        badSignatures++;
      }
    }
    const first = arrivals[0].at;
    const last = arrivals[arrivals.length - 1].at;
    const gaps = arrivals.slice(1).map((a, i) => a.at - arrivals[i].at);
    const stored = await storedDeliveries(target, eventIds);
    const perInstance = senders.map((ports) => arrivals.filter((a) => ports.has(a.remotePort)).length);
    const cpuMs = (i: number) => cpuEnd.servers[i] - cpuStart.servers[i];
    const serverCpuMs = servers.reduce((sum, _, i) => sum + cpuMs(i), 0);
    const result = {
      instances,
      deliveries: count,
      queueMs: queued.queueMs,
      received: arrivals.length,
      deliveriesPerSecond: round((count - 1) / ((last - first) / 1000), 1),
      /** Including the wait for the next poll after enabling, and the first claim. */
      deliveriesPerSecondFromEnabling: round(count / (wallMs / 1000), 1),
      firstArrivalAfterEnablingMs: round(first - enabling, 1),
      firstToLastMs: round(last - first, 1),
      interArrivalMs: spread(gaps),
      attemptDurationMs: spread(stored.durations),
      exactlyOnce: duplicates === 0 && unknown === 0 && missing === 0,
      duplicates,
      unknown,
      missing,
      badSignatures,
      stored: stored.summary,
      tlsHandshakes: receiver.handshakes(),
      perInstance,
      unattributed: arrivals.length - perInstance.reduce((a, b) => a + b, 0),
      cpu: {
        /** The server processes' CPU time per delivery (with PGlite, the database's work is in it). */
        serverMsPerDelivery: round(serverCpuMs / count, 3),
        serverPercentOfOneCpu: servers.map((_, i) => round((cpuMs(i) / wallMs) * 100, 1)),
        receiverPercentOfOneCpu: round(((cpuEnd.self - cpuStart.self) / wallMs) * 100, 1),
        /** Everything else on the machine (PostgreSQL's processes, when used); clock ticks make it a few % coarse. */
        otherPercentOfOneCpu: round(
          (Math.max(0, cpuEnd.machine - cpuStart.machine - serverCpuMs - (cpuEnd.self - cpuStart.self)) / wallMs) * 100,
          1,
        ),
      },
    };
    const problems = [
      !result.exactlyOnce && `${duplicates} webhook-ids arrived more than once, ${unknown} unknown, ${missing} missing`,
      badSignatures > 0 && `${badSignatures} deliveries failed signature verification`,
      stored.summary.succeededOnce !== count &&
        `only ${stored.summary.succeededOnce} of ${count} deliveries SUCCEEDED at the first attempt`,
    ].filter(Boolean);
    if (problems.length > 0) throw new Error(`${instances} instance(s): ${problems.join('; ')}`);
    return result;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

/** The deliveries as stored once the servers stopped: statuses, attempts and their durations. */
async function storedDeliveries(target: DbTarget, eventIds: string[]) {
  const sql = await openSql(target);
  try {
    const rows = await sql.query<{ status: string; attempts: unknown }>(
      `SELECT "status", "attempts" FROM "WebhookDelivery" WHERE "eventId" = ANY($1::text[])`,
      [eventIds],
    );
    const attempts = rows.map((r) => (typeof r.attempts === 'string' ? JSON.parse(r.attempts) : r.attempts) as WebhookAttempt[]);
    const byStatus: Record<string, number> = {};
    for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    return {
      durations: attempts.flat().map((a) => a.durationMs),
      summary: {
        byStatus,
        succeededOnce: rows.filter((r, i) => r.status === 'SUCCEEDED' && attempts[i].length === 1).length,
        attempts: attempts.flat().length,
      },
    };
  } finally {
    await sql.close();
  }
}

// ---------------------------------------------------------------------------------------

/** A header and rows, each column as wide as its widest cell: the first left-aligned, the others right. */
function table(header: string[], rows: Array<Array<string | number>>): string[] {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return cells.map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
}

async function main() {
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    database: DATABASE_URL ? 'PostgreSQL (DATABASE_URL, a fresh schema)' : 'PGlite (a fresh data folder)',
  };
  log(`Webhooks benchmark: ${machine.cpus} CPUs (${machine.cpuModel}), Node.js ${machine.node}, ${machine.database}`);
  log('Building the server bundle…');
  buildOurs();
  const dir = mkdtempSync(join(tmpdir(), 'vwo-bench-webhooks-'));
  temporary.push(dir);
  const target = freshTarget({ databaseUrl: DATABASE_URL, dir }, 'webhooks');
  const receiver = await startReceiver();
  try {
    if (target.kind === 'postgres') await migrateSchema(target);

    log('\nStatements per change (in-process, delivery worker stopped)…');
    const quiet = await startQuiet(target);
    const statements = await statementsPerChange(quiet.server, quiet.call).finally(() => quiet.server.close());
    const outbox = statements.outboxInsertMs;
    const worker = statements.worker;
    const lines = [
      `Statements of one request (${COUNTED} counted after a warm-up; delivery worker stopped)`,
      ...table(
        ['scenario', 'no endpoint', '1 endpoint', 'difference', 'outbox INSERTs', 'without the outbox'],
        statements.scenarios.map((s) => [
          s.scenario,
          s.withoutEndpoint.join('/'),
          s.withOneEndpoint.join('/'),
          `+${s.difference}`,
          `${s.outboxInsertsPerRequest.withoutEndpoint}/${s.outboxInsertsPerRequest.withOneEndpoint}`,
          s.withoutOutbox,
        ]),
      ),
      `the outbox INSERT alone (a completion's 2 events, medians of 20): ${outbox.withoutEndpoint.outboxInsert} ms with no endpoint, ` +
        `${outbox.withOneEndpoint.outboxInsert} ms with one; a SELECT 1 the same way: ${outbox.withoutEndpoint.select1} ms`,
      `delivery worker, after commit (${worker.attempts} attempts): ${worker.claims} claims, ${worker.recordStatements} statements ` +
        `recording them in ${worker.recordTransactions} transactions (${worker.recordStatementsPerAttempt} per attempt)`,
    ];
    for (const line of lines) log(line);

    // Each run queues its own backlog; on PostgreSQL, one instance and then two, in every round.
    const instanceCounts = target.kind === 'postgres' ? [1, 2] : [1];
    const runs: Array<{ round: number } & Awaited<ReturnType<typeof deliver>>> = [];
    let endpoint: Endpoint | null = null;
    for (let round = 1; round <= ROUNDS; round++) {
      for (const instances of instanceCounts) {
        log(`\nRound ${round}: queueing ${DELIVERIES} deliveries (in-process, delivery worker stopped)…`);
        const queued = await queueDeliveries(target, endpoint, receiver, DELIVERIES);
        endpoint = queued.endpoint;
        log(`  queued in ${queued.queueMs} ms; ${instances === 1 ? 'one instance' : `${instances} instances`} delivering…`);
        const run = { round, ...(await deliver(target, receiver, queued, instances)) };
        log(`  ${run.deliveriesPerSecond} deliveries/s, every webhook-id once`);
        runs.push(run);
      }
    }
    const summary = instanceCounts.map((instances) => {
      const mine = runs.filter((r) => r.instances === instances);
      return {
        instances,
        deliveriesPerSecond: round(median(mine.map((r) => r.deliveriesPerSecond)), 1),
        deliveriesPerSecondFromEnabling: round(median(mine.map((r) => r.deliveriesPerSecondFromEnabling)), 1),
        rounds: mine.map((r) => r.deliveriesPerSecond),
      };
    });
    const throughput = [
      `Delivery to a local https receiver answering 200 (${DELIVERIES} deliveries per run, one endpoint)`,
      ...table(
        [
          'round',
          'instances',
          'deliveries/s',
          'from enabling',
          'inter-arrival p50/p99 ms',
          'attempt p50/p99 ms',
          'TLS handshakes',
          'per instance',
          'server CPU ms/delivery',
          'other CPU %',
          'exactly once',
        ],
        runs.map((r) => [
          r.round,
          r.instances,
          r.deliveriesPerSecond,
          r.deliveriesPerSecondFromEnabling,
          `${r.interArrivalMs.p50}/${r.interArrivalMs.p99}`,
          `${r.attemptDurationMs.p50}/${r.attemptDurationMs.p99}`,
          r.tlsHandshakes,
          r.perInstance.join('/'),
          r.cpu.serverMsPerDelivery,
          r.cpu.otherPercentOfOneCpu,
          r.exactlyOnce ? 'yes' : 'NO',
        ]),
      ),
      ...summary.map(
        (s) =>
          `${s.instances === 1 ? 'one instance' : `${s.instances} instances`}: median ${s.deliveriesPerSecond} deliveries/s ` +
          `(rounds ${s.rounds.join(', ')}), ${s.deliveriesPerSecondFromEnabling} from enabling`,
      ),
    ];
    log('');
    for (const line of throughput) log(line);

    const result = {
      benchmark: 'webhooks',
      command: 'npm run bench:webhooks',
      finishedAt: new Date().toISOString(),
      machine,
      git: gitInfo(),
      settings: {
        deliveries: DELIVERIES,
        rounds: ROUNDS,
        countedRequests: COUNTED,
        queueConcurrency: QUEUE_CONCURRENCY,
        pollMs: POLL_MS,
      },
      statements,
      throughput: { summary, runs },
      table: [...lines, ...throughput],
    };
    mkdirSync(join(OUT, '..'), { recursive: true });
    writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
    log(`\nWritten to ${OUT}`);
    const over = statements.scenarios.filter((s) => s.difference > 1);
    if (over.length > 0)
      throw new Error(
        `One endpoint costs more than one statement per change: ${over.map((s) => `${s.scenario} +${s.difference}`).join(', ')}`,
      );
  } finally {
    await receiver.close();
    await dropTarget(target).catch(() => {});
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
