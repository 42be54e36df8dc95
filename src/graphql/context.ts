import type { PrismaClient, User } from '../generated/prisma/client.ts';
import type { Clock } from '../domain/unit-of-work.ts';
import type { DeskFeed } from '../events/desk-feed.ts';

/** What every resolver sees: who asks, and the services they may use. */
export interface Context {
  viewer: User;
  prisma: PrismaClient;
  clock: Clock;
  deskFeed: DeskFeed;
}
