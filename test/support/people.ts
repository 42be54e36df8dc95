import { parse, type ExecutionResult } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { expect } from 'vitest';
import type { TestServer } from './server.ts';

// People with roles and tokens, made through the API as the administrator.

/** Runs an operation written as a string (matrix tests build them from tables). */
export async function run(
  ts: TestServer,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<ExecutionResult<any> & { status: number }> {
  return ts.request(parse(query) as TypedDocumentNode<any, Record<string, unknown>>, variables, token);
}

/** A mutation of `field` with its `<Field>Input`, answering `payload` and the userErrors. */
export const mutation = (field: string, payload: string) =>
  `mutation ($input: ${field[0].toUpperCase()}${field.slice(1)}Input!) { ${field}(input: $input) { ${payload} userErrors { code message field } } }`;

/** Runs an operation that must succeed without top-level errors; returns its data. */
export async function ok(ts: TestServer, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<any> {
  const result = await run(ts, query, variables, token);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data;
}

export interface Person {
  id: string;
  token: string;
  tokenId: string;
}

export interface Grant {
  role: 'ADMIN' | 'PROPERTY_MANAGER' | 'DESK' | 'VENDOR';
  propertyId?: string;
}

let counter = 0;

/** A user (of `companyId`, if given) holding `grants`, with a fresh API token. */
export async function person(ts: TestServer, name: string, grants: Grant[], companyId?: string): Promise<Person> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${++counter}@example.com`;
  const created = await ok(
    ts,
    `mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id } userErrors { code message } } }`,
    { input: { name, email, companyId } },
  );
  const id = created.createUser.user.id;
  for (const grant of grants) {
    const granted = await ok(
      ts,
      `mutation ($input: GrantRoleInput!) { grantRole(input: $input) { userErrors { code message } } }`,
      { input: { userId: id, ...grant } },
    );
    expect(granted.grantRole.userErrors).toEqual([]);
  }
  const issued = await ok(
    ts,
    `mutation ($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token apiToken { id } userErrors { code } } }`,
    { input: { userId: id, label: name } },
  );
  return { id, token: issued.issueApiToken.token, tokenId: issued.issueApiToken.apiToken.id };
}
