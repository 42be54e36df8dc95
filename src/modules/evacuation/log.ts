import type { EvacuationEventKind, PrismaClient } from '../../generated/prisma/client.ts';
import { refuse } from '../../core/errors.ts';
import type { LogSource } from '../../core/log-feed.ts';
import type { Work } from '../../core/unit-of-work.ts';

// An evacuation's event log: every change to its roll call, in commit order, for live
// screens that resume from a cursor with no gap and no duplicate.

export interface EvacuationChange {
  kind: EvacuationEventKind;
  /** The person it concerns (PERSON_ADDED, ACCOUNTED_FOR). */
  visitId: string | null;
}

export interface EvacuationEvent extends EvacuationChange {
  evacuationId: string;
  seq: number;
  occurredAt: Date;
}

/**
 * Appends changes to an evacuation's log in the unit's transaction, in one statement. Taking
 * the evacuation's row to count on holds its lock until commit, so seqs commit in order.
 */
export async function appendEvacuationEvents(work: Work, evacuationId: string, changes: EvacuationChange[]): Promise<void> {
  if (changes.length === 0) return;
  const n = changes.length;
  const [{ last }] = await work.tx.$queryRaw<{ last: number }[]>`
    WITH head AS (
      UPDATE "Evacuation" SET "lastSeq" = "lastSeq" + ${n} WHERE "id" = ${evacuationId}::uuid RETURNING "lastSeq"
    ), added AS (
      INSERT INTO "EvacuationEvent" ("evacuationId", "seq", "kind", "visitId", "occurredAt")
      SELECT ${evacuationId}::uuid, (head."lastSeq" - ${n} + e.ord)::int, e.kind::"EvacuationEventKind", e."visitId", ${work.now}::timestamptz
      FROM head, unnest(${changes.map((c) => c.kind)}::text[], ${changes.map((c) => c.visitId)}::uuid[])
        WITH ORDINALITY AS e(kind, "visitId", ord)
      RETURNING "seq"
    )
    SELECT max("seq")::int AS "last" FROM added`;
  work.logGrew('evacuationLogGrew', evacuationId, last);
}

const FOREIGN_CURSOR =
  'This cursor does not come from this evacuation; use the cursor of the evacuation or of one of its events.';

/** The evacuation logs as a live feed reads them (they are kept whole: nothing is pruned). */
export const evacuationLogSource = (db: PrismaClient): LogSource<EvacuationEvent> => ({
  channel: 'evacuationLogGrew',
  head: async (evacuationId) => {
    const row = await db.evacuation.findUnique({ where: { id: evacuationId }, select: { lastSeq: true } });
    return { lastSeq: row?.lastSeq ?? 0, prunedThrough: 0 };
  },
  read: (evacuationId, afterSeq, limit) =>
    db.evacuationEvent.findMany({
      where: { evacuationId, seq: { gt: afterSeq } },
      orderBy: { seq: 'asc' },
      take: limit,
      select: { evacuationId: true, seq: true, kind: true, visitId: true, occurredAt: true },
    }),
  expiredCursor: FOREIGN_CURSOR,
  foreignCursor: FOREIGN_CURSOR,
});

// Cursors are opaque: base64url of "evacuation:<id>:<seq>", so one of another log is refused.

export const encodeEvacuationCursor = (evacuationId: string, seq: number) =>
  Buffer.from(`evacuation:${evacuationId}:${seq}`, 'utf8').toString('base64url');

export function decodeEvacuationCursor(cursor: string, evacuationId: string): number {
  const match = /^evacuation:([0-9a-f-]{36}):(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || match[1] !== evacuationId) refuse('INVALID_INPUT', FOREIGN_CURSOR, ['after']);
  return Number(match[2]);
}

/** An evacuation starting at a property: `seq` is its number there. */
export interface EvacuationStart {
  seq: number;
  evacuationId: string;
}

/**
 * Each property's evacuations as a log of their starts, for displays that must switch to the
 * roll call whichever device sounded it.
 */
export const evacuationStartSource = (db: PrismaClient): LogSource<EvacuationStart> => ({
  channel: 'evacuationStarted',
  head: async (propertyId) => {
    const last = await db.evacuation.aggregate({ where: { propertyId }, _max: { number: true } });
    return { lastSeq: last._max.number ?? 0, prunedThrough: 0 };
  },
  read: async (propertyId, afterSeq, limit) =>
    (
      await db.evacuation.findMany({
        where: { propertyId, number: { gt: afterSeq } },
        orderBy: { number: 'asc' },
        take: limit,
        select: { id: true, number: true },
      })
    ).map((e) => ({ seq: e.number, evacuationId: e.id })),
  expiredCursor: FOREIGN_CURSOR,
  foreignCursor: FOREIGN_CURSOR,
});
