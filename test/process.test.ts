import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { openDatabase } from '../src/db/database.ts';
import { hashToken } from '../src/modules/access/auth.ts';
import { killServer, runServer, startServerProcess } from './support/process.ts';

// The server as an operator runs it: `npm start` (the bundle of src/main.ts, run by node) with environment
// configuration, on the embedded database, stopped with a signal.

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) killServer({ child });
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function dataDir() {
  const dir = await mkdtemp(join(tmpdir(), 'vwo-'));
  dirs.push(dir);
  return join(dir, 'nested', 'data');
}

function run(env: Record<string, string>) {
  const proc = runServer(env);
  children.push(proc.child);
  return proc;
}

async function start(env: Record<string, string>) {
  const proc = await startServerProcess(env);
  children.push(proc.child);
  return proc;
}

const viewerQuery = (url: string, token?: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: '{ viewer { name email } }' }),
  });

describe('the server process', () => {
  it('on a new embedded database prints a one-time admin token, stores only its hash, and stops cleanly on SIGTERM', async () => {
    const DATA_DIR = await dataDir();
    const first = await start({ DATA_DIR });
    const secret = first.output().match(/Bearer (vwo_[\w-]+)/)?.[1];
    expect(secret).toBeDefined();
    expect(first.output()).toContain('GraphiQL');

    const health = await fetch(first.url.replace('/graphql', '/health'));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await viewerQuery(first.url)).status).toBe(401);
    expect(await (await viewerQuery(first.url, secret)).json()).toEqual({
      data: { viewer: { name: 'Administrator', email: 'admin@localhost' } },
    });

    const page = await fetch(first.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Visitor Work Orders');

    // A live subscriber is told the server is going away, and the process exits 0.
    const closed = new Promise<number>((resolve) => {
      const client = createClient({
        url: first.url.replace('http', 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${secret}` },
        lazy: false,
        retryAttempts: 0,
        onNonLazyError: () => {},
        on: { closed: (e) => resolve((e as { code: number }).code) },
      });
      client.on('connected', () => first.child.kill('SIGTERM'));
    });
    expect(await closed).toBe(1001);
    expect(await first.exit, first.output()).toBe(0);

    // The secret itself is nowhere in the database: only its SHA-256.
    const db = await openDatabase({ dataDir: DATA_DIR });
    try {
      const tokens = await db.prisma.apiToken.findMany();
      expect(tokens).toHaveLength(1);
      expect(tokens[0].tokenHash).toBe(hashToken(secret!));
      expect(JSON.stringify(tokens)).not.toContain(secret);
    } finally {
      await db.close();
    }

    // A second start on the same data prints no token, and the first one still works.
    const second = await start({ DATA_DIR });
    expect(second.output()).not.toContain('vwo_');
    expect((await viewerQuery(second.url, secret)).status).toBe(200);
    second.child.kill('SIGINT');
    expect(await second.exit, second.output()).toBe(0);
  }, 90_000);

  it('uses ADMIN_TOKEN as the administrator token and prints none', async () => {
    const started = await start({ DATA_DIR: await dataDir(), ADMIN_TOKEN: 'an-admin-token-of-my-choosing' });
    expect(started.output()).not.toContain('vwo_');
    const res = await viewerQuery(started.url, 'an-admin-token-of-my-choosing');
    expect((await res.json()).data.viewer.name).toBe('Administrator');
    started.child.kill('SIGTERM');
    expect(await started.exit, started.output()).toBe(0);
  }, 60_000);

  it('serves while Redis is unreachable, says so once per connection, and still stops cleanly', async () => {
    // A port nothing listens on: every Redis command is queued or refused, and shutdown must
    // neither wait for Redis nor die of the commands it leaves behind.
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const started = await start({
      DATA_DIR: await dataDir(),
      ADMIN_TOKEN: 'an-admin-token-of-my-choosing',
      REDIS_URL: `redis://127.0.0.1:${port}`,
    });
    const res = await viewerQuery(started.url, 'an-admin-token-of-my-choosing');
    expect((await res.json()).data.viewer.name).toBe('Administrator');
    await new Promise((r) => setTimeout(r, 1_500)); // several reconnect attempts
    started.child.kill('SIGTERM');
    expect(await started.exit, started.output()).toBe(0);
    const lost = started.output().match(/Redis \((announcements|rate limit)\): connection lost/g) ?? [];
    // Two announcement connections (publish, subscribe) and the rate limit's: one warning each.
    expect(lost.sort()).toEqual([
      'Redis (announcements): connection lost',
      'Redis (announcements): connection lost',
      'Redis (rate limit): connection lost',
    ]);
    expect(started.output()).not.toMatch(/Unhandled|Connection is closed/);
  }, 60_000);

  it('refuses invalid configuration with a clear message and exit code 2', async () => {
    const proc = run({
      PORT: 'eighty',
      LOG_LEVEL: 'chatty',
      DATABASE_URL: 'mysql://x',
      EMBEDDED_SHARED_BUFFERS: 'lots',
      DATABASE_POOL_SIZE: '0',
      DATABASE_STATEMENT_TIMEOUT_MS: 'soon',
      REDIS_TIMEOUT_MS: '2.5',
    });
    expect(await proc.exit).toBe(2);
    expect(proc.output()).toContain('PORT must be a number between 0 and 65535.');
    expect(proc.output()).toContain('LOG_LEVEL must be one of debug, info, warn, error, silent.');
    expect(proc.output()).toContain('DATABASE_URL must be a postgresql:// URL');
    expect(proc.output()).toContain('EMBEDDED_SHARED_BUFFERS must be a size such as 16MB or 256MB.');
    expect(proc.output()).toContain('DATABASE_POOL_SIZE must be at least 1.');
    expect(proc.output()).toContain('DATABASE_STATEMENT_TIMEOUT_MS must be a number of milliseconds.');
    expect(proc.output()).toContain('REDIS_TIMEOUT_MS must be a whole number of milliseconds.');
    expect(proc.output()).not.toMatch(/at .*\.ts:\d+/);
  }, 30_000);
});
