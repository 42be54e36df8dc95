import type { Visit } from '../../generated/prisma/client.ts';
import { prismaRow } from '../../db/json-rows.ts';
import type { Work } from '../../core/unit-of-work.ts';
import { recordDeskEvent } from '../desk/recording.ts';
import { recordVisit } from '../visits/record.ts';

// What time does to visits on site, on every instance, in each pass of the desk clock:
// EXPECTED visits past their no-show grace become NO_SHOW; checked-in visitors whose
// automatic check-out has come are checked out; those past their expected departure and
// grace are announced overdue. Rows are claimed FOR NO KEY UPDATE SKIP LOCKED and each change
// leaves nothing for a second pass, so each happens, and is announced, once.

const BATCH = 500;

/** EXPECTED visits whose expected arrival plus their property's no-show grace has passed. */
async function noShows(work: Work): Promise<number> {
  const due = await work.tx.$queryRaw<{ row: unknown }[]>`
    SELECT row_to_json(v) AS "row" FROM "Visit" v JOIN "Property" p ON p."id" = v."propertyId"
    WHERE v."status" = 'EXPECTED' AND v."expectedArrival" <= ${work.now}::timestamptz
      AND v."expectedArrival" + p."noShowAfterMinutes" * interval '1 minute' <= ${work.now}::timestamptz
    ORDER BY v."expectedArrival", v."id"
    LIMIT ${BATCH}
    FOR NO KEY UPDATE OF v SKIP LOCKED`;
  for (const before of due.map((r) => prismaRow<Visit>('Visit', r.row)!)) {
    const after = await work.tx.visit.update({
      where: { id: before.id },
      data: { status: 'NO_SHOW', noShowAt: work.now, inDeskWindow: false },
    });
    recordVisit(work, 'visit.noShow', before, after);
  }
  return due.length;
}

/** CHECKED_IN visits whose automatic check-out has come: out at that moment. */
async function automaticCheckOuts(work: Work): Promise<number> {
  const due = await work.tx.$queryRaw<{ row: unknown }[]>`
    SELECT row_to_json(v) AS "row" FROM "Visit" v
    WHERE v."status" = 'CHECKED_IN' AND v."checkOutDueAt" <= ${work.now}::timestamptz
    ORDER BY v."checkOutDueAt", v."id"
    LIMIT ${BATCH}
    FOR NO KEY UPDATE SKIP LOCKED`;
  for (const before of due.map((r) => prismaRow<Visit>('Visit', r.row)!)) {
    const after = await work.tx.visit.update({
      where: { id: before.id },
      data: { status: 'CHECKED_OUT', checkedOutAt: before.checkOutDueAt, checkOutReason: 'AUTOMATIC' },
    });
    recordVisit(work, 'visit.checkedOut', before, after);
  }
  return due.length;
}

/** CHECKED_IN visits that became overdue and whose desk has not been told. */
async function overdue(work: Work): Promise<number> {
  const due = await work.tx.$queryRaw<{ id: string; propertyId: string }[]>`
    SELECT v."id", v."propertyId" FROM "Visit" v
    WHERE v."status" = 'CHECKED_IN' AND NOT v."overdueAnnounced" AND v."overdueAt" <= ${work.now}::timestamptz
    ORDER BY v."overdueAt", v."id"
    LIMIT ${BATCH}
    FOR NO KEY UPDATE SKIP LOCKED`;
  if (due.length === 0) return 0;
  await work.tx.visit.updateMany({ where: { id: { in: due.map((v) => v.id) } }, data: { overdueAnnounced: true } });
  for (const visit of due) {
    recordDeskEvent(work, 'VISIT_OVERDUE', visit);
    work.audit(
      'visit.overdue',
      { type: 'Visit', id: visit.id, propertyId: visit.propertyId },
      { overdue: false },
      { overdue: true },
    );
  }
  return due.length;
}

/** One pass over every property; returns how many visits it changed. */
export async function advanceOnSite(work: Work): Promise<number> {
  let changed = 0;
  for (const step of [noShows, automaticCheckOuts, overdue]) {
    for (let n = BATCH; n === BATCH; changed += n) n = await step(work);
  }
  return changed;
}
