import { v7 as uuidv7 } from 'uuid';
import { Prisma, type AuditSource } from '../generated/prisma/client.ts';
import type { SqlPart } from '../db/raw-sql.ts';

// The audit trail: one entry per change to one object, with its field-level changes,
// appended in the transaction of the change itself (see runWork).

export type { AuditSource };

export type EntityType =
  | 'Property'
  | 'Company'
  | 'User'
  | 'ApiToken'
  | 'VisitorSettings'
  | 'WorkOrder'
  | 'Visit'
  | 'ComplianceDocument'
  | 'Evacuation'
  | 'WebhookEndpoint';

export interface AuditChange {
  field: string;
  from: string | null;
  to: string | null;
  /** For a reference: the type of the object `from` and `to` name by database id. */
  ref?: string;
}

export interface AuditEntry {
  action: string;
  source: AuditSource;
  entityType: EntityType;
  entityId: string;
  propertyId: string | null;
  changes: AuditChange[];
}

/** The organisation-wide settings are one row without a uuid; their audit entries use this id. */
export const VISITOR_SETTINGS_ENTITY_ID = '00000000-0000-7000-8000-000000000001';

/** Foreign keys, recorded with the type they point to so the API can show global ids. */
const REFERENCES: Record<string, string> = {
  propertyId: 'Property',
  companyId: 'Company',
  assigneeId: 'User',
  visitorId: 'User',
  hostId: 'User',
  userId: 'User',
  workOrderId: 'WorkOrder',
};

/** Bookkeeping, not content: never reported as a change. */
const UNTRACKED = new Set([
  'id',
  'createdAt',
  'updatedAt',
  'tokenHash',
  'lastUsedAt',
  // Webhook signing secrets are never shown again, nor kept in the trail.
  'secret',
  'previousSecret',
  // The scheduler's own moments of a visit, derived from its times and its property's policy.
  'checkOutDueAt',
  'overdueAt',
  'overdueAnnounced',
  'startAnnounced',
  'expiryAnnounced',
]);

export type Row = Record<string, unknown>;

/** What an audit entry is about. */
export interface Entity {
  type: EntityType;
  id: string;
  propertyId?: string | null;
}

export const workOrderEntity = (wo: { id: string; propertyId: string }): Entity => ({
  type: 'WorkOrder',
  id: wo.id,
  propertyId: wo.propertyId,
});

function show(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** The fields that differ between two versions of a row (a creation when `before` is null). */
export function fieldChanges(before: Row | null, after: Row): AuditChange[] {
  const changes: AuditChange[] = [];
  for (const field of Object.keys(after)) {
    if (UNTRACKED.has(field)) continue;
    const from = before ? show(before[field]) : null;
    const to = show(after[field]);
    if (from === to) continue;
    changes.push(REFERENCES[field] ? { field, from, to, ref: REFERENCES[field] } : { field, from, to });
  }
  return changes;
}

/** A unit's entries, appended to the audit trail in their order, as part of its closing statement (unit-of-work.ts). */
export function auditTrailAppend(entries: AuditEntry[], actorId: string | null, occurredAt: Date): SqlPart<void> {
  const rows = entries.map((e) => ({
    // Ids as the schema makes them (uuid v7); the order of commits is "seq".
    id: uuidv7(),
    occurredAt: occurredAt.toISOString(),
    action: e.action,
    source: e.source,
    // The system's own changes have no actor; the integration acts for the person whose change set it off.
    actorId: e.source === 'SCHEDULER' ? null : actorId,
    entityType: e.entityType,
    entityId: e.entityId,
    propertyId: e.propertyId,
    changes: e.changes,
  }));
  return {
    with: [
      Prisma.sql`"auditAdded" AS (
        INSERT INTO "AuditEvent" ("id", "occurredAt", "action", "source", "actorId", "entityType", "entityId", "propertyId", "changes")
        SELECT "id", "occurredAt", "action", "source", "actorId", "entityType", "entityId", "propertyId", "changes"
        FROM json_populate_recordset(NULL::"AuditEvent", ${JSON.stringify(rows)}::json) WITH ORDINALITY AS e
        ORDER BY e."ordinality"
      )`,
    ],
    read: () => undefined,
  };
}
