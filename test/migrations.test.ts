import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrate, readMigrations, type Migration } from '../src/db/migrate.ts';
import { DATABASES, freshDatabase, type TestDatabase } from './support/databases.ts';
import { diffSchemas } from '../scripts/schema-diff.mjs';

// The committed migrations must build exactly the database prisma/schema.prisma describes:
// one database is migrated, another is built from the schema itself, and their catalogs
// are compared.

let cachedSchemaSql: Promise<string> | undefined;

/** The SQL that builds prisma/schema.prisma from nothing (the schema engine takes seconds: once per file). */
function schemaSql(): Promise<string> {
  return (cachedSchemaSql ??= diffSchemas(null, 'prisma/schema.prisma').then((sql) =>
    sql.replace(/CREATE SCHEMA IF NOT EXISTS "public";/, ''),
  ));
}

/**
 * What the migrations add on purpose beyond what Prisma's schema language can say; the
 * database built from the schema gets them too before the catalogs are compared.
 */
const HAND_WRITTEN = `
  DROP INDEX "RoleAssignment_userId_role_propertyId_key";
  CREATE UNIQUE INDEX "RoleAssignment_userId_role_propertyId_key" ON "RoleAssignment"("userId", "role", "propertyId") NULLS NOT DISTINCT;
  ALTER TABLE "RoleAssignment" ADD CONSTRAINT "RoleAssignment_property_matches_role"
    CHECK (("role" IN ('PROPERTY_MANAGER', 'DESK')) = ("propertyId" IS NOT NULL));
  CREATE FUNCTION "audit_event_is_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION 'append-only'; END; $$;
  CREATE TRIGGER "AuditEvent_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "AuditEvent"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_is_append_only"();
`;

/** Everything about the current schema that the application depends on, in a stable order. */
async function catalog(db: Database): Promise<unknown> {
  const q = (sql: string) => db.withConnection((conn) => conn.query<Record<string, unknown>>(sql));
  const columns = await q(`
    SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length, datetime_precision
    FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name <> '_migrations'
    ORDER BY table_name, column_name`);
  const indexes = await q(`
    SELECT tablename, indexname, regexp_replace(indexdef, ' ON \\S+\\.', ' ON ') AS indexdef
    FROM pg_indexes WHERE schemaname = current_schema() AND tablename <> '_migrations'
    ORDER BY tablename, indexname`);
  const constraints = await q(`
    SELECT c.conrelid::regclass::text AS table_name, c.conname, c.contype::text, pg_get_constraintdef(c.oid) AS definition
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
    WHERE n.nspname = current_schema() AND c.conrelid::regclass::text NOT LIKE '%_migrations'
    ORDER BY 1, 2`);
  const enums = await q(`
    SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = current_schema() GROUP BY t.typname ORDER BY t.typname`);
  const triggers = await q(`
    SELECT c.relname AS table_name, t.tgname, t.tgtype, p.proname
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND NOT t.tgisinternal ORDER BY 1, 2`);
  return { columns, indexes, constraints, enums, triggers };
}

describe.each(DATABASES)('migrations on %s', (kind) => {
  const opened: Array<{ db: Database; test: TestDatabase }> = [];
  let migrations: Migration[];

  async function open() {
    const test = await freshDatabase(kind);
    const db = await openDatabase(test.options);
    opened.push({ db, test });
    return db;
  }

  beforeAll(async () => {
    migrations = await readMigrations();
  });
  afterAll(async () => {
    for (const { db, test } of opened) {
      await db.close();
      await test.drop();
    }
  });

  it('produce exactly the schema in prisma/schema.prisma', async () => {
    const migrated = await open();
    expect(await migrated.migrate()).toEqual(migrations.map((m) => m.name));
    const fromSchema = await open();
    const sql = await schemaSql();
    await fromSchema.withConnection((conn) => conn.exec(sql + HAND_WRITTEN));
    const expected = await catalog(fromSchema);
    expect((expected as { columns: unknown[] }).columns.length).toBeGreaterThan(30);
    expect(await catalog(migrated)).toEqual(expected);
  }, 60_000);

  it('apply once and record what they applied; a second run applies nothing', async () => {
    const db = await open();
    expect(await db.migrate()).toHaveLength(migrations.length);
    expect(await db.migrate()).toEqual([]);
    const rows = await db.withConnection((conn) =>
      conn.query<{ name: string }>('SELECT "name" FROM "_migrations" ORDER BY "name"'),
    );
    expect(rows.map((r) => r.name)).toEqual(migrations.map((m) => m.name));
  });

  it('refuse to start when an applied migration was edited afterwards', async () => {
    const db = await open();
    await db.migrate();
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
    await expect(db.withConnection((conn) => migrate(conn, edited))).rejects.toThrow(/was changed after it was applied/);
  });
});
