import type { YogaLogger } from 'graphql-yoga';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { advanceDesk } from '../domain/desk-clock.ts';
import { runWork, SYSTEM, type Clock } from '../domain/unit-of-work.ts';
import type { DeskEvent } from '../events/desk-events.ts';
import { pruneDeskLog } from '../events/desk-log.ts';

export interface DeskClockOptions {
  prisma: PrismaClient;
  clock: Clock;
  publish(events: DeskEvent[]): void;
  intervalMs: number;
  historyHours: number;
  logger: YogaLogger;
}

export interface DeskClock {
  /** One pass now: visits whose window opened or passed move, old events are pruned. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs the desk clock on every instance; passes never overlap within one, and the row
 * locks in advanceDesk keep instances from announcing the same change twice.
 */
export function startDeskClock(options: DeskClockOptions): DeskClock {
  const { prisma, clock, publish, logger } = options;
  let running: Promise<void> | null = null;

  const pass = async () => {
    try {
      await runWork({ prisma, clock, publish }, SYSTEM, (work) => advanceDesk(work));
      await pruneDeskLog(prisma, new Date(clock.now().getTime() - options.historyHours * 3_600_000));
    } catch (err) {
      logger.error('Desk clock pass failed; the next pass retries.', err);
    }
  };
  const tick = () => (running ??= pass().finally(() => (running = null)));
  const timer = options.intervalMs > 0 ? setInterval(() => void tick(), options.intervalMs) : null;
  return {
    tick,
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
