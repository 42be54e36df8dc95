import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

// The hottest reads (the token of every request, the desk) are single hand-written statements.
// Outside a transaction they go to the driver directly: Prisma's request pipeline (its engine
// round, argument and result mapping) costs more than the statement itself. Inside one (a
// transaction client is never registered here) they go through Prisma, on the transaction's
// connection.
//
// What the drivers give back is what Prisma's $queryRaw gives for these columns: text and
// uuid as strings, integers as numbers, booleans, timestamptz as Date, json parsed. Statements
// read here must not return bigint, numeric or bytea columns (their shapes differ).

export type RawReader = (sql: Prisma.Sql) => Promise<unknown[]>;

const readers = new WeakMap<object, RawReader>();

/** Reads of `prisma` itself (not of its transactions) go through `reader`. */
export function registerRawReader(prisma: PrismaClient, reader: RawReader): void {
  readers.set(prisma, reader);
}

/** The rows of one read-only statement, through the driver when `db` is a top-level client. */
export function queryRows<T>(db: Pick<PrismaClient, '$queryRaw'>, sql: Prisma.Sql): Promise<T[]> {
  const reader = readers.get(db);
  return reader ? (reader(sql) as Promise<T[]>) : db.$queryRaw<T[]>(sql);
}
