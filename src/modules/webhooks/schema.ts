import { WebhookDeliveryStatus } from '../../generated/prisma/client.ts';
import { forbid } from '../../core/errors.ts';
import { builder, connectionOf, PAGE_LIMIT } from '../../graphql/builder.ts';
import { encodeGlobalID, idOf } from '../../graphql/global-id.ts';
import { into, perform } from '../../graphql/perform.ts';
import { UserErrorRef } from '../../graphql/errors.ts';
import * as endpoints from './endpoints.ts';
import type { WebhookAttempt } from './worker.ts';

// Webhooks in GraphQL, for administrators: endpoints, their deliveries with every attempt,
// and the mutations that manage them. Signing secrets appear only in the answers that make them.

const ONLY_ADMINS = 'Only an administrator reads webhook endpoints.';

const WebhookDeliveryStatusEnum = builder.enumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus' });

const WebhookAttemptRef = builder.objectRef<WebhookAttempt>('WebhookAttempt').implement({
  fields: (t) => ({
    at: t.field({ type: 'DateTime', resolve: (a) => new Date(a.at) }),
    responseStatus: t.int({
      nullable: true,
      description: 'Null: no answer (refused, timed out).',
      resolve: (a) => a.responseStatus,
    }),
    durationMs: t.int({ resolve: (a) => a.durationMs }),
    error: t.string({ nullable: true, description: 'Why there was no answer.', resolve: (a) => a.error }),
  }),
});

const WebhookDeliveryRef = builder.prismaNode('WebhookDelivery', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [{ endpoint: ctx.access.webhookWhere() }] }),
  fields: (t) => ({
    eventId: t.exposeString('eventId', { description: 'The webhook-id header: the same for every attempt and redelivery.' }),
    eventType: t.exposeString('eventType'),
    status: t.expose('status', { type: WebhookDeliveryStatusEnum }),
    attempts: t.field({
      type: [WebhookAttemptRef],
      description: 'Oldest first.',
      select: { attempts: true },
      resolve: (d) => d.attempts as unknown as WebhookAttempt[],
    }),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    endpoint: t.relation('endpoint'),
    payload: t.string({
      description: 'The exact JSON body every attempt sends.',
      select: { body: true },
      resolve: (d) => d.body,
    }),
  }),
});

const WebhookDeliveryConnection = connectionOf(WebhookDeliveryRef, 'WebhookDelivery');

const WebhookEndpointRef = builder.prismaNode('WebhookEndpoint', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [ctx.access.webhookWhere()] }),
  fields: (t) => ({
    url: t.exposeString('url'),
    description: t.exposeString('description', { nullable: true }),
    eventTypes: t.exposeStringList('eventTypes', { description: 'Empty: every event type.' }),
    enabled: t.exposeBoolean('enabled', {
      description: 'False when switched off, or after failing without a success for 5 days.',
    }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deliveries: t.relatedConnection(
      'deliveries',
      { cursor: 'id', ...PAGE_LIMIT, description: 'Newest first.', query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] } },
      WebhookDeliveryConnection,
    ),
  }),
});

const WebhookEndpointConnection = connectionOf(WebhookEndpointRef, 'WebhookEndpoint');

builder.queryField('webhookEndpoints', (t) =>
  t.prismaConnection(
    {
      type: 'WebhookEndpoint',
      cursor: 'id',
      ...PAGE_LIMIT,
      description: 'ADMIN only. Oldest first.',
      resolve: (query, _root, _args, ctx) => {
        if (!ctx.access.changesOrganisation()) forbid(ONLY_ADMINS);
        return ctx.prisma.webhookEndpoint.findMany({ ...query, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      },
    },
    WebhookEndpointConnection,
  ),
);

builder.relayMutationField(
  'createWebhookEndpoint',
  {
    inputFields: (t) => ({
      url: t.string({ required: true, description: 'https, to a public address.' }),
      description: t.string(),
      eventTypes: t.stringList({ description: 'Empty or left out: every event type.' }),
    }),
  },
  {
    resolve: (_root, { input }, ctx) => perform(ctx, () => endpoints.createWebhookEndpoint(input, ctx.webhookDestinations)),
  },
  {
    outputFields: (t) => ({
      webhookEndpoint: t.field({ type: WebhookEndpointRef, nullable: true, resolve: (p) => p.webhookEndpoint }),
      secret: t.string({ nullable: true, description: '"whsec_…": shown in this answer only.', resolve: (p) => p.secret }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

builder.relayMutationField(
  'updateWebhookEndpoint',
  {
    inputFields: (t) => ({
      webhookEndpointId: t.id({ required: true }),
      url: t.string(),
      description: t.string({ description: 'Null or blank clears it.' }),
      eventTypes: t.stringList({ description: 'Empty: every event type.' }),
      enabled: t.boolean({ description: 'Switching it on again starts its 5-day health count over.' }),
    }),
  },
  {
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () =>
        into(
          'webhookEndpoint',
          endpoints.updateWebhookEndpoint(
            { ...input, webhookEndpointId: idOf(input.webhookEndpointId, 'WebhookEndpoint', 'webhookEndpointId') },
            ctx.webhookDestinations,
          ),
        ),
      ),
  },
  {
    outputFields: (t) => ({
      webhookEndpoint: t.field({ type: WebhookEndpointRef, nullable: true, resolve: (p) => p.webhookEndpoint }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

builder.relayMutationField(
  'deleteWebhookEndpoint',
  { inputFields: (t) => ({ webhookEndpointId: t.id({ required: true }) }) },
  {
    description: 'Deletes the endpoint and its deliveries; nothing more is sent to it.',
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () =>
        into(
          'deletedWebhookEndpointId',
          endpoints.deleteWebhookEndpoint(idOf(input.webhookEndpointId, 'WebhookEndpoint', 'webhookEndpointId')),
        ),
      ),
  },
  {
    outputFields: (t) => ({
      deletedWebhookEndpointId: t.id({
        nullable: true,
        resolve: (p) => (p.deletedWebhookEndpointId ? encodeGlobalID('WebhookEndpoint', p.deletedWebhookEndpointId) : null),
      }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

builder.relayMutationField(
  'rotateWebhookSecret',
  { inputFields: (t) => ({ webhookEndpointId: t.id({ required: true }) }) },
  {
    description: 'A new signing secret; the old one keeps signing too for 24 hours (two signatures in webhook-signature).',
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () => endpoints.rotateWebhookSecret(idOf(input.webhookEndpointId, 'WebhookEndpoint', 'webhookEndpointId'))),
  },
  {
    outputFields: (t) => ({
      webhookEndpoint: t.field({ type: WebhookEndpointRef, nullable: true, resolve: (p) => p.webhookEndpoint }),
      secret: t.string({ nullable: true, description: 'The new secret, shown in this answer only.', resolve: (p) => p.secret }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

builder.relayMutationField(
  'redeliverWebhook',
  { inputFields: (t) => ({ webhookDeliveryId: t.id({ required: true }) }) },
  {
    description: 'Sends the same event again (same webhook-id) as a new delivery, on the usual schedule.',
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () =>
        into(
          'webhookDelivery',
          endpoints.redeliverWebhook(idOf(input.webhookDeliveryId, 'WebhookDelivery', 'webhookDeliveryId')),
        ),
      ),
  },
  {
    outputFields: (t) => ({
      webhookDelivery: t.field({ type: WebhookDeliveryRef, nullable: true, resolve: (p) => p.webhookDelivery }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

builder.relayMutationField(
  'sendTestWebhook',
  { inputFields: (t) => ({ webhookEndpointId: t.id({ required: true }) }) },
  {
    description: 'Sends a webhook.test event to the endpoint now, whatever event types it subscribes to.',
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () =>
        into('webhookDelivery', endpoints.sendTestWebhook(idOf(input.webhookEndpointId, 'WebhookEndpoint', 'webhookEndpointId'))),
      ),
  },
  {
    outputFields: (t) => ({
      webhookDelivery: t.field({ type: WebhookDeliveryRef, nullable: true, resolve: (p) => p.webhookDelivery }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);
