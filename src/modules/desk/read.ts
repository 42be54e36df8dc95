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
// runs and maps. Its JSON holds the columns the client's selection needs (plugin-prisma's
// plan, in select mode), not whole rows: the whole rows of a visit and its four relations
// came to about 2 KB of JSON per entry, most of a desk read's time in parsing and collecting it.

/**
 * A desk entry: a visit with the relations the desk shows, as Prisma rows of the columns the
 * selection asked for (as Prisma's own `select` gives them).
 */
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

/** The relations the desk statement joins for each entry: their model, table alias and key. */
const ENTRY_RELATIONS = {
  company: { model: 'Company', alias: 'c', key: 'companyId', fields: CompanyScalarFieldEnum },
  visitor: { model: 'User', alias: 'vu', key: 'visitorId', fields: UserScalarFieldEnum },
  host: { model: 'User', alias: 'h', key: 'hostId', fields: UserScalarFieldEnum },
  workOrder: { model: 'WorkOrder', alias: 'w', key: 'workOrderId', fields: WorkOrderScalarFieldEnum },
} as const;
type EntryRelation = keyof typeof ENTRY_RELATIONS;

/** Prisma's arguments for reading visits: what a client's selection needs of each entry. */
export type VisitQuery = Pick<Prisma.VisitFindManyArgs, 'select' | 'include'>;

/** The columns the desk statement gives each entry: the visit's, and each joined relation's. */
export interface EntryColumns {
  visit: string[];
  relations: Partial<Record<EntryRelation, string[]>>;
}

/** Only the visit's id: entries that Prisma then reads (`loadEntries`). */
const IDS_ONLY: EntryColumns = { visit: ['id'], relations: {} };

type Selection = Record<string, unknown>;

/** The scalar fields `value` (a relation's `true` or `{ select }`) asks of a model; null if it asks more. */
function scalarColumns(value: unknown, fields: Record<string, string>): string[] | null {
  if (value === true) return Object.keys(fields);
  if (typeof value !== 'object' || value === null) return null;
  const { select, ...rest } = value as { select?: Selection };
  if (Object.keys(rest).length > 0 || !select) return null;
  const keys = Object.keys(select).filter((key) => select[key]);
  return keys.every((key) => key in fields) ? keys : null;
}

/**
 * The columns the desk statement must give for `query` to be answered from it: the visit's
 * own, and the scalar fields of its property (the desk's, shared), company, visitor, host and
 * work order; null when `query` asks for more (another relation, a filtered or nested one).
 */
export function entryColumns(query: VisitQuery): EntryColumns | null {
  if (!query.select) return null;
  const columns: EntryColumns = { visit: [], relations: {} };
  for (const [key, value] of Object.entries(query.select)) {
    if (!value) continue;
    if (key in VisitScalarFieldEnum) columns.visit.push(key);
    else if (key === 'property') {
      if (!scalarColumns(value, PropertyScalarFieldEnum)) return null;
    } else if (key in ENTRY_RELATIONS) {
      const relation = key as EntryRelation;
      const fields = scalarColumns(value, ENTRY_RELATIONS[relation].fields);
      if (!fields) return null;
      columns.relations[relation] = fields;
    } else return null;
  }
  if (!columns.visit.includes('id')) columns.visit.push('id');
  return columns;
}

/** The same entries, read by Prisma with `query` (for selections the desk statement does not cover). */
export async function loadEntries(db: Pick<Work['tx'], 'visit'>, entries: DeskEntry[], query: VisitQuery): Promise<DeskEntry[]> {
  const loaded = await db.visit.findMany({ ...query, where: { id: { in: entries.map((e) => e.id) } } });
  const byId = new Map(loaded.map((visit) => [visit.id, visit as DeskEntry]));
  return entries.flatMap((e) => byId.get(e.id) ?? []);
}

/** SQL: the key/value pairs of `fields` of the row aliased `alias` (names from Prisma's enums, safe to quote). */
const pairs = (alias: string, fields: string[]) => fields.map((f) => `'${f}', ${alias}."${f}"`);

/**
 * The one statement of a desk read (exported so that benchmarks can EXPLAIN it): the entries
 * with `columns`, and each entry's compliance facts when asked for.
 */
export function deskReadSql(propertyId: string, now: Date, columns: EntryColumns, withCompliance = false): Prisma.Sql {
  const relations = Object.entries(columns.relations) as [EntryRelation, string[]][];
  const visit = Prisma.raw(
    `json_build_object(${[
      ...pairs('v', columns.visit),
      ...relations.map(([name, fields]) => {
        const { alias } = ENTRY_RELATIONS[name];
        return `'${name}', CASE WHEN ${alias}."id" IS NULL THEN NULL ELSE json_build_object(${pairs(alias, fields).join(', ')}) END`;
      }),
    ].join(', ')})`,
  );
  const joins = Prisma.raw(
    relations
      .map(([name]) => {
        const { model, alias, key } = ENTRY_RELATIONS[name];
        return `LEFT JOIN "${model}" ${alias} ON ${alias}."id" = v."${key}"`;
      })
      .join('\n'),
  );
  return Prisma.sql`
    SELECT row_to_json(p) AS "property", ${deskMovesDueSql(now, propertyId)} AS "movesDue",
      (SELECT COALESCE(json_agg(json_build_object(
                'visit', ${visit}, 'compliance', ${withCompliance ? VISIT_FACTS_SQL : Prisma.sql`NULL`}
              ) ORDER BY v."expectedArrival", v."id"), '[]')
       FROM "Visit" v
       ${joins}
       WHERE v."propertyId" = p."id"
         AND (v."status" = 'CHECKED_IN' OR (v."status" = 'EXPECTED' AND v."inDeskWindow"))) AS "entries"
    FROM "Property" p
    WHERE p."id" = ${propertyId}::uuid`;
}

/** The desk of a property at `now`, its entries with `columns`; null when no property has this id. */
export async function readDesk(
  db: Pick<Work['tx'], '$queryRaw'>,
  propertyId: string,
  now: Date,
  columns: EntryColumns,
  withCompliance = false,
): Promise<DeskRead | null> {
  type Row = { property: unknown; movesDue: boolean; entries: { visit: Record<string, unknown>; compliance: unknown }[] };
  const rows = await queryRows<Row>(db, deskReadSql(propertyId, now, columns, withCompliance));
  if (rows.length === 0) return null;
  const property = prismaRow<Property>('Property', rows[0].property)!;
  const relations = Object.keys(columns.relations) as EntryRelation[];
  const entries = rows[0].entries.map((e): DeskEntry => {
    const entry = prismaRow<DeskEntry>('Visit', e.visit)!;
    entry.property = property;
    for (const name of relations) entry[name] = prismaRow(ENTRY_RELATIONS[name].model, entry[name]) as never;
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
  const columns = plan.entries && entryColumns(plan.entries);
  const readAt = async (db: Prisma.TransactionClient | PrismaClient) => {
    const desk = await readDesk(db, propertyId, now, columns ?? IDS_ONLY, plan.withCompliance);
    if (desk && plan.entries && !columns) desk.entries = await loadEntries(db, desk.entries, plan.entries);
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
