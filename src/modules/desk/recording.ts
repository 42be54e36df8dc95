import type { Work } from '../../core/unit-of-work.ts';
import type { DeskEventKind } from './events.ts';
import { deskChange, deskWindow, withinWindow, type DeskVisit, type DeskWindow, type DeskWindowSettings } from './rules.ts';

// What a change means for the desks, recorded in its unit of work: the desk events it
// causes, and the desk windows its visits are judged against (read once per property).

/** The fields of a property its desk window needs. */
const DESK_WINDOW_FIELDS = { deskLookBehindMinutes: true, deskLookAheadMinutes: true } as const;

const windows = new WeakMap<Work, Map<string, Promise<DeskWindow>>>();

function windowsOf(work: Work): Map<string, Promise<DeskWindow>> {
  let known = windows.get(work);
  if (!known) windows.set(work, (known = new Map()));
  return known;
}

/** The desk window of a property at the unit's moment. */
function deskWindowOf(work: Work, propertyId: string): Promise<DeskWindow> {
  const known = windowsOf(work);
  let window = known.get(propertyId);
  if (!window) {
    window = work.tx.property
      .findUniqueOrThrow({ where: { id: propertyId }, select: DESK_WINDOW_FIELDS })
      .then((p) => deskWindow(p, work.now));
    known.set(propertyId, window);
  }
  return window;
}

/** A property the unit read anyway gives its desk window, which then needs no read of its own. */
export function knowDeskWindow(work: Work, property: { id: string } & DeskWindowSettings): void {
  const known = windowsOf(work);
  if (!known.has(property.id)) known.set(property.id, Promise.resolve(deskWindow(property, work.now)));
}

/** Whether a visit expected at `expectedArrival` is inside its property's desk window now. */
export async function inDeskWindow(work: Work, propertyId: string, expectedArrival: Date): Promise<boolean> {
  return withinWindow(expectedArrival, await deskWindowOf(work, propertyId));
}

/** Records a desk event that is not a change of the visit's place on the queue (VISIT_OVERDUE). */
export function recordDeskEvent(work: Work, kind: DeskEventKind, visit: { id: string; propertyId: string }): void {
  work.deskChanges.push({ kind, propertyId: visit.propertyId, visitId: visit.id, occurredAt: work.now });
}

/** Records what the desk of the visit's property sees of this change, if anything. */
export function recordDeskChange(
  work: Work,
  before: DeskVisit | null,
  after: DeskVisit & { id: string; propertyId: string },
): void {
  const kind = deskChange(before, after);
  // One change may touch a visit twice (a reschedule and a new title): the desk needs
  // to hear "updated" only when nothing else was said about the visit in this unit.
  if (kind === 'VISIT_UPDATED' && work.deskChanges.some((e) => e.visitId === after.id)) return;
  if (kind) work.deskChanges.push({ kind, propertyId: after.propertyId, visitId: after.id, occurredAt: work.now });
}
