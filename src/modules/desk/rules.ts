import type { VisitStatus } from '../../generated/prisma/client.ts';

// The Visitor Desk: which visits the front desk must see at a given moment.

export const DEFAULT_DESK_WINDOW = { lookBehindMinutes: 12 * 60, lookAheadMinutes: 24 * 60 };
/** Longest window a property may configure either side of now: 30 days. */
export const MAX_DESK_WINDOW_MINUTES = 30 * 24 * 60;

export interface DeskWindowSettings {
  deskLookBehindMinutes: number;
  deskLookAheadMinutes: number;
}

export interface DeskWindow {
  start: Date;
  end: Date;
}

export function deskWindow(property: DeskWindowSettings, now: Date): DeskWindow {
  return {
    start: new Date(now.getTime() - property.deskLookBehindMinutes * 60_000),
    end: new Date(now.getTime() + property.deskLookAheadMinutes * 60_000),
  };
}

/** Whether an expected arrival lies inside the window (both edges included). */
export function withinWindow(expectedArrival: Date, window: DeskWindow): boolean {
  const t = expectedArrival.getTime();
  return t >= window.start.getTime() && t <= window.end.getTime();
}

export interface DeskVisit {
  status: VisitStatus;
  /** As announced to the desk: see Visit.inDeskWindow. */
  inDeskWindow: boolean;
}

/** On the queue: CHECKED_IN visits always; EXPECTED ones announced inside the window (in SQL: read.ts). */
export function isOnDesk(visit: DeskVisit): boolean {
  return visit.status === 'CHECKED_IN' || (visit.status === 'EXPECTED' && visit.inDeskWindow);
}

export type DeskChangeKind = 'VISIT_ADDED' | 'VISIT_UPDATED' | 'VISIT_CHECKED_IN' | 'VISIT_CHECKED_OUT' | 'VISIT_REMOVED';

/**
 * How a change to one visit looks from the desk: null when the desk does not see it
 * (the visit was and stays off the queue). Check-in and check-out are reported as such
 * even for a visitor who arrives outside the window: the desk must see them.
 */
export function deskChange(before: DeskVisit | null, after: DeskVisit): DeskChangeKind | null {
  if (before?.status === 'EXPECTED' && after.status === 'CHECKED_IN') return 'VISIT_CHECKED_IN';
  if (before?.status === 'CHECKED_IN' && after.status === 'CHECKED_OUT') return 'VISIT_CHECKED_OUT';
  const was = before !== null && isOnDesk(before);
  const is = isOnDesk(after);
  if (!was && is) return 'VISIT_ADDED';
  if (was && !is) return 'VISIT_REMOVED';
  if (was && is) return 'VISIT_UPDATED';
  return null;
}
