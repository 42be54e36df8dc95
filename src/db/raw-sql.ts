import { AsyncLocalStorage } from 'node:async_hooks';
import { ColumnTypeEnum, type ArgType, type SqlQuery, type SqlQueryable, type SqlResultSet } from '@prisma/driver-adapter-utils';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

// Hand-written statements (the token of every request, the desk read, and the statements a
// unit of work writes its logs, audit rows and outbox with) go to the driver directly:
// Prisma's request pipeline (its engine round, argument and result mapping) costs more than
// such a statement itself. Outside a transaction they run on the driver's pool (or the
// embedded database); inside a transaction opened with `transactionWithDriver`, on the very
// driver transaction Prisma runs that transaction's other statements on. Anywhere else they
// go through Prisma.
//
// What comes back is what Prisma's $queryRaw gives for these columns: text and uuid as
// strings, integers as numbers, booleans, timestamptz as Date, json parsed. Statements run
// here must not return bigint, numeric or bytea columns (their shapes differ).

export type RawReader = (sql: Prisma.Sql) => Promise<unknown[]>;

const readers = new WeakMap<object, RawReader>();
const drivers = new WeakMap<object, SqlQueryable>();

/** Reads of `prisma` itself (not of its transactions) go through `reader`. */
export function registerRawReader(prisma: PrismaClient, reader: RawReader): void {
  readers.set(prisma, reader);
}

type Db = Pick<PrismaClient, '$queryRaw' | '$executeRaw'> | Prisma.TransactionClient;

/** The rows of one statement, through the driver where `db` has one. */
export function queryRows<T>(db: Pick<Db, '$queryRaw'>, sql: Prisma.Sql): Promise<T[]> {
  const driver = drivers.get(db);
  if (driver) return driver.queryRaw(driverQuery(sql)).then((result) => objects(result) as T[]);
  const reader = readers.get(db);
  return reader ? (reader(sql) as Promise<T[]>) : db.$queryRaw<T[]>(sql);
}

/** Runs one statement that returns no rows; the number of rows it changed. */
export function execute(db: Pick<Db, '$executeRaw'>, sql: Prisma.Sql): Promise<number> {
  const driver = drivers.get(db);
  return driver ? driver.executeRaw(driverQuery(sql)) : db.$executeRaw(sql);
}

/** Where a driver transaction Prisma starts is noted, for the `transactionWithDriver` call that asked for it. */
const opening = new AsyncLocalStorage<{ driver?: SqlQueryable }>();

/** Called by the database layer with each driver transaction it starts for Prisma. */
export function noteDriverTransaction(driver: SqlQueryable): void {
  const slot = opening.getStore();
  if (slot && !slot.driver) slot.driver = driver;
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
  const slot: { driver?: SqlQueryable } = {};
  return opening.run(slot, () =>
    prisma.$transaction((tx) => {
      if (slot.driver) drivers.set(tx, slot.driver);
      return fn(tx);
    }, options),
  );
}

/** Drivers convert Date arguments (and lists of them) only when told the argument is a date. */
const DATE: ArgType = { scalarType: 'datetime', arity: 'scalar' };
const DATES: ArgType = { scalarType: 'datetime', arity: 'list' };
const OTHER: ArgType = { scalarType: 'unknown', arity: 'scalar' };
const LIST: ArgType = { scalarType: 'unknown', arity: 'list' };

function argType(value: unknown): ArgType {
  if (value instanceof Date) return DATE;
  if (Array.isArray(value)) return value.some((v) => v instanceof Date) ? DATES : LIST;
  return OTHER;
}

const driverQuery = (sql: Prisma.Sql): SqlQuery => ({ sql: sql.text, args: sql.values, argTypes: sql.values.map(argType) });

/** Driver rows (arrays of text-normalised values) as $queryRaw's objects. */
function objects({ columnNames, columnTypes, rows }: SqlResultSet): Record<string, unknown>[] {
  return rows.map((row) => {
    const object: Record<string, unknown> = {};
    for (let i = 0; i < columnNames.length; i++) object[columnNames[i]] = fromDriver(row[i], columnTypes[i]);
    return object;
  });
}

function fromDriver(value: unknown, type: number): unknown {
  if (value === null) return null;
  switch (type) {
    case ColumnTypeEnum.DateTime:
      return new Date(value as string);
    case ColumnTypeEnum.DateTimeArray:
      return (value as (string | null)[]).map((v) => (v === null ? null : new Date(v)));
    case ColumnTypeEnum.Json:
      return typeof value === 'string' ? JSON.parse(value) : value;
    default:
      return value;
  }
}
