// Desk events leave the domain after commit. They carry ids and a time only, never live
// ORM objects, so they serialize for a cross-instance transport; subscribers re-load
// the visit when they deliver the event.

export const DESK_EVENT_KINDS = [
  'VISIT_ADDED',
  'VISIT_UPDATED',
  'VISIT_CHECKED_IN',
  'VISIT_CHECKED_OUT',
  'VISIT_REMOVED',
] as const;

export type DeskEventKind = (typeof DESK_EVENT_KINDS)[number];

export interface DeskEvent {
  kind: DeskEventKind;
  propertyId: string;
  visitId: string;
  /** ISO-8601 instant of the change. */
  occurredAt: string;
}
