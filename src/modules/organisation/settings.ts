import { z } from 'zod';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import { queryRows } from '../../db/raw-sql.ts';
import type { Change, Tx, Work } from '../../core/unit-of-work.ts';
import { kept, parseInput } from '../../core/validation.ts';
import { VISITOR_SETTINGS_ENTITY_ID } from '../../core/audit-trail.ts';
import { mustAdminister } from './organisation.ts';

const SETTINGS_ID = 1;

/** Whether the WO Integration is on, as an SQL expression: off until someone turns it on. */
export const INTEGRATION_ENABLED = Prisma.sql`COALESCE((SELECT "workOrderIntegrationEnabled" FROM "VisitorSettings" WHERE "id" = ${SETTINGS_ID}), false)`;

/**
 * The organisation-wide visitor settings; defaults apply until someone changes them. Every
 * change to a work order asks for them, so they are read by a statement of our own.
 */
export async function visitorSettings(db: Tx | PrismaClient) {
  const [row] = await queryRows<{ workOrderIntegrationEnabled: boolean }>(
    db,
    Prisma.sql`SELECT ${INTEGRATION_ENABLED} AS "workOrderIntegrationEnabled"`,
  );
  return { workOrderIntegrationEnabled: row.workOrderIntegrationEnabled };
}

const settingsInput = z.object({ workOrderIntegrationEnabled: kept('WO Integration', z.boolean()) });

type VisitorSettings = Awaited<ReturnType<typeof visitorSettings>>;

export function updateVisitorSettings(input: z.input<typeof settingsInput>): Change<VisitorSettings> {
  const data = parseInput(settingsInput, input);
  return (work) => changeSettings(work, data);
}

async function changeSettings(work: Work, data: z.output<typeof settingsInput>): Promise<VisitorSettings> {
  mustAdminister(work, 'change the visitor settings');
  const before = await visitorSettings(work.tx);
  const row = await work.tx.visitorSettings.upsert({
    where: { id: SETTINGS_ID },
    create: { id: SETTINGS_ID, ...data },
    update: data,
  });
  const after = { workOrderIntegrationEnabled: row.workOrderIntegrationEnabled };
  work.audit('visitorSettings.updated', { type: 'VisitorSettings', id: VISITOR_SETTINGS_ENTITY_ID }, before, after);
  return after;
}
