import { Prisma } from '../../generated/prisma/client.ts';
import type { Work } from '../../core/unit-of-work.ts';
import type { ComplianceDocumentKind, ComplianceFacts, DocumentFacts } from './rules.ts';

// The compliance facts of visits, read with the rows that are read anyway: one JSON value
// per visit (null for a visit without a company), from its property, its company and every
// document the company ever had on file.

type Db = Pick<Work['tx'], '$queryRaw'>;

/** SQL: the facts of visit `v` (joined with its property `p`), as JSON or null. */
export const VISIT_FACTS_SQL = Prisma.sql`(
  SELECT json_build_object(
    'companyName', c."name",
    'doNotDispatch', c."doNotDispatch",
    'requirements', to_json(p."complianceRequirements"),
    'timeZone', p."timeZone",
    'documents', COALESCE((
      SELECT json_agg(json_build_object(
        'id', d."id", 'kind', d."kind", 'effectiveFrom', d."effectiveFrom", 'expiresAt', d."expiresAt",
        'approvedAt', d."approvedAt", 'removedAt', d."removedAt", 'createdAt', d."createdAt"))
      FROM "ComplianceDocument" d
      WHERE d."companyId" = c."id"), '[]'::json))
  FROM "Company" c WHERE c."id" = v."companyId")`;

interface FactsJson {
  companyName: string;
  doNotDispatch: boolean;
  requirements: ComplianceDocumentKind[] | null;
  timeZone: string;
  documents: Record<keyof DocumentFacts, string>[];
}

const dateOrNull = (value: string | null) => (value === null ? null : new Date(value));

/** Facts as VISIT_FACTS_SQL gives them; null for a visit without a company. */
export function parseFacts(json: unknown): ComplianceFacts | null {
  if (json === null || json === undefined) return null;
  const facts = json as FactsJson;
  return {
    companyName: facts.companyName,
    doNotDispatch: facts.doNotDispatch,
    requirements: facts.requirements ?? [],
    timeZone: facts.timeZone,
    documents: facts.documents.map((d) => ({
      id: d.id,
      kind: d.kind as ComplianceDocumentKind,
      effectiveFrom: new Date(d.effectiveFrom),
      expiresAt: new Date(d.expiresAt),
      approvedAt: dateOrNull(d.approvedAt),
      removedAt: dateOrNull(d.removedAt),
      createdAt: new Date(d.createdAt),
    })),
  };
}

/** Facts read with a visit row (the desk read), so that its compliance needs no read of its own. */
const known = new WeakMap<object, ComplianceFacts | null>();

export function knowFacts<T extends object>(visit: T, facts: ComplianceFacts | null): T {
  known.set(visit, facts);
  return visit;
}

/** The facts read with this visit row, if they were. */
export const knownFacts = (visit: object): ComplianceFacts | null | undefined => known.get(visit);

/** The facts of each visit, in one statement; a visit without a company maps to null. */
export async function factsOfVisits(db: Db, visitIds: readonly string[]): Promise<Map<string, ComplianceFacts | null>> {
  const rows = await db.$queryRaw<{ id: string; facts: unknown }[]>`
    SELECT v."id", ${VISIT_FACTS_SQL} AS "facts"
    FROM "Visit" v JOIN "Property" p ON p."id" = v."propertyId"
    WHERE v."id" = ANY(${visitIds}::uuid[])`;
  return new Map(rows.map((r) => [r.id, parseFacts(r.facts)]));
}
