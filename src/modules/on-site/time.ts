import type { VisitStatus } from '../../generated/prisma/client.ts';

// Time on site: exact durations, summed first, rounded down to whole minutes last, so that a
// work order's total is what its visitors' invoiced hours can be checked against.

interface OnSite {
  checkedInAt: Date | null;
  checkedOutAt: Date | null;
}

/** Milliseconds from check-in to check-out (or now while on site); 0 before check-in. */
export const onSiteMs = (visit: OnSite, now: Date) =>
  visit.checkedInAt ? Math.max(0, (visit.checkedOutAt ?? now).getTime() - visit.checkedInAt.getTime()) : 0;

export const wholeMinutes = (ms: number) => Math.floor(ms / 60_000);

/** A visit's time on site in whole minutes; null before check-in. */
export const visitMinutes = (visit: OnSite, now: Date) => (visit.checkedInAt ? wholeMinutes(onSiteMs(visit, now)) : null);

/** Its visits' exact times on site summed, then rounded down. */
export const totalMinutes = (visits: OnSite[], now: Date) => wholeMinutes(visits.reduce((sum, v) => sum + onSiteMs(v, now), 0));

/** Overdue: still on site past the moment its expected departure and grace gave it. */
export const isOverdue = (visit: { status: VisitStatus; overdueAt: Date | null }, now: Date) =>
  visit.status === 'CHECKED_IN' && visit.overdueAt !== null && visit.overdueAt <= now;
