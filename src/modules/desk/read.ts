import {
  Prisma,
  type Company,
  type PrismaClient,
  type Property,
  type User,
  type Visit,
  type WorkOrder,
} from '../../generated/prisma/client.ts';
import { prismaRow } from '../../db/json-rows.ts';
import { queryRows } from '../../db/raw-reads.ts';
import { deskMovesDueSql } from './clock.ts';
import { knowFacts, parseFacts, VISIT_FACTS_SQL } from '../compliance/facts.ts';
import type { Work } from '../../core/unit-of-work.ts';

// The desk read is the API's hottest request: every desk display asks it on start-up and on
// every reconnect, with each entry's company, visitor, host, work order and compliance. It
// is one SQL statement (the property, whether the desk clock is behind, and the entries with
// their relations and compliance facts as JSON) instead of the several that Prisma plans,
// runs and maps.

/** A desk entry: a visit with the relations the desk shows, as Prisma rows. */
export type DeskEntry = Visit & {
  property: Property;
  company: Company | null;
  visitor: User | null;
  host: User | null;
  workOrder: WorkOrder | null;
};

export interface DeskRead {
  property: Property;
  /** Visits are due to enter or leave the queue at `now`: move them, then read again. */
  movesDue: boolean;
  /** The queue: `isOnDesk` visits, by expected arrival, then id. */
  entries: DeskEntry[];
}

const { PropertyScalarFieldEnum, VisitScalarFieldEnum, CompanyScalarFieldEnum, UserScalarFieldEnum, WorkOrderScalarFieldEnum } =
  Prisma;

/** The rows `readDesk` gives each entry, by relation. */
const ENTRY_RELATIONS: Record<string, Record<string, string>> = {
  property: PropertyScalarFieldEnum,
  company: CompanyScalarFieldEnum,
  visitor: UserScalarFieldEnum,
  host: UserScalarFieldEnum,
  workOrder: WorkOrderScalarFieldEnum,
};

/** Prisma's arguments for reading visits: what a client's selection needs of each entry. */
export type VisitQuery = Pick<Prisma.VisitFindManyArgs, 'select' | 'include'>;

type Selection = Record<string, unknown> | null | undefined;

/** Whether `selection` asks only for scalar fields of the model whose scalar fields are `fields`. */
const scalarsOnly = (selection: Selection, fields: Record<string, string>) =>
  Object.keys(selection ?? {}).every((key) => key in fields);

/**
 * Whether the entries of `readDesk` hold all that `query` asks: the visits' own fields and
 * the scalar fields of their property, company, visitor, host and work order, unfiltered.
 */
export function coveredByDeskRead(query: VisitQuery): boolean {
  const selection: Selection = query.select ?? query.include;
  return Object.entries(selection ?? {}).every(([key, value]) => {
    if (key in VisitScalarFieldEnum) return true;
    const fields = ENTRY_RELATIONS[key];
    if (!fields) return false;
    if (value === true) return true;
    if (typeof value !== 'object' || value === null) return false;
    const { select, include, ...rest } = value as { select?: Selection; include?: Selection };
    return Object.keys(rest).length === 0 && scalarsOnly(select, fields) && scalarsOnly(include, fields);
  });
}

/** The same entries, read by Prisma with `query` (for selections `readDesk` does not cover). */
export async function loadEntries(db: Pick<Work['tx'], 'visit'>, entries: DeskEntry[], query: VisitQuery): Promise<DeskEntry[]> {
  const loaded = await db.visit.findMany({ ...query, where: { id: { in: entries.map((e) => e.id) } } });
  const byId = new Map(loaded.map((visit) => [visit.id, visit as DeskEntry]));
  return entries.flatMap((e) => byId.get(e.id) ?? []);
}

/**
 * The one statement of a desk read (exported so that benchmarks can EXPLAIN it); with each
 * entry's compliance facts when asked for.
 */
export function deskReadSql(propertyId: string, now: Date, withCompliance = false): Prisma.Sql {
  return Prisma.sql`
    SELECT row_to_json(p) AS "property", ${deskMovesDueSql(now, propertyId)} AS "movesDue",
      (SELECT COALESCE(json_agg(json_build_object(
                'visit', row_to_json(v), 'company', row_to_json(c), 'visitor', row_to_json(vu), 'host', row_to_json(h), 'workOrder', row_to_json(w),
                'compliance', ${withCompliance ? VISIT_FACTS_SQL : Prisma.sql`NULL`}
              ) ORDER BY v."expectedArrival", v."id"), '[]')
       FROM "Visit" v
       LEFT JOIN "Company" c ON c."id" = v."companyId"
       LEFT JOIN "User" vu ON vu."id" = v."visitorId"
       LEFT JOIN "User" h ON h."id" = v."hostId"
       LEFT JOIN "WorkOrder" w ON w."id" = v."workOrderId"
       WHERE v."propertyId" = p."id"
         AND (v."status" = 'CHECKED_IN' OR (v."status" = 'EXPECTED' AND v."inDeskWindow"))) AS "entries"
    FROM "Property" p
    WHERE p."id" = ${propertyId}::uuid`;
}

/** The desk of a property at `now`; null when no property has this id. */
export async function readDesk(
  db: Pick<Work['tx'], '$queryRaw'>,
  propertyId: string,
  now: Date,
  withCompliance = false,
): Promise<DeskRead | null> {
  type Row = { property: unknown; movesDue: boolean; entries: Record<string, unknown>[] };
  const rows = await queryRows<Row>(db, deskReadSql(propertyId, now, withCompliance));
  if (rows.length === 0) return null;
  const property = prismaRow<Property>('Property', rows[0].property)!;
  const entries = rows[0].entries.map((e): DeskEntry => {
    const entry = Object.assign(prismaRow<Visit>('Visit', e.visit)!, {
      property,
      company: prismaRow<Company>('Company', e.company),
      visitor: prismaRow<User>('User', e.visitor),
      host: prismaRow<User>('User', e.host),
      workOrder: prismaRow<WorkOrder>('WorkOrder', e.workOrder),
    });
    return withCompliance ? knowFacts(entry, parseFacts(e.compliance)) : entry;
  });
  return { property, movesDue: rows[0].movesDue === true, entries };
}

/** What one read of a desk needs, from the client's selection. */
export interface DeskPlan {
  /** The cursor is asked for: the entries and the log position come from one snapshot. */
  withCursor: boolean;
  /** What the client selects of each entry (plugin-prisma's plan); null when entries are not asked for. */
  entries: VisitQuery | null;
  /** The entries' compliance is asked for: its facts come with the read. */
  withCompliance: boolean;
}

/** One read of a desk, at `now`. */
export interface DeskView extends DeskRead {
  now: Date;
  /** The log position of the snapshot, when the cursor was read with it. */
  seq: number | null;
}

/**
 * Reads a desk as `plan` asks. With the cursor, its entries and its cursor come from one
 * snapshot: they are read while the property's log head is share-locked, so no change can
 * commit between them, and a client that subscribes with the cursor sees every later change
 * exactly once.
 */
export async function readDeskSnapshot(
  prisma: PrismaClient,
  propertyId: string,
  now: Date,
  plan: DeskPlan,
): Promise<DeskView | null> {
  const readAt = async (db: Prisma.TransactionClient | PrismaClient) => {
    const desk = await readDesk(db, propertyId, now, plan.withCompliance);
    if (desk && plan.entries && !coveredByDeskRead(plan.entries))
      desk.entries = await loadEntries(db, desk.entries, plan.entries);
    return desk;
  };
  if (!plan.withCursor) {
    const desk = await readAt(prisma);
    return desk && { ...desk, now, seq: null };
  }
  return prisma.$transaction(async (tx) => {
    const head = await tx.$queryRaw<{ lastSeq: number }[]>`
      SELECT "lastSeq" FROM "DeskStream" WHERE "propertyId" = ${propertyId}::uuid FOR SHARE`;
    const desk = await readAt(tx);
    return desk && { ...desk, now, seq: head[0]?.lastSeq ?? 0 };
  });
}
