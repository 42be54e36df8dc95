import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { connectRedis, type RedisConnection } from '../src/server/redis.ts';

// The connection behind announcements and the shared rate limit, against the machine's Redis.

const url = process.env.REDIS_URL;

describe.runIf(url)('a Redis connection', () => {
  const open: RedisConnection[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });

  function connect(to: string, timeoutMs: number) {
    const logged: string[] = [];
    const log = (message: string) => void logged.push(message);
    const logger = { debug: log, info: log, warn: log, error: log };
    const connection = connectRedis(to, timeoutMs, { maxRetriesPerRequest: 1 }, logger, 'test', 'Going on without it.');
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

  it('does not take a stall of its own process for a silent Redis', async () => {
    const { connection, logged } = connect(url!, 50);
    await connection.firstAttempt;
    // Each probe's PING is sent, then this process is busy (as with a long request) for four
    // times the bound: the answer arrives meanwhile, and is waiting to be read when the next
    // turn of the event loop starts with the bound's timer.
    const { client } = connection;
    const ping = client.ping.bind(client);
    let probes = 0;
    client.ping = (() => {
      probes++;
      setImmediate(() => {
        const until = Date.now() + 200;
        while (Date.now() < until);
      });
      return ping();
    }) as typeof client.ping;
    while (probes < 2) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 300));
    expect(logged).toEqual([]);
    expect(connection.answering).toBe(true);
  });
});
