import DataLoader from 'dataloader';
import type { PrismaClient, VisitStatus } from '../../generated/prisma/client.ts';

export interface LinkedVisit {
  status: VisitStatus;
  checkedInAt: Date | null;
  checkedOutAt: Date | null;
}

/** The on-site module's batch loaders (see src/graphql/loaders.ts). */
export function onSiteLoaders(prisma: PrismaClient) {
  return {
    /** Every visit linked to each work order (what its time on site and no-show are made of), in one statement. */
    linkedVisits: new DataLoader<string, LinkedVisit[]>(
      async (workOrderIds) => {
        const rows = await prisma.visit.findMany({
          where: { workOrderId: { in: [...workOrderIds] } },
          select: { workOrderId: true, status: true, checkedInAt: true, checkedOutAt: true },
        });
        const byWorkOrder = new Map<string, LinkedVisit[]>(workOrderIds.map((id) => [id, []]));
        for (const { workOrderId, ...visit } of rows) byWorkOrder.get(workOrderId!)!.push(visit);
        return workOrderIds.map((id) => byWorkOrder.get(id)!);
      },
      { cache: false },
    ),
  };
}
