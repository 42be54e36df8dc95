import { spawn, type ChildProcess } from 'node:child_process';
import { START_NODE_FLAGS } from '../../scripts/start-flags.mjs';

// The server as an operator runs it (`npm start`: the bundle scripts/build.mjs makes, run
// by node with the start script's flags), in its own process.

const ROOT = new URL('../..', import.meta.url).pathname;

/** The bundle `npm start` runs, built for the test run by test/support/build-bundle.ts. */
const BUNDLE = 'dist/server/main.mjs';

export interface ServerProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output: () => string;
  exit: Promise<number | null>;
}

/** Runs the server with the environment on top of test defaults (port 0, loopback, no token). */
export function runServer(env: Record<string, string | undefined>): ServerProcess {
  const child = spawn(process.execPath, [...START_NODE_FLAGS, BUNDLE], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', ADMIN_TOKEN: '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that killing the group leaves nothing behind.
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exit };
}

/** Kills the server's process group at once. */
export function killServer(proc: Pick<ServerProcess, 'child'>): void {
  if (proc.child.exitCode !== null || proc.child.pid === undefined) return;
  try {
    process.kill(-proc.child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Runs the server and waits until it announces its URL. */
export async function startServerProcess(env: Record<string, string | undefined>): Promise<ServerProcess & { url: string }> {
  const proc = runServer(env);
  const deadline = Date.now() + 30_000;
  let match: RegExpMatchArray | null;
  while (!(match = proc.output().match(/(http:\/\/[\w.]+:\d+\/graphql)/))) {
    if (proc.child.exitCode !== null || Date.now() > deadline) {
      killServer(proc);
      throw new Error(`Server did not start:\n${proc.output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { ...proc, url: match[1] };
}
