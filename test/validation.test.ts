import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { graphql } from './generated/index.ts';
import { DATABASES } from './support/databases.ts';
import { HOUR } from './support/clock.ts';
import { startTestServer, statementsDuring, type TestServer } from './support/server.ts';
import {
  CreateCompany,
  CreateProperty,
  CreateUser,
  CreateVisit,
  CreateWorkOrder,
  organisation,
  UpdateVisit,
  UpdateWorkOrder,
} from './support/fixtures.ts';

// Rule 10: bad input gets a userErrors entry (code, sentence, field path) and writes nothing.

const Counts = graphql(`
  query Counts($propertyId: ID!) {
    properties(first: 100) {
      edges {
        node {
          id
        }
      }
    }
    companies(first: 100) {
      edges {
        node {
          id
        }
      }
    }
    users(first: 100) {
      edges {
        node {
          id
          email
        }
      }
    }
    node(id: $propertyId) {
      ... on Property {
        workOrders(first: 100) {
          edges {
            node {
              id
              title
            }
          }
        }
        visits(first: 100) {
          edges {
            node {
              id
            }
          }
        }
      }
    }
  }
`);

const PageTooLarge = graphql(`
  query PageTooLarge {
    properties(first: 101) {
      edges {
        node {
          id
        }
      }
    }
  }
`);

const encode = (typename: string, id: string) => Buffer.from(`${typename}:${id}`).toString('base64url');

const Typename = graphql(`
  query Typename {
    __typename
  }
`);

describe.each(DATABASES)('bad input on %s', (kind) => {
  let ts: TestServer;
  let org: Awaited<ReturnType<typeof organisation>>;
  let before: unknown;

  beforeAll(async () => {
    ts = await startTestServer(kind);
    org = await organisation(ts);
    before = await ts.gql(Counts, { propertyId: org.property.id });
  });
  afterAll(async () => {
    // Nothing any refused mutation in this file did may have left a trace.
    expect(await ts.gql(Counts, { propertyId: org.property.id })).toEqual(before);
    await ts?.close();
  });

  it('refuses blank and over-long text, naming the field', async () => {
    const blank = (await ts.gql(CreateProperty, { input: { name: '   ', timeZone: 'UTC' } })).createProperty;
    expect(blank).toEqual({
      property: null,
      userErrors: [{ code: 'INVALID_INPUT', message: 'Name must not be blank.', field: ['input', 'name'] }],
    });
    const long = (await ts.gql(CreateWorkOrder, { input: { propertyId: org.property.id, title: 'x'.repeat(201) } }))
      .createWorkOrder;
    expect(long.workOrder).toBeNull();
    expect(long.userErrors).toEqual([
      { code: 'INVALID_INPUT', message: 'Title must be at most 200 characters long.', field: ['input', 'title'] },
    ]);
    const company = (await ts.gql(CreateCompany, { input: { name: '' } })).createCompany;
    expect(company.userErrors).toEqual([{ code: 'INVALID_INPUT', message: 'Name must not be blank.', field: ['input', 'name'] }]);
  });

  it('refuses a bad email, a bad time zone, and reports every problem at once', async () => {
    const user = (await ts.gql(CreateUser, { input: { name: '', email: 'not-an-email' } })).createUser;
    expect(user.user).toBeNull();
    expect(user.userErrors).toEqual([
      { code: 'INVALID_INPUT', message: 'Name must not be blank.', field: ['input', 'name'] },
      { code: 'INVALID_INPUT', message: 'Email must be a valid address such as name@example.com.', field: ['input', 'email'] },
    ]);
    const tz = (await ts.gql(CreateProperty, { input: { name: 'Somewhere', timeZone: 'Mars/Olympus' } })).createProperty;
    expect(tz.userErrors).toEqual([
      {
        code: 'INVALID_INPUT',
        message: 'Time zone must be an IANA time zone name such as America/Chicago.',
        field: ['input', 'timeZone'],
      },
    ]);
  });

  it('refuses a duplicate email regardless of case with CONFLICT', async () => {
    const dup = (await ts.gql(CreateUser, { input: { name: 'Vera Again', email: 'VERA@acme.test' } })).createUser;
    expect(dup.userErrors).toEqual([
      { code: 'CONFLICT', message: expect.stringContaining('vera@acme.test'), field: ['input', 'email'] },
    ]);
  });

  it('refuses an end before the start', async () => {
    const wo = (
      await ts.gql(CreateWorkOrder, {
        input: {
          propertyId: org.property.id,
          title: 'Backwards',
          scheduledStart: ts.clock.in(2 * HOUR),
          scheduledEnd: ts.clock.in(HOUR),
        },
      })
    ).createWorkOrder;
    expect(wo.userErrors).toEqual([
      { code: 'INVALID_INPUT', message: 'Scheduled end must be later than scheduled start.', field: ['input', 'scheduledEnd'] },
    ]);
    const visit = (
      await ts.gql(CreateVisit, {
        input: {
          propertyId: org.property.id,
          visitorName: 'Back Wards',
          expectedArrival: ts.clock.in(HOUR),
          expectedDeparture: ts.clock.in(HOUR),
        },
      })
    ).createVisit;
    expect(visit.userErrors).toEqual([
      {
        code: 'INVALID_INPUT',
        message: 'Expected departure must be later than expected arrival.',
        field: ['input', 'expectedDeparture'],
      },
    ]);
  });

  it('refuses null for a field that cannot be empty, and names it', async () => {
    // The input is checked before anything is looked up: these ids name nothing.
    const workOrderId = encode('WorkOrder', randomUUID());
    const visitId = encode('Visit', randomUUID());
    const title = (await ts.gql(UpdateWorkOrder, { input: { workOrderId, title: null } })).updateWorkOrder;
    expect(title).toEqual({
      workOrder: null,
      generatedVisit: null,
      userErrors: [
        {
          code: 'INVALID_INPUT',
          message: 'Title cannot be cleared; leave it out to keep its current value.',
          field: ['input', 'title'],
        },
      ],
    });
    const visit = (await ts.gql(UpdateVisit, { input: { visitId, visitorName: null, expectedArrival: null } })).updateVisit;
    expect(visit.userErrors).toEqual([
      {
        code: 'INVALID_INPUT',
        message: 'Visitor name cannot be cleared; leave it out to keep its current value.',
        field: ['input', 'visitorName'],
      },
      {
        code: 'INVALID_INPUT',
        message: 'Expected arrival cannot be cleared; leave it out to keep its current value.',
        field: ['input', 'expectedArrival'],
      },
    ]);
    // Fields that may be empty are cleared by null: here the unknown id is what is refused.
    const cleared = (await ts.gql(UpdateWorkOrder, { input: { workOrderId, description: null, scheduledEnd: null } }))
      .updateWorkOrder;
    expect(cleared.userErrors).toEqual([
      { code: 'NOT_FOUND', message: expect.stringContaining('No work order'), field: ['input', 'workOrderId'] },
    ]);
  });

  it('checks ids and input before a transaction opens: a refused input runs no statement past authentication', async () => {
    await ts.gql(Typename);
    const authentication = await statementsDuring(ts, () => ts.gql(Typename));
    expect(authentication).toBeGreaterThan(0);
    const refused = [
      () => ts.gql(CreateWorkOrder, { input: { propertyId: org.property.id, title: ' ' } }),
      () => ts.gql(CreateWorkOrder, { input: { propertyId: 'nope', title: 'Fine' } }),
      () => ts.gql(UpdateWorkOrder, { input: { workOrderId: encode('WorkOrder', randomUUID()), title: null } }),
      () => ts.gql(CreateProperty, { input: { name: 'Somewhere', timeZone: 'Mars/Olympus' } }),
    ];
    for (const mutation of refused) {
      let answer: unknown;
      expect(await statementsDuring(ts, async () => (answer = await mutation()))).toBe(authentication);
      expect(JSON.stringify(answer)).toContain('INVALID_INPUT');
    }
  });

  it('refuses malformed, wrong-type and unknown ids', async () => {
    const input = { title: 'Ids', propertyId: org.property.id };
    const malformed = (await ts.gql(CreateWorkOrder, { input: { ...input, propertyId: 'nope' } })).createWorkOrder;
    expect(malformed.userErrors).toEqual([
      {
        code: 'INVALID_INPUT',
        message: 'propertyId must be the id of a Property, as returned by this API.',
        field: ['input', 'propertyId'],
      },
    ]);
    const wrongType = (await ts.gql(CreateWorkOrder, { input: { ...input, assigneeId: org.autoCompany.id } })).createWorkOrder;
    expect(wrongType.userErrors).toEqual([
      {
        code: 'INVALID_INPUT',
        message: 'assigneeId must be the id of a User, as returned by this API.',
        field: ['input', 'assigneeId'],
      },
    ]);
    const unknown = (await ts.gql(CreateWorkOrder, { input: { ...input, assigneeId: encode('User', randomUUID()) } }))
      .createWorkOrder;
    expect(unknown.userErrors).toEqual([
      { code: 'NOT_FOUND', message: expect.stringMatching(/^No user exists/), field: ['input', 'assigneeId'] },
    ]);
    const unknownWo = (await ts.gql(UpdateWorkOrder, { input: { workOrderId: encode('WorkOrder', randomUUID()), title: 'x' } }))
      .updateWorkOrder;
    expect(unknownWo.userErrors).toEqual([{ code: 'NOT_FOUND', message: expect.any(String), field: ['input', 'workOrderId'] }]);
    // A forged id whose inside is not a database id never reaches the database.
    const forged = (await ts.gql(CreateWorkOrder, { input: { ...input, propertyId: encode('Property', "1' OR '1'='1") } }))
      .createWorkOrder;
    expect(forged.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'propertyId'] });
  });

  it('answers a malformed node id and an oversized page with clean GraphQL errors, not 500s', async () => {
    const Node = graphql(`
      query AnyNode($id: ID!) {
        node(id: $id) {
          id
        }
      }
    `);
    const bad = await ts.request(Node, { id: '%%%' });
    expect(bad.status).toBe(200);
    expect(bad.errors?.[0]).toMatchObject({
      message: expect.stringContaining('is not a valid id'),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const unknown = await ts.request(Node, { id: encode('Visit', randomUUID()) });
    expect(unknown.data).toEqual({ node: null });
    const page = await ts.request(PageTooLarge);
    expect(page.errors?.[0]).toMatchObject({
      message: expect.stringContaining('at most 100'),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(page.data ?? null).toBeNull();
  });

  it('answers a wrong variable type with a clean 4xx GraphQL error', async () => {
    const res = await fetch(ts.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        authorization: `Bearer test-admin-token-0123456789abcdef`,
      },
      body: JSON.stringify({
        query: 'query($first: Int) { properties(first: $first) { edges { node { id } } } }',
        variables: { first: 'ten' },
      }),
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors[0].message).toMatch(/Variable "\$first" got invalid value "ten"/);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('masks unexpected failures: no stack, no SQL, and the server keeps serving', async () => {
    await ts.server.db.withConnection((c) => c.exec('ALTER TABLE "Visit" RENAME TO "VisitAway"'));
    try {
      const Desk = graphql(`
        query MaskedDesk($propertyId: ID!) {
          visitorDesk(propertyId: $propertyId) {
            entries {
              id
            }
          }
        }
      `);
      const res = await ts.request(Desk, { propertyId: org.property.id });
      expect(res.errors).toEqual([expect.objectContaining({ message: 'Unexpected error.' })]);
      expect(JSON.stringify(res)).not.toMatch(/VisitAway|SELECT|prisma|stack|\.ts:\d+/i);
    } finally {
      await ts.server.db.withConnection((c) => c.exec('ALTER TABLE "VisitAway" RENAME TO "Visit"'));
    }
    const after = await ts.gql(Counts, { propertyId: org.property.id });
    expect(after).toEqual(before);
  });
});
