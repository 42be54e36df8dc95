import type { DeskEventKind } from '../../generated/prisma/client.ts';

// Desk events: what a property's desk queue went through, recorded in its event log in
// the same transaction as the change, then announced after commit. They carry ids and a
// time only, never live ORM objects, so they serialize for a cross-instance transport;
// subscribers re-load the visit when they deliver the event.

export type { DeskEventKind };

/** A change to one property's queue, before it has its place in the log. */
export interface DeskChange {
  kind: DeskEventKind;
  propertyId: string;
  visitId: string;
  occurredAt: Date;
}

/** A change with its place in the property's log: `seq` counts 1, 2, 3… per property. */
export interface DeskEvent extends DeskChange {
  seq: number;
}
