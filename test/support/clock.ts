import type { Clock } from '../../src/core/clock.ts';

/** A clock the test moves by hand: time-dependent rules without sleeping. */
export class TestClock implements Clock {
  private current: number;

  constructor(start: string | Date = '2026-11-26T09:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: string | Date): void {
    this.current = new Date(at).getTime();
  }

  advance(ms: number): void {
    this.current += ms;
  }

  /** An ISO instant `ms` away from now. */
  in(ms: number): string {
    return new Date(this.current + ms).toISOString();
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
