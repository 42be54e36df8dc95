import { AsyncLocalStorage } from 'node:async_hooks';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';

// Hand-written statements (the token of every request, the desk read, and the statements a
// unit of work locks, logs, audits and queues with) go to the driver directly: Prisma's
// request pipeline (its engine round, argument and result mapping, the adapter's value
// normalisation) costs more than such a statement itself. Outside a transaction they run on
// the driver's pool (or the embedded database); inside a transaction opened with
// `transactionWithDriver`, on the very connection (or embedded transaction) Prisma runs that
// transaction's other statements on. Anywhere else they go through Prisma.
//
// What the drivers give back is what Prisma's $queryRaw gives for these columns: text and
// uuid as strings, integers as numbers, booleans, timestamptz as Date, json parsed. Statements
// run here must not return bigint, numeric or bytea columns (their shapes differ).

/** One way of running statements on the driver: on its pool, or on one transaction's connection. */
export interface RawSql {
  rows(sql: Prisma.Sql): Promise<unknown[]>;
  /** Runs a statement; the number of rows it changed. */
  run(sql: Prisma.Sql): Promise<number>;
}

const direct = new WeakMap<object, RawSql>();

/** Statements of `prisma` itself (not of its transactions) go through `raw`. */
export function registerRawSql(prisma: PrismaClient, raw: RawSql): void {
  direct.set(prisma, raw);
}

type Db = Pick<PrismaClient, '$queryRaw' | '$executeRaw'> | Prisma.TransactionClient;

/** The rows of one statement, through the driver where `db` has one. */
export function queryRows<T>(db: Pick<Db, '$queryRaw'>, sql: Prisma.Sql): Promise<T[]> {
  const raw = direct.get(db);
  return raw ? (raw.rows(sql) as Promise<T[]>) : db.$queryRaw<T[]>(sql);
}

/** Runs one statement whose rows are not needed; the number of rows it changed. */
export function execute(db: Pick<Db, '$executeRaw'>, sql: Prisma.Sql): Promise<number> {
  const raw = direct.get(db);
  return raw ? raw.run(sql) : db.$executeRaw(sql);
}

/** Part of a statement made of several: common table expressions it runs, and a value it answers. */
export interface SqlPart<T> {
  with: Prisma.Sql[];
  answer?: Prisma.Sql;
  read(answer: unknown): T;
}

/**
 * Runs parts as one statement, their expressions in order and every answer in its one row:
 * one round trip (and on the embedded database one plan) instead of one per part. The parts
 * must not depend on each other's writes, which one statement does not see.
 */
export async function runTogether<T extends unknown[]>(
  db: Pick<Db, '$queryRaw'>,
  parts: { [K in keyof T]: SqlPart<T[K]> },
): Promise<T> {
  const ctes = parts.flatMap((part) => part.with);
  const answers = parts.map((part, i) => Prisma.sql`${part.answer ?? Prisma.sql`NULL`} AS ${Prisma.raw(`"a${i}"`)}`);
  const [row] = await queryRows<Record<string, unknown>>(
    db,
    Prisma.sql`${ctes.length > 0 ? Prisma.sql`WITH ${Prisma.join(ctes, ', ')} ` : Prisma.empty}SELECT ${Prisma.join(answers, ', ')}`,
  );
  return parts.map((part, i) => part.read(row[`a${i}`])) as T;
}

/** The transaction the driver opens for Prisma within a `transactionWithDriver` call. */
const opening = new AsyncLocalStorage<{ raw?: RawSql }>();

/** Called by the database layer with each transaction the driver opens for Prisma. */
export function noteDriverTransaction(raw: RawSql): void {
  const slot = opening.getStore();
  if (slot && !slot.raw) slot.raw = raw;
}

/**
 * prisma.$transaction, whose transaction client runs the statements of `queryRows` and
 * `execute` on the driver's transaction directly.
 */
export function transactionWithDriver<T>(
  prisma: PrismaClient,
  fn: (tx: Prisma.TransactionClient) => Promise<T>,
  options: { maxWait: number; timeout: number },
): Promise<T> {
  const slot: { raw?: RawSql } = {};
  return opening.run(slot, () =>
    prisma.$transaction((tx) => {
      if (slot.raw) direct.set(tx, slot.raw);
      return fn(tx);
    }, options),
  );
}
