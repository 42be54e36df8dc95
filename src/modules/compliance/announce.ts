import { Prisma, type VisitStatus } from '../../generated/prisma/client.ts';
import type { Work } from '../../core/unit-of-work.ts';
import { recordDeskChange } from '../desk/recording.ts';
import { parseFacts, VISIT_FACTS_SQL } from './facts.ts';
import { judge, judgementMoment, sameCheck, type ComplianceFacts } from './rules.ts';

// The desk shows each visit's compliance on its row: when a change (or time) alters it, the
// desk hears VISIT_UPDATED for exactly the visits whose compliance changed.

interface DeskRow {
  id: string;
  propertyId: string;
  status: VisitStatus;
  inDeskWindow: boolean;
  expectedArrival: Date;
  checkedOutAt: Date | null;
  cancelledAt: Date | null;
  noShowAt: Date | null;
  facts: unknown;
}

/** Which desk visits a change may concern: those of a company, or those at a property. */
export type Scope = { companyId: string } | { propertyId: string };

/** The visits on a desk now (CHECKED_IN, or EXPECTED inside the window) in `scope`, with their facts. */
async function deskVisits(work: Work, scope: Scope) {
  const where =
    'companyId' in scope
      ? Prisma.sql`v."companyId" = ${scope.companyId}::uuid`
      : Prisma.sql`v."propertyId" = ${scope.propertyId}::uuid`;
  const rows = await work.tx.$queryRaw<DeskRow[]>`
    SELECT v."id", v."propertyId", v."status", v."inDeskWindow", v."expectedArrival", v."checkedOutAt", v."cancelledAt", v."noShowAt",
      ${VISIT_FACTS_SQL} AS "facts"
    FROM "Visit" v JOIN "Property" p ON p."id" = v."propertyId"
    WHERE ${where} AND v."companyId" IS NOT NULL
      AND (v."status" = 'CHECKED_IN' OR (v."status" = 'EXPECTED' AND v."inDeskWindow"))`;
  return rows.map((row) => ({ ...row, facts: parseFacts(row.facts) }));
}

/**
 * After a change to what compliance depends on, tells the desks about each visit in
 * `scope` it changed: `before` gives a visit's facts as they were before the change, and
 * `since`, for a change that time made, the moment just before it.
 */
export async function announceComplianceChanges(
  work: Work,
  scope: Scope,
  before: (facts: ComplianceFacts) => ComplianceFacts,
  since: Date = work.now,
): Promise<void> {
  for (const visit of await deskVisits(work, scope)) {
    if (!visit.facts) continue;
    const then = judge(before(visit.facts), judgementMoment(visit, since));
    const now = judge(visit.facts, judgementMoment(visit, work.now));
    if (!sameCheck(then, now)) recordDeskChange(work, visit, visit);
  }
}
