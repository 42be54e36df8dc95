import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { DeskChange, DeskEvent } from '../modules/desk/events.ts';
import { appendToDeskLog } from '../modules/desk/log.ts';
import type { Access } from '../modules/access/access.ts';
import { auditRows, fieldChanges, type AuditEntry, type AuditSource, type Entity, type Row } from './audit-trail.ts';
import type { Clock } from './clock.ts';

// One business change: its transaction, its moment, its actor, and what it records for
// others in that same transaction (desk changes, audit entries, revoked credentials).

export type Tx = Prisma.TransactionClient;

/** Who acts: a user through the API, or the system itself (userId null), e.g. the desk clock. */
export interface Actor {
  userId: string | null;
  access: Access;
}

/** Credentials whose open subscriptions must end once this unit commits. */
export interface Revocation {
  tokenIds: string[];
  userIds: string[];
}

export class Work {
  /** What the desks see of this change (modules/desk/recording.ts adds to it). */
  readonly deskChanges: DeskChange[] = [];
  readonly auditEntries: AuditEntry[] = [];
  readonly revoked: Revocation = { tokenIds: [], userIds: [] };

  constructor(
    readonly tx: Tx,
    readonly now: Date,
    readonly actor: Actor,
  ) {}

  get access(): Access {
    return this.actor.access;
  }

  /**
   * Records a change to one object in the audit trail (committed with the change). The
   * source is the actor's own (API, or SCHEDULER for the system) unless the integration acted.
   */
  audit(action: string, entity: Entity, before: Row | null, after: Row, source?: AuditSource): void {
    this.auditEntries.push({
      action,
      source: source ?? (this.actor.userId ? 'API' : 'SCHEDULER'),
      entityType: entity.type,
      entityId: entity.id,
      propertyId: entity.propertyId ?? null,
      changes: fieldChanges(before, after),
    });
  }
}

/**
 * A change ready to run in a unit of work. Commands return one once their input is
 * checked, so a refused input never opens a transaction.
 */
export type Change<T> = (work: Work) => Promise<T>;

export interface UnitOfWorkDeps {
  prisma: PrismaClient;
  clock: Clock;
  /** Called with the unit's events once its transaction has committed. */
  publish(events: DeskEvent[]): void;
  /** Called once the transaction has committed, when the unit revoked credentials. */
  revoke?(revocation: Revocation): void;
}

/**
 * Runs a change in one transaction, with its desk changes appended to the event log and
 * its audit entries to the audit trail in that same transaction, and publishes them only
 * after commit: a refused or failed change rolls back whole, log included, and publishes nothing.
 */
export async function runWork<T>(deps: UnitOfWorkDeps, actor: Actor, fn: (work: Work) => Promise<T>): Promise<T> {
  let events: DeskEvent[] = [];
  let revoked: Revocation | undefined;
  const result = await deps.prisma.$transaction(
    async (tx) => {
      const work = new Work(tx, deps.clock.now(), actor);
      const value = await fn(work);
      if (work.deskChanges.length > 0) events = await appendToDeskLog(tx, work.deskChanges);
      if (work.auditEntries.length > 0) {
        await tx.auditEvent.createMany({ data: auditRows(work.auditEntries, actor.userId, work.now) });
      }
      if (work.revoked.tokenIds.length + work.revoked.userIds.length > 0) revoked = work.revoked;
      return value;
    },
    // Embedded PGlite runs one transaction at a time: let queued ones wait their turn.
    { maxWait: 15_000, timeout: 30_000 },
  );
  if (events.length > 0) deps.publish(events);
  if (revoked) deps.revoke?.(revoked);
  return result;
}
