import type { Property } from '../../generated/prisma/client.ts';
import type { Work } from '../../core/unit-of-work.ts';
import { onSiteMoments } from './policy.ts';

/**
 * A property's policy or time zone changed: every visitor on site there gets the moments the
 * new policy gives them (the desk hears again of one whose overdue moment moved past now).
 */
export async function rescheduleOnSite(work: Work, property: Property): Promise<void> {
  const onSite = await work.tx.visit.findMany({
    where: { propertyId: property.id, status: 'CHECKED_IN' },
    select: { id: true, checkedInAt: true, expectedDeparture: true, overdueAnnounced: true },
  });
  for (const visit of onSite) {
    const moments = onSiteMoments(property, { checkedInAt: visit.checkedInAt!, expectedDeparture: visit.expectedDeparture });
    const again = visit.overdueAnnounced && (moments.overdueAt === null || moments.overdueAt > work.now);
    await work.tx.visit.update({ where: { id: visit.id }, data: { ...moments, ...(again && { overdueAnnounced: false }) } });
  }
}
