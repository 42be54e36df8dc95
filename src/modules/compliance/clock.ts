import type { Work } from '../../core/unit-of-work.ts';
import { announceComplianceChanges } from './announce.ts';

// Time changes compliance too: a certificate takes effect or expires while its visitor waits
// on the desk. Each pass of the desk clock claims the approved documents whose start or
// expiry has come and not yet been announced (FOR UPDATE SKIP LOCKED, so one instance
// takes each), marks them announced, and tells the desks which visits it changed.

const BATCH = 500;

interface Boundary {
  id: string;
  companyId: string;
  /** The earliest of its moments this pass announces. */
  at: Date;
}

async function claimBoundaries(work: Work): Promise<Boundary[]> {
  const now = work.now;
  const rows = await work.tx.$queryRaw<Boundary[]>`
    SELECT d."id", d."companyId",
      CASE WHEN NOT d."startAnnounced" AND d."effectiveFrom" <= ${now}::timestamptz THEN d."effectiveFrom" ELSE d."expiresAt" END AS "at"
    FROM "ComplianceDocument" d
    WHERE d."approvedAt" IS NOT NULL AND d."removedAt" IS NULL
      AND ((NOT d."startAnnounced" AND d."effectiveFrom" <= ${now}::timestamptz)
        OR (NOT d."expiryAnnounced" AND d."expiresAt" <= ${now}::timestamptz))
    LIMIT ${BATCH}
    FOR UPDATE SKIP LOCKED`;
  if (rows.length === 0) return rows;
  await work.tx.$executeRaw`
    UPDATE "ComplianceDocument"
    SET "startAnnounced" = "startAnnounced" OR "effectiveFrom" <= ${now}::timestamptz,
        "expiryAnnounced" = "expiryAnnounced" OR "expiresAt" <= ${now}::timestamptz,
        "updatedAt" = ${now}::timestamptz
    WHERE "id" = ANY(${rows.map((r) => r.id)}::uuid[])`;
  return rows;
}

/** One pass: announces every start and expiry that has come; returns how many documents it took. */
export async function advanceCompliance(work: Work): Promise<number> {
  let taken = 0;
  for (let batch = await claimBoundaries(work); batch.length > 0; batch = await claimBoundaries(work)) {
    taken += batch.length;
    const since = new Map<string, Date>();
    for (const { companyId, at } of batch) {
      const earliest = since.get(companyId);
      if (!earliest || at < earliest) since.set(companyId, at);
    }
    for (const [companyId, at] of since) {
      // Judged just before the earliest moment that came, and now: only what time changed.
      await announceComplianceChanges(work, { companyId }, (facts) => facts, new Date(at.getTime() - 1));
    }
    if (batch.length < BATCH) break;
  }
  return taken;
}
