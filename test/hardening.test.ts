import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { optionalText, requiredText } from '../src/core/validation.ts';
import { ADMIN_TOKEN, startTestServer, statementsDuring, type TestServer } from './support/server.ts';

// Hostile and careless requests: each is refused with a clear error and a fitting status,
// before any resolver or database work, and the server goes on serving.

const GQL_RESPONSE = 'application/graphql-response+json';

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
  text: string;
}

async function post(
  ts: TestServer,
  body: BodyInit,
  { token = ADMIN_TOKEN as string | null, contentType = 'application/json', accept = GQL_RESPONSE } = {},
): Promise<Answer> {
  const res = await fetch(ts.url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      accept,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body,
    // Needed for streamed bodies; harmless for the others.
    duplex: 'half',
  } as RequestInit);
  return answer(res);
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: Answer['body'] = {};
  try {
    body = JSON.parse(text);
  } catch {
    // Left empty: the assertions on `text` and `status` say what went wrong.
  }
  return { status: res.status, headers: res.headers, body, text };
}

const query = (ts: TestServer, q: string, variables?: unknown, options?: Parameters<typeof post>[2]) =>
  post(ts, JSON.stringify({ query: q, variables }), options);

/** The server still answers an ordinary authenticated query. */
async function stillServing(ts: TestServer) {
  const ok = await query(ts, '{ viewer { id } }');
  expect(ok.status).toBe(200);
  expect(ok.body.errors).toBeUndefined();
  expect(ok.body.data.viewer.id).toEqual(expect.any(String));
}

const codeOf = (a: Answer) => a.body.errors?.[0]?.extensions?.code;

describe('hardening with the default limits', () => {
  let ts: TestServer;
  beforeAll(async () => {
    // Errors are logged (to console.error), the masked-error test checks that.
    ts = await startTestServer('pglite', { env: { LOG_LEVEL: 'error' } });
  });
  afterAll(async () => {
    await ts?.close();
  });

  describe('operation shape (GraphQL Armor)', () => {
    it('refuses an operation nested deeper than 12 levels, before any database work', async () => {
      let ofType = 'name';
      for (let i = 0; i < 14; i++) ofType = `ofType { ${ofType} }`;
      let res!: Answer;
      const statements = await statementsDuring(ts, async () => {
        res = await query(ts, `{ __type(name: "Query") { fields { type { ${ofType} } } } }`);
      });
      expect(res.status).toBe(400);
      expect(codeOf(res)).toBe('QUERY_TOO_COMPLEX');
      expect(res.body.errors![0].message).toMatch(
        /^Query depth limit of 12 exceeded, found \d+\. Ask for less deeply nested fields, or split the operation\.$/,
      );
      expect(statements).toBe(0);
      await stillServing(ts);
    });

    it('refuses more than 20 aliases', async () => {
      const aliases = Array.from({ length: 21 }, (_, i) => `a${i}: viewer { id }`).join(' ');
      const res = await query(ts, `{ ${aliases} }`);
      expect(res.status).toBe(400);
      expect(codeOf(res)).toBe('QUERY_TOO_COMPLEX');
      expect(res.body.errors![0].message).toBe(
        'Aliases limit of 20 exceeded, found 21. Use fewer aliases, or split the operation.',
      );
    });

    it('refuses more than 2000 tokens while parsing', async () => {
      const res = await query(ts, `{ ${'__typename '.repeat(2100)}}`);
      expect(res.status).toBe(400);
      expect(codeOf(res)).toBe('QUERY_TOO_COMPLEX');
      expect(res.body.errors![0].message).toBe('Token limit of 2000 exceeded. Send a shorter operation.');
      await stillServing(ts);
    });

    it('refuses an operation costing more than 50000 (a page of pages)', async () => {
      const res = await query(
        ts,
        `{ properties(first: 100) { edges { node { id workOrders(first: 100) { edges { node { id title requestId } } } } } } }`,
      );
      expect(res.status).toBe(400);
      expect(codeOf(res)).toBe('QUERY_TOO_COMPLEX');
      expect(res.body.errors![0].message).toMatch(/^Query Cost limit of 50000 exceeded, found [\d.]+\. Ask for fewer fields/);
    });

    it('applies the same limits over graphql-ws', async () => {
      const client = ts.wsClient();
      const refusal = (q: string) =>
        new Promise<any>((resolve, reject) => {
          client.subscribe({ query: q }, { next: () => reject(new Error('answered')), error: resolve, complete: () => {} });
        });
      const aliases = Array.from({ length: 21 }, (_, i) => `a${i}: viewer { id }`).join(' ');
      expect(await refusal(`{ ${aliases} }`)).toEqual([
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX' }),
          message: expect.stringMatching(/^Aliases limit/),
        }),
      ]);
      expect(await refusal(`{ ${'__typename '.repeat(2100)}}`)).toEqual([
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX' }),
          message: expect.stringMatching(/^Token limit/),
        }),
      ]);
    });

    it('lets the desk display and GraphiQL introspection through', async () => {
      const desk = await query(ts, 'query DeskProperties { properties(first: 100) { edges { node { id name timeZone } } } }');
      expect(desk.body.errors).toBeUndefined();
      const { getIntrospectionQuery } = await import('graphql');
      const introspection = await query(ts, getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true }));
      expect(introspection.status).toBe(200);
      expect(introspection.body.data.__schema.queryType.name).toBe('Query');
    });

    it('suggests field names by default', async () => {
      const res = await query(ts, '{ propertiez { totalCount } }');
      expect(res.status).toBe(400);
      expect(res.body.errors![0].message).toContain('Did you mean "properties"?');
    });
  });

  describe('request size', () => {
    it('answers 413 with a GraphQL error to a body over 100 KB, e.g. huge variables', async () => {
      let res!: Answer;
      const statements = await statementsDuring(ts, async () => {
        res = await query(ts, 'query ($x: String) { __typename }', { x: 'a'.repeat(150_000) });
      });
      expect(res.status).toBe(413);
      expect(codeOf(res)).toBe('REQUEST_ENTITY_TOO_LARGE');
      expect(res.body.errors![0].message).toBe(
        'The request body is larger than the 102400-byte limit: send a shorter operation or fewer variables.',
      );
      expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
      expect(statements).toBe(0);
      await stillServing(ts);
    });

    it('cuts a streamed body without Content-Length at the limit too', async () => {
      const chunk = new TextEncoder().encode(`{"query":"{ __typename }","variables":{"x":"${'a'.repeat(200_000)}"}}`);
      const stream = new ReadableStream({
        start(controller) {
          for (let i = 0; i < chunk.length; i += 16_384) controller.enqueue(chunk.slice(i, i + 16_384));
          controller.close();
        },
      });
      const res = await post(ts, stream);
      expect(res.status).toBe(413);
      expect(codeOf(res)).toBe('REQUEST_ENTITY_TOO_LARGE');
      await stillServing(ts);
    });

    it('takes a large but allowed variables object', async () => {
      const variables = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
      const res = await query(ts, '{ __typename }', variables);
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ __typename: 'Query' });
    });
  });

  describe('careless input', () => {
    const CREATE =
      'mutation ($input: CreatePropertyInput!) { createProperty(input: $input) { property { id } userErrors { code message field } } }';

    it.each([
      ['a NUL character', 'Lobby\u0000Tower', 'Name must not contain line breaks, tabs or other control characters.'],
      [
        'a line break in a one-line field',
        'Lobby\nTower',
        'Name must not contain line breaks, tabs or other control characters.',
      ],
      ['DEL', 'Lobby\u007fTower', 'Name must not contain line breaks, tabs or other control characters.'],
      ['an unpaired surrogate', 'Lobby \ud800 Tower', 'Name contains an invalid character; type or paste it again.'],
    ])('refuses %s in a name as INVALID_INPUT', async (_what, name, message) => {
      const res = await query(ts, CREATE, { input: { name, timeZone: 'UTC' } });
      expect(res.status).toBe(200);
      expect(res.body.data.createProperty).toEqual({
        property: null,
        userErrors: [{ code: 'INVALID_INPUT', message, field: ['input', 'name'] }],
      });
    });

    it('refuses a wrong variable type cleanly', async () => {
      const res = await query(ts, 'query ($n: Int) { properties(first: $n) { edges { node { id } } } }', { n: 'ten' });
      expect(res.status).toBe(400);
      expect(res.body.errors![0].message).toMatch(/^Variable "\$n" got invalid value "ten"; Int cannot represent/);
      await stillServing(ts);
    });

    it('masks an unexpected internal error as "Unexpected error." and logs it', async () => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
      try {
        // A failure inside a resolver, such as a lost database.
        const delegate = ts.server.db.prisma.property as unknown as Record<string, unknown>;
        vi.spyOn(delegate as any, 'findMany').mockRejectedValue(new Error('connection to 10.0.0.7 lost'));
        const res = await query(ts, '{ properties(first: 5) { edges { node { id } } } }');
        delete delegate.findMany; // back to the client's own
        expect(res.status).toBe(200);
        expect(res.body.errors).toEqual([
          expect.objectContaining({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
        ]);
        expect(res.text).not.toContain('10.0.0.7');
        expect(logged).toHaveBeenCalledWith(
          expect.anything(),
          expect.objectContaining({ message: 'connection to 10.0.0.7 lost' }),
        );
      } finally {
        logged.mockRestore();
      }
      await stillServing(ts);
    });
  });

  describe('GraphQL over HTTP', () => {
    const get = (params: Record<string, string>, accept = GQL_RESPONSE) =>
      fetch(`${ts.url}?${new URLSearchParams(params)}`, {
        headers: { accept, authorization: `Bearer ${ADMIN_TOKEN}` },
      }).then(answer);

    it('runs a query sent with GET', async () => {
      const res = await get({ query: '{ viewer { id } }' });
      expect(res.status).toBe(200);
      expect(res.body.data.viewer.id).toEqual(expect.any(String));
    });

    it('refuses a mutation sent with GET: 405, Allow: POST', async () => {
      const res = await get({ query: 'mutation { __typename }' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    });

    it('answers application/graphql-response+json when asked for it', async () => {
      const res = await query(ts, '{ __typename }');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(GQL_RESPONSE);
    });

    it('answers a parse or validation error with 400 under application/graphql-response+json', async () => {
      expect((await query(ts, '{ __typename ')).status).toBe(400);
      expect((await query(ts, '{ noSuchField }')).status).toBe(400);
    });

    it('answers a validation error with 200 and errors under application/json', async () => {
      const res = await query(ts, '{ noSuchField }', undefined, { accept: 'application/json' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(res.body.errors![0].message).toContain('noSuchField');
    });

    it('refuses an unsupported content type with 415', async () => {
      const res = await post(ts, '{ __typename }', { contentType: 'text/plain' });
      expect(res.status).toBe(415);
    });

    it('refuses a request without a query with 400', async () => {
      const res = await post(ts, JSON.stringify({ variables: {} }));
      expect(res.status).toBe(400);
      expect(res.body.errors![0].message).toMatch(/query/i);
    });

    it('refuses malformed JSON with 400', async () => {
      const res = await post(ts, '{"query": "{ __typename }"');
      expect(res.status).toBe(400);
      expect(res.body.errors![0].message).toBe('POST body sent invalid JSON.');
    });

    it('refuses a body that is not UTF-8 with 400, and keeps serving', async () => {
      const res = await post(ts, new Uint8Array([0x7b, 0xff, 0xfe, 0x22, 0xc3, 0x28, 0x7d]));
      expect(res.status).toBe(400);
      expect(res.body.errors![0].extensions?.code).toBe('BAD_REQUEST');
      await stillServing(ts);
    });
  });
});

describe('rate limit', () => {
  let ts: TestServer;
  beforeAll(async () => {
    ts = await startTestServer('pglite', { env: { RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(async () => {
    await ts?.close();
  });

  it('answers 429 with Retry-After once a token has used its operations, over HTTP and graphql-ws', async () => {
    for (let i = 0; i < 3; i++) expect((await query(ts, '{ __typename }')).status).toBe(200);

    let res!: Answer;
    const statements = await statementsDuring(ts, async () => {
      res = await query(ts, '{ __typename }');
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(codeOf(res)).toBe('RATE_LIMITED');
    expect(res.body.errors![0].message).toMatch(
      /^Too many requests: at most 3 operations a minute are allowed per token\. Try again in \d+ seconds\.$/,
    );
    expect(statements).toBe(0);

    // The same token's budget is spent over graphql-ws too.
    const client = ts.wsClient();
    const result = await new Promise<any>((resolve, reject) => {
      let got: unknown;
      client.subscribe({ query: '{ __typename }' }, { next: (r) => (got = r), error: reject, complete: () => resolve(got) });
    });
    expect(result.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(result.data).toBeUndefined();
  });

  it('keeps a separate budget for requests without a token (by client address)', async () => {
    const res = await query(ts, '{ __typename }', undefined, { token: null });
    expect(res.status).toBe(401);
  });
});

describe.runIf(process.env.REDIS_URL)('rate limit shared through Redis', () => {
  let a: TestServer;
  let b: TestServer;
  // A token of its own, so that no other test's requests count against this budget.
  const token = `rate-${randomBytes(12).toString('hex')}`;
  beforeAll(async () => {
    const env = { REDIS_URL: process.env.REDIS_URL!, RATE_LIMIT_PER_MINUTE: '4', ADMIN_TOKEN: token };
    a = await startTestServer('pglite', { env });
    b = await startTestServer('pglite', { env });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('counts operations on every instance against one budget', async () => {
    const statuses = [];
    for (const ts of [a, b, a, b, a, b]) statuses.push((await query(ts, '{ __typename }', undefined, { token })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });
});

describe('configuration', () => {
  it('reads the limits from the environment, with defaults', () => {
    expect(loadConfig({}).limits).toEqual({
      maxBodyBytes: 102_400,
      rateLimitPerMinute: 600,
      maxDepth: 12,
      maxAliases: 20,
      maxTokens: 2000,
      maxCost: 50_000,
      introspection: true,
      fieldSuggestions: true,
    });
    const off = loadConfig({ GRAPHQL_INTROSPECTION: 'false', GRAPHQL_FIELD_SUGGESTIONS: 'off', RATE_LIMIT_PER_MINUTE: '0' });
    expect(off.limits).toMatchObject({ introspection: false, fieldSuggestions: false, rateLimitPerMinute: 0 });
  });

  it('refuses invalid values with one sentence each', () => {
    expect(() => loadConfig({ GRAPHQL_INTROSPECTION: 'maybe', GRAPHQL_MAX_DEPTH: '0', MAX_BODY_BYTES: 'lots' })).toThrow(
      new ConfigError(
        [
          'Invalid configuration:',
          '  MAX_BODY_BYTES: MAX_BODY_BYTES must be a number of bytes.',
          '  GRAPHQL_MAX_DEPTH: GRAPHQL_MAX_DEPTH must be at least 1.',
          '  GRAPHQL_INTROSPECTION: GRAPHQL_INTROSPECTION must be true or false.',
        ].join('\n'),
      ),
    );
  });
});

describe('production settings: no introspection, no field suggestions', () => {
  let ts: TestServer;
  beforeAll(async () => {
    ts = await startTestServer('pglite', { env: { GRAPHQL_INTROSPECTION: 'false', GRAPHQL_FIELD_SUGGESTIONS: 'false' } });
  });
  afterAll(async () => {
    await ts?.close();
  });

  it('refuses introspection over HTTP and graphql-ws', async () => {
    const res = await query(ts, '{ __schema { queryType { name } } }');
    expect(res.status).toBe(400);
    expect(res.body.errors![0].message).toContain('introspection has been disabled');

    const client = ts.wsClient();
    const error = await new Promise<any>((resolve) => {
      client.subscribe({ query: '{ __schema { queryType { name } } }' }, { next: () => {}, error: resolve, complete: () => {} });
    });
    expect(JSON.stringify(error)).toContain('introspection has been disabled');
  });

  it('hides field suggestions', async () => {
    const res = await query(ts, '{ propertiez { totalCount } }');
    expect(res.body.errors![0].message).not.toContain('Did you mean');
    expect(res.body.errors![0].message).toContain('[Suggestion hidden]');
  });

  it('serves no GraphiQL page', async () => {
    const res = await fetch(ts.url, { headers: { accept: 'text/html' } });
    expect(res.headers.get('content-type') ?? '').not.toContain('text/html');
    expect(await res.text()).not.toContain('GraphiQL');
  });

  it('still runs ordinary operations', async () => {
    await stillServing(ts);
  });
});

describe('text validation rules', () => {
  it('allows line breaks and tabs only in multi-line text', () => {
    expect(optionalText('Notes', 100, { multiline: true }).parse('line one\r\n\tline two')).toBe('line one\r\n\tline two');
    expect(optionalText('Notes', 100, { multiline: true }).safeParse('bell\u0007').error?.issues[0].message).toBe(
      'Notes must not contain control characters other than line breaks and tabs.',
    );
    expect(requiredText('Title', 100).safeParse('two\nlines').error?.issues[0].message).toBe(
      'Title must not contain line breaks, tabs or other control characters.',
    );
    expect(requiredText('Title', 100).parse('  Fix the lift  ')).toBe('Fix the lift');
  });
});
