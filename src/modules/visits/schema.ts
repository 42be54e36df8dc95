import * as visits from './visits.ts';
import { builder, connectionOf } from '../../graphql/builder.ts';
import { idOf, optionalIdOf } from '../../graphql/global-id.ts';
import { into, perform } from '../../graphql/perform.ts';
import { CheckOutReasonEnum, VisitSourceEnum, VisitStatusEnum } from '../../graphql/enums.ts';
import { UserErrorRef } from '../../graphql/errors.ts';

export const VisitRef = builder.prismaNode('Visit', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [ctx.access.visitWhere()] }),
  fields: (t) => ({
    property: t.relation('property'),
    visitorName: t.exposeString('visitorName'),
    visitor: t.relation('visitor', { nullable: true, description: 'The registered user who visits, when known.' }),
    company: t.relation('company', { nullable: true, description: "The visitor's company, when known." }),
    host: t.relation('host', { nullable: true, description: 'The person visited, or the responsible contact.' }),
    expectedArrival: t.expose('expectedArrival', { type: 'DateTime' }),
    expectedDeparture: t.expose('expectedDeparture', { type: 'DateTime', nullable: true }),
    status: t.expose('status', { type: VisitStatusEnum }),
    source: t.expose('source', { type: VisitSourceEnum }),
    checkedInAt: t.expose('checkedInAt', { type: 'DateTime', nullable: true }),
    checkedOutAt: t.expose('checkedOutAt', { type: 'DateTime', nullable: true }),
    checkOutReason: t.expose('checkOutReason', { type: CheckOutReasonEnum, nullable: true }),
    cancelledAt: t.expose('cancelledAt', { type: 'DateTime', nullable: true }),
    notes: t.exposeString('notes', { nullable: true }),
  }),
});

export const VisitConnection = connectionOf(VisitRef, 'Visit');

builder.relayMutationField(
  'createVisit',
  {
    inputFields: (t) => ({
      propertyId: t.id({ required: true }),
      visitorName: t.string({ required: true }),
      visitorId: t.id(),
      companyId: t.id({ description: "Defaults to the visitor's company." }),
      hostId: t.id(),
      expectedArrival: t.field({ type: 'DateTime', required: true }),
      expectedDeparture: t.field({ type: 'DateTime' }),
      requestId: t.string({ description: 'Links the visit to a work order of the same property (needs WO Integration).' }),
      notes: t.string(),
    }),
  },
  {
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () =>
        into(
          'visit',
          visits.createVisit({
            ...input,
            propertyId: idOf(input.propertyId, 'Property', 'propertyId'),
            visitorId: optionalIdOf(input.visitorId, 'User', 'visitorId'),
            companyId: optionalIdOf(input.companyId, 'Company', 'companyId'),
            hostId: optionalIdOf(input.hostId, 'User', 'hostId'),
          }),
        ),
      ),
  },
  {
    outputFields: (t) => ({
      visit: t.field({ type: VisitRef, nullable: true, resolve: (p) => p.visit }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

builder.relayMutationField(
  'updateVisit',
  {
    inputFields: (t) => ({
      visitId: t.id({ required: true }),
      visitorName: t.string(),
      hostId: t.id({ description: 'Null removes the host.' }),
      expectedArrival: t.field({ type: 'DateTime' }),
      expectedDeparture: t.field({ type: 'DateTime', description: 'Null clears it.' }),
      requestId: t.string({
        description: 'Set to associate with a work order of the same property; explicit null removes the association.',
      }),
      notes: t.string({ description: 'Null or blank clears them.' }),
    }),
  },
  {
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () =>
        into(
          'visit',
          visits.updateVisit({
            ...input,
            visitId: idOf(input.visitId, 'Visit', 'visitId'),
            hostId: optionalIdOf(input.hostId, 'User', 'hostId'),
          }),
        ),
      ),
  },
  {
    outputFields: (t) => ({
      visit: t.field({ type: VisitRef, nullable: true, resolve: (p) => p.visit }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

builder.relayMutationField(
  'checkInVisit',
  {
    inputFields: (t) => ({
      visitId: t.id({ required: true }),
      complianceOverrideReason: t.string({
        description:
          "PROPERTY_MANAGER of the visit's property or ADMIN only: lets in a visitor whose company is not compliant, kept on the visit and in the audit trail. Ignored when the company is compliant.",
      }),
    }),
  },
  {
    description:
      'EXPECTED → CHECKED_IN. A linked OPEN work order moves to IN_PROGRESS. Refused with COMPLIANCE_BLOCKED when the company is not compliant (see Visit.compliance).',
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () => into('visit', visits.checkInVisit({ ...input, visitId: idOf(input.visitId, 'Visit', 'visitId') }))),
  },
  {
    outputFields: (t) => ({
      visit: t.field({ type: VisitRef, nullable: true, resolve: (p) => p.visit }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

/** check-out and cancel: one visit id in, the changed visit out. */
function visitTransition(name: string, description: string, transition: typeof visits.checkOutVisit) {
  builder.relayMutationField(
    name,
    { inputFields: (t) => ({ visitId: t.id({ required: true }) }) },
    {
      description,
      resolve: (_root, { input }, ctx) => perform(ctx, () => into('visit', transition(idOf(input.visitId, 'Visit', 'visitId')))),
    },
    {
      outputFields: (t) => ({
        visit: t.field({ type: VisitRef, nullable: true, resolve: (p) => p.visit }),
        userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
      }),
    },
  );
}

visitTransition('checkOutVisit', 'CHECKED_IN → CHECKED_OUT, reason DESK.', visits.checkOutVisit);
visitTransition('cancelVisit', 'EXPECTED → CANCELLED.', visits.cancelVisit);
