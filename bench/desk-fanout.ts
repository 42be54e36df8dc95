import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { runScenario, type EventKind, type HarnessOptions, type ScenarioResult, type Target } from './lib/harness.ts';
import {
  buildOurs,
  OURS_BUNDLE,
  alive,
  guardRun,
  killAllNow,
  envInt as int,
  log,
  pinSelf,
  ROOT,
  spawnServer,
  tasksetAvailable,
  type ServerProcess,
} from './lib/processes.ts';

// Live desk fan-out benchmark: `npm run bench:desk`.
//
// N graphql-ws subscribers on one property's visitorDeskChanged; M VISIT_UPDATED events
// (updateVisit mutations over HTTP) at R per second. The same client harness then drives
// a bare graphql-yoga + graphql-ws server (bench/baseline-server.ts), the floor of the
// stack. Each server runs as its own process (pinned to CPU 0 when taskset exists); this
// process is the load generator (pinned to CPU 1). See bench/README.md.

const SUBSCRIBERS = int('BENCH_SUBSCRIBERS', 1000);
const EVENTS = int('BENCH_EVENTS', 200);
const RATE = int('BENCH_RATE', 20);
const WARMUP = process.env.BENCH_WARMUP_EVENTS === '0' ? 0 : int('BENCH_WARMUP_EVENTS', 20);
const SCENARIOS = (process.env.BENCH_SCENARIOS || 'baseline,desk').split(',').map((s) => s.trim());
const DATABASE_URL = process.env.BENCH_DATABASE_URL || undefined;
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS || '').split(/\s+/).filter(Boolean);
const OUT = process.env.BENCH_OUT || join(ROOT, 'bench/results/desk-fanout.json');
const FORCE_GC = process.env.BENCH_FORCE_GC !== '0';
const TOTAL_TIMEOUT_MS = int('BENCH_TIMEOUT_MS', 15 * 60_000);
const GOALS = { p99Ms: 100, kbPerIdleSubscriber: 50 };

// ---------------------------------------------------------------------------------------
// Cleanup: servers are killed and temporary folders removed however this process ends.

const { temporary, done: stopWatchdog } = guardRun(TOTAL_TIMEOUT_MS);
const dropSchemas: Array<() => Promise<void>> = [];

// ---------------------------------------------------------------------------------------
// HTTP GraphQL calls to a server under test (127.0.0.1 only).

async function graphql<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length || !body.data)
    throw new Error(`HTTP ${res.status}: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  return body.data;
}

function serverEnv(extra: Record<string, string | undefined>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  // The server's own configuration comes only from here, not from the caller's shell.
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
  return { ...env, ...extra };
}

// ---------------------------------------------------------------------------------------
// Scenario: the bare yoga + graphql-ws server.

/** Baseline ticks carry a sequence number: measured events 0…, warm-ups 1e6…, probes 2e6…. */
const SEQ_BASE: Record<EventKind, number> = { event: 0, warmup: 1_000_000, probe: 2_000_000 };

async function baseline(cpu: number | undefined): Promise<{ server: ServerProcess; target: Target }> {
  const server = await spawnServer({
    name: 'baseline server',
    script: 'bench/baseline-server.ts',
    env: serverEnv({ NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1' }),
    nodeArgs: SERVER_NODE_ARGS,
    inspector: FORCE_GC,
    cpu,
    ready: async (url) => (await graphql<{ ok: boolean }>(url, '{ ok }', {})).ok,
    timeoutMs: 60_000,
  });
  const publish = 'mutation Publish($seq: Int!) { publish(seq: $seq) }';
  return {
    server,
    target: {
      label: 'baseline: yoga + graphql-ws + createPubSub',
      pid: server.pid,
      collectGarbage: server.collectGarbage,
      wsUrl: server.url.replace(/^http/, 'ws'),
      query: 'subscription Ticks { ticks { seq kind occurredAt notes } }',
      identify: (data) => {
        const seq = (data as { ticks?: { seq: number } })?.ticks?.seq;
        if (typeof seq !== 'number') return null;
        const kind = (Object.keys(SEQ_BASE) as EventKind[]).find((k) => seq >= SEQ_BASE[k] && seq < SEQ_BASE[k] + 1_000_000);
        return kind ? { kind, n: seq - SEQ_BASE[kind] } : null;
      },
      send: async (kind, n) => {
        const data = await graphql<{ publish: boolean }>(server.url, publish, { seq: SEQ_BASE[kind] + n });
        if (data.publish !== true) throw new Error('publish returned false');
      },
    },
  };
}

// ---------------------------------------------------------------------------------------
// Scenario: the real server as `npm start` runs it (the bundle of src/main.ts), through its public API.

const CREATE_PROPERTY = `mutation ($input: CreatePropertyInput!) {
  createProperty(input: $input) { property { id } userErrors { code message } }
}`;
const CREATE_VISIT = `mutation ($input: CreateVisitInput!) {
  createVisit(input: $input) { visit { id status } userErrors { code message } }
}`;
const UPDATE_VISIT = `mutation ($input: UpdateVisitInput!) {
  updateVisit(input: $input) { visit { id notes } userErrors { code message } }
}`;
const DESK_CHANGED = `subscription DeskFanout($propertyId: ID!) {
  visitorDeskChanged(propertyId: $propertyId) {
    kind
    cursor
    occurredAt
    visit { id status visitorName notes }
  }
}`;

/** Events are told apart by the visit's notes: "n12" is measured event 12, "p1" probe 1, "w3" warm-up 3. */
const NOTE_PREFIX: Record<EventKind, string> = { event: 'n', probe: 'p', warmup: 'w' };
const NOTE_KINDS: Record<string, EventKind> = { n: 'event', p: 'probe', w: 'warmup' };

type Payload<K extends string, T> = Record<K, T & { userErrors: { code: string; message: string }[] }>;

function ok<T extends { userErrors: { code: string; message: string }[] }>(payload: T, what: string): T {
  if (payload.userErrors.length > 0) throw new Error(`${what}: ${JSON.stringify(payload.userErrors)}`);
  return payload;
}

async function desk(cpu: number | undefined): Promise<{ server: ServerProcess; target: Target; cleanup(): Promise<void> }> {
  const token = `bench-admin-${randomBytes(16).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'vwo-bench-'));
  temporary.push(dir);
  let databaseUrl: string | undefined;
  let dropSchema = async () => {};
  if (DATABASE_URL) {
    // A private schema on the caller's PostgreSQL, dropped afterwards (as the tests do).
    const schema = `bench_${randomBytes(6).toString('hex')}`;
    await adminQuery(DATABASE_URL, `CREATE SCHEMA "${schema}"`);
    dropSchema = () => adminQuery(DATABASE_URL, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    dropSchemas.push(dropSchema);
    databaseUrl = `${DATABASE_URL}${DATABASE_URL.includes('?') ? '&' : '?'}schema=${schema}`;
  }
  const server = await spawnServer({
    name: 'visitor desk server',
    script: OURS_BUNDLE,
    env: serverEnv({
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'data'),
      DATABASE_URL: databaseUrl,
      ADMIN_TOKEN: token,
      LOG_LEVEL: 'warn',
      // A thousand subscriptions open from one token within seconds: no rate limit.
      RATE_LIMIT_PER_MINUTE: '0',
    }),
    nodeArgs: SERVER_NODE_ARGS,
    inspector: FORCE_GC,
    cpu,
    ready: async (url) => (await fetch(new URL('/health', url), { signal: AbortSignal.timeout(5_000) })).status === 200,
    timeoutMs: 120_000,
  });

  const call = <T>(query: string, variables: Record<string, unknown>) => graphql<T>(server.url, query, variables, token);
  const property = ok(
    (
      await call<Payload<'createProperty', { property: { id: string } }>>(CREATE_PROPERTY, {
        input: { name: `Bench Plaza ${new Date().toISOString()}`, timeZone: 'UTC' },
      })
    ).createProperty,
    'createProperty',
  ).property;
  const visit = ok(
    (
      await call<Payload<'createVisit', { visit: { id: string; status: string } }>>(CREATE_VISIT, {
        input: {
          propertyId: property.id,
          visitorName: 'Bench Visitor',
          expectedArrival: new Date(Date.now() + 3_600_000).toISOString(),
        },
      })
    ).createVisit,
    'createVisit',
  ).visit;

  const cleanup = async () => {
    rmSync(dir, { recursive: true, force: true });
    await dropSchema();
  };
  return {
    server,
    cleanup,
    target: {
      label: 'visitor desk: the real server (PGlite)'.replace('PGlite', databaseUrl ? 'PostgreSQL' : 'PGlite'),
      pid: server.pid,
      collectGarbage: server.collectGarbage,
      wsUrl: server.url.replace(/^http/, 'ws'),
      connectionParams: { authorization: `Bearer ${token}` },
      query: DESK_CHANGED,
      variables: { propertyId: property.id },
      identify: (data) => {
        const notes = (data as { visitorDeskChanged?: { visit?: { notes?: string | null } } })?.visitorDeskChanged?.visit?.notes;
        const match = typeof notes === 'string' ? /^([npw])(\d+)$/.exec(notes) : null;
        return match ? { kind: NOTE_KINDS[match[1]], n: Number(match[2]) } : null;
      },
      send: async (kind, n) => {
        const notes = `${NOTE_PREFIX[kind]}${n}`;
        const result = ok(
          (
            await call<Payload<'updateVisit', { visit: { notes: string } }>>(UPDATE_VISIT, {
              input: { visitId: visit.id, notes },
            })
          ).updateVisit,
          'updateVisit',
        );
        if (result.visit.notes !== notes) throw new Error(`updateVisit stored ${result.visit.notes}, expected ${notes}`);
      },
    },
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  // pg (a dependency of the server) is loaded only for BENCH_DATABASE_URL.
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Which server code was measured: the commit, and any uncommitted changes to it. */
function sourceRevision(): { commit: string | null; uncommitted: string[] } {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const commit = git('rev-parse', 'HEAD').trim();
    const uncommitted = git('status', '--porcelain', '--', 'src', 'prisma')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3));
    return { commit, uncommitted };
  } catch {
    return { commit: null, uncommitted: [] };
  }
}

// ---------------------------------------------------------------------------------------
// Output.

const fmt = (x: number | undefined, digits = 1) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(digits));

function table(results: ScenarioResult[]): string {
  const header = ['scenario', 'delivered', 'p50 ms', 'p99 ms', 'max ms', 'KB/idle sub'];
  const rows = results.map((r) => [
    r.label,
    `${(r.delivered * 100).toFixed(2)}%`,
    fmt(r.latencyMs?.p50),
    fmt(r.latencyMs?.p99),
    fmt(r.latencyMs?.max),
    fmt(r.memory.kbPerIdleSubscriber),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function verdict(r: ScenarioResult) {
  const p99 = r.latencyMs?.p99 ?? Infinity;
  const delivered = r.receipts === r.expectedReceipts;
  const latency = p99 < GOALS.p99Ms;
  const memory = r.memory.kbPerIdleSubscriber < GOALS.kbPerIdleSubscriber;
  return { delivered, latency, memory, pass: delivered && latency && memory };
}

// ---------------------------------------------------------------------------------------

async function main() {
  buildOurs();
  const cpuCount = cpus().length;
  const pin = tasksetAvailable(cpuCount) && pinSelf(1);
  const serverCpu = pin ? 0 : undefined;
  log(
    `Desk fan-out benchmark: ${SUBSCRIBERS} graphql-ws subscribers, ${EVENTS} events at ${RATE}/s; ` +
      `${cpuCount} CPUs, ${pin ? 'servers pinned to CPU 0, load generator to CPU 1' : 'no CPU pinning (taskset unavailable)'}.`,
  );
  const revision = sourceRevision();
  log(
    `Server code: ${revision.commit ? `commit ${revision.commit.slice(0, 12)}` : 'not a git checkout'}` +
      (revision.uncommitted.length
        ? ` with uncommitted changes to ${revision.uncommitted.join(', ')}`
        : revision.commit
          ? ', no uncommitted changes'
          : ''),
  );
  const options: HarnessOptions = {
    subscribers: SUBSCRIBERS,
    events: EVENTS,
    ratePerSecond: RATE,
    warmupEvents: WARMUP,
    connectBatch: 50,
    settleMs: 2_000,
    log,
  };
  const results: ScenarioResult[] = [];

  for (const scenario of SCENARIOS) {
    if (scenario !== 'baseline' && scenario !== 'desk') throw new Error(`Unknown scenario in BENCH_SCENARIOS: ${scenario}`);
    log(`\n[${scenario}] starting the server`);
    const started = scenario === 'baseline' ? { ...(await baseline(serverCpu)), cleanup: async () => {} } : await desk(serverCpu);
    try {
      log(`[${scenario}] ${started.server.url} (server pid ${started.server.pid})`);
      results.push(await runScenario(started.target, options));
    } catch (err) {
      if (!alive(started.server.pid)) log(`[${scenario}] the server process (pid ${started.server.pid}) has exited.`);
      log(`[${scenario}] server output (tail):\n${started.server.output().slice(-3000)}`);
      throw err;
    } finally {
      await started.server.stop();
      await started.cleanup();
    }
  }

  log('');
  log(
    `Desk fan-out: ${SUBSCRIBERS} subscribers × ${EVENTS} events at ${RATE}/s (${cpuCount} CPUs${pin ? ', server CPU 0, client CPU 1' : ''})`,
  );
  log(table(results));
  log('Latency: from sending the mutation (HTTP) to receipt at each subscriber — an upper bound of commit → receipt,');
  log('since the server commits before it answers the mutation. Memory: (VmRSS with all idle − VmRSS before) / subscribers,');
  log(FORCE_GC ? 'each VmRSS taken after a forced full GC in the server.' : 'VmRSS as found (BENCH_FORCE_GC=0).');
  for (const r of results) {
    log(
      `  ${r.label}: fan-out to all p50/p99 ${fmt(r.fanOutCompleteMs?.p50)}/${fmt(r.fanOutCompleteMs?.p99)} ms, ` +
        `mutation round trip p50/p99 ${fmt(r.mutationMs?.p50)}/${fmt(r.mutationMs?.p99)} ms, server CPU ${fmt(r.serverCpuPercent)}%, ` +
        `client CPU ${fmt(r.clientCpuPercent)}%, other CPU on the machine ${fmt(r.otherCpuPercent)}%, ` +
        `client loop delay p99 ${fmt(r.clientLoopDelayMs.p99)} ms, RSS ${r.memory.rssBeforeKB} → ${r.memory.rssAfterKB} KB` +
        (r.memory.afterGc
          ? ` after full GCs (as found: ${r.memory.raw.beforeKB} → ${r.memory.raw.afterKB} KB, ${fmt(r.memory.raw.kbPerIdleSubscriber)} KB/sub)`
          : '') +
        (r.duplicates ? `, ${r.duplicates} duplicates` : '') +
        (r.errors.length ? `, ${r.errors.length} errors: ${r.errors.slice(0, 3).join(' | ')}` : ''),
    );
  }
  for (const r of results)
    if (r.otherCpuPercent > 10)
      log(
        `  WARNING: other processes used ${fmt(r.otherCpuPercent)}% CPU during "${r.label}": its figures are disturbed; run again on a quiet machine.`,
      );
  const deskResult = results.find((r) => r.label.startsWith('visitor desk'));
  let summary: ReturnType<typeof verdict> | null = null;
  if (deskResult) {
    summary = verdict(deskResult);
    const mark = (b: boolean) => (b ? 'PASS' : 'FAIL');
    log(
      `Goals for the visitor desk: delivered 100% ${mark(summary.delivered)}, p99 < ${GOALS.p99Ms} ms ${mark(summary.latency)} ` +
        `(${fmt(deskResult.latencyMs?.p99)}), < ${GOALS.kbPerIdleSubscriber} KB per idle subscriber ${mark(summary.memory)} ` +
        `(${fmt(deskResult.memory.kbPerIdleSubscriber)}) → ${summary.pass ? 'PASS' : 'FAIL'}`,
    );
  }

  const revisionAfter = sourceRevision();
  const sourceChanged = JSON.stringify(revisionAfter) !== JSON.stringify(revision);
  if (sourceChanged)
    log(
      '  WARNING: the server code changed while the benchmark ran (commit or uncommitted files); the figures may mix versions.',
    );

  mkdirSync(join(OUT, '..'), { recursive: true });
  writeFileSync(
    OUT,
    JSON.stringify(
      {
        benchmark: 'desk-fanout',
        finishedAt: new Date().toISOString(),
        machine: {
          cpus: cpuCount,
          cpuModel: cpus()[0]?.model,
          memoryMB: Math.round(totalmem() / 2 ** 20),
          node: process.version,
        },
        source: { ...revision, changedDuringRun: sourceChanged },
        pinning: pin ? { server: 0, client: 1 } : null,
        database: DATABASE_URL ? 'postgresql' : 'pglite',
        config: { subscribers: SUBSCRIBERS, events: EVENTS, ratePerSecond: RATE, warmupEvents: WARMUP, forcedGc: FORCE_GC },
        latencyDefinition:
          'From sending the mutation over HTTP to receipt at the subscriber; an upper bound of commit → receipt (the server commits before answering the mutation).',
        goals: GOALS,
        verdict: summary,
        results,
      },
      null,
      2,
    ) + '\n',
  );
  log(`Results written to ${OUT}`);
}

main()
  .then(() => {
    stopWatchdog();
    process.exit(0);
  })
  .catch(async (err) => {
    log(`\nBenchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    killAllNow();
    await Promise.all(dropSchemas.map((drop) => drop().catch(() => {})));
    process.exit(1);
  });
