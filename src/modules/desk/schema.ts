import type { GraphQLResolveInfo } from 'graphql';
import { queryFromInfo } from '@pothos/plugin-prisma';
import { builder } from '../../graphql/builder.ts';
import type { Context } from '../../graphql/context.ts';
import { decodeGlobalID } from '../../graphql/global-id.ts';
import { forbid, refuse } from '../../core/errors.ts';
import { graphqlError } from '../../graphql/errors.ts';
import { accessRevoked } from '../access/watch.ts';
import { selectsField } from '../../graphql/selection.ts';
import { VisitorDeskEventKindEnum } from '../../graphql/enums.ts';
import { PropertyRef } from '../organisation/schema.ts';
import { VisitRef } from '../visits/schema.ts';
import { deskWindow } from './rules.ts';
import type { FeedEvent } from '../../core/log-feed.ts';
import type { DeskEvent } from './events.ts';
import type { DeskView } from './read.ts';
import { viewReadAhead } from './answers.ts';

// The Visitor Desk in GraphQL: the queue a property's front desk works from, and its live
// changes. The rules and the reads are the desk service's (ctx.desk).

const UNKNOWN_PROPERTY = 'No property exists with this propertyId; use an id from the properties query.';
const NOT_YOUR_DESK = "Your role does not include this property's Visitor Desk; ask an administrator for a DESK role.";

/** The id of a property whose desk the viewer works; else NOT_FOUND (as for an unknown property) or FORBIDDEN. */
async function workedDesk(ctx: Context, globalId: string): Promise<string> {
  const { typename, id } = decodeGlobalID(globalId);
  const access = typename === 'Property' ? await ctx.desk.accessTo(ctx.access, id) : 'NONE';
  if (access === 'SEES') forbid(NOT_YOUR_DESK);
  if (access === 'NONE') refuse('NOT_FOUND', UNKNOWN_PROPERTY);
  return id;
}

/**
 * Reads a desk with what the client selects of it (its entries are planned ahead, with the read).
 * `root` may hold a read of the desk made ahead of this operation (answers.ts).
 */
async function readDesk(ctx: Context, propertyId: string, info: GraphQLResolveInfo, root?: unknown): Promise<DeskView> {
  const entries = selectsField(info, 'entries')
    ? await queryFromInfo({ context: ctx, info, typeName: 'Visit', path: ['entries'] })
    : null;
  const plan = { withCursor: selectsField(info, 'cursor'), entries, withCompliance: selectsField(info, 'entries', 'compliance') };
  const desk = await ctx.desk.read(propertyId, plan, viewReadAhead(root, propertyId));
  if (!desk) refuse('NOT_FOUND', UNKNOWN_PROPERTY);
  return desk;
}

const VisitorDeskRef = builder.objectRef<DeskView>('VisitorDesk');

VisitorDeskRef.implement({
  fields: (t) => ({
    property: t.field({ type: PropertyRef, resolve: (desk) => desk.property }),
    windowStart: t.field({
      type: 'DateTime',
      description: 'EXPECTED visits are on the desk from this expected arrival on…',
      resolve: (desk) => deskWindow(desk.property, desk.now).start,
    }),
    windowEnd: t.field({
      type: 'DateTime',
      description: '…up to this one.',
      resolve: (desk) => deskWindow(desk.property, desk.now).end,
    }),
    // Read with the desk (readDesk plans this field's query ahead).
    entries: t.prismaField({
      type: [VisitRef],
      description:
        "Visits the desk must see now: CHECKED_IN ones, and EXPECTED ones whose expected arrival falls inside the property's desk window around the current time. Ordered by expected arrival, then id.",
      resolve: (_query, desk) => desk.entries,
    }),
    cursor: t.string({
      description: "Position of this snapshot in the desk's event log: pass it as `after` to visitorDeskChanged.",
      resolve: (desk, _args, ctx) => ctx.desk.cursor(desk),
    }),
  }),
});

builder.queryField('visitorDesk', (t) =>
  t.field({
    type: VisitorDeskRef,
    args: { propertyId: t.arg.id({ required: true }) },
    resolve: async (root, args, ctx, info) => readDesk(ctx, await workedDesk(ctx, args.propertyId), info, root),
  }),
);

builder.prismaObjectField(PropertyRef, 'visitorDesk', (t) =>
  t.field({
    type: VisitorDeskRef,
    resolve: (property, _args, ctx, info) => {
      if (!ctx.access.worksDeskOf(property.id)) forbid(NOT_YOUR_DESK);
      return readDesk(ctx, property.id, info);
    },
  }),
);

const VisitorDeskEventRef = builder.objectRef<FeedEvent<DeskEvent>>('VisitorDeskEvent').implement({
  fields: (t) => ({
    kind: t.field({ type: VisitorDeskEventKindEnum, resolve: (e) => e.kind }),
    // The visit as committed, read when the event is delivered: once per event and
    // selection on this instance, shared by all the subscribers that ask the same.
    visit: t.prismaField({
      type: VisitRef,
      resolve: (query, e, _args, ctx) =>
        e.shared(`visit:${JSON.stringify(query)}`, () =>
          ctx.prisma.visit.findUniqueOrThrow({ ...query, where: { id: e.visitId } }),
        ),
    }),
    occurredAt: t.field({ type: 'DateTime', resolve: (e) => e.occurredAt }),
    cursor: t.string({
      description: 'Resume point: pass it as `after` to continue after this event.',
      resolve: (e, _args, ctx) => ctx.desk.cursorOf(e),
    }),
  }),
});

builder.subscriptionField('visitorDeskChanged', (t) =>
  t.field({
    type: VisitorDeskEventRef,
    description:
      "Every change to the property's desk queue: a visit generated or added (VISIT_ADDED), checked in, checked out by the desk or by work order completion (VISIT_CHECKED_OUT), changed, or taken off the queue (VISIT_REMOVED). Only events of this property. With `after` (a cursor of a visitorDesk snapshot or of an event), first replays in order every event after it, then goes live.",
    args: { propertyId: t.arg.id({ required: true }), after: t.arg.string() },
    subscribe: async (_root, args, ctx) => {
      const propertyId = await workedDesk(ctx, args.propertyId);
      // An administrator works every desk, even of an id that names no property.
      if (!(await ctx.desk.exists(propertyId))) refuse('NOT_FOUND', UNKNOWN_PROPERTY);
      const events = await ctx.desk.events(propertyId, args.after ?? null);
      return ctx.accessWatch.guard({ tokenId: ctx.tokenId, userId: ctx.viewer.id }, events, () => graphqlError(accessRevoked()));
    },
    resolve: (event: FeedEvent<DeskEvent>) => event,
  }),
);
