import type { PrismaClient, User } from '../generated/prisma/client.ts';
import type { Access } from '../modules/access/access.ts';
import type { Clock } from '../core/clock.ts';
import type { Announcements } from '../core/announcements.ts';
import type { AccessWatch } from '../modules/access/watch.ts';
import type { DeskService } from '../modules/desk/service.ts';
import type { EvacuationService } from '../modules/evacuation/service.ts';
import type { DestinationPolicy } from '../modules/webhooks/destinations.ts';
import type { Loaders } from './loaders.ts';

/** What every resolver sees: who asks, what they may see and do, and the services they may use. */
export interface Context {
  viewer: User;
  access: Access;
  /** The API token of this request: its subscriptions end when it is revoked. */
  tokenId: string;
  prisma: PrismaClient;
  clock: Clock;
  desk: DeskService;
  evacuations: EvacuationService;
  /** Where webhook endpoints may point (WEBHOOK_ALLOW_PRIVATE_URLS). */
  webhookDestinations: DestinationPolicy;
  /** Tells every instance what committed (event logs grown). */
  announcements: Announcements;
  accessWatch: AccessWatch;
  loaders: Loaders;
}
