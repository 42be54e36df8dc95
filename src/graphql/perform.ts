import { Prisma } from '../generated/prisma/client.ts';
import { DomainError, type UserError } from '../core/errors.ts';
import { runWork, type Work } from '../core/unit-of-work.ts';
import type { Context } from './context.ts';

/** A mutation payload: the changed objects, or the reasons nothing changed. */
export type Payload<T> = Partial<T> & { userErrors: UserError[] };

/**
 * Runs one mutation as a unit of work on behalf of the viewer. Refusals become
 * `userErrors` (the transaction has rolled back); anything else is unexpected and
 * left to the server's error masking.
 */
export async function perform<T extends object>(ctx: Context, fn: (work: Work) => Promise<T>): Promise<Payload<T>> {
  try {
    const value = await runWork(
      {
        prisma: ctx.prisma,
        clock: ctx.clock,
        publish: (events) => ctx.desk.announce(events),
        revoke: (revocation) => ctx.accessWatch.announce(revocation),
      },
      { userId: ctx.viewer.id, access: ctx.access },
      fn,
    );
    return { ...value, userErrors: [] };
  } catch (err) {
    if (err instanceof DomainError) return { userErrors: err.errors } as Payload<T>;
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

/** SQLSTATE of a serialization failure and of a broken deadlock. */
const CONFLICT_STATES = new Set(['40001', '40P01']);

/**
 * Whether the database rolled the transaction back because of a concurrent one. Prisma
 * maps serialization failures to P2034 but passes a deadlock through as the driver's error.
 */
function isConcurrencyConflict(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2034') return true;
  for (let e = err as { cause?: unknown; meta?: { driverAdapterError?: unknown } } | undefined; e;) {
    const code = (e as { originalCode?: unknown }).originalCode;
    if (typeof code === 'string' && CONFLICT_STATES.has(code)) return true;
    e = (e.cause ?? e.meta?.driverAdapterError) as typeof e;
  }
  return false;
}
