import DataLoader from 'dataloader';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { factsOfVisits } from './facts.ts';
import type { ComplianceFacts } from './rules.ts';

/** The compliance module's batch loaders (see src/graphql/loaders.ts). */
export function complianceLoaders(prisma: PrismaClient) {
  return {
    /** The compliance facts of visits: every visit of a list in one statement. */
    visitFacts: new DataLoader<string, ComplianceFacts | null>(
      async (visitIds) => {
        const facts = await factsOfVisits(prisma, visitIds);
        return visitIds.map((id) => facts.get(id) ?? null);
      },
      { cache: false },
    ),
  };
}
