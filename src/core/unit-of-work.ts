import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { runTogether, transactionWithDriver, type SqlPart } from '../db/raw-sql.ts';
import type { DeskChange, DeskEvent } from '../modules/desk/events.ts';
import { deskLogAppend } from '../modules/desk/log.ts';
import { queueWebhookDeliveries, webhookSubscribersSql } from '../modules/webhooks/outbox.ts';
import type { Access } from '../modules/access/access.ts';
import { auditTrailAppend, fieldChanges, type AuditEntry, type AuditSource, type Entity, type Row } from './audit-trail.ts';
import type { Clock } from './clock.ts';
import type { Announcements, LogChannel } from './announcements.ts';

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
  /** The event logs this change appended to: announced to every instance after commit. */
  readonly grownLogs = new Map<string, { channel: LogChannel; key: string; seq: number }>();
  /** Webhook deliveries this change queued: the delivery workers are woken after commit. */
  webhookDeliveries = 0;
  private readonly finishing = new Map<string, () => Promise<void>>();

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

  /** Log `key` of `channel` now ends at `seq` (once this unit commits). */
  logGrew(channel: LogChannel, key: string, seq: number): void {
    const id = `${channel}:${key}`;
    if (seq > (this.grownLogs.get(id)?.seq ?? 0)) this.grownLogs.set(id, { channel, key, seq });
  }

  /**
   * Runs `step` once, after the change itself and before its logs and audit entries are
   * written: for a module that follows what others change (the evacuation roll call
   * follows check-ins and check-outs). Registering the same key again adds nothing.
   */
  beforeCommit(key: string, step: () => Promise<void>): void {
    if (!this.finishing.has(key)) this.finishing.set(key, step);
  }

  /** Runs the steps registered with beforeCommit, including any they register. */
  async finish(): Promise<void> {
    for (const [key, step] of this.finishing) {
      await step();
      this.finishing.delete(key);
    }
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
  /** Tells every instance, once the transaction has committed, which event logs grew. */
  announcements: Announcements;
  /** Called once the transaction has committed, when the unit revoked credentials. */
  revoke?(revocation: Revocation): void;
}

/** A part of a statement that does nothing and answers `value`. */
const nothing = <T>(value: T): SqlPart<T> => ({ with: [], read: () => value });

/**
 * Runs a change in one transaction, with its desk changes appended to the event log, its
 * audit entries to the audit trail and its webhook deliveries to the outbox in that same
 * transaction, and announces what it wrote only after commit: a refused or failed change
 * rolls back whole, logs and outbox included, and announces nothing.
 */
export async function runWork<T>(deps: UnitOfWorkDeps, actor: Actor, fn: (work: Work) => Promise<T>): Promise<T> {
  let grown: Work['grownLogs'] | undefined;
  let revoked: Revocation | undefined;
  let queued = 0;
  const result = await transactionWithDriver(
    deps.prisma,
    async (tx) => {
      const work = new Work(tx, deps.clock.now(), actor);
      const value = await fn(work);
      await work.finish();
      // What the unit records for others, in one statement: its desk events, its audit
      // entries, and whether a webhook endpoint subscribes to them (then the outbox, apart).
      const desk = work.deskChanges.length > 0 ? deskLogAppend(work.deskChanges) : null;
      const audited = work.auditEntries.length > 0;
      if (desk || audited) {
        const [events, , subscribed] = await runTogether(tx, [
          desk ?? nothing([] as DeskEvent[]),
          audited ? auditTrailAppend(work.auditEntries, actor.userId, work.now) : nothing(undefined),
          { with: [], answer: webhookSubscribersSql(work.auditEntries), read: (answer) => answer === true },
        ]);
        for (const event of events) work.logGrew('deskLogGrew', event.propertyId, event.seq);
        if (subscribed) work.webhookDeliveries += await queueWebhookDeliveries(tx, work.auditEntries, work.now);
      }
      if (work.revoked.tokenIds.length + work.revoked.userIds.length > 0) revoked = work.revoked;
      grown = work.grownLogs;
      queued = work.webhookDeliveries;
      return value;
    },
    // Embedded PGlite runs one transaction at a time: let queued ones wait their turn.
    { maxWait: 15_000, timeout: 30_000 },
  );
  for (const log of grown?.values() ?? []) deps.announcements.publish(log.channel, log.key, { seq: log.seq });
  if (queued > 0) deps.announcements.publish('webhooksQueued', { count: queued });
  if (revoked) deps.revoke?.(revoked);
  return result;
}
