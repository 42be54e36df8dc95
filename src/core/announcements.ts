import type { PubSub } from 'graphql-yoga';
import type { Revocation } from './unit-of-work.ts';

/**
 * What instances tell each other after a commit (in process, or through Redis): a desk
 * log grew, or credentials were revoked. Payloads are hints; the database holds the truth.
 */
export type Announcements = PubSub<{
  deskLogGrew: [propertyId: string, payload: { seq: number }];
  accessRevoked: [payload: Revocation];
}>;
