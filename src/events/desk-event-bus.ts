import { createPubSub } from 'graphql-yoga';
import type { DeskEvent } from './desk-events.ts';

/**
 * Fan-out of committed desk events to the subscriptions of each property, with a count
 * of live subscribers (readiness checks and capacity metrics read it).
 */
export class DeskEventBus {
  private readonly pubsub = createPubSub<{ deskChanged: [propertyId: string, event: DeskEvent] }>();
  private readonly subscribers = new Map<string, number>();
  /** Subscriptions ever started per property: only grows, so a waiter can't miss one. */
  private readonly started = new Map<string, number>();

  publish(events: DeskEvent[]): void {
    for (const event of events) this.pubsub.publish('deskChanged', event.propertyId, event);
  }

  /**
   * The events of one property. A plain iterator, not an async generator: a generator
   * queues `return()` behind its pending `next()`, so a subscriber who left while the
   * desk was quiet stayed counted and listening until the property's next event.
   */
  subscribe(propertyId: string): AsyncIterableIterator<DeskEvent> {
    const source = this.pubsub.subscribe('deskChanged', propertyId);
    let state: 'idle' | 'listening' | 'left' = 'idle';
    const leave = () => {
      if (state === 'listening') {
        const left = (this.subscribers.get(propertyId) ?? 1) - 1;
        if (left === 0) this.subscribers.delete(propertyId);
        else this.subscribers.set(propertyId, left);
      }
      state = 'left';
    };
    return {
      next: () => {
        // The first next() attaches the listener (synchronously): counted from then on.
        if (state === 'idle') {
          state = 'listening';
          this.subscribers.set(propertyId, (this.subscribers.get(propertyId) ?? 0) + 1);
          this.started.set(propertyId, (this.started.get(propertyId) ?? 0) + 1);
        }
        return source.next();
      },
      return: (value?: unknown) => {
        leave();
        return source.return(value);
      },
      throw: (error?: unknown) => {
        leave();
        return source.throw(error);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  subscriberCount(propertyId: string): number {
    return this.subscribers.get(propertyId) ?? 0;
  }

  startedCount(propertyId: string): number {
    return this.started.get(propertyId) ?? 0;
  }
}
