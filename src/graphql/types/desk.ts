import { GraphQLError } from 'graphql';
import type { Property } from '../../generated/prisma/client.ts';
import { DESK_ORDER, deskWhere, deskWindow } from '../../domain/desk.ts';
import type { DeskEvent } from '../../events/desk-events.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { decodeGlobalID } from '../global-id.ts';
import { VisitorDeskEventKindEnum } from './enums.ts';
import { PropertyRef } from './organisation.ts';

// The Visitor Desk: the queue a property's front desk works from, and its live changes.

export const VisitorDeskRef = builder.objectRef<{ property: Property }>('VisitorDesk');

VisitorDeskRef.implement({
  fields: (t) => ({
    property: t.field({ type: PropertyRef, resolve: (desk) => desk.property }),
    windowStart: t.field({
      type: 'DateTime',
      description: 'EXPECTED visits are on the desk from this expected arrival on…',
      resolve: (desk, _args, ctx) => deskWindow(desk.property, ctx.clock.now()).start,
    }),
    windowEnd: t.field({
      type: 'DateTime',
      description: '…up to this one.',
      resolve: (desk, _args, ctx) => deskWindow(desk.property, ctx.clock.now()).end,
    }),
    entries: t.prismaField({
      type: ['Visit'],
      description:
        "Visits the desk must see now: CHECKED_IN ones, and EXPECTED ones whose expected arrival falls inside the property's desk window around the current time. Ordered by expected arrival, then id.",
      resolve: (query, desk, _args, ctx) =>
        ctx.prisma.visit.findMany({
          ...query,
          where: deskWhere(desk.property.id, deskWindow(desk.property, ctx.clock.now())),
          orderBy: DESK_ORDER,
        }),
    }),
  }),
});

/** The property a desk argument names; an unknown one is a clean NOT_FOUND error. */
async function deskProperty(ctx: Context, propertyId: string): Promise<Property> {
  const { typename, id } = decodeGlobalID(propertyId);
  const property = typename === 'Property' ? await ctx.prisma.property.findUnique({ where: { id } }) : null;
  if (!property) {
    throw new GraphQLError('No property exists with this propertyId; use an id from the properties query.', {
      extensions: { code: 'NOT_FOUND' },
    });
  }
  return property;
}

builder.queryField('visitorDesk', (t) =>
  t.field({
    type: VisitorDeskRef,
    args: { propertyId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => ({ property: await deskProperty(ctx, args.propertyId) }),
  }),
);

const VisitorDeskEventRef = builder.objectRef<DeskEvent>('VisitorDeskEvent').implement({
  fields: (t) => ({
    kind: t.field({ type: VisitorDeskEventKindEnum, resolve: (e) => e.kind }),
    // Re-read at delivery: the event carries only ids, so it is the visit as committed.
    visit: t.prismaField({
      type: 'Visit',
      resolve: (query, e, _args, ctx) => ctx.prisma.visit.findUniqueOrThrow({ ...query, where: { id: e.visitId } }),
    }),
    occurredAt: t.field({ type: 'DateTime', resolve: (e) => new Date(e.occurredAt) }),
  }),
});

builder.subscriptionField('visitorDeskChanged', (t) =>
  t.field({
    type: VisitorDeskEventRef,
    description:
      "Every change to the property's desk queue: a visit generated or added (VISIT_ADDED), checked in, checked out by the desk or by work order completion (VISIT_CHECKED_OUT), changed, or taken off the queue (VISIT_REMOVED). Only events of this property.",
    args: { propertyId: t.arg.id({ required: true }) },
    subscribe: async (_root, args, ctx) => {
      const property = await deskProperty(ctx, args.propertyId);
      return ctx.deskEvents.subscribe(property.id);
    },
    resolve: (event: DeskEvent) => event,
  }),
);
