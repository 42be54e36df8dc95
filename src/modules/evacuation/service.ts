import type { YogaLogger } from 'graphql-yoga';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Announcements } from '../../core/announcements.ts';
import { LogFeed, type FeedEvent } from '../../core/log-feed.ts';
import {
  decodeEvacuationCursor,
  encodeEvacuationCursor,
  evacuationLogSource,
  evacuationStartSource,
  type EvacuationEvent,
  type EvacuationStart,
} from './log.ts';

/** How often every watched evacuation log is re-read, whatever the announcements said. */
const CATCH_UP_MS = 5_000;

export type EvacuationFeedEvent = FeedEvent<EvacuationEvent>;

/** Live roll calls, one service per instance: each evacuation's log, streamed and resumable. */
export class EvacuationService {
  private readonly feed: LogFeed<EvacuationEvent>;
  private readonly starts: LogFeed<EvacuationStart>;
  private readonly catchUpTimer: NodeJS.Timeout;

  constructor(
    private readonly prisma: PrismaClient,
    announcements: Announcements,
    logger: YogaLogger,
  ) {
    const onError = (err: unknown) =>
      logger.error('Evacuation feed: reading the event log failed; the next catch-up retries.', err);
    this.feed = new LogFeed(evacuationLogSource(prisma), announcements, onError);
    this.starts = new LogFeed(evacuationStartSource(prisma), announcements, onError);
    this.catchUpTimer = setInterval(() => void this.catchUp(), CATCH_UP_MS);
    this.catchUpTimer.unref();
  }

  /** The evacuation's events after `after` (a cursor of it), or from now on; the stream ends with the evacuation. */
  async events(evacuation: { id: string; endedAt: Date | null; lastSeq: number }, after: string | null) {
    const seq = after === null ? null : decodeEvacuationCursor(after, evacuation.id);
    // Ended, and nothing left to replay: nothing will ever come.
    if (evacuation.endedAt && (seq === null || seq >= evacuation.lastSeq)) return (async function* () {})();
    return this.feed.open(evacuation.id, seq, (event) => event.kind === 'ENDED');
  }

  /** The property's open evacuation, if any, then each one that starts from now on. */
  async startsAt(propertyId: string) {
    const open = await this.prisma.evacuation.findFirst({ where: { propertyId, endedAt: null }, select: { number: true } });
    return this.starts.open(propertyId, open ? open.number - 1 : null);
  }

  /** The cursor of an evacuation as read now: its log's head. */
  cursor(evacuation: { id: string; lastSeq: number }): string {
    return encodeEvacuationCursor(evacuation.id, evacuation.lastSeq);
  }

  cursorOf(event: EvacuationEvent): string {
    return encodeEvacuationCursor(event.evacuationId, event.seq);
  }

  /** Reads every watched log again: periodically, and after announcements may have been lost. */
  async catchUp(): Promise<void> {
    await Promise.all([this.feed.catchUp(), this.starts.catchUp()]);
  }

  /** The evacuation with what a subscription checks, or null. */
  find(evacuationId: string) {
    return this.prisma.evacuation.findUnique({
      where: { id: evacuationId },
      select: { id: true, propertyId: true, endedAt: true, lastSeq: true },
    });
  }

  /** Shutdown: every open roll-call stream completes. */
  close(): void {
    clearInterval(this.catchUpTimer);
    this.feed.close();
    this.starts.close();
  }
}
