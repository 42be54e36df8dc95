import { AccountedForHow, EvacuationEventKind } from '../../generated/prisma/client.ts';
import { builder } from '../../graphql/builder.ts';
import { decodeGlobalID, idOf } from '../../graphql/global-id.ts';
import { perform, into } from '../../graphql/perform.ts';
import { graphqlError, UserErrorRef } from '../../graphql/errors.ts';
import { refuse } from '../../core/errors.ts';
import { accessRevoked } from '../access/watch.ts';
import { PropertyRef } from '../organisation/schema.ts';
import '../visits/schema.ts';
import { endEvacuation, markAccountedFor, startEvacuation } from './roll-call.ts';
import type { EvacuationFeedEvent } from './service.ts';
import type { EvacuationStart } from './log.ts';

// The evacuation roll call in GraphQL: the open one on its property, the list with its
// counts, the three mutations, and the live stream of its changes.

const AccountedForHowEnum = builder.enumType(AccountedForHow, { name: 'AccountedForHow' });
const EvacuationEventKindEnum = builder.enumType(EvacuationEventKind, { name: 'EvacuationEventKind' });

builder.prismaObject('EvacuationPerson', {
  fields: (t) => ({
    visit: t.relation('visit'),
    addedAt: t.expose('addedAt', { type: 'DateTime', description: 'When they joined the list: its start, or their check-in.' }),
    accountedForAt: t.expose('accountedForAt', { type: 'DateTime', nullable: true }),
    accountedForHow: t.expose('accountedForHow', { type: AccountedForHowEnum, nullable: true }),
    accountedForBy: t.relation('accountedForBy', {
      nullable: true,
      description: 'Who marked them, or checked them out; null when the scheduler did.',
    }),
  }),
});

export const EvacuationRef = builder.prismaNode('Evacuation', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [ctx.access.evacuationWhere()] }),
  fields: (t) => ({
    property: t.relation('property'),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    startedBy: t.relation('startedBy', { nullable: true }),
    endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
    endedBy: t.relation('endedBy', { nullable: true }),
    people: t.relation('people', {
      description: 'Everyone checked in when it started, and anyone checked in since: still missing first, then by name.',
      query: {
        orderBy: [{ accountedForAt: { sort: 'desc', nulls: 'first' } }, { visit: { visitorName: 'asc' } }, { visitId: 'asc' }],
      },
    }),
    accountedFor: t.relationCount('people', { where: { accountedForAt: { not: null } } }),
    missing: t.relationCount('people', { where: { accountedForAt: null } }),
    cursor: t.string({
      description: 'Position of this read in its event log: pass it as `after` to evacuationChanged.',
      select: { lastSeq: true },
      resolve: (e, _args, ctx) => ctx.evacuations.cursor(e),
    }),
  }),
});

builder.prismaObjectField(PropertyRef, 'evacuation', (t) =>
  t.prismaField({
    type: 'Evacuation',
    nullable: true,
    description: "The evacuation under way, if any: for the property's desk staff, managers and administrators.",
    select: { id: true },
    resolve: (query, property, _args, ctx) =>
      ctx.access.worksDeskOf(property.id)
        ? ctx.prisma.evacuation.findFirst({ ...query, where: { propertyId: property.id, endedAt: null } })
        : null,
  }),
);

// Each mutation answers the evacuation as it is after the change, or why nothing changed.

builder.relayMutationField(
  'startEvacuation',
  { inputFields: (t) => ({ propertyId: t.id({ required: true }) }) },
  {
    description: 'Starts the roll call: everyone checked in now is on its list. One at a time per property.',
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () => into('evacuation', startEvacuation(idOf(input.propertyId, 'Property', 'propertyId')))),
  },
  {
    outputFields: (t) => ({
      evacuation: t.field({ type: EvacuationRef, nullable: true, resolve: (p) => p.evacuation }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

builder.relayMutationField(
  'markAccountedFor',
  { inputFields: (t) => ({ evacuationId: t.id({ required: true }), visitId: t.id({ required: true }) }) },
  {
    description: 'Someone on the list is accounted for: recorded once, with who and when; again changes nothing.',
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () =>
        into(
          'evacuation',
          markAccountedFor(idOf(input.evacuationId, 'Evacuation', 'evacuationId'), idOf(input.visitId, 'Visit', 'visitId')),
        ),
      ),
  },
  {
    outputFields: (t) => ({
      evacuation: t.field({ type: EvacuationRef, nullable: true, resolve: (p) => p.evacuation }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

builder.relayMutationField(
  'endEvacuation',
  { inputFields: (t) => ({ evacuationId: t.id({ required: true }) }) },
  {
    description: 'Calls the roll call off; its list stays as it was.',
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () => into('evacuation', endEvacuation(idOf(input.evacuationId, 'Evacuation', 'evacuationId')))),
  },
  {
    outputFields: (t) => ({
      evacuation: t.field({ type: EvacuationRef, nullable: true, resolve: (p) => p.evacuation }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

const EvacuationEventRef = builder.objectRef<EvacuationFeedEvent>('EvacuationEvent').implement({
  fields: (t) => ({
    kind: t.field({ type: EvacuationEventKindEnum, resolve: (e) => e.kind }),
    // As committed, read when the event is delivered: once per event and selection on this
    // instance, shared by the subscribers that ask the same.
    evacuation: t.prismaField({
      type: 'Evacuation',
      resolve: (query, e, _args, ctx) =>
        e.shared(`evacuation:${JSON.stringify(query)}`, () =>
          ctx.prisma.evacuation.findUniqueOrThrow({ ...query, where: { id: e.evacuationId } }),
        ),
    }),
    visit: t.prismaField({
      type: 'Visit',
      nullable: true,
      description: 'Who joined the list or was accounted for (PERSON_ADDED, ACCOUNTED_FOR).',
      resolve: (query, e, _args, ctx) =>
        e.visitId
          ? e.shared(`visit:${JSON.stringify(query)}`, () => ctx.prisma.visit.findUnique({ ...query, where: { id: e.visitId! } }))
          : null,
    }),
    occurredAt: t.field({ type: 'DateTime', resolve: (e) => e.occurredAt }),
    cursor: t.string({
      description: 'Pass as `after` to resume with no gap and no duplicate.',
      resolve: (e, _args, ctx) => ctx.evacuations.cursorOf(e),
    }),
  }),
});

const UNKNOWN_EVACUATION =
  "No evacuation of a property whose desk you work has this id; use the id of the property's evacuation.";

builder.subscriptionField('evacuationChanged', (t) =>
  t.field({
    type: EvacuationEventRef,
    description:
      'Every change to an evacuation: started, someone joined the list (checked in), someone accounted for (marked or checked out), ended; the stream completes after ENDED. With `after` (the cursor of the evacuation or of an event), first replays in order every change after it, then goes live.',
    args: { evacuationId: t.arg.id({ required: true }), after: t.arg.string() },
    subscribe: async (_root, args, ctx) => {
      const { typename, id } = decodeGlobalID(args.evacuationId);
      const evacuation = typename === 'Evacuation' ? await ctx.evacuations.find(id) : null;
      if (!evacuation || !ctx.access.worksDeskOf(evacuation.propertyId)) refuse('NOT_FOUND', UNKNOWN_EVACUATION);
      const events = await ctx.evacuations.events(evacuation, args.after ?? null);
      return ctx.accessWatch.guard({ tokenId: ctx.tokenId, userId: ctx.viewer.id }, events, () => graphqlError(accessRevoked()));
    },
    resolve: (event: EvacuationFeedEvent) => event,
  }),
);

builder.subscriptionField('evacuationStarted', (t) =>
  t.prismaField({
    type: 'Evacuation',
    description:
      "The property's evacuation under way, if any, then each one that starts, whoever started it: a display switches to its roll call and follows it with evacuationChanged.",
    args: { propertyId: t.arg.id({ required: true }) },
    subscribe: async (_root, args, ctx) => {
      const { typename, id } = decodeGlobalID(args.propertyId);
      const staffed =
        typename === 'Property' && ctx.access.worksDeskOf(id) && (await ctx.prisma.property.count({ where: { id } })) > 0;
      if (!staffed) refuse('NOT_FOUND', 'No property whose desk you work has this id; use the id of your property.');
      const starts = await ctx.evacuations.startsAt(id);
      return ctx.accessWatch.guard({ tokenId: ctx.tokenId, userId: ctx.viewer.id }, starts, () => graphqlError(accessRevoked()));
    },
    resolve: (query, start: EvacuationStart, _args, ctx) =>
      ctx.prisma.evacuation.findUniqueOrThrow({ ...query, where: { id: start.evacuationId } }),
  }),
);
