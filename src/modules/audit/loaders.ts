import DataLoader from 'dataloader';
import type { AuditEvent, Prisma, PrismaClient } from '../../generated/prisma/client.ts';

/** The selection plugin-prisma plans for a field (`t.prismaField`'s `query`). */
export type AuditEventQuery = { include?: Prisma.AuditEventInclude; select?: Prisma.AuditEventSelect };

/** The audit module's batch loaders (see src/graphql/loaders.ts). */
export function auditLoaders(prisma: PrismaClient) {
  const trails = new Map<string, DataLoader<string, AuditEvent[]>>();
  return {
    /** The audit entries of an entity, oldest first, read with the client's selection. */
    auditTrail(query: AuditEventQuery): DataLoader<string, AuditEvent[]> {
      const key = JSON.stringify(query);
      let loader = trails.get(key);
      if (!loader) {
        // The entity id groups the rows; a narrow selection must still read it.
        const selection = query.select ? { select: { ...query.select, entityId: true } } : query;
        loader = new DataLoader(
          async (entityIds) => {
            const rows = await prisma.auditEvent.findMany({
              ...selection,
              where: { entityId: { in: [...entityIds] } },
              orderBy: { seq: 'asc' },
            });
            const byEntity = new Map<string, AuditEvent[]>(entityIds.map((id) => [id, []]));
            for (const row of rows as AuditEvent[]) byEntity.get(row.entityId)!.push(row);
            return entityIds.map((id) => byEntity.get(id)!);
          },
          { cache: false },
        );
        trails.set(key, loader);
      }
      return loader;
    },
  };
}
