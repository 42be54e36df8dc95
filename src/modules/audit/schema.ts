import { AuditSource } from '../../generated/prisma/client.ts';
import type { AuditChange } from '../../core/audit-trail.ts';
import { forbid } from '../../core/errors.ts';
import { builder, connectionOf, PAGE_LIMIT } from '../../graphql/builder.ts';
import { decodeGlobalID, encodeGlobalID } from '../../graphql/global-id.ts';
import { VisitRef } from '../visits/schema.ts';

// The audit trail, read-only: no field or mutation changes it.

const AuditSourceEnum = builder.enumType(AuditSource, {
  name: 'AuditSource',
  description:
    'API: a person through the API. INTEGRATION: the WO integration, for the person whose change set it off. SCHEDULER: the system on a timer.',
});

const AuditChangeRef = builder.objectRef<AuditChange>('AuditChange').implement({
  description: 'One field of one change; values as text, references as global ids.',
  fields: (t) => ({
    field: t.exposeString('field'),
    from: t.string({ nullable: true, resolve: (c) => shown(c, c.from) }),
    to: t.string({ nullable: true, resolve: (c) => shown(c, c.to) }),
  }),
});

const shown = (change: AuditChange, value: string | null) =>
  value !== null && change.ref ? encodeGlobalID(change.ref, value) : value;

const AuditEventRef = builder.prismaNode('AuditEvent', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [ctx.access.auditWhere()] }),
  fields: (t) => ({
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    action: t.exposeString('action', { description: 'e.g. "visit.checkedIn", "visit.generated".' }),
    source: t.expose('source', { type: AuditSourceEnum }),
    actor: t.relation('actor', { nullable: true, description: 'Null when the system acted on its own.' }),
    entityId: t.id({
      description: 'Global ID of the changed object.',
      resolve: (e) => encodeGlobalID(e.entityType, e.entityId),
    }),
    changes: t.field({ type: [AuditChangeRef], resolve: (e) => e.changes as unknown as AuditChange[] }),
  }),
});

const AuditEventConnection = connectionOf(AuditEventRef, 'AuditEvent');

builder.queryField('auditEvents', (t) =>
  t.prismaConnection(
    {
      type: 'AuditEvent',
      cursor: 'seq',
      ...PAGE_LIMIT,
      description: 'ADMIN only. Every change, oldest first (page backwards with last/before for the newest).',
      args: { entityId: t.arg.id({ description: 'Only the changes of this object.' }) },
      resolve: (query, _root, args, ctx) => {
        if (!ctx.access.changesOrganisation()) forbid('Only an administrator can read the audit log.');
        const where = args.entityId == null ? {} : { entityId: decodeGlobalID(String(args.entityId)).id };
        return ctx.prisma.auditEvent.findMany({ ...query, where, orderBy: { seq: 'asc' } });
      },
    },
    AuditEventConnection,
  ),
);

builder.prismaObjectField(VisitRef, 'history', (t) =>
  t.prismaField({
    type: ['AuditEvent'],
    description: "This visit's audit trail, oldest first.",
    // Batched: a list of visits reads all their histories in one statement.
    resolve: (query, visit, _args, ctx) => ctx.loaders.auditTrail(query).load(visit.id),
  }),
);
