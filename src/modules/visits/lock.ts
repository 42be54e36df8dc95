import { Prisma, type Property, type Visit } from '../../generated/prisma/client.ts';
import { queryRows } from '../../db/raw-sql.ts';
import { prismaRow } from '../../db/json-rows.ts';
import type { Work } from '../../core/unit-of-work.ts';
import { parseFacts, VISIT_FACTS_SQL } from '../compliance/facts.ts';
import type { ComplianceFacts } from '../compliance/rules.ts';

/** A visit as locked for a change, with what its rules need of its property and company. */
export interface LockedVisit {
  visit: Visit;
  property: Property;
  /** Its company's compliance facts at its property; null without a company. */
  facts: ComplianceFacts | null;
}

/**
 * Locks a visit and reads it with its property and compliance facts, in one statement. NO KEY
 * UPDATE, like every visit claim: exclusive among writers of the visit, yet rows that refer
 * to it (an evacuation's list) may still be written meanwhile, without waiting or deadlock.
 */
export async function lockVisit(work: Work, visitId: string): Promise<LockedVisit> {
  const rows = await queryRows<{ row: unknown; property: unknown; facts: unknown }>(
    work.tx,
    Prisma.sql`
      SELECT row_to_json(v) AS "row", row_to_json(p) AS "property", ${VISIT_FACTS_SQL} AS "facts"
      FROM "Visit" v JOIN "Property" p ON p."id" = v."propertyId"
      WHERE v."id" = ${visitId}::uuid
      FOR NO KEY UPDATE OF v`,
  );
  const visit = prismaRow<Visit>('Visit', rows[0]?.row);
  if (!visit) throw new Error(`Visit ${visitId} vanished while locked`);
  return { visit, property: prismaRow<Property>('Property', rows[0].property)!, facts: parseFacts(rows[0].facts) };
}
