import { v7 as uuidv7 } from 'uuid';
import { Prisma, type Visit, type WorkOrder } from '../../generated/prisma/client.ts';
import { queryJsonRow } from '../../db/json-rows.ts';
import type { Work } from '../../core/unit-of-work.ts';

// The rows a new work order writes: the work order, and a visit per day for an Auto-Create
// Visit assignee. Creates are frequent; through Prisma each insert sent and decoded every
// column one by one. Here each is an INSERT of our own returning its row as JSON, shaped as
// Prisma returns it, with ids made as Prisma makes them (UUID v7) and both timestamps the
// unit's time. test/create-writes.test.ts holds them equal to Prisma's inserts.

export interface NewWorkOrder {
  propertyId: string;
  title: string;
  description: string | null;
  assigneeId: string | null;
  scheduledStart: Date | null;
  scheduledEnd: Date | null;
  externalSource?: string;
  externalId?: string;
}

export async function insertWorkOrder(work: Work, data: NewWorkOrder): Promise<WorkOrder> {
  const now = Prisma.sql`${work.now}::timestamptz`;
  const inserted = await queryJsonRow<WorkOrder>(
    work.tx,
    'WorkOrder',
    Prisma.sql`
      INSERT INTO "WorkOrder" AS w ("id", "propertyId", "title", "description", "assigneeId", "scheduledStart",
        "scheduledEnd", "externalSource", "externalId", "createdAt", "updatedAt")
      VALUES (${uuidv7()}::uuid, ${data.propertyId}::uuid, ${data.title}, ${data.description}, ${data.assigneeId}::uuid,
        ${data.scheduledStart}::timestamptz, ${data.scheduledEnd}::timestamptz, ${data.externalSource ?? null},
        ${data.externalId ?? null}, ${now}, ${now})
      RETURNING row_to_json(w) AS "row"`,
  );
  return inserted!;
}

export interface NewGeneratedVisit {
  propertyId: string;
  workOrderId: string;
  visitorId: string;
  visitorName: string;
  companyId: string;
  expectedArrival: Date;
  expectedDeparture: Date | null;
  inDeskWindow: boolean;
  notes: string | null;
}

/** A visit the integration generates from a work order (source WORK_ORDER, EXPECTED). */
export async function insertGeneratedVisit(work: Work, data: NewGeneratedVisit): Promise<Visit> {
  const now = Prisma.sql`${work.now}::timestamptz`;
  const inserted = await queryJsonRow<Visit>(
    work.tx,
    'Visit',
    Prisma.sql`
      INSERT INTO "Visit" AS v ("id", "propertyId", "visitorName", "visitorId", "companyId", "expectedArrival",
        "expectedDeparture", "source", "workOrderId", "notes", "inDeskWindow", "createdAt", "updatedAt")
      VALUES (${uuidv7()}::uuid, ${data.propertyId}::uuid, ${data.visitorName}, ${data.visitorId}::uuid,
        ${data.companyId}::uuid, ${data.expectedArrival}::timestamptz, ${data.expectedDeparture}::timestamptz,
        'WORK_ORDER', ${data.workOrderId}::uuid, ${data.notes}, ${data.inDeskWindow}, ${now}, ${now})
      RETURNING row_to_json(v) AS "row"`,
  );
  return inserted!;
}
