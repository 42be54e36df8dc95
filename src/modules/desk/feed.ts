import type { PrismaClient } from '../../generated/prisma/client.ts';
import { refuse } from '../../core/errors.ts';
import type { DeskEvent } from './events.ts';
import { deskLogHead, readDeskLog } from './log.ts';
import type { Announcements } from '../../core/announcements.ts';

// Live delivery of desk events, from the event log. A commit anywhere announces "property
// P's log has grown" (in process, or through Redis to every instance); each instance then
// reads the new events once per property, however many of its clients watch that desk,
// and hands them to its subscribers in log order. A subscriber that resumes from a cursor
// first replays the log after it. Because delivery always reads the log, a lost
// announcement (Redis down) delays events but never loses them: the periodic and
// on-reconnect catch-up read whatever was committed meanwhile.

/**
 * An event as delivered. One object reaches every live subscriber of its property on this
 * instance, so work done for it is done once: `shared(key, produce)` runs `produce` for
 * the first subscriber that asks with `key` and hands its result to the others.
 */
export interface FeedEvent extends DeskEvent {
  shared<T>(key: string, produce: () => T): T;
}

const PAGE = 500;

function feedEvent(event: DeskEvent): FeedEvent {
  const done = new Map<string, unknown>();
  return {
    ...event,
    shared<T>(key: string, produce: () => T): T {
      if (!done.has(key)) done.set(key, produce());
      return done.get(key) as T;
    },
  };
}

/**
 * One client's stream: replays the log after its cursor, then takes live events in order.
 * Hand-written rather than a Repeater: it buffers without bound and in order across the
 * hand-over from replay to live (a Repeater refuses more than 1,024 pending pushes), and it
 * is registered with its channel before the first pull, so nothing committed after it
 * joined is missed.
 */
class Subscriber implements AsyncIterableIterator<FeedEvent> {
  private readonly queue: FeedEvent[] = [];
  private readonly pending: FeedEvent[] = [];
  private waiting: ((r: IteratorResult<FeedEvent>) => void) | null = null;
  private replaying = true;
  private done = false;

  constructor(
    private position: number,
    private readonly leave: (s: Subscriber) => void,
  ) {}

  /** Live events from the channel: held back while the replay runs. */
  offer(event: FeedEvent): void {
    if (this.replaying) this.pending.push(event);
    else this.deliver(event);
  }

  async replay(read: (after: number) => Promise<DeskEvent[]>): Promise<void> {
    for (let page = await read(this.position); page.length > 0 && !this.done; page = await read(this.position)) {
      for (const event of page) this.deliver(feedEvent(event));
      if (page.length < PAGE) break;
    }
    this.replaying = false;
    for (const event of this.pending.splice(0)) this.deliver(event);
  }

  private deliver(event: FeedEvent): void {
    if (this.done || event.seq <= this.position) return;
    this.position = event.seq;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: event, done: false });
    } else {
      this.queue.push(event);
    }
  }

  next(): Promise<IteratorResult<FeedEvent>> {
    const event = this.queue.shift();
    if (event) return Promise.resolve({ value: event, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** The client left, or the server ends the stream. */
  end(): void {
    if (this.done) return;
    this.done = true;
    this.queue.length = 0;
    this.pending.length = 0;
    this.leave(this);
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
  }

  return(): Promise<IteratorResult<FeedEvent>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<FeedEvent>> {
    this.end();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

/** The subscribers of one property on this instance, and how far its log has been read. */
class Channel {
  readonly subscribers = new Set<Subscriber>();
  private pulling: Promise<void> | null = null;
  private again = false;
  private readonly announcements: AsyncIterator<unknown>;

  constructor(
    readonly propertyId: string,
    private head: number,
    private readonly db: PrismaClient,
    announcements: Announcements,
    private readonly onError: (err: unknown) => void,
  ) {
    const iterator = announcements.subscribe('deskLogGrew', propertyId)[Symbol.asyncIterator]();
    this.announcements = iterator;
    void (async () => {
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) void this.pull();
    })().catch(onError);
  }

  /** Reads the log past what was delivered and hands it to every subscriber; one read at a time. */
  pull(): Promise<void> {
    if (this.pulling) {
      this.again = true;
      return this.pulling;
    }
    this.pulling = (async () => {
      do {
        this.again = false;
        for (let page = await this.read(); page.length > 0; page = page.length < PAGE ? [] : await this.read()) {
          for (const event of page) {
            this.head = event.seq;
            const shared = feedEvent(event);
            for (const subscriber of this.subscribers) subscriber.offer(shared);
          }
        }
      } while (this.again);
    })()
      .catch(this.onError)
      .finally(() => (this.pulling = null));
    return this.pulling;
  }

  private read() {
    return readDeskLog(this.db, this.propertyId, this.head, PAGE);
  }

  close(): void {
    void this.announcements.return?.();
  }
}

export class DeskFeed {
  private readonly channels = new Map<string, Channel>();
  private readonly started = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly db: PrismaClient,
    private readonly announcements: Announcements,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** After commit: tells every instance that these properties' logs grew. */
  announce(events: DeskEvent[]): void {
    const last = new Map<string, number>();
    for (const event of events) last.set(event.propertyId, Math.max(event.seq, last.get(event.propertyId) ?? 0));
    for (const [propertyId, seq] of last) this.announcements.publish('deskLogGrew', propertyId, { seq });
  }

  /**
   * The events of a property after `after` (a seq from a cursor), or from now on when it
   * is null. Refuses a cursor the log can no longer (or never could) serve.
   */
  async open(propertyId: string, after: number | null): Promise<AsyncIterableIterator<FeedEvent>> {
    if (this.closed) throw new Error('The desk feed is closed');
    const head = await deskLogHead(this.db, propertyId);
    if (after !== null && after < head.prunedThrough) {
      refuse(
        'CURSOR_EXPIRED',
        'This cursor is older than the desk history kept on the server; reload the desk with visitorDesk and subscribe with its cursor.',
        ['after'],
      );
    }
    if (after !== null && after > head.lastSeq) {
      refuse(
        'INVALID_INPUT',
        'This cursor does not come from this desk; use the cursor of a visitorDesk snapshot or of an event.',
        ['after'],
      );
    }
    let channel = this.channels.get(propertyId);
    if (!channel) {
      channel = new Channel(propertyId, head.lastSeq, this.db, this.announcements, this.onError);
      this.channels.set(propertyId, channel);
    }
    const subscriber = new Subscriber(after ?? head.lastSeq, (s) => this.leave(propertyId, s));
    channel.subscribers.add(subscriber);
    this.started.set(propertyId, (this.started.get(propertyId) ?? 0) + 1);
    // Joined before replaying: whatever commits from here on reaches it live or in the replay.
    void subscriber
      .replay((seq) => readDeskLog(this.db, propertyId, seq, PAGE))
      .catch((err) => {
        this.onError(err);
        subscriber.end();
      });
    return subscriber;
  }

  private leave(propertyId: string, subscriber: Subscriber): void {
    const channel = this.channels.get(propertyId);
    if (!channel) return;
    channel.subscribers.delete(subscriber);
    if (channel.subscribers.size === 0) {
      channel.close();
      this.channels.delete(propertyId);
    }
  }

  /** Reads every watched log: after a lost announcement channel, and periodically as a safety net. */
  async catchUp(): Promise<void> {
    await Promise.all([...this.channels.values()].map((channel) => channel.pull()));
  }

  subscriberCount(propertyId: string): number {
    return this.channels.get(propertyId)?.subscribers.size ?? 0;
  }

  /** Subscriptions ever opened per property: only grows, so a waiter can't miss one. */
  startedCount(propertyId: string): number {
    return this.started.get(propertyId) ?? 0;
  }

  /** Every property subscribed to on this instance since it started. */
  subscribedProperties(): Iterable<string> {
    return this.started.keys();
  }

  /** Shutdown: completes every open subscription. */
  close(): void {
    this.closed = true;
    for (const channel of [...this.channels.values()]) for (const subscriber of [...channel.subscribers]) subscriber.end();
  }
}
