import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { SqlDriverAdapterFactory, SqlQueryable, Transaction } from '@prisma/driver-adapter-utils';
import { PrismaClient, type Prisma as Sql } from '../generated/prisma/client.ts';
import { noteDriverTransaction, registerRawSql, type RawSql } from './raw-sql.ts';
import { POOL_DEFAULTS, type PoolSettings } from '../config.ts';
import { migrate, readMigrations, type SqlConnection } from './migrate.ts';

export type { SqlConnection };

export type Prisma = PrismaClient;

export interface DatabaseOptions {
  /** PostgreSQL server; when absent the embedded database (PGlite) is used. */
  databaseUrl?: string;
  /** PostgreSQL schema to use instead of `public` (tests isolate themselves this way). */
  schema?: string;
  /** Data folder of the embedded database; absent means in memory. */
  dataDir?: string;
  /** The embedded database's page cache, e.g. "16MB" (default EMBEDDED_SHARED_BUFFERS). */
  sharedBuffers?: string;
  /** Limits of the PostgreSQL connection pool (default POOL_DEFAULTS). */
  pool?: PoolSettings;
}

/** The server's own cancellation should win; the client's bound is for a server gone silent. */
const QUERY_TIMEOUT_MARGIN_MS = 2_000;

/**
 * PostgreSQL's own default (128MB) is touched whole at start-up and stays resident: most of
 * an idle embedded server's memory. Pages beyond it are still cached by the operating system.
 */
export const EMBEDDED_SHARED_BUFFERS = '16MB';

export interface Database {
  kind: 'embedded' | 'postgres';
  prisma: PrismaClient;
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>;
  /** Runs raw SQL (several statements allowed) on one dedicated connection. */
  withConnection<T>(fn: (conn: SqlConnection) => Promise<T>): Promise<T>;
  /** Calls `listener` with the SQL of every statement Prisma sends, until the returned function is called. */
  watchStatements(listener: (sql: string) => void): () => void;
  /** A cheap round trip, for readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

type Notify = (sql: string) => void;

/**
 * A client that reports its statements (benchmarks count SQL per request; tests prove no N+1).
 * They are reported by the driver adapter, as Prisma hands them over, rather than by Prisma's
 * query log, which serialises every statement's parameters whether anyone listens or not.
 * What is reported is what Prisma's log would say: every statement, and the COMMIT or
 * ROLLBACK that ends a transaction (not its BEGIN). Our own statements (raw-sql.ts) are
 * reported by the functions that run them.
 */
function createClient(adapter: (report: Notify) => SqlDriverAdapterFactory) {
  const listeners = new Set<Notify>();
  const report: Notify = (sql) => {
    for (const listener of listeners) listener(sql);
  };
  const prisma = new PrismaClient({ adapter: watchedFactory(adapter(report), report) });
  const watchStatements = (listener: Notify) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  return { prisma, watchStatements, report };
}

/** `target` with the same methods, but some replaced (for drivers whose methods use private fields). */
function replacing<T extends object>(target: T, replacements: Partial<T>): T {
  return new Proxy(target, {
    get(object, prop) {
      if (Object.hasOwn(replacements, prop)) return replacements[prop as keyof T];
      const value = Reflect.get(object, prop, object) as unknown;
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

function watchedFactory(factory: SqlDriverAdapterFactory, report: Notify): SqlDriverAdapterFactory {
  const watched = Object.create(factory) as SqlDriverAdapterFactory;
  watched.connect = async () => {
    const adapter = watchQueries(await factory.connect(), report);
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (...args) => watchTransaction(await startTransaction(...args), report);
    return adapter;
  };
  return watched;
}

function watchQueries<T extends SqlQueryable>(queryable: T, report: Notify): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  const executeRaw = queryable.executeRaw.bind(queryable);
  queryable.queryRaw = (query) => {
    report(query.sql);
    return queryRaw(query);
  };
  queryable.executeRaw = (query) => {
    report(query.sql);
    return executeRaw(query);
  };
  return queryable;
}

function watchTransaction(tx: Transaction, report: Notify): Transaction {
  watchQueries(tx, report);
  // Without phantom queries Prisma sends COMMIT/ROLLBACK itself (reported above); with them
  // (the embedded database) the adapter ends the transaction when told to.
  if (tx.options.usePhantomQuery) {
    const commit = tx.commit.bind(tx);
    const rollback = tx.rollback.bind(tx);
    tx.commit = () => {
      report('COMMIT');
      return commit();
    };
    tx.rollback = () => {
      report('ROLLBACK');
      return rollback();
    };
  }
  return tx;
}

/** How many distinct statements are prepared (per connection) at most; later ones are parsed each time. */
const MAX_PREPARED = 500;

/**
 * Names for prepared statements, one per statement text: a connection parses and
 * plans a statement once and then only binds and runs it. Bounded, since statements with
 * lists (IN (…)) come in as many texts as list lengths.
 */
function statementNames() {
  const names = new Map<string, string>();
  // Undefined (an unnamed statement) is what the pg adapter passes when it has no generator.
  return (sql: string): string | undefined => {
    let name = names.get(sql);
    if (name === undefined && names.size < MAX_PREPARED) names.set(sql, (name = `s${names.size}`));
    return name;
  };
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (!options.databaseUrl) return openEmbedded(options.dataDir, options.sharedBuffers ?? EMBEDDED_SHARED_BUFFERS);
  // `?schema=name` picks the PostgreSQL schema, as Prisma users write it; pg must not see it.
  const url = new URL(options.databaseUrl);
  const schema = options.schema ?? url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  return openPostgres(url.toString(), schema, options.pool ?? POOL_DEFAULTS);
}

// Each kind of database loads only its own driver and adapter.

/**
 * The adapter passes its type parsers with every statement, and PGlite then copies its whole
 * table of parsers (over 300, one per array type) to merge them in: about 0.2 ms of CPU per
 * statement. Instead, the adapter's statements run without that option while the instance's
 * own table reads as the merged one, built once; every other statement sees PGlite's table.
 */
function adapterParsers(pglite: PGlite) {
  type Parsers = PGlite['parsers'];
  const own = pglite.parsers;
  const merged = new WeakMap<object, Parsers>();
  const current = new AsyncLocalStorage<Parsers>();
  Object.defineProperty(pglite, 'parsers', { get: () => current.getStore() ?? own, configurable: true });
  return (db: Pick<PGlite, 'query'>): PGlite['query'] =>
    (sql, params, options) => {
      if (!options?.parsers) return db.query(sql, params, options);
      const { parsers: extra, ...rest } = options;
      let parsers = merged.get(extra);
      if (!parsers) merged.set(extra, (parsers = { ...own, ...extra }));
      return current.run(parsers, () => db.query(sql, params, rest));
    };
}

type PGliteModule = typeof import('@electric-sql/pglite');
type PGliteResults = Awaited<ReturnType<PGlite['query']>>;

/**
 * Our own statements inside a unit of work, run as named prepared statements. PGlite's query()
 * parses, describes and plans every statement anew, in five exchanges with the database; a
 * statement prepared once is then bound and run in one, with its plan kept (on the embedded
 * database planning costs about as much as running). Only inside transactions: outside them,
 * query() also waits for an open transaction to end, which this does not. Undefined: a
 * statement past the bound on prepared statements, for query() to run.
 */
function preparedStatements(pglite: PGlite, { protocol, parse }: PGliteModule) {
  const { serialize } = protocol;
  const statementName = statementNames();
  const paramTypes = new Map<string, number[]>();
  /** One exchange: the messages, then Sync; the first error is thrown once the database is ready again. */
  const exchange = async (...messages: Uint8Array[]) => {
    const buffer = Buffer.concat([...messages, serialize.sync()]);
    const answers = await pglite.execProtocolStream(buffer, { throwOnError: false, syncToFs: false });
    const error = answers.find((m) => m instanceof protocol.messages.DatabaseError);
    if (error) throw error;
    return answers;
  };
  return (sql: Sql.Sql): Promise<PGliteResults> | undefined => {
    const name = statementName(sql.text);
    if (name === undefined) return undefined;
    return pglite.runExclusive(async () => {
      let types = paramTypes.get(name);
      if (!types) {
        const described = await exchange(serialize.parse({ name, text: sql.text }), serialize.describe({ type: 'S', name }));
        paramTypes.set(name, (types = parse.parseDescribeStatementResults(described)));
      }
      // Values serialised as query() does: by the type the statement gives each parameter.
      const values = sql.values.map((value, i) => {
        if (value === null || value === undefined) return null;
        const serializer = pglite.serializers[types[i]];
        return serializer ? serializer(value) : String(value);
      });
      const answers = await exchange(
        serialize.bind({ statement: name, values }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
      );
      return parse.parseResults(answers, pglite.parsers)[0];
    });
  };
}

async function openEmbedded(dataDir: string | undefined, sharedBuffers: string): Promise<Database> {
  const [pgliteModule, { PrismaPGlite }] = await Promise.all([import('@electric-sql/pglite'), import('pglite-prisma-adapter')]);
  const { PGlite } = pgliteModule;
  const options = { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`] };
  let pglite: PGlite;
  if (dataDir) {
    const dir = resolve(dataDir);
    // PGlite creates only the last folder of its path.
    await mkdir(resolve(dir, '..'), { recursive: true });
    pglite = await PGlite.create(dir, options);
  } else {
    pglite = await PGlite.create(options);
  }
  const conn: SqlConnection = {
    exec: async (sql) => {
      await pglite.exec(sql);
    },
    query: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
  };
  const prepared = preparedStatements(pglite, pgliteModule);
  const rawSql = (db: Pick<PGlite, 'query'>, report: Notify, inTransaction: boolean): RawSql => {
    const query = (sql: Sql.Sql) => {
      report(sql.text);
      return (inTransaction && prepared(sql)) || db.query(sql.text, sql.values);
    };
    return { rows: async (sql) => (await query(sql)).rows, run: async (sql) => (await query(sql)).affectedRows ?? 0 };
  };
  const adapterQuery = adapterParsers(pglite);
  const { prisma, watchStatements, report } = createClient((report) => {
    // The adapter's transactions, noted for our own statements in them (raw-sql.ts).
    const transaction: PGlite['transaction'] = (fn) =>
      pglite.transaction((tx) => {
        noteDriverTransaction(rawSql(tx, report, true));
        return fn(replacing(tx, { query: adapterQuery(tx) }));
      });
    return new PrismaPGlite(replacing(pglite, { transaction, query: adapterQuery(pglite) }));
  });
  registerRawSql(prisma, rawSql(pglite, report, false));
  const withConnection = <T>(fn: (c: SqlConnection) => Promise<T>) => fn(conn);
  return {
    kind: 'embedded',
    prisma,
    watchStatements,
    withConnection,
    migrate: async () => migrate(conn, await readMigrations()),
    ping: async () => {
      await pglite.query('SELECT 1');
    },
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

async function openPostgres(connectionString: string, schema: string | undefined, settings: PoolSettings): Promise<Database> {
  const [{ default: pg }, { PrismaPg }] = await Promise.all([import('pg'), import('@prisma/adapter-pg')]);
  const connection = {
    connectionString,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    // Raw connections (migrations) must see the same schema as Prisma.
    ...(schema ? { options: `-c search_path="${schema}"` } : {}),
  };
  const pool = new pg.Pool({
    ...connection,
    max: settings.size,
    idleTimeoutMillis: settings.idleTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    query_timeout: settings.statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS,
  });
  // An idle client's network error must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  pool.on('connect', dropWhenSilent);
  const statementName = statementNames();
  const prepared = (sql: Sql.Sql) => ({ name: statementName(sql.text), text: sql.text, values: sql.values });
  const rawSql = (client: pg.ClientBase, report: Notify): RawSql => ({
    rows: async (sql) => {
      report(sql.text);
      return (await client.query(prepared(sql))).rows;
    },
    run: async (sql) => {
      report(sql.text);
      return (await client.query(prepared(sql))).rowCount ?? 0;
    },
  });
  const { prisma, watchStatements, report } = createClient((report) => {
    // The adapter takes a connection for each transaction: noted for our own statements in it (raw-sql.ts).
    const connect = async () => {
      const client = await pool.connect();
      noteDriverTransaction(rawSql(client, report));
      return client;
    };
    return new PrismaPg(replacing(pool, { connect }), {
      ...(schema ? { schema } : {}),
      statementNameGenerator: (query) => statementName(query.sql) as string,
    });
  });
  /** One statement outside transactions, on a connection of the pool of its own. */
  const onPool = async <T>(fn: (client: pg.PoolClient) => Promise<T>, fallback: () => Promise<T>) => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      // Refused before the statement was sent (a network error, not a timeout): Prisma's own
      // attempt fails the same way at once, and reports it as it does for every other statement.
      if (typeof (err as { code?: unknown }).code === 'string') return fallback();
      throw err;
    }
    try {
      const result = await fn(client);
      client.release();
      return result;
    } catch (err) {
      // As pool.query does: a connection that failed a statement is not reused.
      client.release(err as Error);
      throw err;
    }
  };
  registerRawSql(prisma, {
    rows: (sql) =>
      onPool(
        (client) => rawSql(client, report).rows(sql),
        () => prisma.$queryRaw(sql),
      ),
    run: (sql) =>
      onPool(
        (client) => rawSql(client, report).run(sql),
        () => prisma.$executeRaw(sql),
      ),
  });
  const withConnection = async <T>(fn: (c: SqlConnection) => Promise<T>) => {
    const client = await pool.connect();
    try {
      return await fn(sqlConnection(client));
    } finally {
      client.release();
    }
  };
  return {
    kind: 'postgres',
    prisma,
    watchStatements,
    withConnection,
    // On a connection of its own, without the pool's statement limits: a migration may take
    // long, and so may waiting for another instance's migrations (the advisory lock).
    migrate: async () => {
      const client = new pg.Client(connection);
      await client.connect();
      try {
        return await migrate(sqlConnection(client), await readMigrations());
      } finally {
        await client.end();
      }
    },
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

function sqlConnection(client: pg.ClientBase): SqlConnection {
  return {
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <R>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as R[],
  };
}

/**
 * pg's query_timeout fails a statement the server never answers, but keeps the connection,
 * still inside whatever transaction it was in: once the server answers again, the next
 * borrower of that connection would carry on the failed request's transaction and could
 * commit its half. Closing the connection instead makes PostgreSQL roll it back.
 */
function dropWhenSilent(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const drop = (err: unknown) => {
    if (err instanceof Error && err.message === 'Query read timeout') void client.end().catch(() => {});
  };
  (client as { query: (...args: unknown[]) => unknown }).query = (...args) => {
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      args[args.length - 1] = (err: unknown, result: unknown) => {
        drop(err);
        callback(err, result);
      };
      return query(...args);
    }
    const result = query(...args);
    if (result instanceof Promise) result.catch(drop);
    return result;
  };
}
