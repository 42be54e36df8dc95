import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Database, type DatabaseOptions } from '../../src/db/database.ts';

/** Every suite runs on embedded PGlite, and on PostgreSQL too when TEST_DATABASE_URL is set. */
export const DATABASES: Array<'pglite' | 'postgres'> = [
  'pglite',
  ...(process.env.TEST_DATABASE_URL ? (['postgres'] as const) : []),
];

export interface TestDatabase {
  options: DatabaseOptions;
  drop(): Promise<void>;
}

/** A fresh, empty database: in-memory PGlite, or a private schema on the PostgreSQL server. */
export async function freshDatabase(kind: 'pglite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'pglite') return { options: {}, drop: async () => {} };
  const url = process.env.TEST_DATABASE_URL!;
  const schema = `test_${randomBytes(6).toString('hex')}`;
  await adminQuery(url, `CREATE SCHEMA "${schema}"`);
  return {
    options: { databaseUrl: url, schema },
    drop: () => adminQuery(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`),
  };
}

/**
 * A fresh database, opened and migrated before the suite's tests and dropped after them;
 * the returned function gives it to the tests.
 */
export function migratedDatabaseForSuite(kind: 'pglite' | 'postgres'): () => Database {
  let database: TestDatabase | undefined;
  let db: Database | undefined;
  beforeAll(async () => {
    database = await freshDatabase(kind);
    db = await openDatabase(database.options);
    await db.migrate();
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });
  return () => {
    if (!db) throw new Error('The database opens before the suite runs its tests.');
    return db;
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
