import { z } from 'zod';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

const schema = z.object({
  PORT: z.coerce
    .number({ message: 'PORT must be a number between 0 and 65535.' })
    .int('PORT must be a whole number.')
    .min(0, 'PORT must be between 0 and 65535.')
    .max(65535, 'PORT must be between 0 and 65535.')
    .default(4000),
  HOST: z.string().min(1, 'HOST must not be empty.').default('0.0.0.0'),
  DATA_DIR: z.string().min(1, 'DATA_DIR must not be empty.').default('./.data'),
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
  DESK_CLOCK_MS: z.coerce
    .number({ message: 'DESK_CLOCK_MS must be a number of milliseconds.' })
    .int('DESK_CLOCK_MS must be a whole number of milliseconds.')
    .min(0, 'DESK_CLOCK_MS must be 0 (off) or more.')
    .max(60_000, 'DESK_CLOCK_MS must be at most 60000 so time-driven desk changes stay timely.')
    .default(1000),
  WS_KEEPALIVE_MS: z.coerce
    .number({ message: 'WS_KEEPALIVE_MS must be a number of milliseconds.' })
    .int('WS_KEEPALIVE_MS must be a whole number of milliseconds.')
    .min(1000, 'WS_KEEPALIVE_MS must be at least 1000.')
    .default(12_000),
  DESK_HISTORY_HOURS: z.coerce
    .number({ message: 'DESK_HISTORY_HOURS must be a number of hours.' })
    .int('DESK_HISTORY_HOURS must be a whole number of hours.')
    .min(1, 'DESK_HISTORY_HOURS must be at least 1.')
    .default(168),
});

export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  port: number;
  host: string;
  /** Where the embedded database keeps its files; unused with `databaseUrl`. */
  dataDir: string;
  databaseUrl?: string;
  adminToken?: string;
  logLevel: LogLevel;
  /** Redis for desk events across instances; in-process when absent. */
  redisUrl?: string;
  /** How often the desk clock moves visits onto and off the desks (0: never). */
  deskClockMs: number;
  /** WebSocket ping interval; a client that misses a pong by the next ping is dropped. */
  wsKeepAliveMs: number;
  /** How long desk events are kept for clients resuming from a cursor. */
  deskHistoryHours: number;
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
    databaseUrl: c.DATABASE_URL,
    adminToken: c.ADMIN_TOKEN,
    logLevel: c.LOG_LEVEL,
    redisUrl: c.REDIS_URL,
    deskClockMs: c.DESK_CLOCK_MS,
    deskHistoryHours: c.DESK_HISTORY_HOURS,
    wsKeepAliveMs: c.WS_KEEPALIVE_MS,
  };
}
