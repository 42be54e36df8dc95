import { createPubSub, type YogaLogger } from 'graphql-yoga';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { Announcements } from '../core/announcements.ts';
import type { RedisSettings } from '../config.ts';
import { connectRedis, type RedisConnection } from './redis.ts';
import { localFirst } from './local-first-events.ts';

export interface AnnouncementTransport {
  announcements: Announcements;
  /** Called when Redis answers again after an outage: announcements sent meanwhile may be lost. */
  onBack(listener: () => void): void;
  /** Settles once both Redis connections have made their first attempt (at once without Redis). */
  firstAttempt: Promise<void>;
  close(): Promise<void>;
}

/**
 * How instances tell each other what they committed (a desk log grew, credentials were
 * revoked): in process, and through Redis too when it is configured, so a commit on any
 * instance reaches subscribers on all of them. While Redis is away or silent, announcements
 * still reach this instance's own subscribers at once; the desk's event log covers the others.
 */
export function startAnnouncements(redis: RedisSettings | undefined, logger: YogaLogger): AnnouncementTransport {
  if (!redis) return { announcements: createPubSub(), onBack: () => {}, firstAttempt: Promise.resolve(), close: async () => {} };
  // Commands wait out a lost or silent connection instead of failing (nothing awaits them):
  // announcements are sent once Redis answers, and the event log covers what happened meanwhile.
  const options = { maxRetriesPerRequest: null, enableOfflineQueue: true };
  const whileAway = 'Desk events reach other instances through the event log meanwhile.';
  const connect = () => connectRedis(redis.url, redis.timeoutMs, options, logger, 'announcements', whileAway);
  const publish = connect();
  const subscribe = connect();
  const connections: RedisConnection[] = [publish, subscribe];
  const commands = ['publish', 'subscribe', 'unsubscribe'];
  const announcements: Announcements = createPubSub({
    eventTarget: localFirst(
      createRedisEventTarget({
        publishClient: publish.settled(commands),
        subscribeClient: subscribe.settled(commands),
      }),
    ),
  });
  return {
    announcements,
    onBack: (listener) => subscribe.onBack(listener),
    firstAttempt: Promise.all(connections.map((c) => c.firstAttempt)).then(() => undefined),
    close: async () => void (await Promise.all(connections.map((c) => c.close()))),
  };
}
