import type { Visit } from '../../generated/prisma/client.ts';
import type { AuditSource } from '../../core/audit-trail.ts';
import type { Work } from '../../core/unit-of-work.ts';
import { recordDeskChange } from '../desk/recording.ts';
import { followRollCall } from '../evacuation/roll-call.ts';

/**
 * A visit was created or changed: the desk hears of it, an evacuation under way follows it,
 * and the audit trail records it.
 */
export function recordVisit(work: Work, action: string, before: Visit | null, after: Visit, source?: AuditSource): void {
  recordDeskChange(work, before, after);
  followRollCall(work, before, after);
  work.audit(action, { type: 'Visit', id: after.id, propertyId: after.propertyId }, before, after, source);
}
