import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { graphql } from './generated/index.ts';
import { DATABASES } from './support/databases.ts';
import { ADMIN_TOKEN, startTestServer, type TestServer } from './support/server.ts';

// Every operation, over every transport, needs a valid bearer token.

const Viewer = graphql(`
  query AuthViewer {
    viewer {
      name
    }
  }
`);

describe.each(DATABASES)('authentication on %s', (kind) => {
  let ts: TestServer;
  beforeAll(async () => {
    ts = await startTestServer(kind);
  });
  afterAll(() => ts?.close());

  it('answers HTTP requests without a valid token with 401 UNAUTHENTICATED and no data', async () => {
    for (const token of [null, 'wrong-token', '']) {
      const res = await ts.request(Viewer, {}, token);
      expect(res.status).toBe(401);
      expect(res.data ?? null).toBeNull();
      expect(res.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
    }
    expect((await ts.request(Viewer, {}, ADMIN_TOKEN)).data).toEqual({ viewer: { name: 'Administrator' } });
  });

  /** Runs the viewer query over graphql-ws with the given connection params. */
  function overWebSocket(connectionParams: Record<string, unknown>) {
    return new Promise<{ data?: unknown; closeCode?: number }>((resolve) => {
      const client = createClient({
        url: ts.wsUrl,
        webSocketImpl: WebSocket,
        connectionParams,
        retryAttempts: 0,
        on: { closed: (e) => resolve({ closeCode: (e as { code: number }).code }) },
      });
      client.subscribe(
        { query: '{ viewer { name } }' },
        {
          next: (r) => {
            resolve({ data: r.data });
            void client.dispose();
          },
          error: () => {},
          complete: () => {},
        },
      );
    });
  }

  it('accepts the token in graphql-ws connection params, as authorization or as headers.Authorization', async () => {
    expect(await overWebSocket({ authorization: `Bearer ${ADMIN_TOKEN}` })).toEqual({
      data: { viewer: { name: 'Administrator' } },
    });
    expect(await overWebSocket({ headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).toEqual({
      data: { viewer: { name: 'Administrator' } },
    });
  });

  it('closes a graphql-ws connection with a bad token with 4403 before any operation runs', async () => {
    expect(await overWebSocket({ authorization: 'Bearer not-a-token' })).toEqual({ closeCode: 4403 });
    expect(await overWebSocket({ headers: { Authorization: 'Bearer not-a-token' } })).toEqual({ closeCode: 4403 });
  });

  it('lets a connection without a token in, but answers its operations UNAUTHENTICATED unless they carry one', async () => {
    const client = createClient({ url: ts.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
    const run = (extensions?: Record<string, unknown>) =>
      new Promise<{ data?: unknown; errors?: unknown }>((resolve) => {
        client.subscribe(
          { query: '{ viewer { name } }', ...(extensions && { extensions }) },
          { next: (r) => resolve(r), error: (e) => resolve({ errors: e }), complete: () => {} },
        );
      });
    const anonymous = await run();
    expect(anonymous.data ?? null).toBeNull();
    expect(anonymous.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }),
    ]);
    // GraphiQL sends its Headers tab with each operation, in extensions.headers.
    expect(await run({ headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).toEqual({
      data: { viewer: { name: 'Administrator' } },
    });
    const wrong = await run({ headers: { Authorization: 'Bearer not-a-token' } });
    expect(wrong.data ?? null).toBeNull();
    await client.dispose();
  });
});
