import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import type { DeskChange, DeskEvent } from './events.ts';
import type { LogSource } from '../../core/log-feed.ts';
import type { SqlPart } from '../../db/raw-sql.ts';

type Db = Pick<PrismaClient, '$queryRaw' | '$executeRaw' | 'deskEvent' | 'deskStream'> | Prisma.TransactionClient;

/**
 * A unit of work's desk changes, appended to their properties' logs as part of its closing
 * statement (unit-of-work.ts); its answer is the changes as events, numbered. Taking the
 * property's stream row (an upsert) holds its lock until commit, so the sequence numbers of
 * one property commit in order and a reader who has seen `seq` n has seen everything before it.
 */
export function deskLogAppend(changes: DeskChange[]): SqlPart<DeskEvent[]> {
  const byProperty = new Map<string, DeskChange[]>();
  for (const change of changes) byProperty.set(change.propertyId, [...(byProperty.get(change.propertyId) ?? []), change]);
  const lists = [...byProperty.values()];
  const appends = lists.map((list, i) => {
    const n = list.length;
    const propertyId = list[0].propertyId;
    const head = Prisma.raw(`"deskHead${i}"`);
    const added = Prisma.raw(`"deskAdded${i}"`);
    return {
      with: [
        Prisma.sql`${head} AS (
          INSERT INTO "DeskStream" ("propertyId", "lastSeq") VALUES (${propertyId}::uuid, ${n})
          ON CONFLICT ("propertyId") DO UPDATE SET "lastSeq" = "DeskStream"."lastSeq" + ${n}
          RETURNING "lastSeq"
        )`,
        Prisma.sql`${added} AS (
          INSERT INTO "DeskEvent" ("propertyId", "seq", "kind", "visitId", "occurredAt")
          SELECT ${propertyId}::uuid, (h."lastSeq" - ${n} + e.ord)::int, e.kind::"DeskEventKind", e."visitId", e."occurredAt"
          FROM ${head} AS h, unnest(${list.map((c) => c.kind)}::text[], ${list.map((c) => c.visitId)}::uuid[],
                            ${list.map((c) => c.occurredAt)}::timestamptz[]) WITH ORDINALITY AS e(kind, "visitId", "occurredAt", ord)
          RETURNING "seq"
        )`,
      ],
      first: Prisma.sql`(SELECT min("seq") FROM ${added})`,
    };
  });
  return {
    with: appends.flatMap((a) => a.with),
    answer: Prisma.sql`ARRAY[${Prisma.join(appends.map((a) => a.first))}]::int[]`,
    read: (firsts) => lists.flatMap((list, i) => list.map((change, j) => ({ ...change, seq: (firsts as number[])[i] + j }))),
  };
}

/** The property's log position: the last seq, and the last seq already pruned away. */
export async function deskLogHead(db: Db, propertyId: string): Promise<{ lastSeq: number; prunedThrough: number }> {
  const row = await db.deskStream.findUnique({ where: { propertyId }, select: { lastSeq: true, prunedThrough: true } });
  return row ?? { lastSeq: 0, prunedThrough: 0 };
}

/** Events of a property after `seq`, in order, at most `limit`. */
export async function readDeskLog(db: Db, propertyId: string, afterSeq: number, limit: number): Promise<DeskEvent[]> {
  return db.deskEvent.findMany({
    where: { propertyId, seq: { gt: afterSeq } },
    orderBy: { seq: 'asc' },
    take: limit,
    select: { propertyId: true, seq: true, kind: true, visitId: true, occurredAt: true },
  });
}

/**
 * Deletes events that occurred before `cutoff` and records, per property, how far the
 * log has been pruned, so a client resuming from a pruned cursor is told to reload.
 */
export async function pruneDeskLog(db: Db, cutoff: Date): Promise<number> {
  const rows = await db.$queryRaw<{ pruned: number }[]>`
    WITH gone AS (
      DELETE FROM "DeskEvent" WHERE "occurredAt" < ${cutoff} RETURNING "propertyId", "seq"
    ), per_property AS (
      SELECT "propertyId", max("seq") AS "through", count(*)::int AS "n" FROM gone GROUP BY "propertyId"
    ), marked AS (
      UPDATE "DeskStream" s SET "prunedThrough" = GREATEST(s."prunedThrough", p."through")
      FROM per_property p WHERE s."propertyId" = p."propertyId"
    )
    SELECT COALESCE(sum("n"), 0)::int AS "pruned" FROM per_property`;
  return rows[0]?.pruned ?? 0;
}

/** The desk logs as a live feed reads them. */
export const deskLogSource = (db: Db): LogSource<DeskEvent> => ({
  channel: 'deskLogGrew',
  head: (propertyId) => deskLogHead(db, propertyId),
  read: (propertyId, afterSeq, limit) => readDeskLog(db, propertyId, afterSeq, limit),
  expiredCursor:
    'This cursor is older than the desk history kept on the server; reload the desk with visitorDesk and subscribe with its cursor.',
  foreignCursor: 'This cursor does not come from this desk; use the cursor of a visitorDesk snapshot or of an event.',
});
