import { ComplianceDocumentKind } from '../../generated/prisma/client.ts';
import { refuse } from '../../core/errors.ts';
import { builder } from '../../graphql/builder.ts';
import { UserErrorRef } from '../../graphql/errors.ts';
import { decodeGlobalID, encodeGlobalID, idOf } from '../../graphql/global-id.ts';
import { into, perform } from '../../graphql/perform.ts';
import { CompanyRef, PropertyRef } from '../organisation/schema.ts';
import { VisitRef } from '../visits/schema.ts';
import * as documents from './documents.ts';
import { knownFacts } from './facts.ts';
import { visitCompliance } from './gate.ts';
import { documentStatus, judge, type ComplianceCheck, type ComplianceProblem } from './rules.ts';

// The compliance gate in GraphQL: documents, requirements, and the checks on companies and
// visits. Fields on other modules' types are attached from here.

const ComplianceDocumentKindEnum = builder.enumType(ComplianceDocumentKind, { name: 'ComplianceDocumentKind' });

const ComplianceDocumentStatusEnum = builder.enumType('ComplianceDocumentStatus', {
  values: {
    PENDING_APPROVAL: {
      description: 'Added by the vendor itself; counts only once an administrator or a property manager approves it.',
    },
    NOT_YET_EFFECTIVE: {},
    VALID: {},
    EXPIRED: {},
  },
});

const ComplianceProblemCodeEnum = builder.enumType('ComplianceProblemCode', {
  values: {
    DO_NOT_DISPATCH: {},
    MISSING_DOCUMENT: { description: 'None approved (the message says when one awaits approval).' },
    EXPIRED_DOCUMENT: { description: 'The latest approved one has expired (also in a gap before a renewal starts).' },
    NOT_YET_EFFECTIVE: { description: 'Only approved ones that start later.' },
  },
});

const ComplianceProblemRef = builder.objectRef<ComplianceProblem>('ComplianceProblem').implement({
  fields: (t) => ({
    code: t.field({ type: ComplianceProblemCodeEnum, resolve: (p) => p.code }),
    kind: t.field({
      type: ComplianceDocumentKindEnum,
      nullable: true,
      description: 'Null for DO_NOT_DISPATCH.',
      resolve: (p) => p.kind,
    }),
    message: t.exposeString('message', { description: 'One sentence a desk clerk can act on.' }),
  }),
});

const ComplianceCheckRef = builder.objectRef<ComplianceCheck>('ComplianceCheck').implement({
  fields: (t) => ({
    compliant: t.exposeBoolean('compliant'),
    problems: t.field({ type: [ComplianceProblemRef], resolve: (c) => c.problems }),
  }),
});

const ComplianceDocumentRef = builder.prismaNode('ComplianceDocument', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [ctx.access.complianceDocumentWhere()] }),
  fields: (t) => ({
    company: t.relation('company'),
    kind: t.expose('kind', { type: ComplianceDocumentKindEnum }),
    reference: t.exposeString('reference', { nullable: true, description: 'Policy or licence number.' }),
    effectiveFrom: t.expose('effectiveFrom', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'No longer valid from this instant on.' }),
    status: t.field({
      type: ComplianceDocumentStatusEnum,
      description: 'As of now.',
      select: { effectiveFrom: true, expiresAt: true, approvedAt: true },
      resolve: (doc, _args, ctx) => documentStatus(doc, ctx.clock.now()),
    }),
  }),
});

interface Override {
  reason: string;
  byId: string | null;
  at: Date;
}

const ComplianceOverrideRef = builder.objectRef<Override>('ComplianceOverride').implement({
  description: 'A manager let in a visitor whose company was not compliant.',
  fields: (t) => ({
    reason: t.exposeString('reason'),
    by: t.prismaField({
      type: 'User',
      nullable: true,
      resolve: (query, o, _args, ctx) =>
        o.byId ? ctx.prisma.user.findFirst({ ...query, where: { id: o.byId, AND: [ctx.access.userWhere()] } }) : null,
    }),
    at: t.field({ type: 'DateTime', resolve: (o) => o.at }),
  }),
});

builder.prismaObjectFields(CompanyRef, (t) => ({
  doNotDispatch: t.exposeBoolean('doNotDispatch', {
    description: 'Barred by an administrator: no new work orders go to its users, and its people are not let in.',
  }),
  complianceDocuments: t.relation('complianceDocuments', {
    description: 'Its documents on file, latest expiry first, then newest.',
    query: { where: { removedAt: null }, orderBy: [{ expiresAt: 'desc' }, { createdAt: 'desc' }, { id: 'desc' }] },
  }),
  compliance: t.field({
    type: ComplianceCheckRef,
    description: 'May this company work at the property at that moment (default: now)?',
    args: { propertyId: t.arg.id({ required: true }), at: t.arg({ type: 'DateTime' }) },
    select: { id: true, name: true, doNotDispatch: true },
    resolve: async (company, args, ctx) => {
      const { typename, id } = decodeGlobalID(String(args.propertyId));
      const property =
        typename === 'Property'
          ? await ctx.prisma.property.findFirst({
              where: { id, AND: [ctx.access.propertyWhere()] },
              select: { complianceRequirements: true, timeZone: true },
            })
          : null;
      if (!property) refuse('NOT_FOUND', 'No property exists with this propertyId; use an id from the properties query.');
      const docs = await ctx.prisma.complianceDocument.findMany({ where: { companyId: company.id } });
      return judge(
        {
          companyName: company.name,
          doNotDispatch: company.doNotDispatch,
          requirements: property.complianceRequirements,
          timeZone: property.timeZone,
          documents: docs,
        },
        args.at ?? ctx.clock.now(),
      );
    },
  }),
}));

builder.prismaObjectField(PropertyRef, 'complianceRequirements', (t) =>
  t.expose('complianceRequirements', {
    type: [ComplianceDocumentKindEnum],
    description: 'What vendor companies must hold to be let in; empty: no gate.',
  }),
);

builder.prismaObjectFields(VisitRef, (t) => ({
  compliance: t.field({
    type: ComplianceCheckRef,
    description:
      "The visitor's company at the visit's property: while EXPECTED, at the later of now and the expected arrival (what check-in will answer); while CHECKED_IN, now; once CHECKED_OUT or CANCELLED, as it was then. Visits without a company are always compliant.",
    select: { id: true, status: true, expectedArrival: true, checkedOutAt: true, cancelledAt: true, noShowAt: true },
    resolve: async (visit, _args, ctx) => {
      const facts = knownFacts(visit);
      return visitCompliance(visit, facts !== undefined ? facts : await ctx.loaders.visitFacts.load(visit.id), ctx.clock.now());
    },
  }),
  complianceOverride: t.field({
    type: ComplianceOverrideRef,
    nullable: true,
    select: { complianceOverrideReason: true, complianceOverrideById: true, complianceOverrideAt: true },
    resolve: (v) =>
      v.complianceOverrideReason && v.complianceOverrideAt
        ? { reason: v.complianceOverrideReason, byId: v.complianceOverrideById, at: v.complianceOverrideAt }
        : null,
  }),
}));

const MAX_REMINDER_DAYS = 366;

builder.queryField('expiringComplianceDocuments', (t) =>
  t.prismaField({
    type: ['ComplianceDocument'],
    description: 'Approved documents, valid now, whose expiry falls within the coming days (oldest expiry first), for reminders.',
    args: { withinDays: t.arg.int({ required: true }) },
    resolve: (query, _root, { withinDays }, ctx) => {
      if (withinDays < 0 || withinDays > MAX_REMINDER_DAYS) {
        refuse('INVALID_INPUT', `withinDays must be from 0 to ${MAX_REMINDER_DAYS}.`, ['withinDays']);
      }
      const now = ctx.clock.now();
      const until = new Date(now.getTime() + withinDays * 86_400_000);
      return ctx.prisma.complianceDocument.findMany({
        ...query,
        where: {
          AND: [ctx.access.complianceDocumentWhere()],
          approvedAt: { not: null },
          effectiveFrom: { lte: now },
          expiresAt: { gt: now, lte: until },
        },
        orderBy: [{ expiresAt: 'asc' }, { id: 'asc' }],
      });
    },
  }),
);

builder.relayMutationField(
  'addComplianceDocument',
  {
    inputFields: (t) => ({
      companyId: t.id({ required: true }),
      kind: t.field({ type: ComplianceDocumentKindEnum, required: true }),
      reference: t.string({ description: 'Policy or licence number.' }),
      effectiveFrom: t.field({ type: 'DateTime', required: true }),
      expiresAt: t.field({ type: 'DateTime', required: true, description: 'No longer valid from this instant on.' }),
    }),
  },
  {
    description:
      "ADMIN and PROPERTY_MANAGER: approved at once. A VENDOR adds its own company's documents, which wait for approval.",
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () =>
        into(
          'complianceDocument',
          documents.addComplianceDocument({ ...input, companyId: idOf(input.companyId, 'Company', 'companyId') }),
        ),
      ),
  },
  {
    outputFields: (t) => ({
      complianceDocument: t.field({ type: ComplianceDocumentRef, nullable: true, resolve: (p) => p.complianceDocument }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

builder.relayMutationField(
  'approveComplianceDocument',
  { inputFields: (t) => ({ complianceDocumentId: t.id({ required: true }) }) },
  {
    description: 'ADMIN and PROPERTY_MANAGER. Approving an approved document changes nothing.',
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () =>
        into(
          'complianceDocument',
          documents.approveComplianceDocument(idOf(input.complianceDocumentId, 'ComplianceDocument', 'complianceDocumentId')),
        ),
      ),
  },
  {
    outputFields: (t) => ({
      complianceDocument: t.field({ type: ComplianceDocumentRef, nullable: true, resolve: (p) => p.complianceDocument }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

builder.relayMutationField(
  'removeComplianceDocument',
  { inputFields: (t) => ({ complianceDocumentId: t.id({ required: true }) }) },
  {
    description: 'ADMIN and PROPERTY_MANAGER. Past visits keep the compliance they had while it was on file.',
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () =>
        documents.removeComplianceDocument(idOf(input.complianceDocumentId, 'ComplianceDocument', 'complianceDocumentId')),
      ),
  },
  {
    outputFields: (t) => ({
      removedComplianceDocumentId: t.id({
        nullable: true,
        resolve: (p) =>
          p.removedComplianceDocumentId ? encodeGlobalID('ComplianceDocument', p.removedComplianceDocumentId) : null,
      }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

builder.relayMutationField(
  'setComplianceRequirements',
  {
    inputFields: (t) => ({
      propertyId: t.id({ required: true }),
      kinds: t.field({ type: [ComplianceDocumentKindEnum], required: true, description: 'Each kind once; empty: no gate.' }),
    }),
  },
  {
    description: "ADMIN, or the property's PROPERTY_MANAGER.",
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () =>
        into(
          'property',
          documents.setComplianceRequirements(idOf(input.propertyId, 'Property', 'propertyId'), { kinds: input.kinds }),
        ),
      ),
  },
  {
    outputFields: (t) => ({
      property: t.field({ type: PropertyRef, nullable: true, resolve: (p) => p.property }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);
