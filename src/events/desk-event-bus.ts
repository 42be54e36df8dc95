import { createPubSub } from 'graphql-yoga';
import type { DeskEvent } from './desk-events.ts';

/**
 * Fan-out of committed desk events to the subscriptions of each property, with a count
 * of live subscribers (readiness checks and capacity metrics read it).
 */
export class DeskEventBus {
  private readonly pubsub = createPubSub<{ deskChanged: [propertyId: string, event: DeskEvent] }>();
  private readonly subscribers = new Map<string, number>();

  publish(events: DeskEvent[]): void {
    for (const event of events) this.pubsub.publish('deskChanged', event.propertyId, event);
  }

  async *subscribe(propertyId: string): AsyncGenerator<DeskEvent> {
    const source = this.pubsub.subscribe('deskChanged', propertyId);
    this.subscribers.set(propertyId, (this.subscribers.get(propertyId) ?? 0) + 1);
    try {
      yield* source;
    } finally {
      const left = (this.subscribers.get(propertyId) ?? 1) - 1;
      if (left === 0) this.subscribers.delete(propertyId);
      else this.subscribers.set(propertyId, left);
    }
  }

  subscriberCount(propertyId: string): number {
    return this.subscribers.get(propertyId) ?? 0;
  }
}
