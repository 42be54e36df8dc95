// Redis connections of one instance: the desk feed's announcements and the shared rate limit.
// Both must survive Redis going away (the event log and an in-memory limiter cover for it),
// say so once per outage rather than once per retry, and never hold up or crash a shutdown.

import { Redis, type RedisOptions } from 'ioredis';
import type { YogaLogger } from 'graphql-yoga';

/** How long a clean QUIT may take at shutdown before the socket is simply dropped. */
const QUIT_TIMEOUT_MS = 2_000;

export interface RedisConnection {
  client: Redis;
  /**
   * The client as seen by code that sends `commands` without awaiting them (the Redis event
   * target does so for PUBLISH, SUBSCRIBE and UNSUBSCRIBE): a command still queued when the
   * connection closes rejects, and unhandled, that rejection would end the process. Here it
   * is logged (not at all once closing).
   */
  settled(commands: string[]): Redis;
  /** Quits cleanly when connected, else disconnects; settles within QUIT_TIMEOUT_MS. */
  close(): Promise<void>;
}

/**
 * A client that logs an outage once (`whileAway` says what the instance does meanwhile) and
 * its recovery once, instead of every failed reconnect attempt.
 */
export function connectRedis(
  url: string,
  options: RedisOptions,
  logger: YogaLogger,
  name: string,
  whileAway: string,
): RedisConnection {
  const client = new Redis(url, options);
  let away = false;
  let closing = false;
  let lastError = '';
  client.on('error', (err: Error) => (lastError = err.message));
  client.on('reconnecting', () => {
    if (away || closing) return;
    away = true;
    logger.warn(`Redis (${name}): connection lost${lastError ? ` (${lastError})` : ''}. ${whileAway}`);
  });
  client.on('ready', () => {
    if (away) logger.info(`Redis (${name}) is back.`);
    away = false;
    lastError = '';
  });
  const failed = (err: unknown) => {
    if (!closing) logger.warn(`Redis (${name}): ${(err as Error).message}. ${whileAway}`);
  };
  return {
    client,
    settled: (commands) => withSettledCommands(client, commands, failed),
    async close() {
      closing = true;
      if (client.status !== 'ready') return client.disconnect();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, QUIT_TIMEOUT_MS)));
      await Promise.race([
        client.quit().then(
          () => undefined,
          () => undefined,
        ),
        timedOut,
      ]);
      clearTimeout(timer);
      client.disconnect();
    },
  };
}

/** `client` with the rejections of `commands` handed to `onError`. */
function withSettledCommands(client: Redis, commands: string[], onError: (err: unknown) => void): Redis {
  const settled = new Set<PropertyKey>(commands);
  return new Proxy(client, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      if (!settled.has(key)) return value.bind(target);
      return (...args: unknown[]) => (value.apply(target, args) as Promise<unknown>).catch(onError);
    },
  });
}
