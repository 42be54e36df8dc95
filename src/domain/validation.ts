import { z } from 'zod';
import { DomainError, inputField, type UserError } from './errors.ts';

// Input rules shared by every mutation. Messages are whole sentences addressed to the
// person who typed the value; the field path is added from the zod issue's path.

export const LIMITS = { name: 200, title: 200, email: 254, notes: 4000, description: 10_000 };

/** Required text: trimmed, not blank, at most `max` characters. */
export const requiredText = (label: string, max: number) =>
  z.string().trim().min(1, `${label} must not be blank.`).max(max, `${label} must be at most ${max} characters long.`);

/** Optional text: trimmed; blank becomes null (clears the value). */
export const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters long.`)
    .transform((v) => (v === '' ? null : v))
    .nullish();

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(LIMITS.email, `Email must be at most ${LIMITS.email} characters long.`)
  .pipe(z.email('Email must be a valid address such as name@example.com.'));

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const timeZone = z.string().trim().refine(isTimeZone, 'Time zone must be an IANA time zone name such as America/Chicago.');

/**
 * Parses a mutation's input with a zod schema; every problem becomes an INVALID_INPUT
 * user error pointing at its field.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors: UserError[] = result.error.issues.map((issue) => ({
    code: 'INVALID_INPUT',
    message: issue.message,
    field: inputField(...issue.path.map(String)),
  }));
  throw new DomainError(errors);
}

/** End-before-start check, shared by work order schedules and visit times. */
export function checkOrder(
  start: Date | null | undefined,
  end: Date | null | undefined,
  endField: string,
  message: string,
): void {
  if (start && end && end.getTime() <= start.getTime()) {
    throw new DomainError([{ code: 'INVALID_INPUT', message, field: inputField(endField) }]);
  }
}
