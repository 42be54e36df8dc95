// The one vocabulary of refusals, from the domain out. Modules refuse by throwing a
// DomainError; the GraphQL layer shows it as `userErrors` in a mutation's payload, and as
// a GraphQL error with the same code elsewhere (src/graphql/errors.ts).

/** Refusals of a change: returned to clients as a mutation's `userErrors`. */
export const USER_ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'WORK_ORDER_PROPERTY_MISMATCH',
  'WORK_ORDER_INTEGRATION_DISABLED',
  'INVALID_TRANSITION',
  'CONFLICT',
  'FORBIDDEN',
  'COMPLIANCE_BLOCKED',
  'DO_NOT_DISPATCH',
] as const;

export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

/** Refusals that only a query or a subscription makes. */
export type ReadRefusalCode = 'CURSOR_EXPIRED' | 'UNAUTHENTICATED';

export type RefusalCode = UserErrorCode | ReadRefusalCode;

export interface Refusal<C extends RefusalCode = RefusalCode> {
  code: C;
  /** One sentence a person can act on. */
  message: string;
  /** Path to the input field, e.g. ["input", "requestId"]. */
  field: string[] | null;
}

export type UserError = Refusal<UserErrorCode>;

const USER_ERROR_CODE_SET: ReadonlySet<string> = new Set(USER_ERROR_CODES);

export const isUserError = (refusal: Refusal): refusal is UserError => USER_ERROR_CODE_SET.has(refusal.code);

/**
 * Thrown to refuse: inside a unit of work the transaction rolls back, so nothing is
 * half-written.
 */
export class DomainError extends Error {
  constructor(readonly errors: Refusal[]) {
    super(errors.map((e) => e.message).join(' '));
    this.name = 'DomainError';
  }
}

/** The input object a field path starts from; every mutation takes one `input:` argument. */
export const inputField = (...path: string[]): string[] => ['input', ...path];

export function refuse(code: RefusalCode, message: string, field: string[] | null = null): never {
  throw new DomainError([{ code, message, field }]);
}

/** The caller may see the object but their role does not allow this. */
export function forbid(message: string, field: string[] | null = null): never {
  refuse('FORBIDDEN', message, field);
}

/**
 * Loads a row by id or refuses with NOT_FOUND at the given field. Lookups filter by what
 * the actor may see, so an object out of their scope gets the very same answer.
 */
export async function found<T>(row: Promise<T | null>, field: string[], what: string): Promise<T> {
  const value = await row;
  if (value === null) refuse('NOT_FOUND', `No ${what} exists with this id; check the id and try again.`, field);
  return value;
}
