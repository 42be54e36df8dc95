import { createPubSub, type YogaLogger } from 'graphql-yoga';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { DeskFeed } from '../events/desk-feed.ts';
import { AccessWatch } from '../events/access-watch.ts';
import type { Announcements } from '../events/announcements.ts';
import type { RedisSettings } from '../config.ts';
import { connectRedis, type RedisConnection } from './redis.ts';
import { localFirst } from './local-first-events.ts';

/** How often every watched desk log is re-read, whatever the announcements said. */
const CATCH_UP_MS = 5_000;

export interface RunningDeskFeed {
  feed: DeskFeed;
  accessWatch: AccessWatch;
  close(): Promise<void>;
}

/**
 * The desk feed and the access watch with their announcement transport: in process, and
 * through Redis too when it is configured, so a commit on any instance reaches subscribers on
 * all of them. While Redis is away or silent, announcements still reach this instance's own
 * subscribers at once; the other instances read the event log at their next catch-up.
 */
export function startDeskFeed(prisma: PrismaClient, redis: RedisSettings | undefined, logger: YogaLogger): RunningDeskFeed {
  const onError = (err: unknown) => logger.error('Desk feed: reading the event log failed; the next catch-up retries.', err);
  let connections: RedisConnection[] = [];
  let announcements: Announcements;
  if (redis) {
    // Commands wait out a lost or silent connection instead of failing (nothing awaits them):
    // announcements are sent once Redis answers, and the event log covers what happened meanwhile.
    const options = { maxRetriesPerRequest: null, enableOfflineQueue: true };
    const whileAway = 'Desk events reach other instances through the event log meanwhile.';
    const connect = () => connectRedis(redis.url, redis.timeoutMs, options, logger, 'announcements', whileAway);
    const publish = connect();
    const subscribe = connect();
    connections = [publish, subscribe];
    // Announcements sent while this instance was cut off are lost: read the logs again.
    subscribe.onBack(() => void feed.catchUp());
    const commands = ['publish', 'subscribe', 'unsubscribe'];
    announcements = createPubSub({
      eventTarget: localFirst(
        createRedisEventTarget({
          publishClient: publish.settled(commands),
          subscribeClient: subscribe.settled(commands),
        }),
      ),
    });
  } else {
    announcements = createPubSub();
  }
  const feed = new DeskFeed(prisma, announcements, onError);
  const accessWatch = new AccessWatch(announcements, (err) => logger.error('Access watch failed.', err));
  const timer = setInterval(() => void feed.catchUp(), CATCH_UP_MS);
  timer.unref();
  return {
    feed,
    accessWatch,
    async close() {
      clearInterval(timer);
      feed.close();
      // Before the Redis clients quit: letting go of a topic sends an UNSUBSCRIBE.
      await accessWatch.close();
      await Promise.all(connections.map((c) => c.close()));
    },
  };
}
