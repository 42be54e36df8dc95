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
import { queryRows } from '../../db/raw-sql.ts';
import { deskMovesDueSql } from './clock.ts';
import { knowFacts, parseFacts, VISIT_FACTS_SQL } from '../compliance/facts.ts';
import type { Work } from '../../core/unit-of-work.ts';

// The desk read is the API's hottest request: every desk display asks it on start-up and on
// every reconnect, with each entry's company, visitor, host, work order and compliance. It
// is one SQL statement (the property, whether the desk clock is behind, and the entries with
// their relations and compliance facts as JSON) instead of the several that Prisma plans,
// runs and maps.
//
// Most reads find the desk as the last one left it. So each read also gives the desk's
// version (a hash of the row versions, xmin, of the property and of every row an entry is
// made of), and an instance that holds an earlier read of the desk first asks only for the
// version: when it has not moved, the held read is answered again. Building, sending and
// parsing the rows is most of a read's cost; the version costs a hash of a few hundred
// numbers. Any committed change to a row an entry shows, made by any instance or by hand,
// gives that row a new xmin, and so the desk a new version.

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
  /** Changes whenever a row of the property or of its entries changes (see above). */
  version: string;
  /** Visits are due to enter or leave the queue at `now`: move them, then read again. */
  movesDue: boolean;
  /** The queue: `isOnDesk` visits, by expected arrival, then id. */
  entries: DeskEntry[];
}

const { PropertyScalarFieldEnum, VisitScalarFieldEnum, CompanyScalarFieldEnum, UserScalarFieldEnum, WorkOrderScalarFieldEnum } =
  Prisma;

/** The rows `readDesk` gives each entry, by relation. */
export const ENTRY_RELATIONS: Record<string, Record<string, string>> = {
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

/** The visits (aliased v) on the desk of the property aliased p. */
const ON_DESK = Prisma.sql`v."propertyId" = p."id" AND (v."status" = 'CHECKED_IN' OR (v."status" = 'EXPECTED' AND v."inDeskWindow"))`;

const ENTRY_ORDER = Prisma.sql`ORDER BY v."expectedArrival", v."id"`;

/**
 * The desk's version: the row versions of the property, and of each entry's visit, company,
 * visitor, host and work order (with compliance, also of its company's documents), in order.
 */
function deskVersionSql(withCompliance: boolean): Prisma.Sql {
  const xmin = (table: string, id: string) =>
    Prisma.sql`(SELECT xmin FROM ${Prisma.raw(`"${table}"`)} WHERE "id" = v.${Prisma.raw(`"${id}"`)})`;
  const documents = withCompliance
    ? Prisma.sql`, ':', (SELECT string_agg(concat(d."id", '/', d.xmin), ',' ORDER BY d."id") FROM "ComplianceDocument" d WHERE d."companyId" = v."companyId")`
    : Prisma.empty;
  const entry = Prisma.sql`concat(v."id", ':', v.xmin, ':', ${xmin('Company', 'companyId')}, ':', ${xmin('User', 'visitorId')}, ':',
    ${xmin('User', 'hostId')}, ':', ${xmin('WorkOrder', 'workOrderId')}${documents})`;
  return Prisma.sql`(SELECT md5(concat(p.xmin, ' ', string_agg(${entry}, ' ' ${ENTRY_ORDER}))) FROM "Visit" v WHERE ${ON_DESK})`;
}

/**
 * The statement of a desk read (exported so that benchmarks can EXPLAIN it): the desk's
 * version, whether the desk clock is behind, the property and the entries with their rows (and
 * their compliance facts when asked for).
 */
export function deskReadSql(propertyId: string, now: Date, withCompliance = false): Prisma.Sql {
  return Prisma.sql`
    SELECT ${deskVersionSql(withCompliance)} AS "version", ${deskMovesDueSql(now)} AS "movesDue", row_to_json(p) AS "property",
      (SELECT COALESCE(json_agg(json_build_object(
                'visit', row_to_json(v), 'company', row_to_json(c), 'visitor', row_to_json(vu), 'host', row_to_json(h), 'workOrder', row_to_json(w),
                'compliance', ${withCompliance ? VISIT_FACTS_SQL : Prisma.sql`NULL`}
              ) ${ENTRY_ORDER}), '[]')
       FROM "Visit" v
       LEFT JOIN "Company" c ON c."id" = v."companyId"
       LEFT JOIN "User" vu ON vu."id" = v."visitorId"
       LEFT JOIN "User" h ON h."id" = v."hostId"
       LEFT JOIN "WorkOrder" w ON w."id" = v."workOrderId"
       WHERE ${ON_DESK}) AS "entries"
    FROM "Property" p
    WHERE p."id" = ${propertyId}::uuid`;
}

/** Only the desk's version and whether the desk clock is behind: enough to answer a held read again. */
export function deskVersionCheckSql(propertyId: string, now: Date, withCompliance = false): Prisma.Sql {
  return Prisma.sql`
    SELECT ${deskVersionSql(withCompliance)} AS "version", ${deskMovesDueSql(now)} AS "movesDue"
    FROM "Property" p
    WHERE p."id" = ${propertyId}::uuid`;
}

/**
 * The desk of a property at `now`; null when no property has this id. `known` is a read of
 * the same desk (with or without compliance, as asked now) that this one may answer again:
 * then the database is first asked only for the desk's version, and for its rows only when
 * the version moved on.
 */
export async function readDesk(
  db: Pick<Work['tx'], '$queryRaw'>,
  propertyId: string,
  now: Date,
  withCompliance = false,
  known: DeskRead | null = null,
): Promise<DeskRead | null> {
  if (known) {
    type Check = { version: string; movesDue: boolean };
    const [check] = await queryRows<Check>(db, deskVersionCheckSql(propertyId, now, withCompliance));
    if (!check) return null;
    if (check.version === known.version) return { ...known, movesDue: check.movesDue === true };
  }
  type Row = { version: string; movesDue: boolean; property: unknown; entries: Record<string, unknown>[] };
  const [row] = await queryRows<Row>(db, deskReadSql(propertyId, now, withCompliance));
  if (!row) return null;
  const property = prismaRow<Property>('Property', row.property)!;
  return {
    property,
    version: row.version,
    movesDue: row.movesDue === true,
    entries: row.entries.map((e): DeskEntry => {
      const entry = Object.assign(prismaRow<Visit>('Visit', e.visit)!, {
        property,
        company: prismaRow<Company>('Company', e.company),
        visitor: prismaRow<User>('User', e.visitor),
        host: prismaRow<User>('User', e.host),
        workOrder: prismaRow<WorkOrder>('WorkOrder', e.workOrder),
      });
      return withCompliance ? knowFacts(entry, parseFacts(e.compliance)) : entry;
    }),
  };
}

/**
 * The last read of each recently read desk, to be answered again while its version holds.
 * Its rows are shared by every answer: nothing may change them (GraphQL resolvers only read).
 */
export class RecentDeskReads {
  private readonly reads = new Map<string, DeskRead>();
  /** Reads answered again from a held read (metric `desk_reads_total`). */
  answeredAgain = 0;
  /** Reads whose rows the database sent. */
  readAnew = 0;

  /** At most this many desks (property, with or without compliance) are held; the least recently read goes first. */
  constructor(private readonly capacity = 200) {}

  get(propertyId: string, withCompliance: boolean): DeskRead | null {
    return this.reads.get(key(propertyId, withCompliance)) ?? null;
  }

  /** Holds `read`, which answered a desk read that was given `known`. */
  record(propertyId: string, withCompliance: boolean, read: DeskRead, known: DeskRead | null): void {
    if (read.version === known?.version) this.answeredAgain++;
    else this.readAnew++;
    const k = key(propertyId, withCompliance);
    this.reads.delete(k);
    this.reads.set(k, read);
    if (this.reads.size > this.capacity) this.reads.delete(this.reads.keys().next().value!);
  }
}

const key = (propertyId: string, withCompliance: boolean) => `${propertyId}:${withCompliance}`;

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
  recent: RecentDeskReads,
  propertyId: string,
  now: Date,
  plan: DeskPlan,
): Promise<DeskView | null> {
  const readAt = async (db: Prisma.TransactionClient | PrismaClient) => {
    const known = recent.get(propertyId, plan.withCompliance);
    const desk = await readDesk(db, propertyId, now, plan.withCompliance, known);
    if (!desk) return null;
    recent.record(propertyId, plan.withCompliance, desk, known);
    if (plan.entries && !coveredByDeskRead(plan.entries))
      return { ...desk, entries: await loadEntries(db, desk.entries, plan.entries) };
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
