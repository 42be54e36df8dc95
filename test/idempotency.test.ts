import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyRequestHash, idempotencyScope } from '../src/server/idempotency.ts';
import { HOUR } from './support/clock.ts';
import { DATABASES } from './support/databases.ts';
import { ADMIN_TOKEN, startTestServer, type TestServer } from './support/server.ts';

// Mutations sent with an Idempotency-Key run once: a retry gets the first answer, byte for byte.

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
}

const CREATE_PROPERTY = `mutation Create($name: String!, $timeZone: String!) {
  createProperty(input: { name: $name, timeZone: $timeZone }) { property { id name } userErrors { code message field } }
}`;
const CREATE_COMPANY = `mutation { createCompany(input: { name: "Acme Plumbing" }) { company { id name } userErrors { code message } } }`;
const PROPERTIES = `{ properties(first: 100) { edges { node { id name } } } }`;

async function post(
  ts: TestServer,
  query: string,
  variables: Record<string, unknown> | undefined,
  { key, token = ADMIN_TOKEN }: { key?: string; token?: string } = {},
): Promise<Answer> {
  const res = await fetch(ts.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${token}`,
      ...(key !== undefined ? { 'idempotency-key': key } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: JSON.parse(text) };
}

const createProperty = (ts: TestServer, name: string, key?: string, token?: string, timeZone = 'Europe/London') =>
  post(ts, CREATE_PROPERTY, { name, timeZone }, { key, token });

async function propertyNames(ts: TestServer, name?: string): Promise<string[]> {
  const answer = await post(ts, PROPERTIES, undefined);
  const names: string[] = answer.body.data.properties.edges.map((e: any) => e.node.name);
  return name === undefined ? names : names.filter((n) => n === name);
}

const codeOf = (a: Answer) => a.body.errors?.[0]?.extensions?.code;

describe.each(DATABASES)('Idempotency-Key on %s', (kind) => {
  let ts: TestServer;
  beforeAll(async () => {
    ts = await startTestServer(kind);
  });
  afterAll(async () => {
    await ts?.close();
  });

  it('runs a mutation once and replays its answer byte for byte', async () => {
    const key = randomUUID();
    const first = await createProperty(ts, 'Harbour House', key);
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.createProperty.property.id).toEqual(expect.any(String));
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    const retry = await createProperty(ts, 'Harbour House', key);
    expect(retry.status).toBe(200);
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await propertyNames(ts, 'Harbour House')).toHaveLength(1);

    // Variables in another key order are the same request.
    const reordered = await post(ts, CREATE_PROPERTY, { timeZone: 'Europe/London', name: 'Harbour House' }, { key });
    expect(reordered.text).toBe(first.text);

    // Without a key, the same mutation runs again.
    await createProperty(ts, 'Harbour House');
    expect(await propertyNames(ts, 'Harbour House')).toHaveLength(2);
  });

  it('refuses the same key with another request (422) and changes nothing', async () => {
    const key = randomUUID();
    await createProperty(ts, 'Quay Point', key);
    const other = await createProperty(ts, 'Quay Point Annexe', key);
    expect(other.status).toBe(422);
    expect(codeOf(other)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(other.body.errors![0].message).toMatch(/different request.*new key/);
    expect(other.body.data ?? null).toBeNull();
    expect(await propertyNames(ts, 'Quay Point Annexe')).toHaveLength(0);

    // Another mutation altogether is refused too.
    const company = await post(ts, CREATE_COMPANY, undefined, { key });
    expect(company.status).toBe(422);
    expect(codeOf(company)).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('runs ten concurrent requests with one key once; all get the same answer', async () => {
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 10 }, () => createProperty(ts, 'Concurrent Court', key)));
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.text).toBe(answers[0].text);
    }
    expect(answers[0].body.data.createProperty.property.name).toBe('Concurrent Court');
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(await propertyNames(ts, 'Concurrent Court')).toHaveLength(1);

    // The same with createCompany.
    const companyKey = randomUUID();
    const companies = await Promise.all(
      Array.from({ length: 10 }, () => post(ts, CREATE_COMPANY, undefined, { key: companyKey })),
    );
    expect(new Set(companies.map((a) => a.text)).size).toBe(1);
    const list = await post(ts, '{ companies(first: 100) { edges { node { name } } } }', undefined);
    expect(list.body.data.companies.edges.filter((e: any) => e.node.name === 'Acme Plumbing')).toHaveLength(1);
  });

  it('waits for a request still running with the key, or answers 409 when it takes too long', async () => {
    const prisma = ts.server.db.prisma;
    const scope = idempotencyScope(`Bearer ${ADMIN_TOKEN}`);
    const variables = { name: 'Slow Lane', timeZone: 'Europe/London' };
    const requestHash = idempotencyRequestHash({ query: CREATE_PROPERTY, operationName: null, variables });

    // A pending key that gets its answer while the second request waits.
    const waitKey = randomUUID();
    await prisma.idempotencyKey.create({ data: { scope, key: waitKey, requestHash, createdAt: ts.clock.now() } });
    const waiting = post(ts, CREATE_PROPERTY, variables, { key: waitKey });
    await new Promise((r) => setTimeout(r, 200));
    const stored = '{"data":{"createProperty":{"property":null,"userErrors":[]}}}';
    await prisma.idempotencyKey.update({
      where: { scope_key: { scope, key: waitKey } },
      data: { status: 200, body: stored, contentType: 'application/graphql-response+json; charset=utf-8' },
    });
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(stored);

    // A pending key that never gets an answer: 409, and nothing runs.
    const stuckKey = randomUUID();
    await prisma.idempotencyKey.create({ data: { scope, key: stuckKey, requestHash, createdAt: ts.clock.now() } });
    const conflict = await post(ts, CREATE_PROPERTY, variables, { key: stuckKey });
    expect(conflict.status).toBe(409);
    expect(codeOf(conflict)).toBe('IDEMPOTENCY_KEY_IN_USE');
    expect(conflict.body.errors![0].message).toMatch(/retry/);
    expect(conflict.headers.get('retry-after')).toBe('1');
    expect(await propertyNames(ts, 'Slow Lane')).toHaveLength(0);
  }, 15_000);

  it('keeps keys private to a credential', async () => {
    const viewer = await post(ts, '{ viewer { id } }', undefined);
    const issued = await post(
      ts,
      `mutation($userId: ID!) { issueApiToken(input: { userId: $userId, label: "second" }) { token userErrors { code message } } }`,
      { userId: viewer.body.data.viewer.id },
    );
    const second: string = issued.body.data.issueApiToken.token;
    expect(second).toEqual(expect.any(String));

    const key = randomUUID();
    const mine = await createProperty(ts, 'Token Tower', key);
    const theirs = await createProperty(ts, 'Token Tower', key, second);
    expect(theirs.status).toBe(200);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.data.createProperty.property.id).not.toBe(mine.body.data.createProperty.property.id);
    expect(await propertyNames(ts, 'Token Tower')).toHaveLength(2);

    // Only hashes of credentials are stored.
    const rows = await ts.server.db.prisma.idempotencyKey.findMany({ where: { key } });
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.scope).toMatch(/^[0-9a-f]{64}$/);
      expect(row.scope).not.toContain(ADMIN_TOKEN);
    }
  });

  it('replays a business refusal (userErrors) identically', async () => {
    const key = randomUUID();
    const first = await createProperty(ts, 'Nowhere', key, undefined, 'Not/AZone');
    expect(first.status).toBe(200);
    expect(first.body.data.createProperty.userErrors[0].code).toBe('INVALID_INPUT');
    const retry = await createProperty(ts, 'Nowhere', key, undefined, 'Not/AZone');
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
  });

  it('does not keep answers to requests refused before execution', async () => {
    // Unauthenticated: 401, and the key stays free for the corrected retry.
    const key = randomUUID();
    const refused = await createProperty(ts, 'Retry Row', key, 'not-a-valid-token-at-all');
    expect(refused.status).toBe(401);
    // Invalid (a validation error): not kept either.
    const invalid = await post(ts, 'mutation { createProperty(input: { name: "Retry Row" }) { property { id } } }', undefined, {
      key,
    });
    expect(invalid.status).toBe(400);
    // Invalid variables: not kept.
    const badVariables = await post(ts, CREATE_PROPERTY, { name: 'Retry Row' }, { key });
    expect(badVariables.body.errors?.length).toBeGreaterThan(0);
    expect(badVariables.headers.get('idempotent-replayed')).toBeNull();

    const ok = await createProperty(ts, 'Retry Row', key);
    expect(ok.status).toBe(200);
    expect(ok.body.data.createProperty.property.name).toBe('Retry Row');
    expect(ok.headers.get('idempotent-replayed')).toBeNull();
  });

  it('refuses an empty or over-long key with 400', async () => {
    for (const key of ['', 'k'.repeat(256)]) {
      const answer = await createProperty(ts, 'Bad Key Block', key);
      expect(answer.status).toBe(400);
      expect(codeOf(answer)).toBe('BAD_REQUEST');
      expect(answer.body.errors![0].message).toMatch(/Idempotency-Key header must be 1 to 255 characters/);
    }
    expect(await propertyNames(ts, 'Bad Key Block')).toHaveLength(0);
    const longest = await createProperty(ts, 'Long Key Block', 'k'.repeat(255));
    expect(longest.status).toBe(200);
  });

  it('runs queries with a key normally', async () => {
    const key = randomUUID();
    const before = await post(ts, PROPERTIES, undefined, { key });
    await createProperty(ts, 'Query Quarter');
    const after = await post(ts, PROPERTIES, undefined, { key });
    expect(after.status).toBe(200);
    expect(after.headers.get('idempotent-replayed')).toBeNull();
    expect(after.body.data.properties.edges.length).toBe(before.body.data.properties.edges.length + 1);
    expect(await ts.server.db.prisma.idempotencyKey.count({ where: { key } })).toBe(0);
  });

  it('forgets keys after 24 hours and deletes expired rows', async () => {
    const key = randomUUID();
    const first = await createProperty(ts, 'Expiry Estate', key);
    ts.clock.advance(23 * HOUR);
    const retry = await createProperty(ts, 'Expiry Estate', key);
    expect(retry.text).toBe(first.text);
    ts.clock.advance(2 * HOUR);
    const later = await createProperty(ts, 'Expiry Estate', key);
    expect(later.status).toBe(200);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(later.body.data.createProperty.property.id).not.toBe(first.body.data.createProperty.property.id);
    expect(await propertyNames(ts, 'Expiry Estate')).toHaveLength(2);

    // Every key used before is now expired; using a key a minute later sweeps them.
    ts.clock.advance(2 * 60_000);
    await createProperty(ts, 'Sweep Street', randomUUID());
    const prisma = ts.server.db.prisma;
    const oldest = new Date(ts.clock.now().getTime() - 24 * HOUR);
    expect(await prisma.idempotencyKey.count({ where: { createdAt: { lte: oldest } } })).toBe(0);
    expect(await prisma.idempotencyKey.count()).toBe(2); // the renewed key and the new one
  });
});
