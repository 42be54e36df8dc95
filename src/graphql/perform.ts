import { Prisma } from '../generated/prisma/client.ts';
import { DomainError, isUserError, type UserError } from '../core/errors.ts';
import { runWork, type Change } from '../core/unit-of-work.ts';
import type { Context } from './context.ts';

/** A mutation payload: the changed objects, or the reasons nothing changed. */
export type Payload<T> = Partial<T> & { userErrors: UserError[] };

/**
 * Runs one mutation on behalf of the viewer. `plan` decodes the ids and calls the domain
 * command, which checks the input, so a refused input never opens a transaction; the
 * change it returns then runs as one unit of work. Refusals become `userErrors` (the
 * transaction, if any, has rolled back); anything else is unexpected and left to the
 * server's error masking.
 */
export async function perform<T extends object>(ctx: Context, plan: () => Change<T>): Promise<Payload<T>> {
  try {
    const change = plan();
    const value = await runWork(
      {
        prisma: ctx.prisma,
        clock: ctx.clock,
        announcements: ctx.announcements,
        revoke: (revocation) => ctx.accessWatch.announce(revocation),
      },
      { userId: ctx.viewer.id, access: ctx.access },
      change,
    );
    return { ...value, userErrors: [] };
  } catch (err) {
    if (err instanceof DomainError && err.errors.every(isUserError)) return { userErrors: err.errors } as Payload<T>;
    // PostgreSQL broke a deadlock or a serialization conflict: nothing was written.
    if (isConcurrencyConflict(err)) {
      return {
        userErrors: [
          {
            code: 'CONFLICT',
            message: 'Another change to the same records happened at the same moment; try again.',
            field: null,
          },
        ],
      } as Payload<T>;
    }
    throw err;
  }
}

/** A change whose result is the payload's `key` field, e.g. `{ visit }`. */
export function into<K extends string, T>(key: K, change: Change<T>): Change<Record<K, T>> {
  return async (work) => ({ [key]: await change(work) }) as Record<K, T>;
}

/** SQLSTATE of a serialization failure and of a broken deadlock. */
const CONFLICT_STATES = new Set(['40001', '40P01']);

/**
 * Whether the database rolled the transaction back because of a concurrent one. Prisma
 * maps serialization failures to P2034 but passes a deadlock through as the driver's error;
 * our own statements (db/raw-sql.ts) fail with the driver's error itself.
 */
function isConcurrencyConflict(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2034') return true;
  for (let e = err as { cause?: unknown; meta?: { driverAdapterError?: unknown } } | undefined; e;) {
    const { originalCode, code } = e as { originalCode?: unknown; code?: unknown };
    if ([originalCode, code].some((c) => typeof c === 'string' && CONFLICT_STATES.has(c))) return true;
    e = (e.cause ?? e.meta?.driverAdapterError) as typeof e;
  }
  return false;
}
