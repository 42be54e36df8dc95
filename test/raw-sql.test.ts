import { describe, expect, it } from 'vitest';
import { execute, queryRows, transactionWithDriver } from '../src/db/raw-sql.ts';
import { createPubSub } from 'graphql-yoga';
import { Prisma } from '../src/generated/prisma/client.ts';
import { runWork } from '../src/core/unit-of-work.ts';
import { SYSTEM } from '../src/modules/access/access.ts';
import { recordDeskEvent } from '../src/modules/desk/recording.ts';
import type { Announcements } from '../src/core/announcements.ts';
import { DATABASES, migratedDatabaseForSuite } from './support/databases.ts';

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
  const db = migratedDatabaseForSuite(kind);

  it('read what $queryRaw reads, through the driver rather than through Prisma', async () => {
    const viaPrisma = await db().prisma.$transaction((tx) => tx.$queryRaw<Record<string, unknown>[]>(SHAPES));
    const viaDriver = await transactionWithDriver(db().prisma, (tx) => queryRows<Record<string, unknown>>(tx, SHAPES), OPTIONS);
    expect(viaDriver).toEqual(viaPrisma);
    expect(viaDriver[0].at).toEqual(new Date('2026-01-02T03:04:05.678Z'));
    // Prisma would wrap a failed statement in its own error: this one comes from the driver.
    const failure = await transactionWithDriver(
      db().prisma,
      (tx) => queryRows(tx, Prisma.sql`SELECT 1 / 0`).catch((err: Error) => err),
      OPTIONS,
    );
    expect(failure).not.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect(failure).toMatchObject({ code: '22012' });
    const viaPrismaFailure = await db().prisma.$transaction((tx) =>
      queryRows(tx, Prisma.sql`SELECT 1 / 0`).catch((err: Error) => err),
    );
    expect(viaPrismaFailure).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
  });

  it("read their own way while Prisma's statements run at the same time, in and out of transactions", async () => {
    // The embedded database parses Prisma's statements with the adapter's parsers and ours
    // with its own (database.ts): interleaved, each must still get its own.
    const [expected] = await db().prisma.$queryRaw<Record<string, unknown>[]>(SHAPES);
    const ours = () => queryRows<Record<string, unknown>>(db().prisma, SHAPES);
    const prismas = () => db().prisma.$queryRaw<Record<string, unknown>[]>(SHAPES);
    const inUnit = () =>
      transactionWithDriver(
        db().prisma,
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
    const named = (name: string) => db().prisma.company.count({ where: { name } });

    await transactionWithDriver(
      db().prisma,
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
        db().prisma,
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
          db().prisma,
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
    expect(await db().prisma.company.count({ where: { name: { startsWith: 'Concurrent ' } } })).toBe(6);
  });

  it("record a unit's desk events of several properties, and its audit entries, in one statement", async () => {
    const [a, b] = await Promise.all(
      ['Closing A', 'Closing B'].map((name) => db().prisma.property.create({ data: { name, timeZone: 'UTC' } })),
    );
    const visit = (propertyId: string) =>
      db().prisma.visit.create({ data: { propertyId, visitorName: 'Pat', expectedArrival: new Date() } });
    const [a1, a2, b1] = await Promise.all([visit(a.id), visit(a.id), visit(b.id)]);
    await db().prisma.deskStream.create({ data: { propertyId: a.id, lastSeq: 5 } });
    const announcements: Announcements = createPubSub();
    const heard = new Map<string, number>();
    for (const id of [a.id, b.id]) {
      void (async () => {
        for await (const { seq } of announcements.subscribe('deskLogGrew', id)) heard.set(id, seq);
      })();
    }
    const statements: string[] = [];
    const stop = db().watchStatements((sql) => statements.push(sql));
    await runWork({ prisma: db().prisma, clock: { now: () => new Date() }, announcements }, SYSTEM, async (work) => {
      for (const v of [a1, b1, a2]) recordDeskEvent(work, 'VISIT_OVERDUE', v);
      work.audit('visit.overdue', { type: 'Visit', id: a1.id, propertyId: a.id }, null, { status: 'EXPECTED' });
    });
    stop();
    // The events and the audit entry in one statement, then the commit.
    expect(statements.filter((sql) => /^\s*(WITH|SELECT|INSERT)/.test(sql))).toHaveLength(1);
    const events = await db().prisma.deskEvent.findMany({
      where: { propertyId: { in: [a.id, b.id] } },
      orderBy: [{ propertyId: 'asc' }, { seq: 'asc' }],
      select: { propertyId: true, seq: true, visitId: true },
    });
    expect(events.filter((e) => e.propertyId === a.id)).toEqual([
      { propertyId: a.id, seq: 6, visitId: a1.id },
      { propertyId: a.id, seq: 7, visitId: a2.id },
    ]);
    expect(events.filter((e) => e.propertyId === b.id)).toEqual([{ propertyId: b.id, seq: 1, visitId: b1.id }]);
    expect(
      await db().prisma.deskStream.findMany({
        where: { propertyId: { in: [a.id, b.id] } },
        select: { propertyId: true, lastSeq: true },
      }),
    ).toEqual(
      expect.arrayContaining([
        { propertyId: a.id, lastSeq: 7 },
        { propertyId: b.id, lastSeq: 1 },
      ]),
    );
    expect(await db().prisma.auditEvent.count({ where: { entityId: a1.id, action: 'visit.overdue' } })).toBe(1);
    await expect.poll(() => Object.fromEntries(heard)).toEqual({ [a.id]: 7, [b.id]: 1 });
  });
});

// PostgreSQL prepares them through pg's named statements; PGlite through its protocol, in database.ts.
describe('hand-written statements in a unit of work on the embedded database', () => {
  const db = migratedDatabaseForSuite('pglite');

  it('run as statements prepared once, also after one failed', async () => {
    const halve = (n: number) => Prisma.sql`SELECT 10 / ${n}::int AS "half", ${`call ${n}`} AS "label"`;
    const inUnit = (n: number) => transactionWithDriver(db().prisma, (tx) => queryRows(tx, halve(n)), OPTIONS);
    expect(await inUnit(5)).toEqual([{ half: 2, label: 'call 5' }]);
    // A statement that fails rolls its unit back; the database is ready for the next one.
    await expect(inUnit(0)).rejects.toMatchObject({ code: '22012' });
    expect(await inUnit(2)).toEqual([{ half: 5, label: 'call 2' }]);
    const prepared = await queryRows<{ parameters: string[] }>(
      db().prisma,
      Prisma.sql`SELECT parameter_types::text[] AS "parameters" FROM pg_prepared_statements WHERE statement = ${halve(0).text}`,
    );
    expect(prepared).toEqual([{ parameters: ['integer', 'text'] }]);
  });
});
