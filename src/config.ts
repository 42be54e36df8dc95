import { z } from 'zod';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** A positive whole-number limit on what one GraphQL operation may contain. */
const limit = (name: string, unit: string, fallback: number) =>
  z.coerce
    .number({ message: `${name} must be a number of ${unit}.` })
    .int(`${name} must be a whole number of ${unit}.`)
    .min(1, `${name} must be at least 1.`)
    .default(fallback);

const FLAGS: Record<string, boolean> = { true: true, on: true, '1': true, false: false, off: false, '0': false };

/** An on/off switch: true/false, on/off or 1/0. */
const flag = (name: string, fallback: boolean) =>
  z
    .string()
    .refine((v) => v.toLowerCase() in FLAGS, `${name} must be true or false.`)
    .transform((v) => FLAGS[v.toLowerCase()])
    .default(fallback);

/** A whole number of milliseconds, at least `min`. */
const millis = (name: string, min: number, fallback: number) =>
  z.coerce
    .number({ message: `${name} must be a number of milliseconds.` })
    .int(`${name} must be a whole number of milliseconds.`)
    .min(min, `${name} must be at least ${min}.`)
    .default(fallback);

export interface PoolSettings {
  /** Most connections open at once. */
  size: number;
  /** How long opening a connection, or waiting for a free one, may take. */
  connectTimeoutMs: number;
  /** How long an unused connection stays open. */
  idleTimeoutMs: number;
  /**
   * Longest a statement may run: PostgreSQL cancels it then (statement_timeout); a server
   * that does not answer at all is given up on shortly after.
   */
  statementTimeoutMs: number;
}

export const POOL_DEFAULTS: PoolSettings = {
  size: 10,
  connectTimeoutMs: 5_000,
  idleTimeoutMs: 30_000,
  statementTimeoutMs: 15_000,
};

export interface RedisSettings {
  url: string;
  /**
   * Longest a request waits on Redis, and how soon a Redis that stays connected but does not
   * answer counts as gone (the instance then works on its own until Redis answers again).
   */
  timeoutMs: number;
}

const schema = z.object({
  PORT: z.coerce
    .number({ message: 'PORT must be a number between 0 and 65535.' })
    .int('PORT must be a whole number.')
    .min(0, 'PORT must be between 0 and 65535.')
    .max(65535, 'PORT must be between 0 and 65535.')
    .default(4000),
  HOST: z.string().min(1, 'HOST must not be empty.').default('0.0.0.0'),
  DATA_DIR: z.string().min(1, 'DATA_DIR must not be empty.').default('./.data'),
  EMBEDDED_SHARED_BUFFERS: z
    .string()
    .regex(/^\d+(kB|MB|GB)$/, 'EMBEDDED_SHARED_BUFFERS must be a size such as 16MB or 256MB.')
    .optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgresql:// URL (leave it unset to use the embedded database).')
    .optional(),
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters long.').optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}.` }).default('info'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// or rediss:// URL (leave it unset to run a single instance).')
    .optional(),
  REDIS_TIMEOUT_MS: millis('REDIS_TIMEOUT_MS', 10, 250),
  DATABASE_POOL_SIZE: z.coerce
    .number({ message: 'DATABASE_POOL_SIZE must be a number of connections.' })
    .int('DATABASE_POOL_SIZE must be a whole number of connections.')
    .min(1, 'DATABASE_POOL_SIZE must be at least 1.')
    .default(POOL_DEFAULTS.size),
  DATABASE_CONNECT_TIMEOUT_MS: millis('DATABASE_CONNECT_TIMEOUT_MS', 100, POOL_DEFAULTS.connectTimeoutMs),
  DATABASE_IDLE_TIMEOUT_MS: millis('DATABASE_IDLE_TIMEOUT_MS', 1000, POOL_DEFAULTS.idleTimeoutMs),
  DATABASE_STATEMENT_TIMEOUT_MS: millis('DATABASE_STATEMENT_TIMEOUT_MS', 100, POOL_DEFAULTS.statementTimeoutMs),
  DESK_CLOCK_MS: z.coerce
    .number({ message: 'DESK_CLOCK_MS must be a number of milliseconds.' })
    .int('DESK_CLOCK_MS must be a whole number of milliseconds.')
    .min(0, 'DESK_CLOCK_MS must be 0 (off) or more.')
    .max(60_000, 'DESK_CLOCK_MS must be at most 60000 so time-driven desk changes stay timely.')
    .default(1000),
  WS_KEEPALIVE_MS: millis('WS_KEEPALIVE_MS', 1000, 12_000),
  DESK_HISTORY_HOURS: z.coerce
    .number({ message: 'DESK_HISTORY_HOURS must be a number of hours.' })
    .int('DESK_HISTORY_HOURS must be a whole number of hours.')
    .min(1, 'DESK_HISTORY_HOURS must be at least 1.')
    .default(168),
  MAX_BODY_BYTES: z.coerce
    .number({ message: 'MAX_BODY_BYTES must be a number of bytes.' })
    .int('MAX_BODY_BYTES must be a whole number of bytes.')
    .min(1024, 'MAX_BODY_BYTES must be at least 1024.')
    .default(102_400),
  RATE_LIMIT_PER_MINUTE: z.coerce
    .number({ message: 'RATE_LIMIT_PER_MINUTE must be a number of operations.' })
    .int('RATE_LIMIT_PER_MINUTE must be a whole number of operations.')
    .min(0, 'RATE_LIMIT_PER_MINUTE must be 0 (off) or more.')
    .default(600),
  GRAPHQL_MAX_DEPTH: limit('GRAPHQL_MAX_DEPTH', 'levels of nested fields', 12),
  GRAPHQL_MAX_ALIASES: limit('GRAPHQL_MAX_ALIASES', 'aliases', 20),
  GRAPHQL_MAX_TOKENS: limit('GRAPHQL_MAX_TOKENS', 'tokens', 2000),
  GRAPHQL_MAX_COST: limit('GRAPHQL_MAX_COST', 'cost points', 50_000),
  GRAPHQL_INTROSPECTION: flag('GRAPHQL_INTROSPECTION', true),
  GRAPHQL_FIELD_SUGGESTIONS: flag('GRAPHQL_FIELD_SUGGESTIONS', true),
  WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .trim()
    .regex(
      /^\d{1,6}(\s*,\s*\d{1,6}){0,19}$/,
      'WEBHOOK_RETRY_SCHEDULE must be up to 20 delays in seconds, comma-separated, e.g. 5,300,1800.',
    )
    .transform((v) => v.split(',').map((d) => Number(d.trim())))
    .default([5, 300, 1800, 7200, 18_000, 36_000, 36_000]),
  WEBHOOK_ALLOW_PRIVATE_URLS: flag('WEBHOOK_ALLOW_PRIVATE_URLS', false),
  WEBHOOK_TIMEOUT_MS: millis('WEBHOOK_TIMEOUT_MS', 100, 10_000),
  WEBHOOK_POLL_MS: millis('WEBHOOK_POLL_MS', 50, 1000),
});

export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  port: number;
  host: string;
  /** Where the embedded database keeps its files; unused with `databaseUrl`. */
  dataDir: string;
  /** The embedded database's page cache (PostgreSQL's shared_buffers); unused with `databaseUrl`. */
  embeddedSharedBuffers?: string;
  databaseUrl?: string;
  /** The PostgreSQL connection pool; unused on the embedded database. */
  pool: PoolSettings;
  adminToken?: string;
  logLevel: LogLevel;
  /** Redis for desk events, revocations and the rate budget across instances; in-process when absent. */
  redis?: RedisSettings;
  /** How often the desk clock moves visits onto and off the desks (0: never). */
  deskClockMs: number;
  /** WebSocket ping interval; a client that misses a pong by the next ping is dropped. */
  wsKeepAliveMs: number;
  /** How long desk events are kept for clients resuming from a cursor. */
  deskHistoryHours: number;
  /** What one request may ask of the server (src/server/hardening.ts). */
  limits: RequestLimits;
  webhooks: WebhookSettings;
}

export interface WebhookSettings {
  /** Seconds to wait before each retry of a failed delivery; then it has FAILED. */
  retrySchedule: number[];
  /** Whether endpoints may be on loopback and private networks (never plain http). */
  allowPrivateUrls: boolean;
  /** How long one attempt may take. */
  timeoutMs: number;
  /** How often each instance looks for deliveries due, besides being woken after a commit. */
  pollMs: number;
}

export interface RequestLimits {
  /** Largest request body accepted; larger ones get 413. */
  maxBodyBytes: number;
  /** Operations per minute per token (or per client address without one); 0: no limit. */
  rateLimitPerMinute: number;
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxCost: number;
  /** Whether the schema can be introspected (and GraphiQL is served). */
  introspection: boolean;
  /** Whether validation errors suggest field names ("Did you mean …?"). */
  fieldSuggestions: boolean;
}

export class ConfigError extends Error {}

/** Reads and validates the environment; throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= command`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir: c.DATA_DIR,
    embeddedSharedBuffers: c.EMBEDDED_SHARED_BUFFERS,
    databaseUrl: c.DATABASE_URL,
    pool: {
      size: c.DATABASE_POOL_SIZE,
      connectTimeoutMs: c.DATABASE_CONNECT_TIMEOUT_MS,
      idleTimeoutMs: c.DATABASE_IDLE_TIMEOUT_MS,
      statementTimeoutMs: c.DATABASE_STATEMENT_TIMEOUT_MS,
    },
    adminToken: c.ADMIN_TOKEN,
    logLevel: c.LOG_LEVEL,
    redis: c.REDIS_URL ? { url: c.REDIS_URL, timeoutMs: c.REDIS_TIMEOUT_MS } : undefined,
    deskClockMs: c.DESK_CLOCK_MS,
    deskHistoryHours: c.DESK_HISTORY_HOURS,
    wsKeepAliveMs: c.WS_KEEPALIVE_MS,
    limits: {
      maxBodyBytes: c.MAX_BODY_BYTES,
      rateLimitPerMinute: c.RATE_LIMIT_PER_MINUTE,
      maxDepth: c.GRAPHQL_MAX_DEPTH,
      maxAliases: c.GRAPHQL_MAX_ALIASES,
      maxTokens: c.GRAPHQL_MAX_TOKENS,
      maxCost: c.GRAPHQL_MAX_COST,
      introspection: c.GRAPHQL_INTROSPECTION,
      fieldSuggestions: c.GRAPHQL_FIELD_SUGGESTIONS,
    },
    webhooks: {
      retrySchedule: c.WEBHOOK_RETRY_SCHEDULE,
      allowPrivateUrls: c.WEBHOOK_ALLOW_PRIVATE_URLS,
      timeoutMs: c.WEBHOOK_TIMEOUT_MS,
      pollMs: c.WEBHOOK_POLL_MS,
    },
  };
}
