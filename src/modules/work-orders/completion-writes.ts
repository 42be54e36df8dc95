import { Prisma, type Visit, type WorkOrder } from '../../generated/prisma/client.ts';
import { queryRows } from '../../db/raw-sql.ts';
import { prismaRow, queryJsonRow } from '../../db/json-rows.ts';
import { INTEGRATION_ENABLED } from '../organisation/settings.ts';
import type { Work } from '../../core/unit-of-work.ts';

// Completing a work order writes it and closes its linked visits. Completions come in
// bursts at the end of a shift, and through Prisma the visits alone took three statements
// (the setting, the visits, one update per visit) with every column decoded one by one.
// Here it is two statements of our own with rows as JSON, as Prisma would write and give
// them. test/completion-writes.test.ts holds them equal to Prisma's writes.

/** The work order (already locked by the caller) marked COMPLETED now; its row after. */
export async function markCompleted(work: Work, id: string): Promise<WorkOrder> {
  const completed = await queryJsonRow<WorkOrder>(
    work.tx,
    'WorkOrder',
    Prisma.sql`
      UPDATE "WorkOrder" w SET "status" = 'COMPLETED', "completedAt" = ${work.now}::timestamptz, "updatedAt" = ${work.now}::timestamptz
      WHERE w."id" = ${id}::uuid
      RETURNING row_to_json(w) AS "row"`,
  );
  return completed!;
}

export interface ClosedVisit {
  before: Visit;
  after: Visit;
}

/**
 * When the WO Integration is on, closes every visit linked to the work order that is still in
 * play: one on site is checked out (WORK_ORDER_COMPLETED), one who never arrived is cancelled.
 * Locked in the order of creation, as every change to a work order's visits locks them; oldest first.
 */
export async function closeLinkedVisits(work: Work, workOrderId: string): Promise<ClosedVisit[]> {
  const now = Prisma.sql`${work.now}::timestamptz`;
  const rows = await queryRows<{ before: unknown; after: unknown }>(
    work.tx,
    Prisma.sql`
      WITH "open" AS (
        SELECT v.* FROM "Visit" v
        WHERE v."workOrderId" = ${workOrderId}::uuid AND v."status" IN ('EXPECTED', 'CHECKED_IN') AND ${INTEGRATION_ENABLED}
        ORDER BY v."createdAt", v."id"
        FOR UPDATE)
      UPDATE "Visit" v SET
        "status" = (CASE WHEN o."status" = 'CHECKED_IN' THEN 'CHECKED_OUT' ELSE 'CANCELLED' END)::"VisitStatus",
        "checkedOutAt" = CASE WHEN o."status" = 'CHECKED_IN' THEN ${now} ELSE v."checkedOutAt" END,
        "checkOutReason" = CASE WHEN o."status" = 'CHECKED_IN' THEN 'WORK_ORDER_COMPLETED'::"CheckOutReason" ELSE v."checkOutReason" END,
        "cancelledAt" = CASE WHEN o."status" = 'CHECKED_IN' THEN v."cancelledAt" ELSE ${now} END,
        "updatedAt" = ${now}
      FROM "open" o WHERE v."id" = o."id"
      RETURNING row_to_json(o) AS "before", row_to_json(v) AS "after"`,
  );
  const closed = rows.map((r) => ({ before: prismaRow<Visit>('Visit', r.before)!, after: prismaRow<Visit>('Visit', r.after)! }));
  const created = (c: ClosedVisit) => c.before.createdAt.getTime();
  return closed.sort((a, b) => created(a) - created(b) || (a.before.id < b.before.id ? -1 : 1));
}
