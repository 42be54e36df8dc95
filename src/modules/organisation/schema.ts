import * as organisation from './organisation.ts';
import * as settings from './settings.ts';
import { builder, connectionOf, PAGE_LIMIT } from '../../graphql/builder.ts';
import { idOf, optionalIdOf } from '../../graphql/global-id.ts';
import { into, perform } from '../../graphql/perform.ts';
import { VisitStatusEnum, WorkOrderStatusEnum } from '../../graphql/enums.ts';
import { UserErrorRef } from '../../graphql/errors.ts';
import { OnSitePolicyInput } from '../on-site/inputs.ts';
import { VisitConnection } from '../visits/schema.ts';
import { WorkOrderConnection } from '../work-orders/schema.ts';

// Properties, companies, users and the organisation-wide visitor settings.

const DeskWindowRef = builder.objectRef<{ deskLookBehindMinutes: number; deskLookAheadMinutes: number }>('DeskWindow').implement({
  description:
    'Which EXPECTED visits the Visitor Desk shows: those expected from lookBehindMinutes ago to lookAheadMinutes ahead.',
  fields: (t) => ({
    lookBehindMinutes: t.exposeInt('deskLookBehindMinutes'),
    lookAheadMinutes: t.exposeInt('deskLookAheadMinutes'),
  }),
});

const DeskWindowInput = builder.inputType('DeskWindowInput', {
  fields: (t) => ({
    lookBehindMinutes: t.int({ description: 'Minutes before now (0 to 43200).' }),
    lookAheadMinutes: t.int({ description: 'Minutes after now (0 to 43200).' }),
  }),
});

export const PropertyRef = builder.prismaNode('Property', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [ctx.access.propertyWhere()] }),
  fields: (t) => ({
    name: t.exposeString('name'),
    timeZone: t.exposeString('timeZone', { description: 'IANA name, e.g. "America/Chicago".' }),
    deskWindow: t.field({ type: DeskWindowRef, resolve: (property) => property }),
    workOrders: t.relatedConnection(
      'workOrders',
      {
        cursor: 'id',
        ...PAGE_LIMIT,
        description: 'Newest first.',
        args: { status: t.arg({ type: [WorkOrderStatusEnum], required: false }) },
        query: (args, ctx) => ({
          where: { AND: [args.status ? { status: { in: args.status } } : {}, ctx.access.workOrderWhere()] },
          orderBy: { id: 'desc' },
        }),
      },
      WorkOrderConnection,
    ),
    visits: t.relatedConnection(
      'visits',
      {
        cursor: 'id',
        ...PAGE_LIMIT,
        description: 'Newest first.',
        args: { status: t.arg({ type: [VisitStatusEnum], required: false }) },
        query: (args, ctx) => ({
          where: { AND: [args.status ? { status: { in: args.status } } : {}, ctx.access.visitWhere()] },
          orderBy: { id: 'desc' },
        }),
      },
      VisitConnection,
    ),
  }),
});

const PropertyConnection = connectionOf(PropertyRef, 'Property');

export const CompanyRef = builder.prismaNode('Company', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [ctx.access.companyWhere()] }),
  fields: (t) => ({
    name: t.exposeString('name'),
    autoCreateVisit: t.exposeBoolean('autoCreateVisit', {
      description: 'The "Auto-Create Visit" flag: work orders assigned to its users generate their visits.',
    }),
    users: t.relatedConnection(
      'users',
      { cursor: 'id', ...PAGE_LIMIT, query: (_args, ctx) => ({ where: ctx.access.userWhere(), orderBy: { id: 'asc' } }) },
      UserConnection,
    ),
  }),
});

export const UserRef = builder.prismaNode('User', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [ctx.access.userWhere()] }),
  fields: (t) => ({
    name: t.exposeString('name'),
    email: t.exposeString('email'),
    company: t.relation('company', { nullable: true, description: "Null for the property owner's own staff." }),
  }),
});

const CompanyConnection = connectionOf(CompanyRef, 'Company');
const UserConnection = connectionOf(UserRef, 'User');

const VisitorSettingsRef = builder.objectRef<{ workOrderIntegrationEnabled: boolean }>('VisitorSettings').implement({
  fields: (t) => ({
    workOrderIntegrationEnabled: t.exposeBoolean('workOrderIntegrationEnabled', {
      description: 'The "WO Integration" flag: generated visits, completion check-out and linking by Request ID.',
    }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.prismaField({
    type: 'User',
    nullable: true,
    description: 'The user the bearer token belongs to.',
    resolve: (query, _root, _args, ctx) => ctx.prisma.user.findUnique({ ...query, where: { id: ctx.viewer.id } }),
  }),
  visitorSettings: t.field({ type: VisitorSettingsRef, resolve: (_root, _args, ctx) => settings.visitorSettings(ctx.prisma) }),
  properties: t.prismaConnection(
    {
      type: 'Property',
      cursor: 'id',
      ...PAGE_LIMIT,
      description: 'Oldest first.',
      resolve: (query, _root, _args, ctx) =>
        ctx.prisma.property.findMany({ ...query, where: ctx.access.propertyWhere(), orderBy: { id: 'asc' } }),
    },
    PropertyConnection,
  ),
  companies: t.prismaConnection(
    {
      type: CompanyRef,
      cursor: 'id',
      ...PAGE_LIMIT,
      description: 'Oldest first.',
      resolve: (query, _root, _args, ctx) =>
        ctx.prisma.company.findMany({ ...query, where: ctx.access.companyWhere(), orderBy: { id: 'asc' } }),
    },
    CompanyConnection,
  ),
  users: t.prismaConnection(
    {
      type: UserRef,
      cursor: 'id',
      ...PAGE_LIMIT,
      description: 'Oldest first.',
      resolve: (query, _root, _args, ctx) =>
        ctx.prisma.user.findMany({ ...query, where: ctx.access.userWhere(), orderBy: { id: 'asc' } }),
    },
    UserConnection,
  ),
}));

builder.relayMutationField(
  'createProperty',
  {
    inputFields: (t) => ({
      name: t.string({ required: true }),
      timeZone: t.string({ required: true, description: 'IANA name, e.g. "America/Chicago".' }),
      deskWindow: t.field({ type: DeskWindowInput, description: 'Defaults to 720 minutes back and 1440 ahead.' }),
    }),
  },
  {
    resolve: (_root, { input }, ctx) => perform(ctx, () => into('property', organisation.createProperty(input))),
  },
  {
    outputFields: (t) => ({
      property: t.field({ type: PropertyRef, nullable: true, resolve: (p) => p.property }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

builder.relayMutationField(
  'updateProperty',
  {
    inputFields: (t) => ({
      propertyId: t.id({ required: true }),
      name: t.string(),
      timeZone: t.string(),
      deskWindow: t.field({ type: DeskWindowInput }),
      onSitePolicy: t.field({
        type: OnSitePolicyInput,
        description: "ADMIN or the property's PROPERTY_MANAGER (who may change only this).",
      }),
    }),
  },
  {
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () => into('property', organisation.updateProperty(idOf(input.propertyId, 'Property', 'propertyId'), input))),
  },
  {
    outputFields: (t) => ({
      property: t.field({ type: PropertyRef, nullable: true, resolve: (p) => p.property }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

builder.relayMutationField(
  'createCompany',
  {
    inputFields: (t) => ({
      name: t.string({ required: true }),
      autoCreateVisit: t.boolean({ description: 'Defaults to false.' }),
    }),
  },
  {
    resolve: (_root, { input }, ctx) => perform(ctx, () => into('company', organisation.createCompany(input))),
  },
  {
    outputFields: (t) => ({
      company: t.field({ type: CompanyRef, nullable: true, resolve: (p) => p.company }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

builder.relayMutationField(
  'updateCompany',
  {
    inputFields: (t) => ({
      companyId: t.id({ required: true }),
      name: t.string(),
      autoCreateVisit: t.boolean(),
      doNotDispatch: t.boolean({
        description: 'ADMIN: bars the company. No new work orders go to its users, and its people are not let in.',
      }),
    }),
  },
  {
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () => into('company', organisation.updateCompany(idOf(input.companyId, 'Company', 'companyId'), input))),
  },
  {
    outputFields: (t) => ({
      company: t.field({ type: CompanyRef, nullable: true, resolve: (p) => p.company }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

builder.relayMutationField(
  'createUser',
  {
    inputFields: (t) => ({
      name: t.string({ required: true }),
      email: t.string({ required: true }),
      companyId: t.id({ description: "Omit for the property owner's own staff." }),
    }),
  },
  {
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () =>
        into('user', organisation.createUser(optionalIdOf(input.companyId, 'Company', 'companyId') ?? null, input)),
      ),
  },
  {
    outputFields: (t) => ({
      user: t.field({ type: UserRef, nullable: true, resolve: (p) => p.user }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

builder.relayMutationField(
  'updateVisitorSettings',
  { inputFields: (t) => ({ workOrderIntegrationEnabled: t.boolean() }) },
  {
    resolve: (_root, { input }, ctx) => perform(ctx, () => into('visitorSettings', settings.updateVisitorSettings(input))),
  },
  {
    outputFields: (t) => ({
      visitorSettings: t.field({ type: VisitorSettingsRef, nullable: true, resolve: (p) => p.visitorSettings }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);
