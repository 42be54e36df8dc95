import { readFileSync } from 'node:fs';
import { buildSchema, lexicographicSortSchema, parse, printSchema, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/graphql/schema.ts';
import { GRAPHIQL_TABS } from '../src/server/graphiql.ts';

describe('schema/schema.graphql', () => {
  it('is the SDL of the schema the server runs (run `npm run codegen` when this fails)', () => {
    const committed = readFileSync(new URL('../schema/schema.graphql', import.meta.url), 'utf8');
    const normalise = (sdl: string) => printSchema(lexicographicSortSchema(buildSchema(sdl)));
    expect(normalise(committed)).toBe(printSchema(lexicographicSortSchema(schema)));
  });
});

describe("GraphiQL's example tabs", () => {
  it.each(GRAPHIQL_TABS.map((t, i) => [i + 1, t.query] as const))('tab %i is a valid operation of this schema', (_n, query) => {
    expect(validate(schema, parse(query)).map((e) => e.message)).toEqual([]);
  });
});
