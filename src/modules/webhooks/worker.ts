import type { YogaLogger } from 'graphql-yoga';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Clock } from '../../core/clock.ts';
import type { Announcements } from '../../core/announcements.ts';
import type { WebhookSettings } from '../../config.ts';
import { runWork, type Work } from '../../core/unit-of-work.ts';
import { SYSTEM } from '../access/access.ts';
import { send, type AttemptResult } from './send.ts';
import { signatureHeader } from './signing.ts';

// Delivers the outbox, on every instance. Deliveries due are claimed with a lease (FOR UPDATE
// SKIP LOCKED, so one instance at a time), a batch at once, sent concurrently outside any
// transaction, and the batch's attempts recorded together once its last one has ended (one
// transaction of a few statements, whatever the batch's size); a crash lets the lease run out,
// and the next claim sends them again (at least once, with the same webhook-id). The first
// attempt goes as soon as a commit wakes the workers; failures are retried on the schedule,
// then FAILED. An endpoint failing without a success for five days is disabled.

const BATCH = 16;
const DISABLE_AFTER_MS = 5 * 24 * 3_600_000;

export interface WebhookAttempt {
  at: string;
  responseStatus: number | null;
  durationMs: number;
  error: string | null;
}

/** An attempt made, to be recorded. */
interface Sent {
  delivery: Claimed;
  /** When it started: the attempt's time, and the webhook-timestamp it was signed with. */
  at: Date;
  result: AttemptResult;
}

interface Claimed {
  id: string;
  endpointId: string;
  eventId: string;
  body: string;
  attempts: WebhookAttempt[];
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
}

export interface WebhookWorkerOptions {
  prisma: PrismaClient;
  clock: Clock;
  announcements: Announcements;
  logger: YogaLogger;
  settings: WebhookSettings;
}

const succeeded = (r: AttemptResult) => r.responseStatus !== null && r.responseStatus >= 200 && r.responseStatus < 300;

export class WebhookWorker {
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private readonly timer: NodeJS.Timeout;
  private readonly wake: AsyncIterator<unknown>;

  constructor(private readonly options: WebhookWorkerOptions) {
    const wake = options.announcements.subscribe('webhooksQueued')[Symbol.asyncIterator]();
    this.wake = wake;
    void (async () => {
      for (let r = await wake.next(); !r.done; r = await wake.next()) void this.tick();
    })().catch((err) => options.logger.error('Webhook worker: listening for new deliveries failed.', err));
    this.timer = setInterval(() => void this.tick(), options.settings.pollMs);
    this.timer.unref();
  }

  /** Sends every delivery due now; concurrent calls share one run (and ask for another pass). */
  tick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        for (let batch = await this.claim(); batch.length > 0; batch = batch.length < BATCH ? [] : await this.claim()) {
          // In the order they end, as the endpoints' health follows them.
          const sent: Sent[] = [];
          await Promise.all(batch.map(async (delivery) => sent.push(await this.attempt(delivery))));
          await runWork(this.options, SYSTEM, (work) => this.record(work, sent));
        }
      } while (this.again && !this.closed);
    })()
      .catch((err) => this.options.logger.error('Webhook worker: a pass failed; the next one retries.', err))
      .finally(() => (this.running = null));
    return this.running;
  }

  /** Leases the deliveries due to enabled endpoints, with what sending them needs. */
  private async claim(): Promise<Claimed[]> {
    const now = this.options.clock.now();
    const leaseUntil = new Date(now.getTime() + this.options.settings.timeoutMs + 5_000);
    return this.options.prisma.$queryRaw<Claimed[]>`
      UPDATE "WebhookDelivery" d SET "leaseUntil" = ${leaseUntil}::timestamptz
      FROM (
        SELECT d2."id", e."url", e."secret", e."previousSecret", e."previousSecretUntil"
        FROM "WebhookDelivery" d2 JOIN "WebhookEndpoint" e ON e."id" = d2."endpointId"
        WHERE d2."status" = 'PENDING' AND d2."nextAttemptAt" <= ${now}::timestamptz
          AND (d2."leaseUntil" IS NULL OR d2."leaseUntil" <= ${now}::timestamptz) AND e."enabled"
        ORDER BY d2."nextAttemptAt", d2."id"
        LIMIT ${BATCH}
        FOR UPDATE OF d2 SKIP LOCKED
      ) due
      WHERE d."id" = due."id"
      RETURNING d."id", d."endpointId", d."eventId", d."body", d."attempts",
        due."url", due."secret", due."previousSecret", due."previousSecretUntil"`;
  }

  private async attempt(delivery: Claimed): Promise<Sent> {
    const at = this.options.clock.now();
    const headers = {
      'webhook-id': delivery.eventId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signatureHeader(delivery, delivery.eventId, at, delivery.body),
      'user-agent': 'visitor-work-orders-webhooks/1',
    };
    const { settings } = this.options;
    const result = await send(
      { url: delivery.url, headers, body: delivery.body },
      { allowPrivate: settings.allowPrivateUrls },
      settings.timeoutMs,
    );
    return { delivery, at, result };
  }

  /**
   * Records a batch's attempts, each done, retried on the schedule, or FAILED, in one
   * statement; then each endpoint's health, as if its attempts had been recorded one by one
   * in the order they ended: a success clears it, a failure after that starts it.
   */
  private async record(work: Work, sent: Sent[]): Promise<void> {
    const rows = sent.map(({ delivery, at, result }) => {
      const attempts = [...delivery.attempts, { at: at.toISOString(), ...result }];
      const ok = succeeded(result);
      const delay = this.options.settings.retrySchedule[attempts.length - 1];
      const retryAt = !ok && delay !== undefined ? new Date(at.getTime() + delay * 1000) : null;
      return { id: delivery.id, attempts, status: ok ? 'SUCCEEDED' : retryAt ? 'PENDING' : 'FAILED', nextAttemptAt: retryAt };
    });
    await work.tx.$executeRaw`
      UPDATE "WebhookDelivery" d
      SET "attempts" = r."attempts", "status" = r."status"::"WebhookDeliveryStatus", "nextAttemptAt" = r."nextAttemptAt",
        "leaseUntil" = NULL
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        AS r("id" uuid, "attempts" jsonb, "status" text, "nextAttemptAt" timestamptz)
      WHERE d."id" = r."id"`;
    for (const endpointId of new Set(sent.map((s) => s.delivery.endpointId))) {
      const mine = sent.filter((s) => s.delivery.endpointId === endpointId);
      const lastSuccess = mine.findLastIndex((s) => succeeded(s.result));
      if (lastSuccess >= 0) {
        await work.tx.webhookEndpoint.updateMany({
          where: { id: endpointId, NOT: { failingSince: null } },
          data: { failingSince: null },
        });
      }
      const failures = mine.slice(lastSuccess + 1);
      if (failures.length > 0) await this.failing(work, endpointId, failures[0].at, failures[failures.length - 1].at);
    }
  }

  /** Failing since `first` (unless already), as of `last`: disabled after five days of that. */
  private async failing(work: Work, endpointId: string, first: Date, last: Date): Promise<void> {
    const [endpoint] = await work.tx.$queryRaw<{ failingSince: Date; enabled: boolean }[]>`
      UPDATE "WebhookEndpoint" SET "failingSince" = COALESCE("failingSince", ${first}::timestamptz)
      WHERE "id" = ${endpointId}::uuid RETURNING "failingSince", "enabled"`;
    if (endpoint?.enabled && last.getTime() - endpoint.failingSince.getTime() >= DISABLE_AFTER_MS)
      await this.disable(work, endpointId);
  }

  private async disable(work: Work, endpointId: string): Promise<void> {
    const before = await work.tx.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } });
    const after = await work.tx.webhookEndpoint.update({
      where: { id: endpointId },
      data: { enabled: false, disabledAt: work.now },
    });
    await work.tx.webhookDelivery.updateMany({
      where: { endpointId, status: 'PENDING' },
      data: { status: 'FAILED', nextAttemptAt: null, leaseUntil: null },
    });
    work.audit('webhookEndpoint.disabled', { type: 'WebhookEndpoint', id: endpointId }, before, after);
    this.options.logger.warn(`Webhook endpoint ${endpointId} failed without a success for 5 days and was disabled.`);
  }

  /** Shutdown: no new passes; the one under way finishes. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    void this.wake.return?.();
    await this.running;
  }
}
