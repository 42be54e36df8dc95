import type { PubSub } from 'graphql-yoga';
import type { Revocation } from './unit-of-work.ts';

/**
 * What instances tell each other after a commit (in process, or through Redis): a desk
 * or evacuation log grew, credentials were revoked, or webhook deliveries were queued. Payloads are hints; the database holds the truth.
 */
/** The announcements that an event log grew, one topic per kind of log. */
export type LogChannel = 'deskLogGrew' | 'evacuationLogGrew' | 'evacuationStarted';

export type Announcements = PubSub<{
  deskLogGrew: [propertyId: string, payload: { seq: number }];
  evacuationLogGrew: [evacuationId: string, payload: { seq: number }];
  evacuationStarted: [propertyId: string, payload: { seq: number }];
  accessRevoked: [payload: Revocation];
  webhooksQueued: [payload: { count: number }];
}>;
