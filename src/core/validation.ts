import { z } from 'zod';
import { DomainError, inputField, type UserError } from './errors.ts';

// Input rules shared by every mutation. Messages are whole sentences addressed to the
// person who typed the value; the field path is added from the zod issue's path.

export const LIMITS = { name: 200, title: 200, email: 254, notes: 4000, description: 10_000 };

export interface TextOptions {
  /** Free text over several lines (notes, descriptions): line breaks and tabs are allowed. */
  multiline?: boolean;
}

// C0 control characters and DEL: invisible, break displays and logs, and PostgreSQL refuses NUL.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001F\u007F]/;
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// Half of a UTF-16 surrogate pair (JSON can carry one as "\ud800"): not text, cannot be stored as UTF-8.
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Refuses control characters (but line breaks and tabs in multi-line text) and broken characters. */
const plainText = (label: string, options: TextOptions) =>
  z
    .string()
    .trim()
    .refine(
      (v) => !(options.multiline ? CONTROL_EXCEPT_LINES : CONTROL).test(v),
      options.multiline
        ? `${label} must not contain control characters other than line breaks and tabs.`
        : `${label} must not contain line breaks, tabs or other control characters.`,
    )
    .refine((v) => !LONE_SURROGATE.test(v), `${label} contains an invalid character; type or paste it again.`);

/** Required text: trimmed, not blank, at most `max` characters, no control characters. */
export const requiredText = (label: string, max: number, options: TextOptions = {}) =>
  plainText(label, options).min(1, `${label} must not be blank.`).max(max, `${label} must be at most ${max} characters long.`);

// Updates follow one convention for every field: left out, it keeps its value; null clears
// it where it may be empty (`optionalText`, `.nullish()`), and is refused where it may not
// (`kept`). Parsed updates hold `undefined` for a field left out, and nothing else does.

/** An update's field that cannot be empty: null is refused with a sentence saying so. */
export const kept = <S extends z.ZodType>(label: string, schema: S) =>
  schema
    .nullish()
    .refine((v) => v !== null, `${label} cannot be cleared; leave it out to keep its current value.`)
    .transform((v) => v ?? undefined);

/** Optional text: trimmed; blank becomes null (clears the value); no control characters. */
export const optionalText = (label: string, max: number, options: TextOptions = {}) =>
  plainText(label, options)
    .max(max, `${label} must be at most ${max} characters long.`)
    .transform((v) => (v === '' ? null : v))
    .nullish();

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(LIMITS.email, `Email must be at most ${LIMITS.email} characters long.`)
  .pipe(z.email('Email must be a valid address such as name@example.com.'));

function isTimeZone(value: string): boolean {
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
