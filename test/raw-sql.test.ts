import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.ts';
import { execute, queryRows, transactionWithDriver } from '../src/db/raw-sql.ts';
import { Prisma } from '../src/generated/prisma/client.ts';
import { DATABASES, freshDatabase, type TestDatabase } from './support/databases.ts';

// Hand-written statements of a unit of work run on the driver's transaction directly, past
// Prisma's request pipeline. They must read exactly as Prisma's $queryRaw reads, and be part
// of the very transaction Prisma runs the unit's other statements in.

const OPTIONS = { maxWait: 5_000, timeout: 10_000 };

// Every kind of column the hand-written statements return, nulls included.
const SHAPES = Prisma.sql`
  SELECT '2026-01-02T03:04:05.678Z'::timestamptz AS "at", NULL::timestamptz AS "never",
         ARRAY['2026-01-02T03:04:05.678Z'::timestamptz, NULL] AS "ats",
         '{"a": [1, "two", null]}'::json AS "json", '{"b": true}'::jsonb AS "jsonb",
         7::int AS "int", 'text' AS "text", true AS "yes", 'EXPECTED'::"VisitStatus" AS "status",
         '01a21780-3a8e-774d-98ac-8b816836de47'::uuid AS "uuid", ARRAY['x', 'y']::text[] AS "texts",
         ARRAY['01a21780-3a8e-774d-98ac-8b816836de47']::uuid[] AS "uuids", ${new Date('2026-05-06T07:08:09.010Z')}::timestamptz AS "param",
         ${[new Date('2026-05-06T07:08:09.010Z')]}::timestamptz[] AS "params", ${['p', 'q']}::text[] AS "list"`;

describe.each(DATABASES)('hand-written statements in a unit of work on %s', (kind) => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await freshDatabase(kind);
    db = await openDatabase(database.options);
    await db.migrate();
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it('read what $queryRaw reads, through the driver rather than through Prisma', async () => {
    const viaPrisma = await db.prisma.$transaction((tx) => tx.$queryRaw<Record<string, unknown>[]>(SHAPES));
    const viaDriver = await transactionWithDriver(db.prisma, (tx) => queryRows<Record<string, unknown>>(tx, SHAPES), OPTIONS);
    expect(viaDriver).toEqual(viaPrisma);
    expect(viaDriver[0].at).toEqual(new Date('2026-01-02T03:04:05.678Z'));
    // Prisma would wrap a failed statement in its own error: this one comes from the driver.
    const failure = await transactionWithDriver(
      db.prisma,
      (tx) => queryRows(tx, Prisma.sql`SELECT 1 / 0`).catch((err: Error) => err),
      OPTIONS,
    );
    expect(failure).not.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect(failure).toMatchObject({ code: '22012' });
    const viaPrismaFailure = await db.prisma.$transaction((tx) =>
      queryRows(tx, Prisma.sql`SELECT 1 / 0`).catch((err: Error) => err),
    );
    expect(viaPrismaFailure).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
  });

  it("read their own way while Prisma's statements run at the same time, in and out of transactions", async () => {
    // The embedded database parses Prisma's statements with the adapter's parsers and ours
    // with its own (database.ts): interleaved, each must still get its own.
    const [expected] = await db.prisma.$queryRaw<Record<string, unknown>[]>(SHAPES);
    const ours = () => queryRows<Record<string, unknown>>(db.prisma, SHAPES);
    const prismas = () => db.prisma.$queryRaw<Record<string, unknown>[]>(SHAPES);
    const inUnit = () =>
      transactionWithDriver(
        db.prisma,
        async (tx) => [...(await tx.$queryRaw<unknown[]>(SHAPES)), ...(await queryRows(tx, SHAPES))],
        OPTIONS,
      );
    const reads = await Promise.all(Array.from({ length: 8 }, () => [ours(), prismas(), inUnit()]).flat());
    for (const rows of reads) for (const row of rows) expect(row).toEqual(expected);
    expect(reads.flat()).toHaveLength(8 * 4);
  });

  it("are part of the transaction: they see its uncommitted rows, and commit and roll back with Prisma's", async () => {
    const company = (name: string) =>
      Prisma.sql`INSERT INTO "Company" ("id", "name", "updatedAt") VALUES (gen_random_uuid(), ${name}, now())`;
    const named = (name: string) => db.prisma.company.count({ where: { name } });

    await transactionWithDriver(
      db.prisma,
      async (tx) => {
        await tx.company.create({ data: { name: 'Seen Inside' } });
        expect(await queryRows(tx, Prisma.sql`SELECT "name" FROM "Company" WHERE "name" = 'Seen Inside'`)).toEqual([
          { name: 'Seen Inside' },
        ]);
        expect(await execute(tx, company('Kept'))).toBe(1);
      },
      OPTIONS,
    );
    expect(await named('Kept')).toBe(1);

    await expect(
      transactionWithDriver(
        db.prisma,
        async (tx) => {
          await execute(tx, company('Rolled Back'));
          await tx.company.create({ data: { name: 'Rolled Back Too' } });
          throw new Error('refused');
        },
        OPTIONS,
      ),
    ).rejects.toThrow('refused');
    expect(await named('Rolled Back')).toBe(0);
    expect(await named('Rolled Back Too')).toBe(0);
  });

  it('run on each transaction of its own when several units run at once', async () => {
    const names = Array.from({ length: 6 }, (_, i) => `Concurrent ${i}`);
    await Promise.all(
      names.map((name) =>
        transactionWithDriver(
          db.prisma,
          async (tx) => {
            await tx.company.create({ data: { name } });
            const seen = await queryRows<{ name: string }>(
              tx,
              Prisma.sql`SELECT "name" FROM "Company" WHERE "name" LIKE 'Concurrent %'`,
            );
            // Its own row is still uncommitted: only a statement on its own transaction sees it.
            expect(seen.map((r) => r.name)).toContain(name);
          },
          OPTIONS,
        ),
      ),
    );
    expect(await db.prisma.company.count({ where: { name: { startsWith: 'Concurrent ' } } })).toBe(6);
  });
});
