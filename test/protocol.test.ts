import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { print } from 'graphql';
import { graphql } from './generated/index.ts';
import { DATABASES } from './support/databases.ts';
import { ADMIN_TOKEN, dbId, startTestServer, until } from './support/server.ts';
import { CreateProperty } from './support/fixtures.ts';

// Protocol hygiene of the live desk: dead clients are dropped, and a shutdown completes
// open subscriptions on every transport before it closes their connections.

const Watch = graphql(`
  subscription ProtocolWatch($propertyId: ID!) {
    visitorDeskChanged(propertyId: $propertyId) {
      kind
    }
  }
`);

describe.each(DATABASES)('live desk protocol on %s', (kind) => {
  it('pings clients and drops one that stops answering', async () => {
    const ts = await startTestServer(kind, { env: { WS_KEEPALIVE_MS: '1000' } });
    try {
      const propertyId = (await ts.gql(CreateProperty, { input: { name: 'Ping Place', timeZone: 'UTC' } })).createProperty
        .property!.id;
      // A raw graphql-transport-ws client that never answers pings.
      const socket = new WebSocket(ts.wsUrl, 'graphql-transport-ws', { autoPong: false });
      let pings = 0;
      socket.on('ping', () => pings++);
      const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${ADMIN_TOKEN}` } }));
      await new Promise((resolve) => socket.once('message', resolve)); // connection_ack
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: print(Watch), variables: { propertyId } } }));
      await until(() => ts.server.desk.subscriberCount(dbId(propertyId)) === 1, 'the subscription is live', 8_000);
      expect(await closed).toBe(1006); // terminated: no closing handshake with a dead peer
      expect(pings).toBeGreaterThanOrEqual(1);
      await until(() => ts.server.desk.subscriberCount(dbId(propertyId)) === 0, 'the server lets go of it', 8_000);
    } finally {
      await ts.close();
    }
  });

  it('on shutdown completes open subscriptions over graphql-ws and SSE, then closes with 1001', async () => {
    const ts = await startTestServer(kind);
    const propertyId = (await ts.gql(CreateProperty, { input: { name: 'Closing Court', timeZone: 'UTC' } })).createProperty
      .property!.id;

    let completed = false;
    let closeCode = 0;
    const client = createClient({
      url: ts.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${ADMIN_TOKEN}` },
      retryAttempts: 0,
      // Not lazy: the client keeps the socket after its last subscription, so the close is the server's.
      lazy: false,
      onNonLazyError: () => {},
      on: { closed: (e) => (closeCode = (e as { code: number }).code) },
    });
    client.subscribe(
      { query: print(Watch), variables: { propertyId } },
      { next: () => {}, error: () => {}, complete: () => (completed = true) },
    );

    const res = await fetch(ts.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ query: print(Watch), variables: { propertyId } }),
    });
    const reader = res.body!.getReader();
    await until(() => ts.server.desk.subscriberCount(dbId(propertyId)) === 2, 'both subscriptions are live', 8_000);
    // What an operator's scraper reads of it.
    const metrics = await fetch(new URL('/metrics', ts.url));
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const exposition = await metrics.text();
    expect(exposition).toContain(`desk_subscriptions{property="${dbId(propertyId)}"} 2\n`);
    expect(exposition).toContain(`desk_subscriptions_opened_total{property="${dbId(propertyId)}"} 2\n`);
    expect(exposition).toMatch(/^process_resident_memory_bytes \d+/m);

    const closing = ts.close();
    let stream = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) stream += new TextDecoder().decode(r.value);
    await closing;
    expect(stream).toMatch(/event: complete/);
    await until(() => closeCode !== 0, 'the WebSocket closes', 8_000);
    expect(completed).toBe(true);
    expect(closeCode).toBe(1001);
  });
});
