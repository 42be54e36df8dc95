import type { Visit } from '../../generated/prisma/client.ts';
import { forbid, inputField, refuse } from '../../core/errors.ts';
import type { Work } from '../../core/unit-of-work.ts';
import { blockedMessage, COMPLIANT, judge, judgementMoment, type ComplianceCheck, type ComplianceFacts } from './rules.ts';

// The gate at the desk: a visitor whose company is not compliant is not checked in, unless
// a manager of the property (or an administrator) lets them in with a reason.

/** A visit's compliance at the moment it is judged at (see judgementMoment). */
export function visitCompliance(
  visit: Parameters<typeof judgementMoment>[0],
  facts: ComplianceFacts | null,
  now: Date,
): ComplianceCheck {
  return facts ? judge(facts, judgementMoment(visit, now)) : COMPLIANT;
}

export type ComplianceOverride = {
  complianceOverrideReason: string;
  complianceOverrideById: string | null;
  complianceOverrideAt: Date;
};

/**
 * Whether the visit may be checked in now: nothing to record for a compliant company (a
 * reason given anyway is ignored), the override to record when a manager lets a
 * non-compliant one in; otherwise refuses.
 */
export function letIn(work: Work, visit: Visit, facts: ComplianceFacts | null, reason: string | null): ComplianceOverride | null {
  const check = visitCompliance(visit, facts, work.now);
  if (check.compliant) return null;
  if (reason === null) refuse('COMPLIANCE_BLOCKED', blockedMessage(check), inputField('visitId'));
  if (!work.access.managesProperty(visit.propertyId)) {
    forbid(
      'Only a property manager of this property or an administrator can let in a visitor whose company is not compliant; ask one to check the visitor in with a reason.',
      inputField('complianceOverrideReason'),
    );
  }
  return { complianceOverrideReason: reason, complianceOverrideById: work.actor.userId, complianceOverrideAt: work.now };
}
