import { Prisma } from '../generated/prisma/client.ts';

// Hot reads written as one SQL statement still hand out rows shaped as Prisma's own (every
// scalar field, with Prisma's types), so GraphQL types and domain code treat them alike.
// Each joined table's columns come back as "alias.column" and are split here.

/** A model's scalar fields, as Prisma generates them (e.g. Prisma.VisitScalarFieldEnum). */
export type ScalarFields = Record<string, string>;

/** Every column of `fields` from the table aliased `alias`, each named "alias.column". */
export function columnsOf(alias: string, fields: ScalarFields): Prisma.Sql {
  return Prisma.raw(
    Object.values(fields)
      .map((f) => `${alias}."${f}" AS "${alias}.${f}"`)
      .join(', '),
  );
}

/** The row of the table aliased `alias`, or null where an outer join found none. */
export function rowOf<T>(joined: Record<string, unknown>, alias: string, fields: ScalarFields): T | null {
  if (joined[`${alias}.id`] == null) return null;
  const row: Record<string, unknown> = {};
  for (const f of Object.values(fields)) row[f] = joined[`${alias}.${f}`];
  return row as T;
}
