// Protection against hostile and careless requests, as yoga/envelop plugins so that one set of
// rules covers HTTP (GET, POST, SSE) and graphql-ws alike. Everything here rejects a request
// before any resolver runs or the database is asked anything (over graphql-ws the per-operation
// token check comes first, see useRateLimit).
//
// - body size: a Content-Length over the limit is refused before the body is read (413); yoga's
//   own maxRequestBodySize (set in app.ts) cuts streamed bodies without a Content-Length.
// - rate limit: rate-limiter-flexible, per token (SHA-256 of it) or per client address.
// - depth, aliases, directives, tokens and cost: GraphQL Armor, as validation rules (tokens: while
//   parsing), each reported as a QUERY_TOO_COMPLEX error saying what to change.
// - introspection and field suggestions: off in production if configured so.

import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { GraphQLError, ValidationContext } from 'graphql';
import { createGraphQLError, type Plugin, type YogaLogger } from 'graphql-yoga';
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { useDisableIntrospection } from '@envelop/disable-introspection';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisSettings, RequestLimits } from '../config.ts';
import { bearerSecret } from '../modules/access/auth.ts';
import { connectRedis, type RedisConnection } from './redis.ts';

/** No client of this API uses directives beyond a few @include/@skip; many only serve to overload the server. */
const MAX_DIRECTIVES = 50;

export interface HardeningOptions {
  limits: RequestLimits;
  /** Set: the rate budget is kept in Redis and shared by every instance (connectRateLimitStore). */
  rateLimitStore?: RedisConnection;
  logger: YogaLogger;
  /** The Authorization value a transport's initial context carries (app.ts `credentials`). */
  credentials: (initial: Record<string, unknown>) => unknown;
}

export function hardeningPlugins(options: HardeningOptions): Plugin[] {
  const { limits } = options;
  const plugins: Plugin[] = [useBodyLimit(limits.maxBodyBytes)];
  if (limits.rateLimitPerMinute > 0) plugins.push(useRateLimit(options));
  plugins.push(...(armor(limits) as Plugin[]));
  if (!limits.introspection) plugins.push(useDisableIntrospection() as Plugin);
  return plugins;
}

// --- Body size -----------------------------------------------------------------------------

const bodyTooLarge = (maxBytes: number) =>
  createGraphQLError(`The request body is larger than the ${maxBytes}-byte limit: send a shorter operation or fewer variables.`, {
    extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', http: { status: 413 } },
  });

function useBodyLimit(maxBytes: number): Plugin {
  return {
    onRequestParse({ request }) {
      // A malformed Content-Length is left to yoga's own check, which answers 400.
      const length = request.headers.get('content-length');
      if (length && /^\d+$/.test(length) && Number(length) > maxBytes) throw bodyTooLarge(maxBytes);
    },
    onResponse({ response }) {
      // The rest of a refused body is still on its way: end the connection rather than
      // let the client send its next request after it (it would be cut mid-way).
      if (response.status === 413) response.headers.set('connection', 'close');
    },
  };
}

// --- Rate limit ----------------------------------------------------------------------------

/**
 * The Redis connection a shared rate budget is kept in; its owner closes it. No offline queue
 * and a command timeout: while Redis is away, or connected but silent, a command fails at once
 * or within the bound, and the in-memory "insurance" limiter counts instead. Once the
 * connection is known not to answer, Redis is not asked at all.
 */
export function connectRateLimitStore(settings: RedisSettings, logger: YogaLogger): RedisConnection {
  const options = { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: settings.timeoutMs };
  const store = connectRedis(
    settings.url,
    settings.timeoutMs,
    options,
    logger,
    'rate limit',
    'Counting in memory per instance meanwhile.',
  );
  const { client } = store;
  // The connection must not keep a stopping process alive.
  client.on('connect', () => (client as unknown as { stream?: { unref?: () => void } }).stream?.unref?.());
  return store;
}

/**
 * Counts operations: HTTP requests to the GraphQL endpoint when yoga starts to parse them
 * (before the body is read), and over graphql-ws each operation when it starts executing.
 * graphql-ws operations are built in server.ts from parse, validate and the context factory
 * (which checks the token in the database); no plugin hook runs before that factory and can
 * wait, so they are counted in onExecute/onSubscribe: after the token check, before any
 * resolver. A connection without a valid token never gets that far.
 */
function useRateLimit({ limits, rateLimitStore: redis, logger, credentials }: HardeningOptions): Plugin {
  const perMinute = limits.rateLimitPerMinute;
  const memory = new RateLimiterMemory({ points: perMinute, duration: 60 });
  const shared: RateLimiterAbstract | undefined =
    redis &&
    new RateLimiterRedis({
      storeClient: redis.client,
      keyPrefix: 'vwo:rate',
      points: perMinute,
      duration: 60,
      insuranceLimiter: memory,
    });

  /** Undefined when allowed; else the seconds until the budget has room again. */
  async function consume(key: string): Promise<number | undefined> {
    const limiter = shared && redis?.answering ? shared : memory;
    try {
      await limiter.consume(key);
      return undefined;
    } catch (err) {
      if (err instanceof RateLimiterRes) return Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      // A failing store must not take the API down with it: let the request through.
      logger.error('Rate limit check failed; the request is let through.', err);
      return undefined;
    }
  }

  const message = (retryAfter: number) =>
    `Too many requests: at most ${perMinute} operations a minute are allowed per token. Try again in ${retryAfter} seconds.`;

  const overWs = async (context: Record<string, unknown>) => {
    if (context.request) return undefined; // HTTP: counted in onRequestParse
    const retryAfter = await consume(rateKey(credentials(context), undefined));
    if (retryAfter === undefined) return undefined;
    return { errors: [createGraphQLError(message(retryAfter), { extensions: { code: 'RATE_LIMITED', retryAfter } })] };
  };

  return {
    async onRequestParse({ request, serverContext }) {
      const address = (serverContext as { req?: IncomingMessage }).req?.socket.remoteAddress;
      const retryAfter = await consume(rateKey(request.headers.get('authorization'), address));
      if (retryAfter === undefined) return;
      throw createGraphQLError(message(retryAfter), {
        extensions: {
          code: 'RATE_LIMITED',
          retryAfter,
          http: { status: 429, headers: { 'Retry-After': String(retryAfter) } },
        },
      });
    },
    async onExecute({ args, setResultAndStopExecution }) {
      const refused = await overWs(args.contextValue as unknown as Record<string, unknown>);
      if (refused) setResultAndStopExecution(refused);
    },
    async onSubscribe({ args, setResultAndStopExecution }) {
      const refused = await overWs(args.contextValue as unknown as Record<string, unknown>);
      if (refused) setResultAndStopExecution(refused);
    },
  };
}

/** The budget's key: a hash of the token (never the token itself), else the client address. */
function rateKey(authorization: unknown, address: string | undefined): string {
  const secret = bearerSecret(authorization);
  if (secret) return `token:${createHash('sha256').update(secret).digest('hex')}`;
  return `ip:${address ?? 'unknown'}`;
}

// --- Operation shape (GraphQL Armor) -------------------------------------------------------

/**
 * Armor reports "Syntax Error: Query depth limit of 12 exceeded, found 14." with no code; this
 * turns it into an error with a code and advice. Validation rules report it with the other
 * validation errors; the token limit has no validation context and throws from the parser.
 */
function rejectWith(advice: string) {
  return [
    (context: ValidationContext | null, error: GraphQLError) => {
      const finding = error.message.replace(/^Syntax Error: /, '');
      const rejection = createGraphQLError(`${finding} ${advice}`, { extensions: { code: 'QUERY_TOO_COMPLEX' } });
      if (!context) throw rejection;
      context.reportError(rejection);
    },
  ];
}

function armor(limits: RequestLimits) {
  const common = { exposeLimits: true, propagateOnRejection: false };
  return new EnvelopArmor({
    maxDepth: {
      n: limits.maxDepth,
      ...common,
      onReject: rejectWith('Ask for less deeply nested fields, or split the operation.'),
    },
    maxAliases: {
      n: limits.maxAliases,
      ...common,
      onReject: rejectWith('Use fewer aliases, or split the operation.'),
    },
    maxDirectives: {
      n: MAX_DIRECTIVES,
      ...common,
      onReject: rejectWith('Use fewer directives.'),
    },
    maxTokens: {
      n: limits.maxTokens,
      ...common,
      onReject: rejectWith('Send a shorter operation.'),
    },
    // Armor's cost: 1 a scalar, 2 an object, times 1.5 a level, times `first` on connections.
    costLimit: {
      maxCost: limits.maxCost,
      ...common,
      onReject: rejectWith('Ask for fewer fields or smaller pages (a smaller `first`), or split the operation.'),
    },
    blockFieldSuggestion: { enabled: !limits.fieldSuggestions },
  }).protect().plugins;
}
