import { refuse } from './errors.ts';
import type { Announcements, LogChannel } from './announcements.ts';

// Live delivery of an event log (a desk's, an evacuation's). A commit anywhere announces
// "log K has grown" (in process, or through Redis to every instance); each instance then
// reads the new events once per log, however many of its clients watch it, and hands them
// to its subscribers in log order. A subscriber that resumes from a cursor first replays
// the log after it. Because delivery always reads the log, a lost announcement (Redis down)
// delays events but never loses them: the periodic and on-reconnect catch-up read whatever
// was committed meanwhile.

/** An event with its place in its log: `seq` counts 1, 2, 3… per log. */
export interface LoggedEvent {
  seq: number;
}

/**
 * An event as delivered. One object reaches every live subscriber of its log on this
 * instance, so work done for it is done once: `shared(key, produce)` runs `produce` for
 * the first subscriber that asks with `key` and hands its result to the others.
 */
export type FeedEvent<E extends LoggedEvent> = E & {
  shared<T>(key: string, produce: () => T): T;
};

/** Where a feed reads its logs, and what it says of a cursor they cannot serve. */
export interface LogSource<E extends LoggedEvent> {
  /** The announcement telling every instance that a log grew. */
  channel: LogChannel;
  /** A log's position: its last seq, and the last seq already pruned away. */
  head(key: string): Promise<{ lastSeq: number; prunedThrough: number }>;
  /** Events of a log after `afterSeq`, in order, at most `limit`. */
  read(key: string, afterSeq: number, limit: number): Promise<E[]>;
  /** Refusal of a cursor older than the log keeps. */
  expiredCursor: string;
  /** Refusal of a cursor past the log's end: it came from another log. */
  foreignCursor: string;
}

const PAGE = 500;

function feedEvent<E extends LoggedEvent>(event: E): FeedEvent<E> {
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
class Subscriber<E extends LoggedEvent> implements AsyncIterableIterator<FeedEvent<E>> {
  private readonly queue: FeedEvent<E>[] = [];
  private readonly pending: FeedEvent<E>[] = [];
  private waiting: ((r: IteratorResult<FeedEvent<E>>) => void) | null = null;
  private replaying = true;
  private done = false;
  /** Set once the last event the stream will ever carry has been queued. */
  private finished = false;

  constructor(
    private position: number,
    private readonly leave: (s: Subscriber<E>) => void,
    private readonly isLast: (event: E) => boolean,
  ) {}

  /** Live events from the channel: held back while the replay runs. */
  offer(event: FeedEvent<E>): void {
    if (this.replaying) this.pending.push(event);
    else this.deliver(event);
  }

  async replay(read: (after: number) => Promise<E[]>): Promise<void> {
    for (let page = await read(this.position); page.length > 0 && !this.done; page = await read(this.position)) {
      for (const event of page) this.deliver(feedEvent(event));
      if (page.length < PAGE) break;
    }
    this.replaying = false;
    for (const event of this.pending.splice(0)) this.deliver(event);
  }

  private deliver(event: FeedEvent<E>): void {
    if (this.done || this.finished || event.seq <= this.position) return;
    this.position = event.seq;
    this.finished = this.isLast(event);
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: event, done: false });
    } else {
      this.queue.push(event);
    }
  }

  next(): Promise<IteratorResult<FeedEvent<E>>> {
    const event = this.queue.shift();
    if (event) return Promise.resolve({ value: event, done: false });
    if (this.finished) this.end();
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

  return(): Promise<IteratorResult<FeedEvent<E>>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<FeedEvent<E>>> {
    this.end();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

/** The subscribers of one log on this instance, and how far it has been read. */
class Channel<E extends LoggedEvent> {
  readonly subscribers = new Set<Subscriber<E>>();
  private pulling: Promise<void> | null = null;
  private again = false;
  private readonly announcements: AsyncIterator<unknown>;

  constructor(
    readonly key: string,
    private head: number,
    private readonly source: LogSource<E>,
    announcements: Announcements,
    private readonly onError: (err: unknown) => void,
  ) {
    const iterator = announcements.subscribe(source.channel, key)[Symbol.asyncIterator]();
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
    return this.source.read(this.key, this.head, PAGE);
  }

  close(): void {
    void this.announcements.return?.();
  }
}

export class LogFeed<E extends LoggedEvent> {
  private readonly channels = new Map<string, Channel<E>>();
  private readonly started = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly source: LogSource<E>,
    private readonly announcements: Announcements,
    private readonly onError: (err: unknown) => void,
  ) {}

  /**
   * The events of log `key` after `after` (a seq from a cursor), or from now on when it is
   * null; the stream completes after an event `isLast` says ends the log. Refuses a cursor
   * the log can no longer (or never could) serve.
   */
  async open(
    key: string,
    after: number | null,
    isLast: (event: E) => boolean = () => false,
  ): Promise<AsyncIterableIterator<FeedEvent<E>>> {
    if (this.closed) throw new Error('The feed is closed');
    const head = await this.source.head(key);
    if (after !== null && after < head.prunedThrough) refuse('CURSOR_EXPIRED', this.source.expiredCursor, ['after']);
    if (after !== null && after > head.lastSeq) refuse('INVALID_INPUT', this.source.foreignCursor, ['after']);
    let channel = this.channels.get(key);
    if (!channel) {
      channel = new Channel(key, head.lastSeq, this.source, this.announcements, this.onError);
      this.channels.set(key, channel);
    }
    const subscriber = new Subscriber<E>(after ?? head.lastSeq, (s) => this.leave(key, s), isLast);
    channel.subscribers.add(subscriber);
    this.started.set(key, (this.started.get(key) ?? 0) + 1);
    // Joined before replaying: whatever commits from here on reaches it live or in the replay.
    void subscriber
      .replay((seq) => this.source.read(key, seq, PAGE))
      .catch((err) => {
        this.onError(err);
        subscriber.end();
      });
    return subscriber;
  }

  private leave(key: string, subscriber: Subscriber<E>): void {
    const channel = this.channels.get(key);
    if (!channel) return;
    channel.subscribers.delete(subscriber);
    if (channel.subscribers.size === 0) {
      channel.close();
      this.channels.delete(key);
    }
  }

  /** Reads every watched log: after a lost announcement channel, and periodically as a safety net. */
  async catchUp(): Promise<void> {
    await Promise.all([...this.channels.values()].map((channel) => channel.pull()));
  }

  subscriberCount(key: string): number {
    return this.channels.get(key)?.subscribers.size ?? 0;
  }

  /** Subscriptions ever opened per log: only grows, so a waiter can't miss one. */
  startedCount(key: string): number {
    return this.started.get(key) ?? 0;
  }

  /** Every log subscribed to on this instance since it started. */
  subscribedKeys(): Iterable<string> {
    return this.started.keys();
  }

  /** Shutdown: completes every open subscription. */
  close(): void {
    this.closed = true;
    for (const channel of [...this.channels.values()]) for (const subscriber of [...channel.subscribers]) subscriber.end();
  }
}
