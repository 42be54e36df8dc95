import { GraphQLError } from 'graphql';

// Refusals outside mutations (queries and subscriptions), as clean GraphQL errors.

export const notFoundError = (message: string) => new GraphQLError(message, { extensions: { code: 'NOT_FOUND' } });

export const forbiddenError = (message: string) => new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });

export const revokedError = () =>
  new GraphQLError('The access this subscription was opened with has been revoked; subscribe again with a valid token.', {
    extensions: { code: 'UNAUTHENTICATED' },
  });
