import { cpSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { EMBEDDED_SHARED_BUFFERS } from '../../src/db/database.ts';
import pg from 'pg';

// Direct SQL for the benchmarks, on either database the real server supports: the
// embedded one (a PGlite data folder) or PostgreSQL (a private schema of DATABASE_URL).
// The hand-written server runs on it, and the benchmark uses it to bulk-insert, to count
// rows and to EXPLAIN while no server holds the database.

/** Where one server's data lives: a PGlite folder, or one schema of a PostgreSQL database. */
export type DbTarget = { kind: 'embedded'; dataDir: string } | { kind: 'postgres'; url: string; schema: string };

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Sql extends Queryable {
  /** Runs several statements without parameters (seeding scripts). */
  exec(sql: string): Promise<void>;
  /** One transaction on one connection; rolled back when `fn` throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The environment a server process needs to open `target` (the real server's and the hand-written one's). */
export function targetEnv(target: DbTarget): Record<string, string> {
  if (target.kind === 'embedded') return { DATA_DIR: target.dataDir };
  const url = new URL(target.url);
  url.searchParams.set('schema', target.schema);
  return { DATABASE_URL: url.toString() };
}

/** The inverse of targetEnv, for the hand-written server. */
export function targetFromEnv(env: NodeJS.ProcessEnv): DbTarget {
  if (env.DATABASE_URL) {
    const url = new URL(env.DATABASE_URL);
    const schema = url.searchParams.get('schema') ?? 'public';
    url.searchParams.delete('schema');
    return { kind: 'postgres', url: url.toString(), schema };
  }
  if (!env.DATA_DIR) throw new Error('DATA_DIR or DATABASE_URL is required');
  return { kind: 'embedded', dataDir: env.DATA_DIR };
}

export async function openSql(target: DbTarget): Promise<Sql> {
  return target.kind === 'embedded' ? openPglite(target.dataDir) : openPostgres(target.url, target.schema);
}

async function openPglite(dataDir: string): Promise<Sql> {
  // The same page cache as the real server's embedded database.
  const startParams = [...PGlite.defaultStartParams, '-c', `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`];
  const db = await PGlite.create(resolve(dataDir), { startParams });
  const query = async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows;
  return {
    query,
    exec: async (sql) => void (await db.exec(sql)),
    // PGlite runs one transaction at a time; others queue behind it.
    transaction: (fn) =>
      db.transaction((tx) => fn({ query: async (sql, params) => (await tx.query(sql, params)).rows as never })),
    close: () => db.close(),
  };
}

async function openPostgres(url: string, schema: string): Promise<Sql> {
  // The same pool settings as the real server (src/db/database.ts): 10 connections, the schema as search_path.
  const pool = new pg.Pool({ connectionString: url, max: 10, options: `-c search_path="${schema}"` });
  pool.on('error', () => {});
  const query = async <T>(sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows as T[];
  return {
    query,
    exec: async (sql) => void (await pool.query(sql)),
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const value = await fn({ query: async (sql, params) => (await client.query(sql, params)).rows });
        await client.query('COMMIT');
        return value;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** A fresh, empty place for a database next to `like` (a folder path under `dir`, or a new schema name). */
export function freshTarget(like: { databaseUrl?: string; dir: string }, name: string): DbTarget {
  if (!like.databaseUrl) return { kind: 'embedded', dataDir: resolve(like.dir, name) };
  const schema = `bench_${randomBytes(4).toString('hex')}_${name.replace(/\W/g, '_')}`;
  return { kind: 'postgres', url: like.databaseUrl, schema };
}

/** Tables in foreign-key order, for copying a schema row by row. */
const TABLES = [
  'Property',
  'Company',
  'User',
  'ApiToken',
  'RoleAssignment',
  'VisitorSettings',
  'WorkOrder',
  'Visit',
  'DeskStream',
  'DeskEvent',
  'AuditEvent',
  'IdempotencyKey',
];

/**
 * A copy of a prepared database, so that every measured server starts from the same rows
 * (write scenarios use up their pool of work orders). PGlite: a copy of the folder.
 * PostgreSQL: a new schema, migrated by the project's own migrations, with every row and
 * sequence position copied over.
 */
export async function copyTarget(source: DbTarget, name: string, dir: string): Promise<DbTarget> {
  if (source.kind === 'embedded') {
    const dataDir = resolve(dir, name);
    cpSync(source.dataDir, dataDir, { recursive: true });
    return { kind: 'embedded', dataDir };
  }
  const copy = freshTarget({ databaseUrl: source.url, dir }, name) as Extract<DbTarget, { kind: 'postgres' }>;
  await migrateSchema(copy);
  const sql = await openSql(copy);
  try {
    const enums = new Set(
      (
        await sql.query<{ typname: string }>(
          `SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 AND t.typtype = 'e'`,
          [source.schema],
        )
      ).map((t) => t.typname),
    );
    // Enum columns (and arrays of enums) are typed by each schema's own enum types: cast them across as text.
    const cast = (c: { column_name: string; data_type: string; udt_name: string }) => {
      if (c.data_type === 'USER-DEFINED') return `"${c.column_name}"::text::"${copy.schema}"."${c.udt_name}"`;
      if (c.data_type === 'ARRAY' && enums.has(c.udt_name.slice(1))) {
        return `"${c.column_name}"::text[]::"${copy.schema}"."${c.udt_name.slice(1)}"[]`;
      }
      return `"${c.column_name}"`;
    };
    for (const table of TABLES) {
      const columns = await sql.query<{ column_name: string; data_type: string; udt_name: string }>(
        `SELECT column_name, data_type, udt_name FROM information_schema.columns
         WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
        [source.schema, table],
      );
      const names = columns.map((c) => `"${c.column_name}"`).join(', ');
      const values = columns.map(cast).join(', ');
      await sql.query(`INSERT INTO "${copy.schema}"."${table}" (${names}) SELECT ${values} FROM "${source.schema}"."${table}"`);
    }
    const sequences = await sql.query<{ sequencename: string; last_value: string | null }>(
      `SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = $1`,
      [source.schema],
    );
    for (const s of sequences)
      if (s.last_value !== null) await sql.query(`SELECT setval($1, $2)`, [`"${copy.schema}"."${s.sequencename}"`, s.last_value]);
  } finally {
    await sql.close();
  }
  return copy;
}

/** Creates the schema of a PostgreSQL target and applies the project's migrations to it. */
export async function migrateSchema(target: Extract<DbTarget, { kind: 'postgres' }>): Promise<void> {
  const { openDatabase } = await import('../../src/db/database.ts');
  const admin = await openSql({ ...target, schema: 'public' });
  await admin.query(`CREATE SCHEMA IF NOT EXISTS "${target.schema}"`).finally(() => admin.close());
  const db = await openDatabase({ databaseUrl: target.url, schema: target.schema });
  await db.migrate().finally(() => db.close());
}

/** Removes a database made by freshTarget or copyTarget. */
export async function dropTarget(target: DbTarget): Promise<void> {
  if (target.kind === 'embedded') return rmSync(target.dataDir, { recursive: true, force: true });
  const admin = await openSql({ ...target, schema: 'public' });
  await admin.query(`DROP SCHEMA IF EXISTS "${target.schema}" CASCADE`).finally(() => admin.close());
}
