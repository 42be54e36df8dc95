import { createGraphQLError, createYoga, type YogaLogger } from 'graphql-yoga';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { authenticate, bearerSecret } from '../modules/access/auth.ts';
import type { Clock } from '../core/clock.ts';
import type { DeskService } from '../modules/desk/service.ts';
import type { EvacuationService } from '../modules/evacuation/service.ts';
import type { DestinationPolicy } from '../modules/webhooks/destinations.ts';
import type { Announcements } from '../core/announcements.ts';
import type { AccessWatch } from '../modules/access/watch.ts';
import type { Context } from '../graphql/context.ts';
import { maskError } from '../graphql/errors.ts';
import { schema } from '../graphql/schema.ts';
import { useSharedEventResults } from '../modules/desk/shared-results.ts';
import { useDeskAnswers } from '../modules/desk/answers.ts';
import { GRAPHIQL_HEADERS, GRAPHIQL_TABS } from './graphiql.ts';
import type { RequestLimits } from '../config.ts';
import type { RedisConnection } from './redis.ts';
import { hardeningPlugins } from './hardening.ts';
import { useIdempotency } from './idempotency.ts';
import { createLoaders } from '../graphql/loaders.ts';

export const GRAPHQL_PATH = '/graphql';

export interface AppDeps {
  prisma: PrismaClient;
  clock: Clock;
  desk: DeskService;
  evacuations: EvacuationService;
  announcements: Announcements;
  webhookDestinations: DestinationPolicy;
  accessWatch: AccessWatch;
  logger: YogaLogger;
  /** Size, rate and shape limits on requests (src/server/hardening.ts). */
  limits: RequestLimits;
  /** Shares the rate budget between instances when set (hardening.ts `connectRateLimitStore`). */
  rateLimitStore?: RedisConnection;
}

/** What the transports hand to the context: the HTTP request, or graphql-ws connection params. */
interface TransportContext {
  request?: Request;
  connectionParams?: Record<string, unknown>;
  /** graphql-ws: the headers an operation carries in its `extensions` (GraphiQL sends them there). */
  operationHeaders?: unknown;
}

const asRecord = (value: unknown) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});

/**
 * The Authorization value of an HTTP request; over graphql-ws, of the connection params
 * (`{ authorization }`, or `{ headers: { Authorization } }` as GraphQL tooling sends them),
 * else of the operation's own `extensions.headers`.
 */
export function credentials(initial: TransportContext): unknown {
  if (initial.request) return initial.request.headers.get('authorization');
  const params = asRecord(initial.connectionParams);
  const headers = asRecord(params.headers);
  const operation = asRecord(initial.operationHeaders);
  return (
    params.authorization ??
    params.Authorization ??
    headers.authorization ??
    headers.Authorization ??
    operation.authorization ??
    operation.Authorization
  );
}

const unauthenticated = () =>
  createGraphQLError('Authentication required: send "Authorization: Bearer <token>" with a valid API token.', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } } },
  });

export function createApp(deps: AppDeps) {
  return createYoga<TransportContext, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    logging: deps.logger,
    landingPage: false,
    // Readiness is answered by the HTTP layer, which knows about start-up and shutdown.
    healthCheckEndpoint: '/yoga-health',
    maskedErrors: { maskError },
    // Streamed bodies without a Content-Length are cut here; hardening.ts answers the others.
    maxRequestBodySize: deps.limits.maxBodyBytes,
    // GraphiQL's scripts are served by this server, not fetched from a CDN. Loaded when first
    // served: the module holds GraphiQL's whole bundle as a string (tens of MB in memory), of
    // no use to a server with GraphiQL off.
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    plugins: [
      useSharedEventResults(),
      useDeskAnswers(),
      ...hardeningPlugins({ limits: deps.limits, rateLimitStore: deps.rateLimitStore, logger: deps.logger, credentials }),
      // Idempotency-Key on HTTP mutations: after the checks above, so refused requests never claim a key.
      useIdempotency(deps.prisma, deps.clock),
    ],
    // GraphiQL needs introspection: it is served only while introspection is on.
    graphiql: deps.limits.introspection && {
      title: 'Visitor Work Orders',
      subscriptionsProtocol: 'WS',
      // The worked example, one tab per step; each tab's headers hold the Authorization hint.
      defaultTabs: GRAPHIQL_TABS,
      // Headers of tabs the user adds.
      headers: GRAPHIQL_HEADERS,
    },
    // Every operation, over every transport, needs a valid token: no viewer, no data.
    context: async (initial): Promise<Context> => {
      const secret = bearerSecret(credentials(initial));
      const session = secret ? await authenticate(deps.prisma, secret, deps.clock.now()) : null;
      if (!session) throw unauthenticated();
      return {
        ...session,
        prisma: deps.prisma,
        clock: deps.clock,
        desk: deps.desk,
        evacuations: deps.evacuations,
        webhookDestinations: deps.webhookDestinations,
        announcements: deps.announcements,
        accessWatch: deps.accessWatch,
        loaders: createLoaders(deps.prisma),
      };
    },
  });
}
