import { Prisma, type WorkOrder } from '../../generated/prisma/client.ts';
import { queryJsonRow } from '../../db/json-rows.ts';
import type { Work } from '../../core/unit-of-work.ts';

// Every change that touches a work order and its visits locks the work order first, then
// its visits, so concurrent changes queue instead of deadlocking or interleaving.

/**
 * Takes the row lock of a work order for the rest of the transaction. Returns the row as
 * locked (whoever asks may not see it: check before use), or null when there is none.
 */
export async function lockWorkOrder(work: Work, id: string): Promise<WorkOrder | null> {
  return queryJsonRow<WorkOrder>(
    work.tx,
    'WorkOrder',
    Prisma.sql`SELECT row_to_json(w) AS "row" FROM "WorkOrder" w WHERE w."id" = ${id}::uuid FOR UPDATE`,
  );
}
