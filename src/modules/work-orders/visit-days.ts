import { DateTime } from 'luxon';

// The visits a work order's scheduled window asks for: one per calendar day of the window in
// the property's time zone, each at the window's daily start and end times. The first day
// starts at scheduledStart and the last ends at scheduledEnd. A daily end time no later than
// the start time is an overnight job: each day's visit leaves the next morning.

export const MAX_VISIT_DAYS = 31;

export interface VisitDay {
  expectedArrival: Date;
  expectedDeparture: Date | null;
}

export interface ScheduledWindow {
  scheduledStart: Date | null;
  scheduledEnd: Date | null;
}

const timeOfDay = (t: DateTime) => ({ hour: t.hour, minute: t.minute, second: t.second, millisecond: t.millisecond });
const msOfDay = (t: DateTime) => t.toMillis() - t.startOf('day').toMillis();

interface Span {
  start: DateTime;
  end: DateTime;
  /** How many visits the window asks for. */
  days: number;
  overnight: boolean;
}

/** The window seen in `zone`, or null when it gives a single visit (no start, no end, or within one day). */
function spanOf(window: ScheduledWindow, zone: string): Span | null {
  if (!window.scheduledStart || !window.scheduledEnd || window.scheduledEnd <= window.scheduledStart) return null;
  const start = DateTime.fromJSDate(window.scheduledStart, { zone });
  const end = DateTime.fromJSDate(window.scheduledEnd, { zone });
  const boundaries = Math.round(end.startOf('day').diff(start.startOf('day'), 'days').days);
  if (boundaries === 0) return null;
  // Wall-clock times compared, so a daylight-saving change inside the window moves nothing.
  const overnight = msOfDay(end) <= msOfDay(start);
  return { start, end, days: overnight ? boundaries : boundaries + 1, overnight };
}

/** How many visits the window asks for (checked against MAX_VISIT_DAYS before any is made). */
export function visitDayCount(window: ScheduledWindow, zone: string): number {
  return spanOf(window, zone)?.days ?? 1;
}

/** The visits of the window, first day first; `now` stands in for a missing start. */
export function visitDays(window: ScheduledWindow, zone: string, now: Date): VisitDay[] {
  const span = spanOf(window, zone);
  if (!span) {
    const expectedArrival = window.scheduledStart ?? now;
    const end = window.scheduledEnd;
    return [{ expectedArrival, expectedDeparture: end && end > expectedArrival ? end : null }];
  }
  const firstDay = span.start.startOf('day');
  const at = (day: number, t: DateTime) => firstDay.plus({ days: day }).set(timeOfDay(t)).toJSDate();
  return Array.from({ length: span.days }, (_, day) => ({
    expectedArrival: day === 0 ? span.start.toJSDate() : at(day, span.start),
    expectedDeparture: day === span.days - 1 ? span.end.toJSDate() : at(span.overnight ? day + 1 : day, span.end),
  }));
}

/** A day over before the visit could be made gets none (only days of a multi-day window end before now). */
export const notOver = (day: VisitDay, now: Date) => day.expectedDeparture === null || day.expectedDeparture > now;

export interface DayVisit {
  status: string;
  expectedArrival: Date;
}

export interface DayPlan<V> {
  moves: { visit: V; day: VisitDay }[];
  cancels: V[];
  adds: VisitDay[];
}

/**
 * Fits a visitor's visits of a work order to its (new) days. A day whose visit has started
 * (checked in, out, or a no-show) keeps it as it is. Expected visits keep their calendar day
 * when it is still in the window, then take the remaining days in order (a one-day job moved
 * to another day moves its visit); those left over are cancelled, and the days left over get
 * new visits. So no day ever gets two visits.
 */
export function fitVisitsToDays<V extends DayVisit>(visits: V[], days: VisitDay[], zone: string): DayPlan<V> {
  const dateOf = (d: Date) => DateTime.fromJSDate(d, { zone }).toISODate();
  const open = new Map(days.map((day) => [dateOf(day.expectedArrival), day]));
  for (const visit of visits) if (visit.status !== 'EXPECTED') open.delete(dateOf(visit.expectedArrival));

  const moves: DayPlan<V>['moves'] = [];
  const unmatched: V[] = [];
  for (const visit of visits.filter((v) => v.status === 'EXPECTED')) {
    const date = dateOf(visit.expectedArrival);
    const day = open.get(date);
    if (day) {
      moves.push({ visit, day });
      open.delete(date);
    } else unmatched.push(visit);
  }
  const left = [...open.values()];
  const cancels: V[] = [];
  for (const visit of unmatched) {
    const day = left.shift();
    if (day) moves.push({ visit, day });
    else cancels.push(visit);
  }
  return { moves, cancels, adds: left };
}
