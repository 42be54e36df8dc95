import type { Prisma } from '../generated/prisma/client.ts';
import { getDatamodel } from '../generated/pothos-types.ts';
import { queryRows } from './raw-sql.ts';

// Hot reads written as one SQL statement take whole rows as JSON (row_to_json), which the
// embedded database hands over far more cheaply than dozens of columns decoded one by one,
// and give them back shaped as Prisma's own rows (DateTime as Date), so that GraphQL types
// and domain code treat them alike.

const MODELS = getDatamodel().datamodel.models;
type ModelName = keyof typeof MODELS;

/** JSON cannot carry these as Prisma gives them (bigint, Decimal, Uint8Array): such models are read by Prisma. */
const UNSUPPORTED = new Set(['BigInt', 'Decimal', 'Bytes']);

/** The DateTime fields of each model JSON rows can stand in for. */
const DATE_FIELDS = new Map(
  Object.entries(MODELS)
    .filter(([, model]) => !model.fields.some((f) => f.kind === 'scalar' && UNSUPPORTED.has(f.type)))
    .map(([name, model]) => [name, model.fields.filter((f) => f.kind === 'scalar' && f.type === 'DateTime').map((f) => f.name)]),
);

/** A row of `model` as row_to_json gives it (null from an outer join that found none), as Prisma would. */
export function prismaRow<T>(model: ModelName, json: unknown): T | null {
  const dates = DATE_FIELDS.get(model);
  if (!dates) throw new Error(`${model} has fields JSON cannot carry; read it with Prisma.`);
  if (json === null || json === undefined) return null;
  const row = json as Record<string, unknown>;
  for (const field of dates) {
    const value = row[field];
    if (typeof value === 'string') row[field] = new Date(value);
  }
  return row as T;
}

/** The one row of `model` a statement gives as `row_to_json(…) AS "row"`, as Prisma would; null when it gives none. */
export async function queryJsonRow<T>(db: Parameters<typeof queryRows>[0], model: ModelName, sql: Prisma.Sql): Promise<T | null> {
  const [first] = await queryRows<{ row: unknown }>(db, sql);
  return prismaRow<T>(model, first?.row);
}
