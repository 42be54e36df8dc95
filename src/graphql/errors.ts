import { USER_ERROR_CODES, type UserError } from '../core/errors.ts';
import { builder } from './builder.ts';

export const UserErrorCodeEnum = builder.enumType('UserErrorCode', {
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
