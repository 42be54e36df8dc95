import { randomUUID } from 'node:crypto';
import type { createPubSub } from 'graphql-yoga';

type EventTargetOf = NonNullable<NonNullable<Parameters<typeof createPubSub>[0]>['eventTarget']>;
type Listener = ((event: CustomEvent) => void) | { handleEvent(event: CustomEvent): void };

interface Envelope {
  from: string;
  detail: unknown;
}

/**
 * An event target that hands this instance's events to its own listeners at once, in
 * process, and to the other instances through `remote` (Redis). Its own events coming back
 * from Redis are skipped. So an instance never waits on Redis to hear itself, and keeps
 * working alone while Redis is away or silent.
 */
export function localFirst(remote: EventTargetOf): EventTargetOf {
  const origin = randomUUID();
  const local = new EventTarget();
  const relays = new Map<string, Map<Listener, (event: CustomEvent<Envelope>) => void>>();
  const call = (listener: Listener, event: CustomEvent) => {
    if (typeof listener === 'function') listener(event);
    else listener.handleEvent(event);
  };
  // The pubsub's own listeners are typed per topic; underneath they are plain listeners.
  const target = {
    addEventListener(type: string, listener: Listener | null) {
      if (listener == null) return;
      let byListener = relays.get(type);
      if (!byListener) relays.set(type, (byListener = new Map()));
      if (byListener.has(listener)) return;
      const relay = (event: CustomEvent<Envelope>) => {
        if (event.detail?.from !== origin) call(listener, new CustomEvent(type, { detail: event.detail?.detail }));
      };
      byListener.set(listener, relay);
      local.addEventListener(type, listener as EventListener);
      remote.addEventListener(type, relay as never);
    },
    dispatchEvent(event: CustomEvent) {
      local.dispatchEvent(new CustomEvent(event.type, { detail: event.detail }));
      const envelope: Envelope = { from: origin, detail: event.detail };
      return remote.dispatchEvent(new CustomEvent(event.type, { detail: envelope }) as never);
    },
    removeEventListener(type: string, listener: Listener | null) {
      const relay = listener == null ? undefined : relays.get(type)?.get(listener);
      if (!relay) return;
      relays.get(type)!.delete(listener!);
      if (relays.get(type)!.size === 0) relays.delete(type);
      local.removeEventListener(type, listener as EventListener);
      remote.removeEventListener(type, relay as never);
    },
  };
  return target as unknown as EventTargetOf;
}
