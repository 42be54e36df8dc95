import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { DeskChange, DeskEvent } from '../events/desk-events.ts';
import { appendToDeskLog } from '../events/desk-log.ts';
import { deskChange, deskWindow, withinWindow, type DeskVisit, type DeskWindow } from './desk.ts';
import { refuse } from './errors.ts';

export type Tx = Prisma.TransactionClient;

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Who acts: a user through the API, or the system itself (userId null), e.g. the desk clock. */
export interface Actor {
  userId: string | null;
}

export const SYSTEM: Actor = { userId: null };

/** One business change: its transaction, its moment, its actor, and the desk changes it causes. */
export class Work {
  readonly deskChanges: DeskChange[] = [];
  private readonly windows = new Map<string, Promise<DeskWindow>>();

  constructor(
    readonly tx: Tx,
    readonly now: Date,
    readonly actor: Actor,
  ) {}

  /** The desk window of a property at this unit's moment (read once per property). */
  deskWindow(propertyId: string): Promise<DeskWindow> {
    let window = this.windows.get(propertyId);
    if (!window) {
      window = this.tx.property
        .findUniqueOrThrow({ where: { id: propertyId }, select: { deskLookBehindMinutes: true, deskLookAheadMinutes: true } })
        .then((p) => deskWindow(p, this.now));
      this.windows.set(propertyId, window);
    }
    return window;
  }

  /** Whether a visit expected at `expectedArrival` is inside its property's desk window now. */
  async inDeskWindow(propertyId: string, expectedArrival: Date): Promise<boolean> {
    return withinWindow(expectedArrival, await this.deskWindow(propertyId));
  }

  /** Records what the desk of the visit's property sees of this change, if anything. */
  visitChanged(before: DeskVisit | null, after: DeskVisit & { id: string; propertyId: string }): void {
    const kind = deskChange(before, after);
    // One change may touch a visit twice (a reschedule and a new title): the desk needs
    // to hear "updated" only when nothing else was said about the visit in this unit.
    if (kind === 'VISIT_UPDATED' && this.deskChanges.some((e) => e.visitId === after.id)) return;
    if (kind) this.deskChanges.push({ kind, propertyId: after.propertyId, visitId: after.id, occurredAt: this.now });
  }

  /**
   * Takes the row lock of a work order for the rest of the transaction. Every change that
   * touches a work order and its visits locks the work order first, then its visits, so
   * concurrent changes queue instead of deadlocking or interleaving.
   */
  async lockWorkOrder(id: string): Promise<void> {
    await this.tx.$executeRaw`SELECT 1 FROM "WorkOrder" WHERE "id" = ${id}::uuid FOR UPDATE`;
  }

  async lockVisit(id: string): Promise<void> {
    await this.tx.$executeRaw`SELECT 1 FROM "Visit" WHERE "id" = ${id}::uuid FOR UPDATE`;
  }
}

export interface UnitOfWorkDeps {
  prisma: PrismaClient;
  clock: Clock;
  /** Called with the unit's events once its transaction has committed. */
  publish(events: DeskEvent[]): void;
}

/**
 * Runs a change in one transaction, with its desk changes appended to the event log in
 * that same transaction, and publishes them only after commit: a refused or failed
 * change rolls back whole, log included, and publishes nothing.
 */
export async function runWork<T>(deps: UnitOfWorkDeps, actor: Actor, fn: (work: Work) => Promise<T>): Promise<T> {
  let events: DeskEvent[] = [];
  const result = await deps.prisma.$transaction(
    async (tx) => {
      const work = new Work(tx, deps.clock.now(), actor);
      const value = await fn(work);
      if (work.deskChanges.length > 0) events = await appendToDeskLog(tx, work.deskChanges);
      return value;
    },
    // Embedded PGlite runs one transaction at a time: let queued ones wait their turn.
    { maxWait: 15_000, timeout: 30_000 },
  );
  if (events.length > 0) deps.publish(events);
  return result;
}

/** Loads a row by id or refuses with NOT_FOUND at the given field. */
export async function found<T>(row: Promise<T | null>, field: string[], what: string): Promise<T> {
  const value = await row;
  if (value === null) refuse('NOT_FOUND', `No ${what} exists with this id; check the id and try again.`, field);
  return value;
}
