import { readFileSync } from 'node:fs';
import { buildSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/graphql/schema.ts';

describe('schema/schema.graphql', () => {
  it('is the SDL of the schema the server runs (run `npm run codegen` when this fails)', () => {
    const committed = readFileSync(new URL('../schema/schema.graphql', import.meta.url), 'utf8');
    const normalise = (sdl: string) => printSchema(lexicographicSortSchema(buildSchema(sdl)));
    expect(normalise(committed)).toBe(printSchema(lexicographicSortSchema(schema)));
  });
});
