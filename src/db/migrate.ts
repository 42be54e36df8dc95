import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** One dedicated connection: migrations need BEGIN/COMMIT and a session-level lock. */
export interface SqlConnection {
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations/', import.meta.url));

// Any constant: every instance must agree on it.
const LOCK_KEY = 7_240_513_811;

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(`${dir}/${name}/migration.sql`, 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

export class MigrationError extends Error {}

/**
 * Applies pending migrations in order, each in its own transaction, recorded in
 * `_migrations`. A session advisory lock makes instances that start together apply
 * each file once; the others wait, then find nothing to do.
 * Returns the names applied by this call.
 */
export async function migrate(conn: SqlConnection, migrations: Migration[]): Promise<string[]> {
  await conn.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
  try {
    await conn.exec(`CREATE TABLE IF NOT EXISTS "_migrations" (
      "name" TEXT PRIMARY KEY,
      "checksum" TEXT NOT NULL,
      "appliedAt" TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const rows = await conn.query<{ name: string; checksum: string }>('SELECT "name", "checksum" FROM "_migrations"');
    const applied = new Map(rows.map((r) => [r.name, r.checksum]));
    for (const [name, checksum] of applied) {
      const known = migrations.find((m) => m.name === name);
      if (!known)
        throw new MigrationError(
          `The database has migration ${name}, which this version does not know: it was made by a newer version.`,
        );
      if (known.checksum !== checksum)
        throw new MigrationError(`Migration ${name} was changed after it was applied; restore its original migration.sql.`);
    }
    const done: string[] = [];
    for (const m of migrations.filter((m) => !applied.has(m.name))) {
      await conn.exec('BEGIN');
      try {
        await conn.exec(m.sql);
        await conn.query('INSERT INTO "_migrations" ("name", "checksum") VALUES ($1, $2)', [m.name, m.checksum]);
        await conn.exec('COMMIT');
      } catch (err) {
        await conn.exec('ROLLBACK');
        throw new MigrationError(`Migration ${m.name} failed: ${(err as Error).message}`);
      }
      done.push(m.name);
    }
    return done;
  } finally {
    await conn.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
  }
}
