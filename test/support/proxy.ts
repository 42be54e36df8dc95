import net from 'node:net';

// A TCP proxy between the server and PostgreSQL or Redis, to give them a bad day for real:
// - forward: bytes pass both ways;
// - refuse: open connections are reset and new ones are reset as they arrive;
// - stall: connections stay open (new ones are accepted too) but nothing is forwarded either
//   way, as with a frozen host or a partition; the bytes wait, in order, and flow again on
//   `forward`, as TCP would deliver them once the network heals.

export type ProxyMode = 'forward' | 'refuse' | 'stall';

export interface TcpProxy {
  port: number;
  /** Also rewrites `url`'s host and port to the proxy's. */
  url(target: string): string;
  set(mode: ProxyMode): void;
  close(): Promise<void>;
}

export async function startProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let mode: ProxyMode = 'forward';
  const pairs = new Set<[net.Socket, net.Socket]>();

  const apply = ([client, upstream]: [net.Socket, net.Socket]) => {
    if (mode === 'refuse') {
      client.resetAndDestroy();
      upstream.destroy();
    } else if (mode === 'stall') {
      client.pause();
      upstream.pause();
    } else {
      client.resume();
      upstream.resume();
    }
  };

  const server = net.createServer((client) => {
    if (mode === 'refuse') return void client.resetAndDestroy();
    const upstream = net.connect(targetPort, targetHost);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    // By hand rather than pipe(): pipe() resumes a source on its own after backpressure, and
    // only `apply` may do that here.
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => client.write(d));
    // What one side sent before it closed still reaches the other (once forwarded), then the end.
    const end = () => {
      pairs.delete(pair);
      client.end();
      upstream.end();
    };
    const fail = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('end', end).on('error', fail);
    upstream.on('end', end).on('error', fail);
    apply(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;

  return {
    port,
    url(target) {
      const u = new URL(target);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    set(next) {
      mode = next;
      for (const pair of [...pairs]) apply(pair);
    },
    async close() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
