import type { PrismaClient } from '../generated/prisma/client.ts';
import { auditLoaders } from '../modules/audit/loaders.ts';
import { complianceLoaders } from '../modules/compliance/loaders.ts';
import { onSiteLoaders } from '../modules/on-site/loaders.ts';

/**
 * Per-operation batch loaders (`ctx.loaders`): what many parents ask for in one tick (every
 * entry of a list) is read in one statement. Batching only, no cache: a subscription keeps
 * its context for as long as it runs, and each event must be read fresh.
 */
export function createLoaders(prisma: PrismaClient) {
  return { ...auditLoaders(prisma), ...complianceLoaders(prisma), ...onSiteLoaders(prisma) };
}

export type Loaders = ReturnType<typeof createLoaders>;
