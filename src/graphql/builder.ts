import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import { DateTimeResolver } from 'graphql-scalars';
import type { GraphQLResolveInfo } from 'graphql';
import { refuse } from '../core/errors.ts';
import type PrismaTypes from '../generated/pothos-types.ts';
import { getDatamodel } from '../generated/pothos-types.ts';
import type { Context } from './context.ts';
import { decodeGlobalID, encodeGlobalID } from './global-id.ts';

const MAX_PAGE_SIZE = 100;

/**
 * Spread into every connection: oversized pages are refused instead of silently
 * returning fewer rows than asked for.
 */
export const PAGE_LIMIT = { maxSize: pageSize };

function pageSize(args: { first?: number | null; last?: number | null }): number {
  const asked = args.first ?? args.last;
  if (asked != null && asked > MAX_PAGE_SIZE) {
    refuse(
      'INVALID_INPUT',
      `A page holds at most ${MAX_PAGE_SIZE} items; ask for first: ${MAX_PAGE_SIZE} or fewer and page with after.`,
      [args.first != null ? 'first' : 'last'],
    );
  }
  return MAX_PAGE_SIZE;
}

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  Scalars: { DateTime: { Input: Date; Output: Date } };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
}>({
  // Fields are non-null unless they say otherwise, as in the public contract.
  defaultFieldNullability: false,
  plugins: [RelayPlugin, PrismaPlugin],
  relay: {
    clientMutationId: 'omit',
    encodeGlobalID,
    decodeGlobalID,
    cursorType: 'String',
    edgeCursorType: 'String',
    pageInfoCursorType: 'String',
  },
  prisma: {
    // Each request's Prisma client comes from its context (tests run several servers).
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    defaultConnectionSize: 20,
    maxConnectionSize: MAX_PAGE_SIZE,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : warnUnusedQuery,
  },
});

/** Fields whose query is planned and used ahead of them, by their parent's resolver. */
const PLANNED_AHEAD = new Set(['VisitorDesk.entries']);

function warnUnusedQuery(info: GraphQLResolveInfo) {
  const field = `${info.parentType.name}.${info.fieldName}`;
  if (!PLANNED_AHEAD.has(field)) console.warn(`Prisma query was unused in resolver for ${field}`);
}

builder.addScalarType('DateTime', DateTimeResolver);
builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

/** One connection type per node type (WorkOrderConnection, WorkOrderEdge), shared by every field that lists it. */
export function connectionOf<T extends Parameters<typeof builder.connectionObject>[0]['type']>(type: T, name: string) {
  return builder.connectionObject({ type, name: `${name}Connection` }, { name: `${name}Edge` });
}
