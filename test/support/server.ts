import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { print, type ExecutionResult } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { loadConfig } from '../../src/config.ts';
import { startServer, type RunningServer } from '../../src/server/server.ts';
import { TestClock } from './clock.ts';
import { freshDatabase, type TestDatabase } from './databases.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestServer {
  server: RunningServer;
  clock: TestClock;
  url: string;
  wsUrl: string;
  /** Runs an operation over HTTP as the administrator (or with `token`); returns the whole result. */
  request<R, V>(
    doc: TypedDocumentNode<R, V>,
    variables?: V,
    token?: string | null,
  ): Promise<ExecutionResult<R> & { status: number }>;
  /** Runs an operation and returns its data, failing the test on any GraphQL error. */
  gql<R, V>(doc: TypedDocumentNode<R, V>, variables?: V): Promise<R>;
  /** A graphql-ws client authenticated as the administrator (or with `token`). */
  wsClient(token?: string | null): Client;
  close(): Promise<void>;
}

export interface TestServerOptions {
  clock?: TestClock;
  /** Environment on top of the test defaults, e.g. { DESK_CLOCK_MS: '100', REDIS_URL }. */
  env?: Record<string, string>;
  /** An existing database to share (several instances); a fresh one by default. */
  database?: TestDatabase;
}

export async function startTestServer(
  kind: 'pglite' | 'postgres',
  options: TestServerOptions | TestClock = {},
): Promise<TestServer> {
  const { clock = new TestClock(), env = {}, database: shared } = options instanceof TestClock ? { clock: options } : options;
  const database = shared ?? (await freshDatabase(kind));
  // The desk clock is off unless a test turns it on: time moves only when a test moves it. The
  // webhook worker does not poll either (it still wakes when a change queues deliveries).
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    DESK_CLOCK_MS: '0',
    WEBHOOK_POLL_MS: '3600000',
    ...env,
  });
  const server = await startServer({ config, clock, database: database.options });
  const clients: Client[] = [];

  const request: TestServer['request'] = async (doc, variables, token = ADMIN_TOKEN) => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query: print(doc), variables }),
    });
    return { ...((await res.json()) as ExecutionResult<any>), status: res.status };
  };

  return {
    server,
    clock,
    url: server.url,
    wsUrl: server.url.replace(/^http/, 'ws'),
    request,
    async gql(doc, variables) {
      const result = await request(doc, variables);
      if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
      return result.data!;
    },
    wsClient(token = ADMIN_TOKEN) {
      const client = createClient({
        url: server.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => {},
      });
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.dispose()));
      await server.close();
      if (!shared) await database.drop();
    },
  };
}

/** A live subscription whose events the test reads in order. */
export class Subscription<T> {
  readonly events: T[] = [];
  readonly errors: unknown[] = [];
  private waiters: Array<() => void> = [];
  private unsubscribe: () => void;

  constructor(client: Client, doc: TypedDocumentNode<T, any>, variables: Record<string, unknown>) {
    this.unsubscribe = client.subscribe<T>(
      { query: print(doc), variables },
      {
        next: (result) => {
          if (result.errors) this.errors.push(...result.errors);
          if (result.data) this.events.push(result.data as T);
          this.notify();
        },
        error: (err) => {
          this.errors.push(err);
          this.notify();
        },
        complete: () => this.notify(),
      },
    );
  }

  private notify() {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once `count` events have arrived; fails after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 5_000): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count) {
      if (this.errors.length) throw new Error(`Subscription failed: ${JSON.stringify(this.errors)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Expected ${count} events, got ${this.events.length}: ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.events.slice(0, count);
  }

  /** Waits for the first error (for subscriptions that must be refused). */
  async waitForError(timeoutMs = 5_000): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    while (this.errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (this.errors.length === 0) throw new Error('Expected the subscription to fail');
    return this.errors[0];
  }

  close() {
    this.unsubscribe();
  }
}

/** The database id inside a global id (tests compare stored rows with API answers). */
export const dbId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

/**
 * Subscribes to a property's desk and resolves once the server is listening for it, so
 * that changes made right after are certain to be delivered.
 */
export async function subscribeDesk<T>(
  ts: TestServer,
  doc: TypedDocumentNode<T, any>,
  propertyId: string,
  client: Client = ts.wsClient(),
  variables: Record<string, unknown> = {},
): Promise<Subscription<T>> {
  const before = ts.server.desk.startedCount(dbId(propertyId));
  const sub = new Subscription(client, doc, { propertyId, ...variables });
  const deadline = Date.now() + 5_000;
  while (ts.server.desk.startedCount(dbId(propertyId)) <= before) {
    if (sub.errors.length) throw new Error(`Subscription failed: ${JSON.stringify(sub.errors)}`);
    if (Date.now() > deadline) throw new Error('The server did not start the desk subscription');
    await new Promise((r) => setTimeout(r, 5));
  }
  return sub;
}

/** Runs a statement on the server's database directly, as a process that announces nothing would. */
export const sqlOn = (ts: TestServer, text: string, ...params: unknown[]) =>
  ts.server.db.withConnection((c) => c.query(text, params));

/** A change, made with SQL, that sets one column of the row with this id. */
export const setColumn = (ts: TestServer, table: string, column: string, value: string, id: string) => () =>
  sqlOn(ts, `UPDATE "${table}" SET "${column}" = $1 WHERE "id" = $2::uuid`, value, id);

/** Runs `action` and returns how many SQL statements the server ran meanwhile. */
export async function statementsDuring(ts: TestServer, action: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const stop = ts.server.db.watchStatements(() => count++);
  try {
    await action();
  } finally {
    stop();
  }
  return count;
}

/** Polls `condition` until it holds; fails naming `what` after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
