import type { ComplianceDocumentKind, VisitStatus } from '../../generated/prisma/client.ts';

// The compliance gate's rules, without I/O: what state a document is in at a moment, and
// whether a company may work at a property then, with every reason it may not.

export type { ComplianceDocumentKind };

export type DocumentStatus = 'PENDING_APPROVAL' | 'NOT_YET_EFFECTIVE' | 'VALID' | 'EXPIRED';

/** What the rules need of a document. */
export interface DocumentFacts {
  id: string;
  kind: ComplianceDocumentKind;
  effectiveFrom: Date;
  expiresAt: Date;
  approvedAt: Date | null;
  removedAt: Date | null;
  createdAt: Date;
}

/** What the rules need to judge one company at one property. */
export interface ComplianceFacts {
  companyName: string;
  doNotDispatch: boolean;
  /** The property's required kinds. */
  requirements: ComplianceDocumentKind[];
  /** The property's IANA time zone, for the dates in messages. */
  timeZone: string;
  /** The company's documents, removed ones included (they counted until removed). */
  documents: DocumentFacts[];
}

export type ComplianceProblemCode = 'DO_NOT_DISPATCH' | 'MISSING_DOCUMENT' | 'EXPIRED_DOCUMENT' | 'NOT_YET_EFFECTIVE';

export interface ComplianceProblem {
  code: ComplianceProblemCode;
  kind: ComplianceDocumentKind | null;
  message: string;
}

export interface ComplianceCheck {
  compliant: boolean;
  problems: ComplianceProblem[];
}

export const COMPLIANT: ComplianceCheck = { compliant: true, problems: [] };

export const KIND_NAMES: Record<ComplianceDocumentKind, string> = {
  GENERAL_LIABILITY_INSURANCE: 'general liability insurance',
  WORKERS_COMPENSATION_INSURANCE: "workers' compensation insurance",
  AUTO_LIABILITY_INSURANCE: 'auto liability insurance',
  UMBRELLA_INSURANCE: 'umbrella insurance',
  LICENSE: 'licence',
  SAFETY_TRAINING: 'safety training certificate',
};

/** A document as it stood at `at`: on file (added, not yet removed) and approved by then. */
const onFileAt = (doc: DocumentFacts, at: Date) => doc.createdAt <= at && (doc.removedAt === null || doc.removedAt > at);
const approvedBy = (doc: DocumentFacts, at: Date) => doc.approvedAt !== null && doc.approvedAt <= at;

export function documentStatus(doc: Pick<DocumentFacts, 'effectiveFrom' | 'expiresAt' | 'approvedAt'>, at: Date): DocumentStatus {
  if (doc.approvedAt === null) return 'PENDING_APPROVAL';
  if (at < doc.effectiveFrom) return 'NOT_YET_EFFECTIVE';
  return at < doc.expiresAt ? 'VALID' : 'EXPIRED';
}

/** "2 Dec 2026", in the property's zone. */
function day(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone }).format(at);
}

const latest = (docs: DocumentFacts[], field: 'expiresAt' | 'effectiveFrom') =>
  docs.reduce((a, b) => (b[field] > a[field] ? b : a));
const earliest = (docs: DocumentFacts[], field: 'expiresAt' | 'effectiveFrom') =>
  docs.reduce((a, b) => (b[field] < a[field] ? b : a));

/** Whether the company may work at the property at `at`, with every reason it may not. */
export function judge(facts: ComplianceFacts, at: Date): ComplianceCheck {
  const { companyName: company, timeZone } = facts;
  const problems: ComplianceProblem[] = [];
  if (facts.doNotDispatch) {
    problems.push({
      code: 'DO_NOT_DISPATCH',
      kind: null,
      message: `${company} is marked Do Not Dispatch; its people may not work here until an administrator lifts it.`,
    });
  }
  for (const kind of facts.requirements) {
    const name = KIND_NAMES[kind];
    const onFile = facts.documents.filter((d) => d.kind === kind && onFileAt(d, at));
    const approved = onFile.filter((d) => approvedBy(d, at));
    if (approved.some((d) => d.effectiveFrom <= at && at < d.expiresAt)) continue;
    if (approved.length === 0) {
      const message = onFile.length
        ? `${company}'s ${name} awaits approval; ask a property manager or an administrator to approve it.`
        : `${company} has no ${name} on file; ask the vendor for the certificate.`;
      problems.push({ code: 'MISSING_DOCUMENT', kind, message });
      continue;
    }
    const expired = approved.filter((d) => d.expiresAt <= at);
    const upcoming = approved.filter((d) => d.effectiveFrom > at);
    if (expired.length > 0) {
      const renewal = upcoming.length
        ? ` and its renewal only starts on ${day(earliest(upcoming, 'effectiveFrom').effectiveFrom, timeZone)}`
        : '';
      problems.push({
        code: 'EXPIRED_DOCUMENT',
        kind,
        message: `${company}'s ${name} expired on ${day(latest(expired, 'expiresAt').expiresAt, timeZone)}${renewal}; ask the vendor for the renewed certificate.`,
      });
    } else {
      problems.push({
        code: 'NOT_YET_EFFECTIVE',
        kind,
        message: `${company}'s ${name} only takes effect on ${day(earliest(upcoming, 'effectiveFrom').effectiveFrom, timeZone)}; ask the vendor for a certificate that covers today.`,
      });
    }
  }
  return { compliant: problems.length === 0, problems };
}

/** What the moment a visit's compliance is judged at depends on. */
export interface JudgedVisit {
  status: VisitStatus;
  expectedArrival: Date;
  checkedOutAt: Date | null;
  cancelledAt: Date | null;
  noShowAt: Date | null;
}

/**
 * The moment a visit is judged at: while EXPECTED, the later of now and its expected
 * arrival (the desk row shows what check-in will answer); while CHECKED_IN, now; once over,
 * when it ended (checked out, cancelled, or marked a no-show).
 */
export function judgementMoment(visit: JudgedVisit, now: Date): Date {
  switch (visit.status) {
    case 'EXPECTED':
      return visit.expectedArrival > now ? visit.expectedArrival : now;
    case 'CHECKED_IN':
      return now;
    case 'CHECKED_OUT':
      return visit.checkedOutAt ?? now;
    case 'CANCELLED':
      return visit.cancelledAt ?? now;
    case 'NO_SHOW':
      return visit.noShowAt ?? now;
  }
}

/** The sentence a refused check-in answers with: every problem, in order. */
export function blockedMessage(check: ComplianceCheck): string {
  return `Not let in: ${check.problems.map((p) => p.message).join(' ')}`;
}

/** Whether two checks tell the desk the same thing. */
export const sameCheck = (a: ComplianceCheck, b: ComplianceCheck) =>
  a.problems.length === b.problems.length && a.problems.every((p, i) => p.message === b.problems[i].message);
