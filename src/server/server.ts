import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { execute, subscribe, GraphQLError, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { createLogger, type YogaLogger } from 'graphql-yoga';
import type { Config } from '../config.ts';
import { authenticate, bearerSecret, bootstrapAdmin } from '../modules/access/auth.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import { AccessWatch } from '../modules/access/watch.ts';
import { DeskService } from '../modules/desk/service.ts';
import { EvacuationService } from '../modules/evacuation/service.ts';
import { WebhookWorker } from '../modules/webhooks/worker.ts';
import { startAnnouncements } from './announcements.ts';
import { connectRateLimitStore } from './hardening.ts';
import { openDatabase, type Database, type DatabaseOptions } from '../db/database.ts';
import { createApp, credentials, GRAPHQL_PATH } from './app.ts';
import { servePage } from './pages.ts';
import { databaseProbe } from './health.ts';
import { metricsEndpoint } from './metrics.ts';
import { deskMetrics } from '../modules/desk/metrics.ts';
import { advanceCompliance } from '../modules/compliance/clock.ts';
import { advanceOnSite } from '../modules/on-site/clock.ts';

export interface ServerOptions {
  config: Config;
  /** Injected in tests to drive time-dependent rules without sleeping. */
  clock?: Clock;
  /** Overrides where data lives (tests: an in-memory database or a private schema). */
  database?: DatabaseOptions;
}

export interface RunningServer {
  url: string;
  port: number;
  db: Database;
  logger: YogaLogger;
  desk: DeskService;
  /** Delivers webhooks; `tick()` sends what is due now. */
  webhooks: WebhookWorker;
  /** Stops accepting, finishes in-flight requests, closes sockets and the database. */
  close(): Promise<void>;
}

/** How long in-flight requests may take to finish on shutdown before they are cut. */
const DRAIN_MS = 10_000;

/** How long start-up waits for Redis to connect or fail before serving without it. */
const REDIS_START_WAIT_MS = 2_000;

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = createLogger(config.logLevel);

  const db = await openDatabase({
    pool: config.pool,
    ...(options.database ?? {
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      sharedBuffers: config.embeddedSharedBuffers,
    }),
  });
  let bootstrap;
  try {
    const applied = await db.migrate();
    if (applied.length > 0) logger.info(`Applied migrations: ${applied.join(', ')}`);
    bootstrap = await bootstrapAdmin(db.prisma, config.adminToken);
  } catch (err) {
    await db.close();
    throw err;
  }

  const transport = startAnnouncements(config.redis, logger);
  const rateLimitStore =
    config.redis && config.limits.rateLimitPerMinute > 0 ? connectRateLimitStore(config.redis, logger) : undefined;
  const desk = new DeskService({
    prisma: db.prisma,
    clock,
    announcements: transport.announcements,
    logger,
    clockIntervalMs: config.deskClockMs,
    historyHours: config.deskHistoryHours,
    clockSteps: [advanceOnSite, advanceCompliance],
  });
  const evacuations = new EvacuationService(db.prisma, transport.announcements, logger);
  const webhooks = new WebhookWorker({
    prisma: db.prisma,
    clock,
    announcements: transport.announcements,
    logger,
    settings: config.webhooks,
  });
  transport.onBack(() => {
    void desk.catchUp();
    void evacuations.catchUp();
  });
  const serveMetrics = metricsEndpoint([deskMetrics(desk)]);
  const accessWatch = new AccessWatch(transport.announcements, (err) => logger.error('Access watch failed.', err));
  const yoga = createApp({
    prisma: db.prisma,
    clock,
    desk,
    evacuations,
    announcements: transport.announcements,
    webhookDestinations: { allowPrivate: config.webhooks.allowPrivateUrls },
    accessWatch,
    logger,
    limits: config.limits,
    rateLimitStore,
  });

  let accepting = true;
  let inFlight = 0;
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/health' || req.url?.startsWith('/health?')) return health(res);
    if (req.method === 'GET' && req.url === '/metrics') {
      void serveMetrics(res).catch((err: unknown) => {
        logger.error('Collecting metrics failed.', err);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      return;
    }
    if (req.url?.startsWith('/desk')) {
      void servePage(req, res).then(async (served) => {
        if (!served) await yoga.handle(req, res);
      });
      return;
    }
    // Streams (GraphQL over SSE) stay open until the client leaves; they are not
    // in-flight requests for draining, and are cut when the drain is over.
    const streaming = (req.headers.accept ?? '').includes('text/event-stream');
    if (!streaming) {
      inFlight++;
      res.once('close', () => inFlight--);
    }
    void yoga.handle(req, res);
  });

  const databaseAnswers = databaseProbe(() => db.ping(), logger);
  async function health(res: ServerResponse) {
    const ok = accepting && (await databaseAnswers());
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ status: ok ? 'ok' : 'unavailable' }));
  }

  const wss = new WebSocketServer({ server: http, path: GRAPHQL_PATH });
  /** Open graphql-ws connections, to know when their operations have all completed. */
  const connections = new Set<{ subscriptions: Record<string, unknown> }>();
  const wsServer = useServer(
    {
      // A bad token is refused at connection_init: the socket closes with 4403. A connection
      // without one is let in, but each of its operations must then bring a valid token in
      // its `extensions.headers` (as GraphiQL does) or is answered UNAUTHENTICATED.
      onConnect: async (ctx) => {
        const given = credentials({ connectionParams: ctx.connectionParams });
        const ok = given == null || (await validToken(given));
        if (ok) connections.add(ctx);
        return ok;
      },
      onClose: (ctx) => void connections.delete(ctx),
      execute: (args: ExecutionArgs) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args: ExecutionArgs) => (args.rootValue as Enveloped).subscribe(args),
      onSubscribe: async (ctx, _id, payload) => {
        const enveloped = yoga.getEnveloped({
          connectionParams: ctx.connectionParams,
          operationHeaders: payload.extensions?.headers,
        });
        let document;
        try {
          document = enveloped.parse(payload.query);
        } catch (err) {
          return [err instanceof GraphQLError ? err : new GraphQLError('The operation could not be parsed.')];
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors;
        let contextValue;
        try {
          // Checked again per operation: a token revoked since connecting no longer works.
          contextValue = await enveloped.contextFactory();
        } catch (err) {
          if (err instanceof GraphQLError) return [err];
          throw err;
        }
        return {
          schema: enveloped.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
      },
    },
    wss,
    config.wsKeepAliveMs,
  );

  async function validToken(given: unknown): Promise<boolean> {
    const secret = bearerSecret(given);
    return secret !== null && (await authenticate(db.prisma, secret, clock.now())) !== null;
  }

  // Requests are taken once Redis has been tried: a budget counted in memory, or a desk event
  // of another instance missed, only ever means Redis is away, not that it was still connecting.
  await Promise.race([
    Promise.all([transport.firstAttempt, rateLimitStore?.firstAttempt]),
    delay(REDIS_START_WAIT_MS, undefined, { ref: false }),
  ]);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}${GRAPHQL_PATH}`;
  if (bootstrap.kind === 'generated') announceGeneratedToken(bootstrap.secret, url);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      accepting = false;
      const deadline = Date.now() + DRAIN_MS;
      // No new connections; those open keep being served until they are drained below.
      http.close();
      // Open subscriptions complete (graphql-ws and SSE "complete" messages) before sockets close.
      await desk.close();
      evacuations.close();
      await webhooks.close();
      // Before the Redis clients quit: letting go of a topic sends an UNSUBSCRIBE.
      await accessWatch.close();
      await transport.close();
      while ([...connections].some((c) => Object.keys(c.subscriptions).length > 0) && Date.now() < deadline) await sleep(5);
      // WebSockets first, while their upgraded sockets are untouched: each is closed with
      // 1001 Going Away and its closing handshake awaited, so clients know to reconnect
      // elsewhere. One that never answers is cut at the deadline.
      await Promise.race([wsServer.dispose(), sleep(DRAIN_MS)]);
      for (const socket of wss.clients) socket.terminate();
      http.closeIdleConnections();
      while (inFlight > 0 && Date.now() < deadline) await sleep(20);
      http.closeAllConnections();
      await yoga.dispose();
      await rateLimitStore?.close();
      await db.close();
    })());

  return { url, port, db, logger, desk, webhooks, close };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Enveloped = { execute: typeof execute; subscribe: typeof subscribe };

function announceGeneratedToken(secret: string, url: string): void {
  // Printed once on purpose: only its hash is stored, so it cannot be shown again.
  process.stdout.write(
    [
      '',
      'An administrator token was generated for this new database. It is shown only once:',
      '',
      `    ${secret}`,
      '',
      `Open ${url} in a browser and put this in GraphiQL's Headers tab:`,
      `    { "Authorization": "Bearer ${secret}" }`,
      'Set ADMIN_TOKEN to choose the administrator token yourself.',
      '',
    ].join('\n') + '\n',
  );
}
