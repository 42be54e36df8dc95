import { getDatamodel } from '../generated/pothos-types.ts';

// Hot reads written as one SQL statement take whole rows as JSON (row_to_json), which the
// embedded database hands over far more cheaply than dozens of columns decoded one by one,
// and give them back shaped as Prisma's own rows (DateTime as Date), so that GraphQL types
// and domain code treat them alike.

const MODELS = getDatamodel().datamodel.models;
type ModelName = keyof typeof MODELS;

const DATE_FIELDS = new Map(
  Object.entries(MODELS).map(([name, model]) => [
    name,
    model.fields.filter((f) => f.kind === 'scalar' && f.type === 'DateTime').map((f) => f.name),
  ]),
);

/** A row of `model` as row_to_json gives it (null from an outer join that found none), as Prisma would. */
export function prismaRow<T>(model: ModelName, json: unknown): T | null {
  if (json === null || json === undefined) return null;
  const row = json as Record<string, unknown>;
  for (const field of DATE_FIELDS.get(model)!) {
    const value = row[field];
    if (typeof value === 'string') row[field] = new Date(value);
  }
  return row as T;
}
