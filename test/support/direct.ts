import { createPubSub } from 'graphql-yoga';
import { runWork, type Work } from '../../src/core/unit-of-work.ts';
import { SYSTEM } from '../../src/modules/access/access.ts';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/db/database.ts';

// For tests that call domain code directly rather than through the API.

class RolledBack extends Error {
  constructor(readonly value: unknown) {
    super('rolled back');
  }
}

/**
 * Units of work by the system on a test database, at a fixed time, for calling domain code
 * directly: `run` commits; `rolledBack` gives what its function returned, then rolls back.
 */
export function unitsAt(db: () => Database, now: Date) {
  const run = <T>(fn: (work: Work) => Promise<T>) =>
    runWork({ prisma: db().prisma, clock: { now: () => now }, announcements: createPubSub() }, SYSTEM, fn);
  const rolledBack = async <T>(fn: (work: Work) => Promise<T>): Promise<T> => {
    const thrown = await run(async (work) => {
      throw new RolledBack(await fn(work));
    }).catch((err: unknown) => err);
    if (!(thrown instanceof RolledBack)) throw thrown;
    return thrown.value as T;
  };
  return { run, rolledBack };
}

/** A new property, and a user of a company flagged Auto-Create Visit, written with Prisma. */
export async function newVendor(db: () => Database, propertyName: string) {
  const { prisma } = db();
  const property = await prisma.property.create({ data: { name: `${propertyName} ${randomUUID()}`, timeZone: 'UTC' } });
  const company = await prisma.company.create({ data: { name: 'Fixers', autoCreateVisit: true } });
  const user = await prisma.user.create({
    data: { name: 'Fran', email: `fran-${randomUUID()}@example.com`, companyId: company.id },
  });
  return { property, company, user };
}
