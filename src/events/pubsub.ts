import { createPubSub } from 'graphql-yoga';
import type { DeskEvent } from './desk-events.ts';

/** Desk events by property: `publish('deskChanged', propertyId, event)`. */
export type DeskPubSub = ReturnType<typeof createDeskPubSub>;

export function createDeskPubSub() {
  return createPubSub<{ deskChanged: [propertyId: string, event: DeskEvent] }>();
}

export function publishDeskEvents(pubsub: DeskPubSub, events: DeskEvent[]): void {
  for (const event of events) pubsub.publish('deskChanged', event.propertyId, event);
}
