import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { START_NODE_FLAGS } from '../../scripts/start-flags.mjs';

// Server processes for the benchmarks: started with tsx, or node for a bundle (optionally pinned to a CPU with
// taskset), located (tsx runs the program in a child node process: that child is the
// server whose memory and CPU are measured), watched through /proc, and always stopped.

export const ROOT = new URL('../..', import.meta.url).pathname;

/** The real server as `npm start` runs it: bundled by scripts/build.mjs, run by node with the start script's flags. */
export const OURS_BUNDLE = 'dist/server/main.mjs';

/** Builds OURS_BUNDLE from the current sources (call once before starting the real server). */
export function buildOurs(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether `taskset` can pin processes here (util-linux, and at least two CPUs to split). */
export function tasksetAvailable(cpus: number): boolean {
  if (cpus < 2) return false;
  try {
    execFileSync('sh', ['-c', 'command -v taskset'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Pins every thread of this process to one CPU; false when that did not work. */
export function pinSelf(cpu: number): boolean {
  try {
    execFileSync('taskset', ['-a', '-cp', String(cpu), String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface ServerProcess {
  name: string;
  /** The spawned process (taskset → tsx or node). */
  child: ChildProcess;
  /** The node process that runs the server (tsx's child, or the spawned node). */
  pid: number;
  url: string;
  output(): string;
  /** A full, memory-reducing garbage collection in the server (through its inspector); null without one. */
  collectGarbage: (() => Promise<void>) | null;
  stop(): Promise<void>;
}

const live = new Set<ServerProcess>();
const spawned = new Set<ChildProcess>();

/** Kills whatever is still running: for exit handlers (synchronous, SIGKILL). */
export function killAllNow(): void {
  for (const server of live) {
    try {
      process.kill(server.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  for (const child of spawned) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

export interface SpawnOptions {
  name: string;
  /** Script path relative to the project root: TypeScript run with tsx, or a bundle (.mjs) run with node. */
  script: string;
  env: Record<string, string | undefined>;
  /** Node.js flags for the server (tsx passes them on), e.g. --cpu-prof. */
  nodeArgs?: string[];
  /**
   * Opens the server's inspector on 127.0.0.1 (a free port) so that memory can be measured
   * after a forced full garbage collection instead of with whatever garbage is pending.
   */
  inspector?: boolean;
  /** CPU to pin the server to, when taskset is available. */
  cpu?: number;
  /** Readiness beyond "listening": e.g. GET /health answers 200. */
  ready?: (url: string) => Promise<boolean>;
  timeoutMs: number;
}

export async function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  // A bundle (.mjs, what `npm start` runs) is run by node itself; TypeScript through tsx.
  const direct = options.script.endsWith('.mjs');
  const runner = direct ? process.execPath : join(ROOT, 'node_modules/.bin/tsx');
  // The bundle runs with the flags `npm start` gives it.
  const runnerArgs = [
    ...(options.inspector ? ['--inspect=127.0.0.1:0'] : []),
    ...(direct ? START_NODE_FLAGS : []),
    ...(options.nodeArgs ?? []),
    options.script,
  ];
  const [command, args] =
    options.cpu === undefined ? [runner, runnerArgs] : ['taskset', ['-c', String(options.cpu), runner, ...runnerArgs]];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: options.env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.add(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const failed = () => new Error(`${options.name} did not start:\n${out.slice(-4000)}`);

  const deadline = Date.now() + options.timeoutMs;
  let pid: number | null = null;
  let url: string | null = null;
  let inspectorUrl: string | null = null;
  try {
    while (pid === null || url === null || (options.inspector && inspectorUrl === null)) {
      if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) throw failed();
      // taskset replaces itself with the program, so a direct node is the spawned pid.
      pid ??= direct ? child.pid! : nodeChild(child.pid!);
      inspectorUrl = out.match(/Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/)?.[1] ?? null;
      const printed = out.match(/(http:\/\/[\w.]+:\d+\/graphql)/);
      if (printed) url = printed[1];
      else if (pid !== null && (!options.inspector || inspectorUrl !== null)) {
        // Not printed (the server's log level hides its start-up line): the TCP port the
        // server process listens on, other than its inspector's.
        const inspectorPort = inspectorUrl ? Number(new URL(inspectorUrl).port) : null;
        const ports = listeningPorts(pid).filter((p) => p !== inspectorPort);
        if (ports.length === 1) url = `http://127.0.0.1:${ports[0]}/graphql`;
      }
      if (url === null || (options.inspector && inspectorUrl === null)) await sleep(50);
    }
    while (options.ready && !(await options.ready(url).catch(() => false))) {
      if (child.exitCode !== null || Date.now() > deadline) throw failed();
      await sleep(100);
    }
  } catch (err) {
    child.kill('SIGKILL');
    if (pid !== null) tryKill(pid, 'SIGKILL');
    throw err;
  }

  const serverPid = pid;
  const server: ServerProcess = {
    name: options.name,
    child,
    pid: serverPid,
    url,
    output: () => out,
    collectGarbage: inspectorUrl ? () => inspectorCall(inspectorUrl!, 'HeapProfiler.collectGarbage') : null,
    async stop() {
      if (!live.has(server)) return;
      const exited = new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      tryKill(serverPid, 'SIGTERM');
      child.kill('SIGTERM');
      const gone = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
      if (!gone || alive(serverPid)) {
        tryKill(serverPid, 'SIGKILL');
        child.kill('SIGKILL');
        await Promise.race([exited, sleep(5_000)]);
      }
      live.delete(server);
      spawned.delete(child);
    },
  };
  live.add(server);
  return server;
}

/** One inspector protocol call; HeapProfiler.collectGarbage is V8's LowMemoryNotification. */
function inspectorCall(url: string, method: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`Inspector call ${method} timed out`));
    }, 15_000);
    socket.on('open', () => socket.send(JSON.stringify({ id: 1, method })));
    socket.on('message', (data) => {
      const reply = JSON.parse(String(data)) as { id?: number; error?: { message: string } };
      if (reply.id !== 1) return;
      clearTimeout(timer);
      socket.close();
      if (reply.error) reject(new Error(`${method}: ${reply.error.message}`));
      else resolve();
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

function tryKill(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The node process under the spawned tsx (its child), or null while not there yet. */
function nodeChild(pid: number): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may contain spaces, so parse after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid && stat.includes('(node)')) return Number(entry);
    } catch {
      // Already gone.
    }
  }
  return null;
}

/** The TCP ports a process listens on (from /proc: its socket inodes and the TCP tables). */
function listeningPorts(pid: number): number[] {
  let inodes: Set<string>;
  try {
    inodes = new Set(
      readdirSync(`/proc/${pid}/fd`)
        .map((fd) => {
          try {
            return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
          } catch {
            return undefined;
          }
        })
        .filter((x): x is string => x !== undefined),
    );
  } catch {
    return [];
  }
  const ports = new Set<number>();
  for (const table of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols: sl local_address rem_address st … inode (10th)
      if (cols.length > 9 && cols[3] === '0A' && inodes.has(cols[9])) ports.add(parseInt(cols[1].split(':')[1], 16));
    }
  }
  return [...ports];
}

/** Resident set size of a process in KB (VmRSS). */
export function rssKB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`No VmRSS for process ${pid}`);
  return Number(match[1]);
}

/** Median of `samples` VmRSS readings taken `everyMs` apart, in KB. */
export async function medianRssKB(pid: number, samples = 5, everyMs = 250): Promise<{ median: number; samples: number[] }> {
  const values: number[] = [];
  for (let i = 0; i < samples; i++) {
    if (i > 0) await sleep(everyMs);
    values.push(rssKB(pid));
  }
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], samples: values };
}

let ticksPerSecond: number | undefined;

/** CPU time (user + system) a process has used so far, in milliseconds. */
export function cpuTimeMs(pid: number): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ": state(0) ppid(1) … utime(11) stime(12), in clock ticks.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/** Busy CPU time of the whole machine so far (all CPUs, /proc/stat), in milliseconds. */
export function machineBusyMs(): number {
  cpuTimeMs(process.pid); // makes sure the tick rate is known
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  // cpu  user nice system idle iowait irq softirq steal …
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user + nice + system + irq + softirq + (steal || 0)) * 1000) / ticksPerSecond!;
}

/** A positive whole number from the environment, or the fallback when unset. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number`);
  return value;
}

export const log = (line: string) => process.stdout.write(`${line}\n`);

/**
 * Makes a benchmark run stop by itself and leave nothing behind: servers are killed and the
 * returned folders removed however the process ends (done, error, Ctrl-C, or the time limit).
 * Returns the list to register temporary folders in, and a function that disarms the limit.
 */
export function guardRun(totalTimeoutMs: number): { temporary: string[]; done(): void } {
  const temporary: string[] = [];
  process.on('exit', () => {
    killAllNow();
    for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      log(`\n${signal}: stopping the servers.`);
      process.exit(130);
    });
  }
  const watchdog = setTimeout(() => {
    log(`\nThe benchmark did not finish within ${totalTimeoutMs} ms; stopping.`);
    process.exit(1);
  }, totalTimeoutMs);
  return { temporary, done: () => clearTimeout(watchdog) };
}

/** The commit a run measured, and the uncommitted source files it measured too. */
export function gitInfo() {
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
