import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { cpuTimeMs, machineBusyMs, medianRssKB, sleep } from './processes.ts';

// The client harness: the same for every server under test. N graphql-ws clients (one
// WebSocket each) subscribe to one stream; events are sent as HTTP mutations at a fixed
// rate (open loop: the next one is sent on schedule, whether or not the last has been
// answered); every receipt is timestamped at the subscriber.

export interface Target {
  /** Row label in the results table. */
  label: string;
  /** The server process (for VmRSS and CPU time). */
  pid: number;
  /** Forces a full garbage collection in the server, when it can (see processes.ts). */
  collectGarbage?: (() => Promise<void>) | null;
  wsUrl: string;
  connectionParams?: Record<string, unknown>;
  /** The subscription every subscriber runs. */
  query: string;
  variables?: Record<string, unknown>;
  /** What a received result is: measured event `n`, probe `n`, warm-up event `n`, or none of them (null). */
  identify(data: unknown): { kind: EventKind; n: number } | null;
  /** Sends event `n` of a kind as one mutation; resolves once its response is checked. */
  send(kind: EventKind, n: number): Promise<void>;
}

/**
 * probe: finds out that every subscription is live (then discarded); warmup: unmeasured
 * events at the measured rate, so the measured ones do not start on a cold, just-collected
 * heap; event: measured.
 */
export type EventKind = 'probe' | 'warmup' | 'event';

export interface HarnessOptions {
  subscribers: number;
  events: number;
  ratePerSecond: number;
  /** Unmeasured events sent at the same rate just before the measured ones. */
  warmupEvents: number;
  /** Connections opened at a time while subscribing. */
  connectBatch: number;
  /** Settle time before the "before" memory samples, and idle time before the "after" ones. */
  settleMs: number;
  log(line: string): void;
}

export interface MemoryPair {
  beforeKB: number;
  afterKB: number;
  samplesBeforeKB: number[];
  samplesAfterKB: number[];
  kbPerIdleSubscriber: number;
}

export interface ScenarioResult {
  label: string;
  subscribers: number;
  events: number;
  ratePerSecond: number;
  expectedReceipts: number;
  receipts: number;
  delivered: number;
  duplicates: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number } | null;
  /** Per event: from sending its mutation until the last subscriber had it. */
  fanOutCompleteMs: { p50: number; p99: number; max: number } | null;
  /** The same, event by event in sending order (null: not every subscriber got it): shows a growing backlog. */
  fanOutCompleteByEventMs: Array<number | null>;
  /** HTTP round trip of the measured mutations (the commit happens inside it). */
  mutationMs: { p50: number; p99: number; max: number } | null;
  /** How late the sends left against their schedule (client-side scheduling jitter). */
  sendLatenessMs: { p99: number; max: number };
  memory: {
    /** How the figures below were taken. */
    method: string;
    rssBeforeKB: number;
    rssAfterKB: number;
    kbPerIdleSubscriber: number;
    /** VmRSS as found (pending garbage included). */
    raw: MemoryPair;
    /** VmRSS after a forced full GC in the server; null when it could not be forced. */
    afterGc: MemoryPair | null;
  };
  /** Server process CPU while the events were sent and delivered (100% = one core). */
  serverCpuPercent: number;
  /** CPU of this (client) process during the measured phase (100% = one core). */
  clientCpuPercent: number;
  /**
   * CPU used on the machine by anything other than the server and this process during the
   * measured phase (100% = one core). More than a few percent means the run was disturbed.
   */
  otherCpuPercent: number;
  /** Event-loop delay of this (client) process during the measured phase. */
  clientLoopDelayMs: { p99: number; max: number };
  setupMs: { connect: number; live: number };
  probesSent: number;
  warmupEvents: number;
  errors: string[];
}

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms: ${what}`)), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });

function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export async function runScenario(target: Target, options: HarnessOptions): Promise<ScenarioResult> {
  const { subscribers: S, events: E, log } = options;
  const errors: string[] = [];
  const addError = (msg: string) => {
    if (errors.length < 20) errors.push(msg);
  };

  // Receipt times (performance.now()) per subscriber and event; NaN: not received.
  const receivedAt = new Float64Array(S * E).fill(NaN);
  const sentAt = new Float64Array(E).fill(NaN);
  const lastProbe = new Int32Array(S);
  const lastWarmup = new Int32Array(S).fill(-1);
  let receipts = 0;
  let duplicates = 0;
  let disposing = false;

  // VmRSS, median of a few samples: as found, and after a forced full GC (when possible),
  // so that garbage pending at either moment is not counted for or against subscribers.
  const measureRss = async (when: string) => {
    const raw = await medianRssKB(target.pid);
    let gc: typeof raw | null = null;
    if (target.collectGarbage) {
      await target.collectGarbage();
      await sleep(500);
      gc = await medianRssKB(target.pid);
    }
    log(`  RSS ${when}: ${raw.median} KB${gc ? `, ${gc.median} KB after a full GC` : ''}`);
    return { raw, gc };
  };

  // 1. Memory before any subscriber: after setup, settled.
  await sleep(options.settleMs);
  const before = await measureRss('before subscribers');

  // 2. Connect and subscribe, a batch at a time; each waits for its connection_ack.
  const clients: Client[] = [];
  const connectStart = performance.now();
  const connect = (s: number) =>
    new Promise<void>((resolve, reject) => {
      let acked = false;
      const client = createClient({
        url: target.wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: target.connectionParams,
        retryAttempts: 0,
        lazy: true,
        on: {
          connected: () => {
            acked = true;
            resolve();
          },
          closed: (event) => {
            const code = (event as { code?: number })?.code;
            if (!acked) reject(new Error(`subscriber ${s}: socket closed before connection_ack (code ${code})`));
            else if (!disposing) addError(`subscriber ${s}: socket closed (code ${code})`);
          },
        },
      });
      clients.push(client);
      client.subscribe(
        { query: target.query, variables: target.variables },
        {
          next: (result) => {
            const at = performance.now();
            if (result.errors?.length) return addError(`subscriber ${s}: ${JSON.stringify(result.errors).slice(0, 300)}`);
            const id = target.identify(result.data);
            if (!id) return;
            if (id.kind === 'probe') {
              if (id.n > lastProbe[s]) lastProbe[s] = id.n;
              return;
            }
            if (id.kind === 'warmup') {
              if (id.n > lastWarmup[s]) lastWarmup[s] = id.n;
              return;
            }
            if (id.n < 0 || id.n >= E) return;
            const slot = s * E + id.n;
            if (Number.isNaN(receivedAt[slot])) {
              receivedAt[slot] = at;
              receipts++;
            } else duplicates++;
          },
          error: (err) => {
            if (!disposing)
              addError(
                `subscriber ${s}: subscription error ${String((err as Error)?.message ?? JSON.stringify(err)).slice(0, 300)}`,
              );
          },
          complete: () => {
            if (!disposing) addError(`subscriber ${s}: subscription completed by the server`);
          },
        },
      );
    });

  try {
    for (let first = 0; first < S; first += options.connectBatch) {
      const batch = [];
      for (let s = first; s < Math.min(S, first + options.connectBatch); s++) batch.push(connect(s));
      await withTimeout(Promise.all(batch), 30_000, `connecting subscribers ${first}…${first + batch.length - 1}`);
    }
    const connectMs = performance.now() - connectStart;
    log(`  ${S} subscribers connected in ${Math.round(connectMs)} ms`);

    // 3. Live: send probes until every subscriber has received one (a subscription that is
    // not yet registered on the server misses an event), then until all have the last one.
    const liveStart = performance.now();
    let probe = 0;
    const allHave = (n: number) => lastProbe.every((p) => p >= n);
    const liveDeadline = Date.now() + 60_000;
    while (!allHave(1) || !allHave(probe)) {
      if (Date.now() > liveDeadline) {
        const missing = lastProbe.filter((p) => p < 1).length;
        throw new Error(`Subscribers not live after 60 s: ${missing} never received a probe (${errors.slice(0, 3).join('; ')})`);
      }
      if (!allHave(1)) await withTimeout(target.send('probe', ++probe), 30_000, `probe ${probe}`);
      const waitUntil = Date.now() + 3_000;
      while (!allHave(probe) && Date.now() < waitUntil) await sleep(20);
    }
    const liveMs = performance.now() - liveStart;
    log(`  all ${S} live after ${probe} probe(s), ${Math.round(liveMs)} ms`);

    // 4. Memory with every subscriber connected and idle.
    await sleep(options.settleMs);
    const after = await measureRss(`with ${S} idle subscribers`);
    const pair = (b: { median: number; samples: number[] }, a: { median: number; samples: number[] }): MemoryPair => ({
      beforeKB: b.median,
      afterKB: a.median,
      samplesBeforeKB: b.samples,
      samplesAfterKB: a.samples,
      kbPerIdleSubscriber: round((a.median - b.median) / S),
    });
    const raw = pair(before.raw, after.raw);
    const afterGc = before.gc && after.gc ? pair(before.gc, after.gc) : null;
    const used = afterGc ?? raw;

    // 5. Warm-up at the measured rate, until every subscriber has had the last one.
    const interval = 1000 / options.ratePerSecond;
    if (options.warmupEvents > 0) {
      const warmups: Promise<void>[] = [];
      for (let i = 0; i < options.warmupEvents; i++) {
        if (i > 0) await sleep(interval);
        warmups.push(target.send('warmup', i));
      }
      await withTimeout(Promise.all(warmups), 60_000, 'warm-up mutations');
      const last = options.warmupEvents - 1;
      const warmDeadline = Date.now() + 60_000;
      while (!lastWarmup.every((w) => w >= last)) {
        if (Date.now() > warmDeadline) throw new Error('Warm-up events were not delivered to every subscriber within 60 s');
        await sleep(20);
      }
      await sleep(250);
      log(`  ${options.warmupEvents} warm-up events delivered`);
    }

    // 6. The measured events, open loop at the fixed rate.
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const cpuStart = cpuTimeMs(target.pid);
    const clientCpuStart = process.cpuUsage();
    const machineStart = machineBusyMs();
    const wallStart = performance.now();
    const t0 = performance.now() + 50;
    const lateness: number[] = [];
    const mutationMs = new Float64Array(E).fill(NaN);
    const responses: Promise<void>[] = [];
    for (let i = 0; i < E; i++) {
      const due = t0 + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      sentAt[i] = performance.now();
      lateness.push(sentAt[i] - due);
      responses.push(
        target.send('event', i).then(
          () => void (mutationMs[i] = performance.now() - sentAt[i]),
          (err) => addError(`event ${i}: mutation failed: ${(err as Error).message}`),
        ),
      );
    }
    await withTimeout(Promise.all(responses), 60_000, 'mutation responses');
    // Drain: until every receipt is in, or nothing new arrived for 5 s (30 s at most).
    const expected = S * E;
    const drainDeadline = Date.now() + 30_000;
    let seen = receipts;
    let quietSince = Date.now();
    while (receipts < expected && Date.now() < drainDeadline && Date.now() - quietSince < 5_000) {
      await sleep(20);
      if (receipts !== seen) {
        seen = receipts;
        quietSince = Date.now();
      }
    }
    let lastReceipt = wallStart;
    for (const t of receivedAt) if (t > lastReceipt) lastReceipt = t;
    const cpuMs = cpuTimeMs(target.pid) - cpuStart;
    const clientUsage = process.cpuUsage(clientCpuStart);
    const clientMs = (clientUsage.user + clientUsage.system) / 1000;
    const machineMs = machineBusyMs() - machineStart;
    const wallMs = performance.now() - wallStart;
    loop.disable();
    log(`  ${receipts}/${expected} receipts (${duplicates} duplicates)`);

    // 7. Statistics.
    const latencies = new Float64Array(receipts);
    const completes: number[] = [];
    const completeByEvent: Array<number | null> = [];
    let k = 0;
    let sum = 0;
    for (let i = 0; i < E; i++) {
      let last = -Infinity;
      let all = true;
      for (let s = 0; s < S; s++) {
        const at = receivedAt[s * E + i];
        if (Number.isNaN(at)) {
          all = false;
          continue;
        }
        const l = at - sentAt[i];
        latencies[k++] = l;
        sum += l;
        if (l > last) last = l;
      }
      if (all) completes.push(last);
      completeByEvent.push(all ? round(last, 1) : null);
    }
    latencies.sort();
    completes.sort((a, b) => a - b);
    const mutations = [...mutationMs].filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
    lateness.sort((a, b) => a - b);

    return {
      label: target.label,
      subscribers: S,
      events: E,
      ratePerSecond: options.ratePerSecond,
      expectedReceipts: expected,
      receipts,
      delivered: receipts / expected,
      duplicates,
      latencyMs:
        receipts > 0
          ? {
              p50: round(percentile(latencies, 50)),
              p90: round(percentile(latencies, 90)),
              p99: round(percentile(latencies, 99)),
              max: round(latencies[latencies.length - 1]),
              mean: round(sum / receipts),
            }
          : null,
      fanOutCompleteMs:
        completes.length > 0
          ? {
              p50: round(percentile(completes, 50)),
              p99: round(percentile(completes, 99)),
              max: round(completes[completes.length - 1]),
            }
          : null,
      fanOutCompleteByEventMs: completeByEvent,
      mutationMs:
        mutations.length > 0
          ? {
              p50: round(percentile(mutations, 50)),
              p99: round(percentile(mutations, 99)),
              max: round(mutations[mutations.length - 1]),
            }
          : null,
      sendLatenessMs: { p99: round(percentile(lateness, 99)), max: round(lateness[lateness.length - 1]) },
      memory: {
        method: afterGc
          ? 'VmRSS, median of 5 samples, each time after a forced full GC (V8 LowMemoryNotification through the inspector)'
          : 'VmRSS, median of 5 samples',
        rssBeforeKB: used.beforeKB,
        rssAfterKB: used.afterKB,
        kbPerIdleSubscriber: used.kbPerIdleSubscriber,
        raw,
        afterGc,
      },
      serverCpuPercent: round((cpuMs / (lastReceipt - wallStart)) * 100, 1),
      clientCpuPercent: round((clientMs / wallMs) * 100, 1),
      otherCpuPercent: round((Math.max(0, machineMs - cpuMs - clientMs) / wallMs) * 100, 1),
      clientLoopDelayMs: { p99: round(loop.percentile(99) / 1e6), max: round(loop.max / 1e6) },
      setupMs: { connect: Math.round(connectMs), live: Math.round(liveMs) },
      probesSent: probe,
      warmupEvents: options.warmupEvents,
      errors,
    };
  } finally {
    disposing = true;
    await withTimeout(Promise.all(clients.map((c) => c.dispose())), 15_000, 'closing subscribers').catch((err) =>
      log(`  ${(err as Error).message}`),
    );
  }
}
