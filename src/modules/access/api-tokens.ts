import { z } from 'zod';
import type { ApiToken } from '../../generated/prisma/client.ts';
import { hashToken, newTokenSecret } from './auth.ts';
import { found, inputField, refuse } from '../../core/errors.ts';
import { mustAdminister } from '../organisation/organisation.ts';
import type { Change, Work } from '../../core/unit-of-work.ts';
import { LIMITS, optionalText, parseInput } from '../../core/validation.ts';

// API tokens: issued by administrators, the secret shown once and only its hash kept;
// revoked by an administrator or by the token's own user, effective on the next request.

const issueInput = z.object({
  label: optionalText('Label', LIMITS.name),
  expiresAt: z.date().nullish(),
});

export interface IssueApiToken extends z.input<typeof issueInput> {
  userId: string;
}

export function issueApiToken(input: IssueApiToken): Change<{ token: string; apiToken: ApiToken }> {
  const data = parseInput(issueInput, input);
  return (work) => issue(work, input.userId, data);
}

async function issue(work: Work, userId: string, data: z.output<typeof issueInput>) {
  mustAdminister(work, 'issue API tokens');
  // Checked against the unit's moment, which the transaction fixes.
  if (data.expiresAt && data.expiresAt <= work.now) {
    refuse(
      'INVALID_INPUT',
      'expiresAt must be in the future; leave it out for a token that does not expire.',
      inputField('expiresAt'),
    );
  }
  const user = await found(work.tx.user.findUnique({ where: { id: userId } }), inputField('userId'), 'user');
  const token = newTokenSecret();
  const apiToken = await work.tx.apiToken.create({
    data: { userId: user.id, label: data.label ?? null, expiresAt: data.expiresAt ?? null, tokenHash: hashToken(token) },
  });
  work.audit('apiToken.issued', { type: 'ApiToken', id: apiToken.id }, null, apiToken);
  return { token, apiToken };
}

export function revokeApiToken(apiTokenId: string): Change<ApiToken> {
  return (work) => revoke(work, apiTokenId);
}

async function revoke(work: Work, apiTokenId: string): Promise<ApiToken> {
  const field = inputField('apiTokenId');
  // Others' tokens are out of a non-administrator's sight altogether.
  const owned = work.access.changesOrganisation() ? {} : { userId: work.actor.userId ?? undefined };
  const before = await found(work.tx.apiToken.findFirst({ where: { id: apiTokenId, ...owned } }), field, 'API token');
  // Revoking twice changes nothing: the first revocation stands.
  if (before.revokedAt) return before;
  const after = await work.tx.apiToken.update({ where: { id: apiTokenId }, data: { revokedAt: work.now } });
  work.audit('apiToken.revoked', { type: 'ApiToken', id: apiTokenId }, before, after);
  work.revoked.tokenIds.push(apiTokenId);
  return after;
}
