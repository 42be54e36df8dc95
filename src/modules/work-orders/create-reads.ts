import { Prisma } from '../../generated/prisma/client.ts';
import { queryRows } from '../../db/raw-sql.ts';
import { INTEGRATION_ENABLED } from '../organisation/settings.ts';
import type { DeskWindowSettings } from '../desk/rules.ts';
import type { Work } from '../../core/unit-of-work.ts';
import type { Assignee } from './integration.ts';

// Creating a work order reads three things before it writes: its property, its assignee
// with their company, and the WO Integration setting. Creates are frequent, and on the
// embedded database every statement costs as much to plan as to run, so they are one
// statement of our own here. test/create-reads.test.ts holds its rows equal to Prisma's.

export type CreateProperty = { id: string; timeZone: string } & DeskWindowSettings;

export interface BeforeCreate {
  property: CreateProperty | null;
  /** Null when none was asked for or none exists. */
  assignee: Assignee | null;
  integrationEnabled: boolean;
}

const PROPERTY_FIELDS = ['id', 'timeZone', 'deskLookBehindMinutes', 'deskLookAheadMinutes'] as const;
const USER_FIELDS = Object.values(Prisma.UserScalarFieldEnum);
const COMPANY_FIELDS = Object.values(Prisma.CompanyScalarFieldEnum);

/** `alias."field" AS "alias.field"`, for each field (the model's columns carry its field names). */
const columns = (alias: string, fields: readonly string[]) =>
  fields.map((field) => Prisma.raw(`${alias}."${field}" AS "${alias}.${field}"`));

/** The row of `alias` out of the joined row; null when the join found none. */
function rowOf<T>(row: Record<string, unknown>, alias: string, fields: readonly string[]): T | null {
  if (row[`${alias}.id`] === null) return null;
  return Object.fromEntries(fields.map((field) => [field, row[`${alias}.${field}`]])) as T;
}

/**
 * The property, the assignee and the setting, as Prisma would read them without access
 * filters: only for an actor who may change the property's work orders, who therefore sees
 * that property and the whole directory of users.
 */
export async function readBeforeCreate(work: Work, propertyId: string, assigneeId: string | null): Promise<BeforeCreate> {
  const [row] = await queryRows<Record<string, unknown>>(
    work.tx,
    Prisma.sql`
      SELECT ${Prisma.join([...columns('p', PROPERTY_FIELDS), ...columns('u', USER_FIELDS), ...columns('c', COMPANY_FIELDS)])},
             ${INTEGRATION_ENABLED} AS "integrationEnabled"
      FROM (SELECT 1) AS one
      LEFT JOIN "Property" p ON p."id" = ${propertyId}::uuid
      LEFT JOIN "User" u ON u."id" = ${assigneeId}::uuid
      LEFT JOIN "Company" c ON c."id" = u."companyId"`,
  );
  const user = rowOf<Omit<Assignee, 'company'>>(row, 'u', USER_FIELDS);
  return {
    property: rowOf<CreateProperty>(row, 'p', PROPERTY_FIELDS),
    assignee: user && { ...user, company: rowOf(row, 'c', COMPANY_FIELDS) },
    integrationEnabled: row.integrationEnabled === true,
  };
}
