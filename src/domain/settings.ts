import type { Tx } from './unit-of-work.ts';

const SETTINGS_ID = 1;

/** The organisation-wide visitor settings; defaults apply until someone changes them. */
export async function visitorSettings(db: Pick<Tx, 'visitorSettings'>) {
  const row = await db.visitorSettings.findUnique({ where: { id: SETTINGS_ID } });
  return { workOrderIntegrationEnabled: row?.workOrderIntegrationEnabled ?? false };
}

export async function updateVisitorSettings(tx: Tx, input: { workOrderIntegrationEnabled?: boolean | null }) {
  const data =
    input.workOrderIntegrationEnabled == null ? {} : { workOrderIntegrationEnabled: input.workOrderIntegrationEnabled };
  const row = await tx.visitorSettings.upsert({ where: { id: SETTINGS_ID }, create: { id: SETTINGS_ID, ...data }, update: data });
  return { workOrderIntegrationEnabled: row.workOrderIntegrationEnabled };
}
