// Idempotency-Key for mutations sent over HTTP POST (the Stripe / IETF draft convention): the
// first request with a key runs and its HTTP answer is kept for 24 hours; a retry with the same
// key and the same operation gets that answer again, byte for byte, and changes nothing more.
//
// Why these hooks: the key is claimed in `onExecute`, i.e. only once the request has passed every
// check that refuses it before execution (body size and rate limit while parsing, GraphQL
// validation, the token check in the context factory). A refused request therefore never
// touches a key and can simply be retried; there, too, we know the operation type for certain
// (graphql's own getOperationAST), and `setResultAndStopExecution` skips execution for a replay.
// The answer is captured and replayed at the HTTP level in `onResponse` (Fetch Response): what
// is stored is exactly what was sent (status, body, content type), and a replay is that body
// verbatim, not a re-serialisation of a result. `onResultProcess` sees the final (masked)
// result and tells whether it is worth keeping: only results of an execution that ran (a
// `data` key) with no server fault; business refusals (userErrors) are kept.
//
// Concurrency: the key is claimed with INSERT … ON CONFLICT DO NOTHING (createMany with
// skipDuplicates). The winner runs; the others poll the row until the winner has stored its
// answer (then they replay it) or until WAIT_MS has passed (409, retry later). When the
// winner's answer is not kept, its row is deleted and a waiting request claims the key and runs.
//
// Expiry: rows older than 24 hours (by the injected clock) are ignored (deleted when met), and
// all expired rows are deleted at most once a minute, when a key is used.

import { createHash } from 'node:crypto';
import { GraphQLError, getOperationAST } from 'graphql';
import { createGraphQLError, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { systemClock, type Clock } from '../core/clock.ts';

const IDEMPOTENCY_HEADER = 'idempotency-key';
const REPLAYED_HEADER = 'idempotent-replayed';
const MAX_KEY_LENGTH = 255;
/** How long a stored answer is replayed. */
const KEY_TTL_MS = 24 * 60 * 60 * 1000;

export interface IdempotencyOptions {
  /** How long a request waits for a concurrent one with the same key before a 409. */
  waitMs?: number;
  /** Pause between two looks at a pending key. */
  pollMs?: number;
  /** A key still pending after this long is taken to be abandoned (its request died) and is run again. */
  abandonedMs?: number;
  /** Expired keys are deleted at most this often. */
  cleanupEveryMs?: number;
}

interface Claim {
  kind: 'run';
  scope: string;
  key: string;
  requestHash: string;
  /** Set from the final result: an execution happened and had no server fault. */
  storable: boolean;
}

interface Replay {
  kind: 'replay';
  status: number;
  body: string;
  contentType: string | null;
}

type State = Claim | Replay;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** JSON with object keys sorted at every level, so that key order does not change the hash. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** A key's scope: the credential it belongs to, hashed (raw tokens are never stored). */
export const idempotencyScope = (authorization: string | null) => sha256(authorization ?? '');

/** What identifies "the same request": query, operation name and variables, canonically. */
export const idempotencyRequestHash = (params: { query?: string; operationName?: string | null; variables?: unknown }) =>
  sha256(
    canonical({ query: params.query ?? null, operationName: params.operationName ?? null, variables: params.variables ?? null }),
  );

const invalidKey = () =>
  createGraphQLError(
    `The Idempotency-Key header must be 1 to ${MAX_KEY_LENGTH} characters long: send a unique key, such as a UUID, for each mutation.`,
    { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
  );

const keyReused = () =>
  createGraphQLError(
    'This Idempotency-Key was already used for a different request: use a new key for a new request, or repeat the original request unchanged.',
    { extensions: { code: 'IDEMPOTENCY_KEY_REUSED', http: { status: 422 } } },
  );

const keyInUse = () =>
  createGraphQLError(
    'A request with this Idempotency-Key is still being processed: retry in a moment with the same key to get its result.',
    { extensions: { code: 'IDEMPOTENCY_KEY_IN_USE', http: { status: 409, headers: { 'Retry-After': '1' } } } },
  );

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server fault in a result: an error yoga masked, or one that is not a GraphQL error at all. */
function isServerFault(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return true;
  const extensions = error.extensions as { code?: unknown; unexpected?: unknown };
  if (extensions?.code === 'INTERNAL_SERVER_ERROR' || extensions?.unexpected) return true;
  return error.originalError != null && !(error.originalError instanceof GraphQLError) && !extensions?.code;
}

function storableResult(result: unknown): boolean {
  if (result === null || typeof result !== 'object' || Array.isArray(result) || Symbol.asyncIterator in result) return false;
  const { data, errors } = result as { data?: unknown; errors?: readonly unknown[] };
  if (data === undefined) return false; // refused before execution (e.g. invalid variables)
  return !(errors ?? []).some(isServerFault);
}

export function useIdempotency(prisma: PrismaClient, clock: Clock = systemClock, options: IdempotencyOptions = {}): Plugin {
  const { waitMs = 5_000, pollMs = 25, abandonedMs = 5 * 60_000, cleanupEveryMs = 60_000 } = options;
  const states = new WeakMap<Request, State>();
  let lastCleanup = -Infinity;

  async function cleanup(now: Date) {
    if (now.getTime() - lastCleanup < cleanupEveryMs) return;
    lastCleanup = now.getTime();
    await prisma.idempotencyKey.deleteMany({ where: { createdAt: { lte: new Date(now.getTime() - KEY_TTL_MS) } } });
  }

  /** Runs the request (a Claim), replays a stored answer, or refuses with a GraphQL error. */
  async function acquire(scope: string, key: string, requestHash: string): Promise<State | GraphQLError> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const now = clock.now();
      const { count } = await prisma.idempotencyKey.createMany({
        data: [{ scope, key, requestHash, createdAt: now }],
        skipDuplicates: true,
      });
      if (count === 1) return { kind: 'run', scope, key, requestHash, storable: false };
      // Someone holds the key: look at it until it has an answer.
      for (;;) {
        const row = await prisma.idempotencyKey.findUnique({ where: { scope_key: { scope, key } } });
        if (!row) break; // its request was not kept: claim again
        const age = clock.now().getTime() - row.createdAt.getTime();
        if (age >= KEY_TTL_MS || (row.status === null && age >= abandonedMs)) {
          await prisma.idempotencyKey.deleteMany({ where: { scope, key, createdAt: row.createdAt } });
          break;
        }
        if (row.requestHash !== requestHash) return keyReused();
        if (row.status !== null)
          return { kind: 'replay', status: row.status, body: row.body ?? '', contentType: row.contentType };
        if (Date.now() >= deadline) return keyInUse();
        await sleep(pollMs);
      }
      if (Date.now() >= deadline) return keyInUse();
    }
  }

  async function release(claim: Claim) {
    await prisma.idempotencyKey.deleteMany({ where: { scope: claim.scope, key: claim.key, status: null } });
  }

  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const { request, params } = args.contextValue as Partial<YogaInitialContext>;
      if (!request || request.method !== 'POST') return; // graphql-ws, or not POST
      const key = request.headers.get(IDEMPOTENCY_HEADER);
      if (key === null) return;
      if (getOperationAST(args.document, args.operationName)?.operation !== 'mutation') return;
      if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
        setResultAndStopExecution({ errors: [invalidKey()] });
        return;
      }
      await cleanup(clock.now()).catch(() => {}); // housekeeping: never fails the request
      const state = await acquire(
        idempotencyScope(request.headers.get('authorization')),
        key,
        idempotencyRequestHash({ query: params?.query, operationName: params?.operationName, variables: params?.variables }),
      );
      if (state instanceof GraphQLError) {
        setResultAndStopExecution({ errors: [state] });
        return;
      }
      states.set(request, state);
      // A replay's answer is put in place in onResponse; this placeholder is never sent.
      if (state.kind === 'replay') setResultAndStopExecution({ data: null });
    },
    onResultProcess({ request, result }) {
      const state = states.get(request);
      if (state?.kind === 'run') state.storable = storableResult(result);
    },
    async onResponse({ request, response, setResponse, fetchAPI }) {
      const state = states.get(request);
      if (!state) return;
      states.delete(request);
      if (state.kind === 'replay') {
        const headers = new fetchAPI.Headers(response.headers);
        headers.delete('content-length');
        headers.delete('content-type');
        if (state.contentType) headers.set('content-type', state.contentType);
        headers.set(REPLAYED_HEADER, 'true');
        setResponse(new fetchAPI.Response(state.body, { status: state.status, headers }));
        return;
      }
      // Exceptions here are not caught by the server: never let one escape.
      try {
        if (!state.storable || response.status >= 500) {
          await release(state);
          return;
        }
        // The answer is stored before it is sent, so a retry after it is certain to find it.
        const body = await response.clone().text();
        await prisma.idempotencyKey.updateMany({
          where: { scope: state.scope, key: state.key, requestHash: state.requestHash, status: null },
          data: { status: response.status, body, contentType: response.headers.get('content-type') },
        });
      } catch {
        await release(state).catch(() => {});
      }
    },
  };
}
