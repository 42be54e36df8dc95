/** Business refusals: returned to clients as `userErrors`, never as top-level errors. */
export const USER_ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'WORK_ORDER_PROPERTY_MISMATCH',
  'WORK_ORDER_INTEGRATION_DISABLED',
  'INVALID_TRANSITION',
  'CONFLICT',
  'FORBIDDEN',
] as const;

export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

export interface UserError {
  code: UserErrorCode;
  /** One sentence a person can act on. */
  message: string;
  /** Path to the input field, e.g. ["input", "requestId"]. */
  field: string[] | null;
}

/**
 * Thrown inside a unit of work to refuse a change: the transaction rolls back, so
 * nothing is half-written, and the mutation answers with these errors.
 */
export class DomainError extends Error {
  constructor(readonly errors: UserError[]) {
    super(errors.map((e) => e.message).join(' '));
    this.name = 'DomainError';
  }
}

/** The input object a field path starts from; every mutation takes one `input:` argument. */
export const inputField = (...path: string[]): string[] => ['input', ...path];

export function refuse(code: UserErrorCode, message: string, field: string[] | null = null): never {
  throw new DomainError([{ code, message, field }]);
}

/** The caller may see the object but their role does not allow this change to it. */
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
