import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { Property, Visit } from '../../generated/prisma/client.ts';
import { DESK_ORDER, deskWhere, deskWindow } from '../../domain/desk.ts';
import { advanceDesk, deskMovesDue } from '../../domain/desk-clock.ts';
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

/**
 * One read of a desk. Its entries and its cursor come from one snapshot: the entries are
 * read while the property's log head is share-locked, so no change can commit between
 * them, and a client that subscribes with the cursor sees every later change exactly once.
 */
class DeskView {
  private readonly snapshot: Promise<number>;
  private settle!: { resolve(seq: number): void; reject(err: unknown): void };

  constructor(
    readonly property: Property,
    readonly now: Date,
    /** Whether the entries are read too; otherwise the cursor is read alone. */
    readonly withEntries: boolean,
    /** Whether the cursor is read too; otherwise the entries need no snapshot with it. */
    readonly withCursor: boolean,
  ) {
    this.snapshot = new Promise<number>((resolve, reject) => (this.settle = { resolve, reject }));
    this.snapshot.catch(() => {});
  }

  async entries(ctx: Context, query: object): Promise<Visit[]> {
    const read = { ...query, where: deskWhere(this.property.id), orderBy: DESK_ORDER };
    if (!this.withCursor) return ctx.prisma.visit.findMany(read);
    try {
      const [seq, entries] = await ctx.prisma.$transaction(async (tx) => {
        const head = await tx.$queryRaw<{ lastSeq: number }[]>`
          SELECT "lastSeq" FROM "DeskStream" WHERE "propertyId" = ${this.property.id}::uuid FOR SHARE`;
        const visits = await tx.visit.findMany(read);
        return [head[0]?.lastSeq ?? 0, visits] as const;
      });
      this.settle.resolve(seq);
      return entries;
    } catch (err) {
      this.settle.reject(err);
      throw err;
    }
  }

  async cursor(ctx: Context): Promise<string> {
    const seq = this.withEntries ? await this.snapshot : (await deskLogHead(ctx.prisma, this.property.id)).lastSeq;
    return encodeDeskCursor(this.property.id, seq);
  }
}

/**
 * Opens a desk for reading: first moves the queue to now (visits whose window opened or
 * passed since the desk clock's last pass), so what is read matches the event log.
 */
export async function openDesk(ctx: Context, property: Property, info: GraphQLResolveInfo): Promise<DeskView> {
  const now = ctx.clock.now();
  // Usually nothing is due: one cheap read, and no write transaction.
  if (await deskMovesDue(ctx.prisma, property.id, now)) {
    const deps = {
      prisma: ctx.prisma,
      clock: { now: () => now },
      publish: (events: DeskEvent[]) => ctx.deskFeed.announce(events),
    };
    await runWork(deps, SYSTEM, (work) => advanceDesk(work, property.id));
  }
  return new DeskView(property, now, selectsField(info, 'entries'), selectsField(info, 'cursor'));
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
    entries: t.prismaField({
      type: [VisitRef],
      description:
        "Visits the desk must see now: CHECKED_IN ones, and EXPECTED ones whose expected arrival falls inside the property's desk window around the current time. Ordered by expected arrival, then id.",
      resolve: (query, desk, _args, ctx) => desk.entries(ctx, query),
    }),
    cursor: t.string({
      description: "Position of this snapshot in the desk's event log: pass it as `after` to visitorDeskChanged.",
      resolve: (desk, _args, ctx) => desk.cursor(ctx),
    }),
  }),
});

/**
 * The property a desk argument names, if the viewer works its desk. One they cannot see
 * is NOT_FOUND, exactly like an unknown one; one they see but may not work is FORBIDDEN.
 */
async function deskProperty(ctx: Context, propertyId: string): Promise<Property> {
  const { typename, id } = decodeGlobalID(propertyId);
  const property =
    typename === 'Property' ? await ctx.prisma.property.findFirst({ where: { id, AND: [ctx.access.propertyWhere()] } }) : null;
  if (!property) throw notFoundError('No property exists with this propertyId; use an id from the properties query.');
  if (!ctx.access.worksDeskOf(property.id)) {
    throw forbiddenError("Your role does not include this property's Visitor Desk; ask an administrator for a DESK role.");
  }
  return property;
}

builder.queryField('visitorDesk', (t) =>
  t.field({
    type: VisitorDeskRef,
    args: { propertyId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx, info) => openDesk(ctx, await deskProperty(ctx, args.propertyId), info),
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
