import { z } from 'zod';
import type { WebhookDelivery, WebhookEndpoint } from '../../generated/prisma/client.ts';
import { forbid, found, inputField, refuse } from '../../core/errors.ts';
import type { Change, Work } from '../../core/unit-of-work.ts';
import { kept, optionalText, parseInput } from '../../core/validation.ts';
import { encodeGlobalID } from '../../graphql/global-id.ts';
import { parseEndpointUrl, resolveDestination, type DestinationPolicy } from './destinations.ts';
import { isWebhookEventType, TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES } from './event-types.ts';
import { NEW_EVENT_ID } from './outbox.ts';
import { newSecret, PREVIOUS_SECRET_MS } from './signing.ts';

// Webhook endpoints, ADMIN only: registering, changing, rotating the secret, deleting, and
// the deliveries sent by hand (a test event, or an event again).

const URL_FIELD = inputField('url');

const url = z
  .string()
  .trim()
  .min(1, 'url must not be blank.')
  .transform((text, ctx) => {
    const parsed = parseEndpointUrl(text);
    if (typeof parsed === 'string') {
      ctx.addIssue({ code: 'custom', message: parsed });
      return z.NEVER;
    }
    return parsed.href;
  });

const eventTypes = z
  .array(
    z.string().superRefine((type, ctx) => {
      if (!isWebhookEventType(type)) {
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(type.slice(0, 60))} is not an event type; use one of ${WEBHOOK_EVENT_TYPES.slice(0, 3).join(', ')}, … (all are listed in the README).`,
        });
      }
    }),
  )
  .max(WEBHOOK_EVENT_TYPES.length, `Give at most ${WEBHOOK_EVENT_TYPES.length} event types.`)
  .transform((types) => [...new Set(types)]);

const createInput = z.object({
  url,
  description: optionalText('description', 500),
  eventTypes: eventTypes.nullish().transform((v) => v ?? []),
});

const updateInput = z.object({
  url: kept('url', url),
  description: optionalText('description', 500),
  eventTypes: kept('eventTypes', eventTypes),
  enabled: kept('enabled', z.boolean()),
});

const entity = (endpoint: { id: string }) => ({ type: 'WebhookEndpoint' as const, id: endpoint.id });

function onlyAdmins(work: Work): void {
  if (!work.access.changesOrganisation()) forbid('Only an administrator manages webhook endpoints.');
}

/** The URL's host must resolve to addresses webhooks may go to (checked again at every attempt). */
async function checkReachable(href: string, policy: DestinationPolicy): Promise<void> {
  const destination = await resolveDestination(new URL(href), policy);
  if ('refused' in destination) refuse('INVALID_INPUT', destination.refused, URL_FIELD);
}

async function openEndpoint(work: Work, id: string): Promise<WebhookEndpoint> {
  onlyAdmins(work);
  return found(work.tx.webhookEndpoint.findUnique({ where: { id } }), inputField('webhookEndpointId'), 'webhook endpoint');
}

export interface CreatedEndpoint {
  webhookEndpoint: WebhookEndpoint;
  /** Shown in this answer only. */
  secret: string;
}

export function createWebhookEndpoint(input: z.input<typeof createInput>, policy: DestinationPolicy): Change<CreatedEndpoint> {
  const data = parseInput(createInput, input);
  return async (work) => {
    onlyAdmins(work);
    await checkReachable(data.url, policy);
    const secret = newSecret();
    const webhookEndpoint = await work.tx.webhookEndpoint.create({
      data: { url: data.url, description: data.description ?? null, eventTypes: data.eventTypes, secret },
    });
    work.audit('webhookEndpoint.created', entity(webhookEndpoint), null, webhookEndpoint);
    return { webhookEndpoint, secret };
  };
}

export interface UpdateEndpoint extends z.input<typeof updateInput> {
  webhookEndpointId: string;
}

export function updateWebhookEndpoint(input: UpdateEndpoint, policy: DestinationPolicy): Change<WebhookEndpoint> {
  const data = parseInput(updateInput, input);
  return async (work) => {
    const before = await openEndpoint(work, input.webhookEndpointId);
    if (data.url !== undefined) await checkReachable(data.url, policy);
    // Switched on again: its health starts over.
    const revived = data.enabled === true && !before.enabled ? { failingSince: null, disabledAt: null } : {};
    const after = await work.tx.webhookEndpoint.update({
      where: { id: before.id },
      data: { url: data.url, description: data.description, eventTypes: data.eventTypes, enabled: data.enabled, ...revived },
    });
    work.audit('webhookEndpoint.updated', entity(after), before, after);
    return after;
  };
}

export function deleteWebhookEndpoint(webhookEndpointId: string): Change<string> {
  return async (work) => {
    const endpoint = await openEndpoint(work, webhookEndpointId);
    await work.tx.webhookEndpoint.delete({ where: { id: endpoint.id } });
    work.audit('webhookEndpoint.deleted', entity(endpoint), endpoint, { url: null });
    return endpoint.id;
  };
}

export interface RotatedSecret {
  webhookEndpoint: WebhookEndpoint;
  secret: string;
}

export function rotateWebhookSecret(webhookEndpointId: string): Change<RotatedSecret> {
  return async (work) => {
    const before = await openEndpoint(work, webhookEndpointId);
    const secret = newSecret();
    const webhookEndpoint = await work.tx.webhookEndpoint.update({
      where: { id: before.id },
      data: { secret, previousSecret: before.secret, previousSecretUntil: new Date(work.now.getTime() + PREVIOUS_SECRET_MS) },
    });
    work.audit('webhookEndpoint.secretRotated', entity(webhookEndpoint), before, webhookEndpoint);
    return { webhookEndpoint, secret };
  };
}

function refuseDisabled(endpoint: WebhookEndpoint, field: string[]): void {
  if (!endpoint.enabled) {
    refuse('INVALID_TRANSITION', 'This endpoint is disabled; enable it with updateWebhookEndpoint first.', field);
  }
}

/** Queues one delivery now, on the usual schedule. */
async function queue(work: Work, row: Pick<WebhookDelivery, 'endpointId' | 'eventType' | 'body'> & { eventId?: string }) {
  const [{ id }] = await work.tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "WebhookDelivery" ("endpointId", "eventId", "eventType", "body", "nextAttemptAt", "createdAt")
    VALUES (${row.endpointId}::uuid, COALESCE(${row.eventId ?? null}, ${NEW_EVENT_ID}), ${row.eventType}, ${row.body},
            ${work.now}::timestamptz, ${work.now}::timestamptz)
    RETURNING "id"`;
  work.webhookDeliveries += 1;
  return work.tx.webhookDelivery.findUniqueOrThrow({ where: { id } });
}

/** A webhook.test event to the endpoint, whatever event types it subscribes to. */
export function sendTestWebhook(webhookEndpointId: string): Change<WebhookDelivery> {
  return async (work) => {
    const endpoint = await openEndpoint(work, webhookEndpointId);
    refuseDisabled(endpoint, inputField('webhookEndpointId'));
    const body = JSON.stringify({
      type: TEST_EVENT_TYPE,
      timestamp: work.now.toISOString(),
      data: { webhookEndpoint: { id: encodeGlobalID('WebhookEndpoint', endpoint.id), url: endpoint.url } },
    });
    return queue(work, { endpointId: endpoint.id, eventType: TEST_EVENT_TYPE, body });
  };
}

/** The same event again, with the same webhook-id, as a new delivery. */
export function redeliverWebhook(webhookDeliveryId: string): Change<WebhookDelivery> {
  return async (work) => {
    onlyAdmins(work);
    const field = inputField('webhookDeliveryId');
    const original = await found(
      work.tx.webhookDelivery.findUnique({ where: { id: webhookDeliveryId }, include: { endpoint: true } }),
      field,
      'webhook delivery',
    );
    refuseDisabled(original.endpoint, field);
    return queue(work, original);
  };
}
