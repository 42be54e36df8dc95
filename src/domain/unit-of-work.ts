import type { Prisma, PrismaClient, Visit, WorkOrder } from '../generated/prisma/client.ts';
import { prismaRow } from '../db/json-rows.ts';
import type { DeskChange, DeskEvent } from '../modules/desk/events.ts';
import { appendToDeskLog } from '../modules/desk/log.ts';
import {
  deskChange,
  deskWindow,
  withinWindow,
  type DeskVisit,
  type DeskWindow,
  type DeskWindowSettings,
} from '../modules/desk/rules.ts';
import { refuse } from './errors.ts';
import { SYSTEM_ACCESS, type Access } from './access.ts';
import { auditRows, fieldChanges, type AuditEntry, type AuditSource, type EntityType, type Row } from './audit.ts';

export type Tx = Prisma.TransactionClient;

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Who acts: a user through the API, or the system itself (userId null), e.g. the desk clock. */
export interface Actor {
  userId: string | null;
  access: Access;
}

export const SYSTEM: Actor = { userId: null, access: SYSTEM_ACCESS };

/** What an audit entry is about. */
export interface Entity {
  type: EntityType;
  id: string;
  propertyId?: string | null;
}

/** One business change: its transaction, its moment, its actor, and the desk changes it causes. */
/** Credentials whose open subscriptions must end once this unit commits. */
export interface Revocation {
  tokenIds: string[];
  userIds: string[];
}

export class Work {
  readonly deskChanges: DeskChange[] = [];
  readonly auditEntries: AuditEntry[] = [];
  readonly revoked: Revocation = { tokenIds: [], userIds: [] };
  private readonly windows = new Map<string, Promise<DeskWindow>>();

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

  /** The desk window of a property at this unit's moment (read once per property). */
  deskWindow(propertyId: string): Promise<DeskWindow> {
    let window = this.windows.get(propertyId);
    if (!window) {
      window = this.tx.property
        .findUniqueOrThrow({ where: { id: propertyId }, select: DESK_WINDOW_FIELDS })
        .then((p) => deskWindow(p, this.now));
      this.windows.set(propertyId, window);
    }
    return window;
  }

  /** A property this unit read anyway gives its desk window, which then needs no read of its own. */
  knowDeskWindow(property: { id: string } & DeskWindowSettings): void {
    if (!this.windows.has(property.id)) this.windows.set(property.id, Promise.resolve(deskWindow(property, this.now)));
  }

  /** Whether a visit expected at `expectedArrival` is inside its property's desk window now. */
  async inDeskWindow(propertyId: string, expectedArrival: Date): Promise<boolean> {
    return withinWindow(expectedArrival, await this.deskWindow(propertyId));
  }

  /** A visit was created or changed: the desk hears of it and the audit trail records it. */
  visitRecorded(action: string, before: Visit | null, after: Visit, source?: AuditSource): void {
    this.visitChanged(before, after);
    this.audit(action, { type: 'Visit', id: after.id, propertyId: after.propertyId }, before, after, source);
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
   * concurrent changes queue instead of deadlocking or interleaving. Returns the row as
   * locked (whoever asks may not see it: check before use), or null when there is none.
   */
  async lockWorkOrder(id: string): Promise<WorkOrder | null> {
    const rows = await this.tx.$queryRaw<{ row: unknown }[]>`
      SELECT row_to_json(w) AS "row" FROM "WorkOrder" w WHERE w."id" = ${id}::uuid FOR UPDATE`;
    return prismaRow<WorkOrder>('WorkOrder', rows[0]?.row);
  }

  async lockVisit(id: string): Promise<void> {
    await this.tx.$executeRaw`SELECT 1 FROM "Visit" WHERE "id" = ${id}::uuid FOR UPDATE`;
  }
}

/** The fields of a property its desk window needs: select them where a property is read anyway. */
export const DESK_WINDOW_FIELDS = { deskLookBehindMinutes: true, deskLookAheadMinutes: true } as const;

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
 * its audit entries to the audit trail in that same transaction, and publishes them only after commit: a refused or failed
 * change rolls back whole, log included, and publishes nothing.
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

export const workOrderEntity = (wo: { id: string; propertyId: string }): Entity => ({
  type: 'WorkOrder',
  id: wo.id,
  propertyId: wo.propertyId,
});

/**
 * Loads a row by id or refuses with NOT_FOUND at the given field. Lookups filter by what
 * the actor may see, so an object out of their scope gets the very same answer.
 */
export async function found<T>(row: Promise<T | null>, field: string[], what: string): Promise<T> {
  const value = await row;
  if (value === null) refuse('NOT_FOUND', `No ${what} exists with this id; check the id and try again.`, field);
  return value;
}
