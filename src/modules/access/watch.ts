import { DomainError } from '../../core/errors.ts';
import type { Revocation } from '../../core/unit-of-work.ts';
import type { Announcements } from '../../core/announcements.ts';

// A revoked token, or a user whose roles were revoked, must not keep receiving what an
// open subscription streams. Every subscription is watched under its token and user; a
// revocation committed on any instance ends the matching streams on every instance.

/** Why a stream opened with revoked credentials ends. */
export const accessRevoked = () =>
  new DomainError([
    {
      code: 'UNAUTHENTICATED',
      message: 'The access this subscription was opened with has been revoked; subscribe again with a valid token.',
      field: null,
    },
  ]);

export interface Watched {
  tokenId: string;
  userId: string;
}

export class AccessWatch {
  private readonly byKey = new Map<string, Set<() => void>>();
  private readonly announcements: AsyncIterator<Revocation>;

  constructor(
    private readonly pubsub: Announcements,
    onError: (err: unknown) => void,
  ) {
    const iterator = pubsub.subscribe('accessRevoked')[Symbol.asyncIterator]();
    this.announcements = iterator;
    void (async () => {
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) this.end(r.value);
    })().catch(onError);
  }

  /** After commit: tells every instance to end the streams of these credentials. */
  announce(revocation: Revocation): void {
    this.pubsub.publish('accessRevoked', revocation);
  }

  /** `source`, ended with `revokedError()` once the token or user it was opened with is revoked. */
  guard<T>(who: Watched, source: AsyncIterator<T>, revokedError: () => Error): AsyncIterableIterator<T> {
    let stop!: () => void;
    const revoked = new Promise<never>((_, reject) => (stop = () => reject(revokedError())));
    revoked.catch(() => {});
    const keys = [`token:${who.tokenId}`, `user:${who.userId}`];
    for (const key of keys) {
      let set = this.byKey.get(key);
      if (!set) this.byKey.set(key, (set = new Set()));
      set.add(stop);
    }
    let open = true;
    const finish = async (): Promise<IteratorResult<T>> => {
      if (open) {
        open = false;
        for (const key of keys) {
          const set = this.byKey.get(key);
          set?.delete(stop);
          if (set?.size === 0) this.byKey.delete(key);
        }
        await source.return?.();
      }
      return { done: true, value: undefined };
    };
    // A hand-written iterator rather than an async generator or a Repeater: a client that
    // leaves must end the source at once (a generator would wait for its pending next() to
    // settle), and the watch must hold from this call on (a Repeater starts at its first
    // next(), so a revocation, or a client leaving, before that would be missed).
    const iterator: AsyncIterableIterator<T> = {
      next: async () => {
        if (!open) return { done: true, value: undefined };
        try {
          const result = await Promise.race([source.next(), revoked]);
          if (result.done) await finish();
          return result;
        } catch (err) {
          await finish();
          throw err;
        }
      },
      return: finish,
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  private end(revocation: Revocation): void {
    const keys = [...revocation.tokenIds.map((id) => `token:${id}`), ...revocation.userIds.map((id) => `user:${id}`)];
    for (const key of keys) for (const stop of this.byKey.get(key) ?? []) stop();
  }

  /** Stops listening; resolves once the listener has let go of the transport. */
  async close(): Promise<void> {
    await this.announcements.return?.();
  }
}
