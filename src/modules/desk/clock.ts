import type { YogaLogger } from 'graphql-yoga';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import type { Clock } from '../../core/clock.ts';
import { runWork, type Work } from '../../core/unit-of-work.ts';
import { SYSTEM } from '../access/access.ts';
import { recordDeskChange } from './recording.ts';
import type { Announcements } from '../../core/announcements.ts';
import { pruneDeskLog } from './log.ts';
import { MAX_DESK_WINDOW_MINUTES } from './rules.ts';

// Time moves visits onto and off the desk without anyone changing them: an EXPECTED visit
// enters the queue when its window opens and leaves it when its window has passed. This
// finds the visits whose announced membership (Visit.inDeskWindow) no longer matches the
// window at the unit's moment, flips it, and records VISIT_ADDED / VISIT_REMOVED.
//
// Exactly once, with any number of instances: rows are taken FOR NO KEY UPDATE SKIP LOCKED and
// the flag only flips where it differs, so a second pass over the same visit finds
// nothing left to do.

const BATCH = 500;

/** Moves the queue of one property (or of every property) to the unit's moment; returns how many visits moved. */
async function advanceDesk(work: Work, propertyId: string | null = null): Promise<number> {
  let moved = 0;
  for (let n = BATCH; n === BATCH; moved += n) n = await advanceBatch(work, propertyId);
  return moved;
}

/**
 * The ways an EXPECTED visit (aliased v, of the property aliased p) is due to move at `now`:
 * it enters the window, or the window has left it behind or ahead of it.
 */
function moves(now: Date) {
  const start = Prisma.sql`${now}::timestamptz - p."deskLookBehindMinutes" * interval '1 minute'`;
  const end = Prisma.sql`${now}::timestamptz + p."deskLookAheadMinutes" * interval '1 minute'`;
  // The widest possible window bounds the index range scanned for visits to add.
  const reach = `${MAX_DESK_WINDOW_MINUTES} minutes`;
  return {
    enters: Prisma.sql`NOT v."inDeskWindow"
      AND v."expectedArrival" BETWEEN ${now}::timestamptz - ${reach}::interval AND ${now}::timestamptz + ${reach}::interval
      AND v."expectedArrival" >= ${start} AND v."expectedArrival" <= ${end}`,
    leftBehind: Prisma.sql`v."inDeskWindow" AND v."expectedArrival" < ${start}`,
    leftAhead: Prisma.sql`v."inDeskWindow" AND v."expectedArrival" > ${end}`,
  };
}

/**
 * The visits (aliased v, joined with their property p) whose announced membership no
 * longer matches the window at `now`.
 */
function dueToMove(now: Date, propertyId: string | null): Prisma.Sql {
  const { enters, leftBehind, leftAhead } = moves(now);
  return Prisma.sql`
    v."status" = 'EXPECTED'
    ${propertyId ? Prisma.sql`AND v."propertyId" = ${propertyId}::uuid` : Prisma.empty}
    AND ((${enters}) OR (${leftBehind}) OR (${leftAhead}))`;
}

/**
 * Whether the queue of the property aliased p has visits to move at `now`, as a boolean SQL
 * expression: the rule of dueToMove, with each way one range of the (propertyId, status,
 * inDeskWindow, expectedArrival) index, so the desk read pays a few index probes for it
 * whatever the number of visits.
 */
export function deskMovesDueSql(now: Date): Prisma.Sql {
  const any = (way: Prisma.Sql) =>
    Prisma.sql`EXISTS (SELECT 1 FROM "Visit" v WHERE v."propertyId" = p."id" AND v."status" = 'EXPECTED' AND ${way})`;
  const { enters, leftBehind, leftAhead } = moves(now);
  return Prisma.sql`(${any(enters)} OR ${any(leftBehind)} OR ${any(leftAhead)})`;
}

async function advanceBatch(work: Work, propertyId: string | null): Promise<number> {
  const rows = await work.tx.$queryRaw<{ id: string; propertyId: string; enters: boolean }[]>`
    SELECT v."id", v."propertyId", NOT v."inDeskWindow" AS "enters"
    FROM "Visit" v JOIN "Property" p ON p."id" = v."propertyId"
    WHERE ${dueToMove(work.now, propertyId)}
    ORDER BY v."expectedArrival", v."id"
    LIMIT ${BATCH}
    FOR NO KEY UPDATE OF v SKIP LOCKED`;
  if (rows.length === 0) return 0;
  await work.tx.$executeRaw`
    UPDATE "Visit" SET "inDeskWindow" = NOT "inDeskWindow", "updatedAt" = ${work.now}
    WHERE "id" = ANY(${rows.map((r) => r.id)}::uuid[])`;
  for (const row of rows) {
    const before = { status: 'EXPECTED' as const, inDeskWindow: !row.enters };
    const after = { status: 'EXPECTED' as const, inDeskWindow: row.enters };
    recordDeskChange(work, before, { id: row.id, propertyId: row.propertyId, ...after });
    const entity = { type: 'Visit' as const, id: row.id, propertyId: row.propertyId };
    work.audit(row.enters ? 'visit.enteredDesk' : 'visit.leftDesk', entity, before, after);
  }
  return rows.length;
}

export interface DeskClockOptions {
  prisma: PrismaClient;
  clock: Clock;
  announcements: Announcements;
  intervalMs: number;
  historyHours: number;
  logger: YogaLogger;
  /** What other modules change as time passes, run in each pass as units of their own. */
  steps: ((work: Work) => Promise<unknown>)[];
}

export interface DeskClock {
  /** One pass now: visits whose window opened or passed move, old events are pruned. */
  tick(): Promise<void>;
  /**
   * Moves one property's queue to `now` at once: for a desk read that finds the clock behind
   * (visits another instance is moving at this moment are its to announce).
   */
  advance(propertyId: string, now: Date): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs the desk clock on every instance; passes never overlap within one, and the row
 * locks in advanceDesk keep instances from announcing the same change twice.
 */
export function startDeskClock(options: DeskClockOptions): DeskClock {
  const { prisma, clock, announcements, logger } = options;
  let running: Promise<void> | null = null;

  const pass = async () => {
    try {
      await runWork({ prisma, clock, announcements }, SYSTEM, (work) => advanceDesk(work));
      for (const step of options.steps) await runWork({ prisma, clock, announcements }, SYSTEM, step);
      await pruneDeskLog(prisma, new Date(clock.now().getTime() - options.historyHours * 3_600_000));
    } catch (err) {
      logger.error('Desk clock pass failed; the next pass retries.', err);
    }
  };
  const tick = () => (running ??= pass().finally(() => (running = null)));
  const timer = options.intervalMs > 0 ? setInterval(() => void tick(), options.intervalMs) : null;
  return {
    tick,
    async advance(propertyId, now) {
      await runWork({ prisma, clock: { now: () => now }, announcements }, SYSTEM, (work) => advanceDesk(work, propertyId));
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
