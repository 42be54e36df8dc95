import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import type { Command, RedisOptions } from 'ioredis';
import { connectRedis, type RedisConnection } from '../src/server/redis.ts';

// The connection behind announcements and the shared rate limit, against the machine's Redis.

const url = process.env.REDIS_URL;

describe.runIf(url)('a Redis connection', () => {
  const open: RedisConnection[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });

  function connect(to: string, timeoutMs: number, options: RedisOptions = {}) {
    const logged: string[] = [];
    const log = (message: string) => void logged.push(message);
    const logger = { debug: log, info: log, warn: log, error: log };
    const connection = connectRedis(
      to,
      timeoutMs,
      { maxRetriesPerRequest: 1, ...options },
      logger,
      'test',
      'Going on without it.',
    );
    open.push(connection);
    return { connection, logged };
  }

  it('has made its first attempt once it answers, or once Redis has refused it', async () => {
    const up = connect(url!, 250);
    await up.connection.firstAttempt;
    expect(up.connection.answering).toBe(true);

    // A port nobody listens on: refused at once.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const refused = connect(`redis://127.0.0.1:${port}`, 250);
    await refused.connection.firstAttempt;
    expect(refused.connection.answering).toBe(false);
  });

  // As announcements connect (no command timeout), and as the rate limit does (a command timeout, no offline queue).
  it.each([
    ['without', {}],
    ['with', { commandTimeout: 50, enableOfflineQueue: false }],
  ] as const)('does not take a stall of its own process for a silent Redis, %s a command timeout', async (_, options) => {
    const { connection, logged } = connect(url!, 50, options);
    await connection.firstAttempt;
    // Each probe's PING is sent, then this process is busy (as with a long request) for four
    // times the bound: the answer arrives meanwhile, and is waiting to be read when the next
    // turn of the event loop starts with the bound's timers.
    const { client } = connection;
    const send = client.sendCommand.bind(client);
    let probes = 0;
    client.sendCommand = ((command: Command, ...rest: unknown[]) => {
      if (command.name === 'ping') {
        probes++;
        setImmediate(() => {
          const until = Date.now() + 200;
          while (Date.now() < until);
        });
      }
      return (send as (...args: unknown[]) => unknown)(command, ...rest);
    }) as typeof client.sendCommand;
    while (probes < 2) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 300));
    expect(logged).toEqual([]);
    expect(connection.answering).toBe(true);
  });
});
