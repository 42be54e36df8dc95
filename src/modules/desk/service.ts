import type { YogaLogger } from 'graphql-yoga';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Access } from '../access/access.ts';
import type { Clock } from '../../core/clock.ts';
import type { Announcements } from '../../core/announcements.ts';
import { startDeskClock, type DeskClock, type DeskClockOptions } from './clock.ts';
import { decodeDeskCursor, encodeDeskCursor } from './cursor.ts';
import type { DeskEvent } from './events.ts';
import { LogFeed, type FeedEvent } from '../../core/log-feed.ts';
import { deskLogHead, deskLogSource } from './log.ts';
import { coveredByDeskRead, readDeskSnapshot, RecentDeskReads, type DeskPlan, type DeskView } from './read.ts';
import { DeskAnswers } from './answers.ts';

/** How often every watched desk log is re-read, whatever the announcements said. */
const CATCH_UP_MS = 5_000;

export interface DeskOptions {
  prisma: PrismaClient;
  clock: Clock;
  /** How instances tell each other that a desk log grew (in process, or through Redis). */
  announcements: Announcements;
  logger: YogaLogger;
  /** How often the desk clock moves visits as time passes (0: only when asked). */
  clockIntervalMs: number;
  /** How long desk events are kept for displays resuming from a cursor. */
  historyHours: number;
  /** Other modules' time-driven changes the desk hears of, run in each pass of its clock. */
  clockSteps?: DeskClockOptions['steps'];
}

/** What a viewer may do with a property's desk. */
export type DeskAccess = 'WORKS' | 'SEES' | 'NONE';

/**
 * The Visitor Desk, one service per instance: the queue read (with the snapshot cursor),
 * the live feed from the event log with its catch-up, and the clock that moves visits onto
 * and off the desks as time passes. GraphQL resolvers call only this.
 */
export class DeskService {
  private readonly feed: LogFeed<DeskEvent>;
  private readonly clock: DeskClock;
  private readonly catchUpTimer: NodeJS.Timeout;
  private readonly recentReads = new RecentDeskReads();
  /** GraphQL answers of unchanged desks, given again (see answers.ts). */
  readonly answers = new DeskAnswers();

  constructor(private readonly options: DeskOptions) {
    const { prisma, logger } = options;
    this.feed = new LogFeed(deskLogSource(prisma), options.announcements, (err) =>
      logger.error('Desk feed: reading the event log failed; the next catch-up retries.', err),
    );
    this.clock = startDeskClock({
      prisma,
      clock: options.clock,
      announcements: options.announcements,
      intervalMs: options.clockIntervalMs,
      historyHours: options.historyHours,
      logger,
      steps: options.clockSteps ?? [],
    });
    this.catchUpTimer = setInterval(() => void this.catchUp(), CATCH_UP_MS);
    this.catchUpTimer.unref();
  }

  /** Reads every watched log again: periodically, and after announcements may have been lost. */
  catchUp(): Promise<void> {
    return this.feed.catchUp();
  }

  /** One pass of the desk clock now. */
  tick(): Promise<void> {
    return this.clock.tick();
  }

  /** Whether `access` works the desk of property `id`, only sees the property, or neither (or there is none). */
  async accessTo(access: Access, id: string): Promise<DeskAccess> {
    if (access.worksDeskOf(id)) return 'WORKS';
    const visible = await this.options.prisma.property.count({ where: { id, AND: [access.propertyWhere()] } });
    return visible > 0 ? 'SEES' : 'NONE';
  }

  async exists(propertyId: string): Promise<boolean> {
    return (await this.options.prisma.property.count({ where: { id: propertyId } })) > 0;
  }

  /**
   * The desk of a property as it is now (null when there is no such property). When the read
   * finds the clock behind (visits due to enter or leave), the clock moves them first, so what
   * is read matches the event log. `readAhead`, a view of the same desk read earlier in this
   * operation without cursor or compliance, answers a plan that needs no more.
   */
  async read(propertyId: string, plan: DeskPlan, readAhead: DeskView | null = null): Promise<DeskView | null> {
    if (readAhead && !plan.withCursor && !plan.withCompliance && (!plan.entries || coveredByDeskRead(plan.entries)))
      return readAhead;
    const now = this.options.clock.now();
    const first = await readDeskSnapshot(this.options.prisma, this.recentReads, propertyId, now, plan);
    if (!first?.movesDue) return first;
    await this.clock.advance(propertyId, now);
    // Once: visits another instance is moving right now (rows it holds) are its to announce.
    return readDeskSnapshot(this.options.prisma, this.recentReads, propertyId, now, plan);
  }

  /** The cursor of a desk view: its snapshot's log position, or the log's head now. */
  async cursor(desk: DeskView): Promise<string> {
    const seq = desk.seq ?? (await deskLogHead(this.options.prisma, desk.property.id)).lastSeq;
    return encodeDeskCursor(desk.property.id, seq);
  }

  cursorOf(event: FeedEvent<DeskEvent>): string {
    return encodeDeskCursor(event.propertyId, event.seq);
  }

  /**
   * The property's desk events after `after` (a cursor of this desk), or from now on. Refuses a
   * cursor the log cannot serve.
   */
  events(propertyId: string, after: string | null): Promise<AsyncIterableIterator<FeedEvent<DeskEvent>>> {
    return this.feed.open(propertyId, after === null ? null : decodeDeskCursor(after, propertyId));
  }

  /** Open subscriptions of a property's desk on this instance (metric `desk_subscriptions`). */
  subscriberCount(propertyId: string): number {
    return this.feed.subscriberCount(propertyId);
  }

  /**
   * Subscriptions ever opened to a property's desk on this instance (metric
   * `desk_subscriptions_opened_total`): it only grows.
   */
  startedCount(propertyId: string): number {
    return this.feed.startedCount(propertyId);
  }

  /** Desk reads answered again from the last read of the same desk, and reads whose rows the database sent. */
  readCounts(): { answeredAgain: number; readAnew: number; answersReused: number } {
    return {
      answeredAgain: this.recentReads.answeredAgain,
      readAnew: this.recentReads.readAnew,
      answersReused: this.answers.reused,
    };
  }

  /** Every property subscribed to on this instance since it started. */
  subscribedProperties(): Iterable<string> {
    return this.feed.subscribedKeys();
  }

  /** Shutdown: the clock's pass finishes, and every open subscription completes. */
  async close(): Promise<void> {
    clearInterval(this.catchUpTimer);
    await this.clock.stop();
    this.feed.close();
  }
}
