import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import {
  medianRssKB,
  pinSelf,
  ROOT,
  sleep,
  spawnServer,
  tasksetAvailable,
  guardRun,
  envInt as int,
  log,
  type ServerProcess,
} from './lib/processes.ts';

// Request/response benchmark: `npm run bench`. See bench/README.md ("Request/response").
//
// Three servers, each its own process (pinned to CPU 0 when taskset exists), driven by
// autocannon from this process (pinned to CPU 1): `hello` (bare yoga, the ceiling),
// `handwritten` (yoga + hand-written SQL on PGlite, the same data folder) and `ours`
// (tsx src/main.ts). Interleaved rounds: hello, handwritten, ours, hello, ….

const ROUNDS = int('BENCH_ROUNDS', 3);
const WARMUP_S = int('BENCH_WARMUP_S', 5);
const DURATION_S = int('BENCH_DURATION_S', 10);
const CONNECTIONS = int('BENCH_CONNECTIONS', 10);
const DESK_ENTRIES = int('BENCH_DESK_ENTRIES', 50);
const STARTUP_RUNS = int('BENCH_STARTUP_RUNS', 3);
const OUT = process.env.BENCH_OUT || join(ROOT, 'bench/results/bench.json');
const TOTAL_TIMEOUT_MS = int('BENCH_TIMEOUT_MS', 20 * 60_000);
const BUDGETS = { ratioRps: 0.7, startupMs: 3000, idleRssMB: 150 };
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

function spawnNamed(name: ServerName, dataDir: string, token: string): Promise<ServerProcess> {
  const script = { hello: 'bench/hello-server.ts', handwritten: 'bench/handwritten-server.ts', ours: 'src/main.ts' }[name];
  return spawnServer({
    name,
    script,
    env: serverEnv(name === 'hello' ? {} : { DATA_DIR: dataDir, ADMIN_TOKEN: token }),
    cpu: serverCpu,
    ready: name === 'ours' ? healthy : undefined,
    timeoutMs: 120_000,
  });
}

// ---------------------------------------------------------------------------------------
// The prepared database: a fresh folder, seeded through the public API of the real server.

const CREATE_PROPERTY = `mutation ($input: CreatePropertyInput!) { createProperty(input: $input) { property { id } userErrors { code message } } }`;
const CREATE_COMPANY = `mutation ($input: CreateCompanyInput!) { createCompany(input: $input) { company { id } userErrors { code message } } }`;
const CREATE_USER = `mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id } userErrors { code message } } }`;
const SET_INTEGRATION = `mutation { updateVisitorSettings(input: { workOrderIntegrationEnabled: true }) { visitorSettings { workOrderIntegrationEnabled } userErrors { code message } } }`;
const CREATE_WORK_ORDER = `mutation ($input: CreateWorkOrderInput!) { createWorkOrder(input: $input) { workOrder { id requestId } userErrors { code message } } }`;
const CREATE_VISIT = `mutation ($input: CreateVisitInput!) { createVisit(input: $input) { visit { id } userErrors { code message } } }`;
const CHECK_IN = `mutation ($visitId: ID!) { checkInVisit(input: { visitId: $visitId }) { visit { id status } userErrors { code message } } }`;

export const DESK_READ = `query DeskRead($propertyId: ID!) {
  visitorDesk(propertyId: $propertyId) {
    entries { id visitorName status expectedArrival company { name } visitor { name } host { name } workOrder { requestId title } }
  }
}`;
const HELLO = '{ __typename }';

async function prepare(dataDir: string, token: string): Promise<{ propertyId: string; setupMs: number }> {
  const start = performance.now();
  const server = await spawnNamed('ours', dataDir, token);
  try {
    const call = (q: string, v: Record<string, unknown> = {}) => gql(server.url, q, v, token);
    const propertyId = (await call(CREATE_PROPERTY, { input: { name: 'Bench Tower', timeZone: 'America/Chicago' } }))
      .createProperty.property.id as string;
    await call(CREATE_PROPERTY, { input: { name: 'Other Tower', timeZone: 'Europe/London' } });
    await call(SET_INTEGRATION);
    const companies: string[] = [];
    for (let c = 0; c < 5; c++)
      companies.push((await call(CREATE_COMPANY, { input: { name: `Vendor Co ${c}` } })).createCompany.company.id);
    const vendors: Array<{ id: string; companyId: string }> = [];
    for (let u = 0; u < 10; u++) {
      const companyId = companies[u % companies.length];
      const id = (await call(CREATE_USER, { input: { name: `Vendor ${u}`, email: `vendor${u}@bench.test`, companyId } }))
        .createUser.user.id;
      vendors.push({ id, companyId });
    }
    const hosts: string[] = [];
    for (let h = 0; h < 3; h++)
      hosts.push((await call(CREATE_USER, { input: { name: `Host ${h}`, email: `host${h}@bench.test` } })).createUser.user.id);
    const now = Date.now();
    for (let i = 0; i < DESK_ENTRIES; i++) {
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
    const desk = await gql(server.url, DESK_READ, { propertyId }, token);
    if (desk.visitorDesk.entries.length !== DESK_ENTRIES)
      throw new Error(`Prepared desk has ${desk.visitorDesk.entries.length} entries, expected ${DESK_ENTRIES}`);
    return { propertyId, setupMs: Math.round(performance.now() - start) };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------
// One measured server: sample check, warm-up, measured phase.

interface Measurement {
  server: ServerName;
  round: number;
  rps: number;
  latencyMs: { p50: number; p99: number; mean: number };
  requests: number;
  non2xx: number;
  /** Responses whose body differed from the checked sample (GraphQL errors show up here). */
  bodyMismatches: number;
  socketErrors: number;
  timeouts: number;
  /** Queries per request counted by the server itself (handwritten only). */
  queriesPerRequest?: number;
}

function cannon(url: string, body: string, token: string, seconds: number, expectBody?: string) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
        connections: CONNECTIONS,
        duration: seconds,
        timeout: 10,
        ...(expectBody ? { expectBody } : {}),
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    // A hung run is stopped after twice its duration.
    const timer = setTimeout(() => (instance as unknown as { stop(): void }).stop(), (seconds * 2 + 10) * 1000);
    instance.on('done', () => clearTimeout(timer));
  });
}

async function measure(
  name: ServerName,
  round: number,
  server: ServerProcess,
  token: string,
  propertyId: string,
  reference: { data: unknown } | null,
): Promise<{ m: Measurement; sample: { data: unknown } }> {
  const [query, variables] = name === 'hello' ? [HELLO, {}] : [DESK_READ, { propertyId }];
  const body = JSON.stringify({ query, variables });
  const stats = async () =>
    ((await (await fetch(new URL('/stats', server.url), { signal: AbortSignal.timeout(5_000) })).json()) as { queries: number })
      .queries;
  const before = name === 'handwritten' ? await stats() : 0;
  const sample = await post(server.url, query, variables, token);
  const queriesPerRequest = name === 'handwritten' ? (await stats()) - before : undefined;
  if (sample.status !== 200 || sample.body.errors?.length || !sample.body.data)
    throw new Error(`${name}: sample request failed: HTTP ${sample.status} ${sample.text.slice(0, 500)}`);
  if (name === 'hello') {
    if (sample.body.data.__typename !== 'Query') throw new Error(`hello: unexpected answer ${sample.text}`);
  } else {
    const n = sample.body.data.visitorDesk?.entries?.length;
    if (n !== DESK_ENTRIES) throw new Error(`${name}: sample desk has ${n} entries, expected ${DESK_ENTRIES}`);
    if (reference && JSON.stringify(reference.data) !== JSON.stringify(sample.body.data))
      throw new Error(`${name}: the desk JSON differs from the other server's: ${sample.text.slice(0, 300)}`);
  }
  await cannon(server.url, body, token, WARMUP_S);
  const r = await cannon(server.url, body, token, DURATION_S, sample.text);
  const m: Measurement = {
    server: name,
    round,
    rps: Math.round(r.requests.average),
    latencyMs: { p50: r.latency.p50, p99: r.latency.p99, mean: r.latency.average },
    requests: r.requests.total,
    non2xx: r.non2xx,
    bodyMismatches: r.mismatches,
    socketErrors: r.errors,
    timeouts: r.timeouts,
    ...(queriesPerRequest !== undefined ? { queriesPerRequest } : {}),
  };
  return { m, sample: { data: sample.body.data } };
}

// ---------------------------------------------------------------------------------------
// Start-up time and idle memory of the real server on the already-migrated folder.

async function startup(dataDir: string, token: string) {
  const runs: Array<{ healthyMs: number; idleRssKB: number; rssSamplesKB: number[] }> = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    const start = performance.now();
    const server = await spawnNamed('ours', dataDir, token);
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

async function statementsPerRequest(dataDir: string, token: string, propertyId: string) {
  const { loadConfig } = await import('../src/config.ts');
  const { startServer } = await import('../src/server/server.ts');
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_TOKEN: token,
    LOG_LEVEL: 'silent',
    DESK_CLOCK_MS: '0', // no background statements while counting
  });
  const server = await startServer({ config });
  try {
    const url = `http://127.0.0.1:${server.port}/graphql`;
    await gql(url, DESK_READ, { propertyId }, token); // warm: caches, prepared plans
    const statements: string[] = [];
    const stop = server.db.watchStatements((sql) => statements.push(sql));
    await gql(url, DESK_READ, { propertyId }, token);
    stop();
    return statements;
  } finally {
    await server.close();
  }
}

// ---------------------------------------------------------------------------------------

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pad = (s: string | number, n: number, left = false) => (left ? String(s).padEnd(n) : String(s).padStart(n));

function gitInfo() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'prisma'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    return { commit, uncommitted: dirty };
  } catch {
    return { commit: 'unknown', uncommitted: [] };
  }
}

async function main() {
  const cpuCount = cpus().length;
  const pinned = tasksetAvailable(cpuCount) && pinSelf(1);
  serverCpu = pinned ? 0 : undefined;
  const machine = {
    cpus: cpuCount,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    pinning: pinned ? 'servers on CPU 0, load generator (this process) on CPU 1' : 'none (taskset unavailable or 1 CPU)',
  };
  log(`Request/response benchmark: ${machine.cpus} CPUs (${machine.cpuModel}), Node.js ${machine.node}; ${machine.pinning}`);
  log(
    `desk-read: ${DESK_ENTRIES} entries, ${ROUNDS} rounds × (warm-up ${WARMUP_S} s + ${DURATION_S} s), ${CONNECTIONS} connections`,
  );

  const token = `bench-admin-${randomBytes(16).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'vwo-bench-rr-'));
  temporary.push(dir);
  const dataDir = join(dir, 'data');

  log('Preparing the database through the public API…');
  const { propertyId, setupMs } = await prepare(dataDir, token);
  log(`  prepared in ${setupMs} ms`);

  const measurements: Measurement[] = [];
  let reference: { data: unknown } | null = null;
  for (let round = 1; round <= ROUNDS; round++) {
    for (const name of SERVERS) {
      const server = await spawnNamed(name, dataDir, token);
      try {
        const { m, sample } = await measure(name, round, server, token, propertyId, name === 'hello' ? null : reference);
        if (name !== 'hello') reference ??= sample;
        measurements.push(m);
        log(
          `  round ${round} ${pad(name, 11, true)} ${pad(m.rps, 6)} req/s  p50 ${m.latencyMs.p50} ms  p99 ${m.latencyMs.p99} ms  non-2xx ${m.non2xx}  body mismatches ${m.bodyMismatches}`,
        );
      } finally {
        await server.stop();
      }
    }
  }

  log('Start-up of the real server on the migrated folder…');
  const startupRuns = await startup(dataDir, token);

  log('SQL statements per desk read, counted in-process…');
  const copy = join(dir, 'copy');
  cpSync(dataDir, copy, { recursive: true });
  const statements = await statementsPerRequest(copy, token, propertyId);

  const summary = Object.fromEntries(
    SERVERS.map((name) => {
      const ms = measurements.filter((m) => m.server === name);
      return [
        name,
        {
          rps: median(ms.map((m) => m.rps)),
          p50Ms: median(ms.map((m) => m.latencyMs.p50)),
          p99Ms: median(ms.map((m) => m.latencyMs.p99)),
          non2xx: ms.reduce((a, m) => a + m.non2xx, 0),
          graphqlErrorsOrMismatches: ms.reduce((a, m) => a + m.bodyMismatches, 0),
          socketErrors: ms.reduce((a, m) => a + m.socketErrors, 0),
        },
      ];
    }),
  ) as Record<
    ServerName,
    { rps: number; p50Ms: number; p99Ms: number; non2xx: number; graphqlErrorsOrMismatches: number; socketErrors: number }
  >;
  const ratio = summary.ours.rps / summary.handwritten.rps;
  const startupMs = median(startupRuns.map((r) => r.healthyMs));
  const idleRssMB = median(startupRuns.map((r) => r.idleRssKB)) / 1024;
  const handwrittenQueries = measurements.find((m) => m.server === 'handwritten')?.queriesPerRequest ?? null;
  const budgets = {
    ratio: { value: ratio, budget: `>= ${BUDGETS.ratioRps}`, met: ratio >= BUDGETS.ratioRps },
    startupMs: { value: startupMs, budget: `< ${BUDGETS.startupMs}`, met: startupMs < BUDGETS.startupMs },
    idleRssMB: { value: idleRssMB, budget: `< ${BUDGETS.idleRssMB}`, met: idleRssMB < BUDGETS.idleRssMB },
  };

  const lines = [
    `desk-read (${DESK_ENTRIES} entries): medians of ${ROUNDS} rounds, ${DURATION_S} s each, ${CONNECTIONS} connections (${machine.pinning})`,
    `server       req/s   p50 ms  p99 ms  non-2xx  GraphQL errors/mismatches  SQL/request`,
    `-----------  ------  ------  ------  -------  -------------------------  -----------`,
    ...SERVERS.map((name) => {
      const s = summary[name];
      const sql = name === 'hello' ? '0' : name === 'handwritten' ? String(handwrittenQueries) : String(statements.length);
      return `${pad(name, 11, true)}  ${pad(s.rps, 6)}  ${pad(s.p50Ms, 6)}  ${pad(s.p99Ms, 6)}  ${pad(s.non2xx, 7)}  ${pad(s.graphqlErrorsOrMismatches, 25)}  ${pad(sql, 11)}`;
    }),
    `ours / handwritten req/s: ${(ratio * 100).toFixed(1)}% (budget >= 70%) ${budgets.ratio.met ? 'MET' : 'MISSED'}`,
    `ours / hello req/s:       ${((summary.ours.rps / summary.hello.rps) * 100).toFixed(1)}%`,
    `start-up to healthy (median of ${STARTUP_RUNS}): ${startupMs} ms (budget < 3000 ms) ${budgets.startupMs.met ? 'MET' : 'MISSED'}`,
    `idle RSS after start-up (median): ${idleRssMB.toFixed(1)} MB (budget < 150 MB) ${budgets.idleRssMB.met ? 'MET' : 'MISSED'}`,
  ];
  log('');
  for (const line of lines) log(line);

  const result = {
    benchmark: 'request-response',
    command: 'npm run bench',
    finishedAt: new Date().toISOString(),
    machine,
    git: gitInfo(),
    settings: {
      rounds: ROUNDS,
      warmupSeconds: WARMUP_S,
      durationSeconds: DURATION_S,
      connections: CONNECTIONS,
      deskEntries: DESK_ENTRIES,
    },
    scenarios: {
      'desk-read': {
        query: DESK_READ,
        setupMs,
        measurements,
        medians: summary,
        ratioOursToHandwrittenRps: ratio,
        ratioOursToHelloRps: summary.ours.rps / summary.hello.rps,
        sqlPerRequest: { ours: statements.length, oursStatements: statements, handwritten: handwrittenQueries },
      },
    },
    startup: { runs: startupRuns, medianHealthyMs: startupMs, medianIdleRssMB: idleRssMB },
    budgets,
    table: lines,
    notSeeded: ['desk-read-large', 'create-work-order', 'complete-work-order'],
  };
  mkdirSync(join(OUT, '..'), { recursive: true });
  writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
  log(`\nWritten to ${OUT}`);
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
