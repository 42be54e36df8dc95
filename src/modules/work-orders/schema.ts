import * as workOrders from './work-orders.ts';
import { formatRequestId } from './request-id.ts';
import { builder, connectionOf } from '../../graphql/builder.ts';
import { idOf, optionalIdOf } from '../../graphql/global-id.ts';
import { perform } from '../../graphql/perform.ts';
import { WorkOrderStatusEnum } from '../../graphql/enums.ts';
import { UserErrorRef } from '../../graphql/errors.ts';
import { VisitRef } from '../visits/schema.ts';

export const WorkOrderRef = builder.prismaNode('WorkOrder', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [ctx.access.workOrderWhere()] }),
  fields: (t) => ({
    requestId: t.string({
      description: 'Human-readable Request ID, unique, e.g. "WO-000042".',
      resolve: (wo) => formatRequestId(wo.number),
    }),
    property: t.relation('property'),
    title: t.exposeString('title'),
    description: t.exposeString('description', { nullable: true }),
    status: t.expose('status', { type: WorkOrderStatusEnum }),
    assignee: t.relation('assignee', { nullable: true }),
    scheduledStart: t.expose('scheduledStart', { type: 'DateTime', nullable: true }),
    scheduledEnd: t.expose('scheduledEnd', { type: 'DateTime', nullable: true }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    externalSource: t.exposeString('externalSource', {
      nullable: true,
      description: 'The system that owns it, e.g. "servicechannel"; null when created here.',
    }),
    externalId: t.exposeString('externalId', { nullable: true, description: "The work order's id in that system." }),
    visits: t.relation('visits', {
      description: 'Every visit linked to this work order, oldest first.',
      query: (_args, ctx) => ({ where: ctx.access.visitWhere(), orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    }),
  }),
});

export const WorkOrderConnection = connectionOf(WorkOrderRef, 'WorkOrder');

builder.prismaObjectField(VisitRef, 'workOrder', (t) =>
  t.field({
    type: WorkOrderRef,
    nullable: true,
    description: 'The linked work order (its Request ID).',
    select: (_args, _ctx, nestedSelection) => ({ workOrder: nestedSelection(true) }),
    // A vendor's own visit may be linked to a work order that is not theirs (any more).
    resolve: (visit, _args, ctx) => (visit.workOrder && ctx.access.seesWorkOrder(visit.workOrder) ? visit.workOrder : null),
  }),
);

builder.queryField('workOrderByRequestId', (t) =>
  t.prismaField({
    type: 'WorkOrder',
    nullable: true,
    args: { requestId: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const wo = await workOrders.findByRequestId(ctx.prisma, args.requestId, ctx.access.workOrderWhere());
      return wo && ctx.prisma.workOrder.findUnique({ ...query, where: { id: wo.id } });
    },
  }),
);

builder.queryField('workOrderByExternalId', (t) =>
  t.prismaField({
    type: 'WorkOrder',
    nullable: true,
    description: 'The work order another system pushed in with upsertWorkOrder under this id, if you may see it.',
    args: { externalSource: t.arg.string({ required: true }), externalId: t.arg.string({ required: true }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.workOrder.findFirst({
        ...query,
        where: {
          externalSource: args.externalSource.trim(),
          externalId: args.externalId.trim(),
          AND: [ctx.access.workOrderWhere()],
        },
      }),
  }),
);

builder.relayMutationField(
  'upsertWorkOrder',
  {
    inputFields: (t) => ({
      externalSource: t.string({ required: true, description: 'The system that owns the work order, e.g. "servicechannel".' }),
      externalId: t.string({ required: true, description: "The work order's id in that system." }),
      propertyId: t.id({ required: true }),
      title: t.string({ required: true }),
      description: t.string({ description: 'Left out: unchanged; null or blank clears it.' }),
      assigneeId: t.id({ description: 'Left out: unchanged; null unassigns.' }),
      scheduledStart: t.field({ type: 'DateTime' }),
      scheduledEnd: t.field({ type: 'DateTime' }),
      status: t.field({
        type: WorkOrderStatusEnum,
        description: 'COMPLETED completes it, with every effect of completeWorkOrder.',
      }),
    }),
  },
  {
    description:
      'Creates or updates the work order another system knows by (externalSource, externalId), with the same effects as createWorkOrder, updateWorkOrder and completeWorkOrder. The same call again changes nothing.',
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () =>
        workOrders.upsertWorkOrder({
          ...input,
          propertyId: idOf(input.propertyId, 'Property', 'propertyId'),
          assigneeId: optionalIdOf(input.assigneeId, 'User', 'assigneeId'),
        }),
      ),
  },
  {
    outputFields: (t) => ({
      workOrder: t.field({ type: WorkOrderRef, nullable: true, resolve: (p) => p.workOrder }),
      created: t.boolean({ nullable: true, description: 'True when this call created it.', resolve: (p) => p.created }),
      generatedVisit: t.field({ type: VisitRef, nullable: true, resolve: (p) => p.generatedVisit }),
      generatedVisits: t.field({ type: [VisitRef], resolve: (p) => p.generatedVisits ?? [] }),
      checkedOutVisits: t.field({
        type: [VisitRef],
        description: 'When this call completed it: the visits checked out or cancelled.',
        resolve: (p, _args, ctx) => (p.checkedOutVisits ?? []).filter((v) => ctx.access.seesVisit(v)),
      }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

builder.relayMutationField(
  'createWorkOrder',
  {
    inputFields: (t) => ({
      propertyId: t.id({ required: true }),
      title: t.string({ required: true }),
      description: t.string(),
      assigneeId: t.id({ description: 'A user of a company flagged Auto-Create Visit gets a visit generated.' }),
      scheduledStart: t.field({ type: 'DateTime' }),
      scheduledEnd: t.field({ type: 'DateTime' }),
    }),
  },
  {
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () =>
        workOrders.createWorkOrder({
          ...input,
          propertyId: idOf(input.propertyId, 'Property', 'propertyId'),
          assigneeId: optionalIdOf(input.assigneeId, 'User', 'assigneeId'),
        }),
      ),
  },
  {
    outputFields: (t) => ({
      workOrder: t.field({ type: WorkOrderRef, nullable: true, resolve: (p) => p.workOrder }),
      generatedVisit: t.field({
        type: VisitRef,
        nullable: true,
        description: "The first day's visit the integration created, if it created any.",
        resolve: (p) => p.generatedVisit,
      }),
      generatedVisits: t.field({
        type: [VisitRef],
        description: 'The visits the integration created: one per day of the scheduled window, first day first.',
        resolve: (p) => p.generatedVisits ?? [],
      }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

builder.relayMutationField(
  'updateWorkOrder',
  {
    inputFields: (t) => ({
      workOrderId: t.id({ required: true }),
      title: t.string(),
      description: t.string({ description: 'Null or blank clears it.' }),
      assigneeId: t.id({ description: 'Null unassigns.' }),
      scheduledStart: t.field({ type: 'DateTime' }),
      scheduledEnd: t.field({ type: 'DateTime' }),
      status: t.field({ type: WorkOrderStatusEnum, description: 'Any status but COMPLETED; completion has its own mutation.' }),
    }),
  },
  {
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () =>
        workOrders.updateWorkOrder({
          ...input,
          workOrderId: idOf(input.workOrderId, 'WorkOrder', 'workOrderId'),
          assigneeId: optionalIdOf(input.assigneeId, 'User', 'assigneeId'),
        }),
      ),
  },
  {
    outputFields: (t) => ({
      workOrder: t.field({ type: WorkOrderRef, nullable: true, resolve: (p) => p.workOrder }),
      generatedVisit: t.field({ type: VisitRef, nullable: true, resolve: (p) => p.generatedVisit }),
      generatedVisits: t.field({
        type: [VisitRef],
        description: "The visits this change generated: a new assignee's days, or days a longer window added.",
        resolve: (p) => p.generatedVisits ?? [],
      }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

builder.relayMutationField(
  'completeWorkOrder',
  { inputFields: (t) => ({ workOrderId: t.id({ required: true }) }) },
  {
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () => workOrders.completeWorkOrder(idOf(input.workOrderId, 'WorkOrder', 'workOrderId'))),
  },
  {
    outputFields: (t) => ({
      workOrder: t.field({ type: WorkOrderRef, nullable: true, resolve: (p) => p.workOrder }),
      checkedOutVisits: t.field({
        type: [VisitRef],
        description: 'The visits the integration checked out (visitor on site) or cancelled (never arrived).',
        // A vendor completing their work order may close visits of others they cannot see.
        resolve: (p, _args, ctx) => (p.checkedOutVisits ?? []).filter((v) => ctx.access.seesVisit(v)),
      }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);
