import { Prisma } from '../../generated/prisma/client.ts';
import type { AuditEntry } from '../../core/audit-trail.ts';
import { isWebhookEventType } from './event-types.ts';
import { execute } from '../../db/raw-sql.ts';

// The outbox: each change's webhook deliveries, written in its own transaction (so a change
// that rolls back sends nothing), one row per event and subscribed endpoint, in one statement.
// The body is fixed now, as the GraphQL API shows the object after the change: global ids,
// the Request ID, statuses and times; a visit carries its work order's id, Request ID, title
// and status. Whichever instance claims a row then delivers it (worker.ts).

/** "Type:uuid" in base64url, as graphql/global-id.ts encodes ids (short enough for one base64 line). */
const globalId = (type: string, column: Prisma.Sql) =>
  Prisma.sql`translate(rtrim(encode(convert_to(${type + ':'} || ${column}::text, 'UTF8'), 'base64'), '='), '+/', '-_')`;

/** A time as the API's DateTime shows it: ISO 8601 in UTC with milliseconds. */
const iso = (column: Prisma.Sql) => Prisma.sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const requestId = Prisma.sql`'WO-' || lpad(w."number"::text, 6, '0')`;

const VISIT = Prisma.sql`json_build_object(
  'id', ${globalId('Visit', Prisma.sql`v."id"`)},
  'status', v."status",
  'visitorName', v."visitorName",
  'source', v."source",
  'expectedArrival', ${iso(Prisma.sql`v."expectedArrival"`)},
  'expectedDeparture', ${iso(Prisma.sql`v."expectedDeparture"`)},
  'checkedInAt', ${iso(Prisma.sql`v."checkedInAt"`)},
  'checkedOutAt', ${iso(Prisma.sql`v."checkedOutAt"`)},
  'checkOutReason', v."checkOutReason",
  'property', json_build_object('id', ${globalId('Property', Prisma.sql`v."propertyId"`)}),
  'company', CASE WHEN c."id" IS NULL THEN NULL ELSE json_build_object('id', ${globalId('Company', Prisma.sql`c."id"`)}, 'name', c."name") END,
  'workOrder', CASE WHEN w."id" IS NULL THEN NULL ELSE json_build_object(
    'id', ${globalId('WorkOrder', Prisma.sql`w."id"`)}, 'requestId', ${requestId}, 'title', w."title", 'status', w."status") END)`;

const WORK_ORDER = Prisma.sql`json_build_object(
  'id', ${globalId('WorkOrder', Prisma.sql`w."id"`)},
  'requestId', ${requestId},
  'title', w."title",
  'description', w."description",
  'status', w."status",
  'property', json_build_object('id', ${globalId('Property', Prisma.sql`w."propertyId"`)}),
  'assignee', CASE WHEN w."assigneeId" IS NULL THEN NULL ELSE json_build_object('id', ${globalId('User', Prisma.sql`w."assigneeId"`)}) END,
  'scheduledStart', ${iso(Prisma.sql`w."scheduledStart"`)},
  'scheduledEnd', ${iso(Prisma.sql`w."scheduledEnd"`)},
  'completedAt', ${iso(Prisma.sql`w."completedAt"`)},
  'externalSource', w."externalSource",
  'externalId', w."externalId")`;

/** A fresh webhook-id: "msg_" and 32 hex digits. */
export const NEW_EVENT_ID = Prisma.sql`'msg_' || replace(gen_random_uuid()::text, '-', '')`;

type Event = Pick<AuditEntry, 'action' | 'entityType' | 'entityId'>;

const webhookEvents = <T extends Event>(entries: T[]) =>
  entries.filter((e) => (e.entityType === 'Visit' || e.entityType === 'WorkOrder') && isWebhookEventType(e.action));

/**
 * Whether an enabled endpoint subscribes to any of a unit's events, as a boolean SQL
 * expression. Most changes have no endpoint to go to: asked along with another statement of
 * the unit, this spares them the outbox statement, whose body is costly to plan.
 */
export function webhookSubscribersSql(entries: Event[]): Prisma.Sql {
  const actions = [...new Set(webhookEvents(entries).map((e) => e.action))];
  if (actions.length === 0) return Prisma.sql`false`;
  return Prisma.sql`EXISTS (SELECT 1 FROM "WebhookEndpoint" e
    WHERE e."enabled" AND (cardinality(e."eventTypes") = 0 OR e."eventTypes" && ${actions}::text[]))`;
}

/** The statement that queues the deliveries of a unit's events to every enabled endpoint subscribed; null when none is a webhook event. */
export function webhookDeliveriesSql(entries: Event[], now: Date): Prisma.Sql | null {
  const events = webhookEvents(entries);
  if (events.length === 0) return null;
  return Prisma.sql`
    INSERT INTO "WebhookDelivery" ("endpointId", "eventId", "eventType", "body", "nextAttemptAt", "createdAt")
    SELECT e."id", ${NEW_EVENT_ID}, ev."action",
      json_build_object('type', ev."action", 'timestamp', ${now.toISOString()}::text, 'data',
        CASE WHEN ev."type" = 'Visit' THEN json_build_object('visit', ${VISIT}) ELSE json_build_object('workOrder', ${WORK_ORDER}) END)::text,
      ${now}::timestamptz, ${now}::timestamptz
    FROM unnest(${events.map((e) => e.action)}::text[], ${events.map((e) => e.entityType)}::text[],
                ${events.map((e) => e.entityId)}::uuid[]) WITH ORDINALITY AS ev("action", "type", "entityId", ord)
    JOIN "WebhookEndpoint" e ON e."enabled" AND (cardinality(e."eventTypes") = 0 OR ev."action" = ANY(e."eventTypes"))
    LEFT JOIN "Visit" v ON ev."type" = 'Visit' AND v."id" = ev."entityId"
    LEFT JOIN "Company" c ON c."id" = v."companyId"
    LEFT JOIN "WorkOrder" w ON w."id" = CASE WHEN ev."type" = 'Visit' THEN v."workOrderId" ELSE ev."entityId" END
    ORDER BY ev.ord, e."id"`;
}

/** Queues the deliveries of a unit's events to every enabled endpoint subscribed; returns how many. */
export async function queueWebhookDeliveries(tx: Prisma.TransactionClient, entries: AuditEntry[], now: Date): Promise<number> {
  const sql = webhookDeliveriesSql(entries, now);
  return sql ? execute(tx, sql) : 0;
}
