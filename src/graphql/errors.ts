import { GraphQLError } from 'graphql';
import { createGraphQLError, maskError as maskUnexpected, type MaskError } from 'graphql-yoga';
import { DomainError, USER_ERROR_CODES, type Refusal, type UserError } from '../core/errors.ts';
import { builder } from './builder.ts';

// How the domain's refusals reach clients: in a mutation, as `userErrors` in its payload
// (src/graphql/perform.ts); anywhere else, as a GraphQL error carrying the same code.

const UserErrorCodeEnum = builder.enumType('UserErrorCode', {
  description: 'Why a mutation refused to change anything.',
  values: USER_ERROR_CODES,
});

export const UserErrorRef = builder.objectRef<UserError>('UserError').implement({
  description: 'A business refusal: what went wrong, in one sentence, and which input field caused it.',
  fields: (t) => ({
    code: t.field({ type: UserErrorCodeEnum, resolve: (e) => e.code }),
    message: t.exposeString('message'),
    field: t.exposeStringList('field', { nullable: true, description: 'Path to the input field, e.g. ["input", "requestId"].' }),
  }),
});

/** GraphQL's customary name for a bad argument, where a payload would say INVALID_INPUT. */
const codeOf = (refusal: Refusal) => (refusal.code === 'INVALID_INPUT' ? 'BAD_USER_INPUT' : refusal.code);

/** A refusal as a GraphQL error; `at`, when given, is the located error that carried it. */
export function graphqlError(err: DomainError, at?: GraphQLError): GraphQLError {
  const [refusal] = err.errors;
  return createGraphQLError(err.message, {
    nodes: at?.nodes,
    source: at?.source,
    positions: at?.positions,
    path: at?.path,
    extensions: { code: codeOf(refusal), ...(refusal.field && { field: refusal.field }) },
  });
}

/** Yoga's error masking: refusals keep their message and code; anything else is masked. */
export const maskError: MaskError = (error, message, isDev) => {
  const cause = error instanceof GraphQLError ? error.originalError : error;
  if (cause instanceof DomainError) return graphqlError(cause, error instanceof GraphQLError ? error : undefined);
  return maskUnexpected(error, message, isDev);
};
