import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { queryFromInfo } from '@pothos/plugin-prisma';
import type { Prisma, Property } from '../../generated/prisma/client.ts';
import { deskWindow } from '../../domain/desk.ts';
import { coveredByDeskRead, loadEntries, readDesk, type DeskRead, type VisitQuery } from '../../domain/desk-read.ts';
import { advanceDesk } from '../../domain/desk-clock.ts';
import type { DeskEvent } from '../../events/desk-events.ts';
import { runWork, SYSTEM } from '../../domain/unit-of-work.ts';
import { deskLogHead } from '../../events/desk-log.ts';
import { CursorError, type FeedEvent } from '../../events/desk-feed.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { decodeDeskCursor, encodeDeskCursor } from '../desk-cursor.ts';
import { decodeGlobalID } from '../global-id.ts';
import { forbiddenError, notFoundError, revokedError } from '../refusals.ts';
import { selectsField } from '../selection.ts';
import { VisitorDeskEventKindEnum } from './enums.ts';
import { PropertyRef } from './organisation.ts';
import { VisitRef } from './visit.ts';

// The Visitor Desk: the queue a property's front desk works from, and its live changes.

const UNKNOWN_PROPERTY = 'No property exists with this propertyId; use an id from the properties query.';

/**
 * One read of a desk. With the cursor selected, its entries and its cursor come from one
 * snapshot: they are read while the property's log head is share-locked, so no change can
 * commit between them, and a client that subscribes with the cursor sees every later change
 * exactly once.
 */
interface DeskView extends DeskRead {
  now: Date;
  /** The log position of the snapshot, when the cursor was read with it. */
  seq: number | null;
}

/**
 * Reads a desk at the current time (NOT_FOUND when no property has this id). The queue is moved to
 * now first (visits whose window opened or passed since the desk clock's last pass), so what
 * is read matches the event log. Usually nothing is due, and that costs no extra statement.
 */
export async function openDesk(ctx: Context, propertyId: string, info: GraphQLResolveInfo): Promise<DeskView> {
  const withCursor = selectsField(info, 'cursor');
  // What the client selects of each entry, planned here so that entries are read with the desk.
  const entriesQuery: VisitQuery | null = selectsField(info, 'entries')
    ? await queryFromInfo({ context: ctx, info, typeName: 'Visit', path: ['entries'] })
    : null;
  const now = ctx.clock.now();
  const readAt = async (db: Prisma.TransactionClient) => {
    const desk = await readDesk(db, propertyId, now);
    if (desk && entriesQuery && !coveredByDeskRead(entriesQuery))
      desk.entries = await loadEntries(db, desk.entries, entriesQuery);
    return desk;
  };
  const read = async () => {
    if (!withCursor) return { desk: await readAt(ctx.prisma), seq: null };
    return ctx.prisma.$transaction(async (tx) => {
      const head = await tx.$queryRaw<{ lastSeq: number }[]>`
        SELECT "lastSeq" FROM "DeskStream" WHERE "propertyId" = ${propertyId}::uuid FOR SHARE`;
      return { desk: await readAt(tx), seq: head[0]?.lastSeq ?? 0 };
    });
  };
  let { desk, seq } = await read();
  if (desk?.movesDue) {
    const deps = {
      prisma: ctx.prisma,
      clock: { now: () => now },
      publish: (events: DeskEvent[]) => ctx.deskFeed.announce(events),
    };
    await runWork(deps, SYSTEM, (work) => advanceDesk(work, propertyId));
    // Once: visits another instance is moving right now (rows it holds) are its to announce.
    ({ desk, seq } = await read());
  }
  if (!desk) throw notFoundError(UNKNOWN_PROPERTY);
  return { ...desk, now, seq };
}

export const VisitorDeskRef = builder.objectRef<DeskView>('VisitorDesk');

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
    // Read with the desk (openDesk plans this field's query ahead).
    entries: t.prismaField({
      type: [VisitRef],
      description:
        "Visits the desk must see now: CHECKED_IN ones, and EXPECTED ones whose expected arrival falls inside the property's desk window around the current time. Ordered by expected arrival, then id.",
      resolve: (_query, desk) => desk.entries,
    }),
    cursor: t.string({
      description: "Position of this snapshot in the desk's event log: pass it as `after` to visitorDeskChanged.",
      resolve: async (desk, _args, ctx) =>
        encodeDeskCursor(desk.property.id, desk.seq ?? (await deskLogHead(ctx.prisma, desk.property.id)).lastSeq),
    }),
  }),
});

/**
 * Refuses a desk the viewer may not work: NOT_FOUND for a property they cannot see (exactly
 * like an unknown one), FORBIDDEN for one they see but may not work.
 */
async function refuseDesk(ctx: Context, typename: string, id: string): Promise<never> {
  const visible =
    typename === 'Property' && (await ctx.prisma.property.count({ where: { id, AND: [ctx.access.propertyWhere()] } })) > 0;
  if (visible && !ctx.access.worksDeskOf(id)) {
    throw forbiddenError("Your role does not include this property's Visitor Desk; ask an administrator for a DESK role.");
  }
  throw notFoundError(UNKNOWN_PROPERTY);
}

/** The property a desk argument names, if the viewer works its desk (else refused). */
async function deskProperty(ctx: Context, propertyId: string): Promise<Property> {
  const { typename, id } = decodeGlobalID(propertyId);
  const property =
    typename === 'Property' && ctx.access.worksDeskOf(id) ? await ctx.prisma.property.findUnique({ where: { id } }) : null;
  return property ?? refuseDesk(ctx, typename, id);
}

builder.queryField('visitorDesk', (t) =>
  t.field({
    type: VisitorDeskRef,
    args: { propertyId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx, info) => {
      const { typename, id } = decodeGlobalID(args.propertyId);
      return typename === 'Property' && ctx.access.worksDeskOf(id) ? openDesk(ctx, id, info) : refuseDesk(ctx, typename, id);
    },
  }),
);

const VisitorDeskEventRef = builder.objectRef<FeedEvent>('VisitorDeskEvent').implement({
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
      resolve: (e) => encodeDeskCursor(e.propertyId, e.seq),
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
      const property = await deskProperty(ctx, args.propertyId);
      const after = args.after == null ? null : decodeDeskCursor(args.after, property.id);
      try {
        const events = await ctx.deskFeed.open(property.id, after);
        return ctx.accessWatch.guard({ tokenId: ctx.tokenId, userId: ctx.viewer.id }, events, revokedError);
      } catch (err) {
        if (err instanceof CursorError) throw new GraphQLError(err.message, { extensions: { code: err.code } });
        throw err;
      }
    },
    resolve: (event: FeedEvent) => event,
  }),
);
