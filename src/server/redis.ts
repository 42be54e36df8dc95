// Redis connections of one instance: the desk feed's announcements and the shared rate limit.
// Both must survive Redis going away or going silent (the event log, in-process delivery and
// an in-memory limiter cover for it), say so once per outage rather than once per retry, and
// never hold up or crash a shutdown.

import { createRequire } from 'node:module';
import type { Redis, RedisOptions } from 'ioredis';
import type { YogaLogger } from 'graphql-yoga';

/** ioredis, loaded by the first connection: an instance without Redis never loads it. */
const ioredis = () => createRequire(import.meta.url)('ioredis') as typeof import('ioredis');

/** How long a clean QUIT may take at shutdown before the socket is simply dropped. */
const QUIT_TIMEOUT_MS = 2_000;

/** How often a connected Redis is asked whether it still answers. */
const PROBE_MS = 1_000;

/** How long a probe's PING may stay unanswered before the next probe sends another. */
const PING_GIVE_UP_MS = 30_000;

export interface RedisConnection {
  client: Redis;
  /**
   * False while Redis is unreachable, or connected but has not answered a PING within the
   * connection's bound: callers that would wait on it do without it meanwhile.
   */
  readonly answering: boolean;
  /**
   * Settles once the first attempt to connect has ended, connected or not (ioredis bounds an
   * attempt by its connect timeout): start-up waits for it, so that a new instance starts out
   * sharing what Redis shares rather than going it alone for its first requests.
   */
  readonly firstAttempt: Promise<void>;
  /** Called each time Redis answers again after an outage. */
  onBack(listener: () => void): void;
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
 * its recovery once, instead of every failed reconnect attempt. A connection can stay open
 * while Redis answers nothing (a frozen host, a partition): a PING every PROBE_MS that is not
 * answered within `timeoutMs` counts as an outage too, until one is answered.
 */
export function connectRedis(
  url: string,
  timeoutMs: number,
  options: RedisOptions,
  logger: YogaLogger,
  name: string,
  whileAway: string,
): RedisConnection {
  const client = new (ioredis().Redis)(url, options);
  let away = false;
  let closing = false;
  let lastError = '';
  const backListeners: Array<() => void> = [];
  const goAway = (why: string) => {
    if (away || closing) return;
    away = true;
    logger.warn(`Redis (${name}): ${why}. ${whileAway}`);
  };
  const comeBack = () => {
    if (!away || closing) return;
    away = false;
    lastError = '';
    logger.info(`Redis (${name}) is back.`);
    for (const listener of backListeners) listener();
  };
  client.on('error', (err: Error) => (lastError = err.message));
  client.on('reconnecting', () => goAway(`connection lost${lastError ? ` (${lastError})` : ''}`));
  client.on('ready', comeBack);
  const firstAttempt = new Promise<void>((resolve) => {
    for (const ended of ['ready', 'error', 'end']) client.once(ended, () => resolve());
  });

  let probing = false;
  const probe = setInterval(() => {
    if (probing || client.status !== 'ready') return;
    probing = true;
    const silence = () => goAway(`no answer within ${timeoutMs} ms`);
    let answered = false;
    // Timers run before pending socket reads: after this process stalled, the answer may be
    // there unread. setImmediate looks again once this turn has read it. The connection's own
    // command timeout would reject the ping in that same timer phase, so the ping has one of
    // its own, only to let go of a ping never answered.
    const silent = setTimeout(() => setImmediate(() => answered || silence()), timeoutMs);
    const ping = new (ioredis().Command)('ping');
    ping.setTimeout(PING_GIVE_UP_MS);
    client.sendCommand(ping);
    void ping.promise
      .then(() => {
        answered = true;
        comeBack();
      }, silence)
      .finally(() => {
        clearTimeout(silent);
        probing = false;
      });
  }, PROBE_MS);
  probe.unref();

  const failed = (err: unknown) => {
    if (!closing) logger.warn(`Redis (${name}): ${(err as Error).message}. ${whileAway}`);
  };
  return {
    client,
    get answering() {
      return !away && client.status === 'ready';
    },
    firstAttempt,
    onBack: (listener) => void backListeners.push(listener),
    settled: (commands) => withSettledCommands(client, commands, failed),
    async close() {
      closing = true;
      clearInterval(probe);
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
