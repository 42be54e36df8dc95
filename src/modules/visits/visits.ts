import { z } from 'zod';
import type { Visit, WorkOrder } from '../../generated/prisma/client.ts';
import { forbid, found, inputField, refuse } from '../../core/errors.ts';
import { workOrderEntity } from '../../core/audit-trail.ts';
import { integrationEnabled, isOpen } from '../work-orders/integration.ts';
import { formatRequestId } from '../work-orders/request-id.ts';
import { findByRequestId } from '../work-orders/work-orders.ts';
import type { Change, Work } from '../../core/unit-of-work.ts';
import { inDeskWindow } from '../desk/recording.ts';
import { lockWorkOrder } from '../work-orders/locks.ts';
import { lockVisit, type LockedVisit } from './lock.ts';
import { onSiteMoments } from '../on-site/policy.ts';
import { letIn } from '../compliance/gate.ts';
import { recordVisit } from './record.ts';
import { checkOrder, kept, LIMITS, optionalText, parseInput, requiredText } from '../../core/validation.ts';

const DEPARTURE_BEFORE_ARRIVAL = 'Expected departure must be later than expected arrival.';
const REQUEST_ID = inputField('requestId');

/** The work order a Request ID names among those the actor may see, or null. */
const requestedWorkOrder = (work: Work, requestId: string) => findByRequestId(work.tx, requestId, work.access.workOrderWhere());

/**
 * The work order a visit at `propertyId` may be linked to by hand through its Request ID
 * (`target`: what the Request ID names), locked for the rest of the transaction so it
 * cannot be completed meanwhile.
 */
async function linkableWorkOrder(
  work: Work,
  requestId: string,
  target: { id: string } | null,
  propertyId: string,
): Promise<WorkOrder> {
  if (!(await integrationEnabled(work))) {
    refuse(
      'WORK_ORDER_INTEGRATION_DISABLED',
      'Linking a visit to a work order needs the WO Integration setting switched on.',
      REQUEST_ID,
    );
  }
  if (!target) {
    const shown = JSON.stringify(requestId.trim().slice(0, 40));
    refuse('NOT_FOUND', `No work order has the Request ID ${shown}; Request IDs look like WO-000042.`, REQUEST_ID);
  }
  await lockWorkOrder(work, target.id);
  const wo = await work.tx.workOrder.findUniqueOrThrow({ where: { id: target.id } });
  if (wo.propertyId !== propertyId) {
    refuse(
      'WORK_ORDER_PROPERTY_MISMATCH',
      `Work order ${formatRequestId(wo.number)} belongs to another property; link a work order of the visit's own property.`,
      REQUEST_ID,
    );
  }
  if (!isOpen(wo)) {
    refuse(
      'INVALID_TRANSITION',
      `Work order ${formatRequestId(wo.number)} is ${wo.status.toLowerCase()}; link an open work order instead.`,
      REQUEST_ID,
    );
  }
  return wo;
}

async function checkUser(work: Work, id: string | null | undefined, field: string) {
  if (!id) return null;
  return found(work.tx.user.findFirst({ where: { id, AND: [work.access.userWhere()] } }), inputField(field), 'user');
}

/** The desk staff and managers of a property handle its visits. */
function mayHandleVisits(work: Work, propertyId: string, field: string[]): void {
  if (!work.access.worksDeskOf(propertyId)) {
    forbid("Your role does not include handling this property's visits; ask an administrator for a DESK role.", field);
  }
}

const createInput = z.object({
  visitorName: requiredText('Visitor name', LIMITS.name),
  expectedArrival: z.date(),
  expectedDeparture: z.date().nullish(),
  notes: optionalText('Notes', LIMITS.notes, { multiline: true }),
});

export interface CreateVisit extends z.input<typeof createInput> {
  propertyId: string;
  visitorId?: string | null;
  companyId?: string | null;
  hostId?: string | null;
  requestId?: string | null;
}

export function createVisit(input: CreateVisit): Change<Visit> {
  const data = parseInput(createInput, input);
  checkOrder(data.expectedArrival, data.expectedDeparture, 'expectedDeparture', DEPARTURE_BEFORE_ARRIVAL);
  return (work) => create(work, input, data);
}

async function create(work: Work, input: CreateVisit, data: z.output<typeof createInput>): Promise<Visit> {
  const propertyField = inputField('propertyId');
  const where = { id: input.propertyId, AND: [work.access.propertyWhere()] };
  await found(work.tx.property.findFirst({ where, select: { id: true } }), propertyField, 'property');
  mayHandleVisits(work, input.propertyId, propertyField);
  const visitor = await checkUser(work, input.visitorId, 'visitorId');
  await checkUser(work, input.hostId, 'hostId');
  if (input.companyId) {
    const company = work.tx.company.findFirst({ where: { id: input.companyId, AND: [work.access.companyWhere()] } });
    await found(company, inputField('companyId'), 'company');
  }
  const workOrder =
    input.requestId != null
      ? await linkableWorkOrder(work, input.requestId, await requestedWorkOrder(work, input.requestId), input.propertyId)
      : null;
  const visit = await work.tx.visit.create({
    data: {
      propertyId: input.propertyId,
      visitorName: data.visitorName,
      visitorId: visitor?.id ?? null,
      // A registered visitor brings their company unless another is named.
      companyId: input.companyId ?? visitor?.companyId ?? null,
      hostId: input.hostId ?? null,
      expectedArrival: data.expectedArrival,
      expectedDeparture: data.expectedDeparture ?? null,
      inDeskWindow: await inDeskWindow(work, input.propertyId, data.expectedArrival),
      notes: data.notes ?? null,
      source: 'MANUAL',
      workOrderId: workOrder?.id ?? null,
    },
  });
  recordVisit(work, 'visit.created', null, visit);
  return visit;
}

/**
 * Locks and loads a visit the actor may handle. Lock order is work orders (by id), then
 * the visit, as on completion: a check-in racing a completion, or two visits swapping
 * work orders, queue behind each other instead of deadlocking. `relinkTo` is the work
 * order the change is about to link the visit to, if any.
 */
async function lockedVisit(work: Work, visitId: string, relinkTo: string | null = null): Promise<LockedVisit> {
  const field = inputField('visitId');
  const where = { id: visitId, AND: [work.access.visitWhere()] };
  const peek = await found(work.tx.visit.findFirst({ where, select: { workOrderId: true, propertyId: true } }), field, 'visit');
  mayHandleVisits(work, peek.propertyId, field);
  const workOrders = new Set([peek.workOrderId, relinkTo].filter((id): id is string => id !== null));
  for (const id of [...workOrders].sort()) await lockWorkOrder(work, id);
  const locked = await lockVisit(work, visitId);
  if (locked.visit.workOrderId !== peek.workOrderId) {
    refuse('CONFLICT', 'The visit was changed by someone else at the same moment; try again.', field);
  }
  return locked;
}

const updateInput = z.object({
  visitorName: kept('Visitor name', requiredText('Visitor name', LIMITS.name)),
  expectedArrival: kept('Expected arrival', z.date()),
  expectedDeparture: z.date().nullish(),
  notes: optionalText('Notes', LIMITS.notes, { multiline: true }),
});

export interface UpdateVisit extends z.input<typeof updateInput> {
  visitId: string;
  hostId?: string | null;
  /** Absent: unchanged; null: unlink; a Request ID: link to that work order. */
  requestId?: string | null;
}

export function updateVisit(input: UpdateVisit): Change<Visit> {
  const data = parseInput(updateInput, input);
  return (work) => update(work, input, data);
}

async function update(work: Work, input: UpdateVisit, data: z.output<typeof updateInput>): Promise<Visit> {
  const relinkTo = input.requestId ? await requestedWorkOrder(work, input.requestId) : null;
  const { visit: before, property } = await lockedVisit(work, input.visitId, relinkTo?.id ?? null);
  if (before.status === 'CHECKED_OUT' || before.status === 'CANCELLED' || before.status === 'NO_SHOW') {
    refuse('INVALID_TRANSITION', `This visit is ${describe(before.status)} and can no longer be edited.`, inputField('visitId'));
  }
  const expectedArrival = data.expectedArrival ?? before.expectedArrival;
  const expectedDeparture = data.expectedDeparture !== undefined ? data.expectedDeparture : before.expectedDeparture;
  const departureField = data.expectedDeparture !== undefined ? 'expectedDeparture' : 'expectedArrival';
  checkOrder(expectedArrival, expectedDeparture, departureField, DEPARTURE_BEFORE_ARRIVAL);
  if (input.hostId !== undefined) await checkUser(work, input.hostId, 'hostId');
  let workOrderId = before.workOrderId;
  if (input.requestId !== undefined) {
    workOrderId =
      input.requestId === null ? null : (await linkableWorkOrder(work, input.requestId, relinkTo, before.propertyId)).id;
  }
  const after = await work.tx.visit.update({
    where: { id: before.id },
    data: {
      visitorName: data.visitorName,
      notes: data.notes,
      hostId: input.hostId,
      expectedArrival,
      expectedDeparture,
      inDeskWindow: await inDeskWindow(work, before.propertyId, expectedArrival),
      workOrderId,
      ...(before.status === 'CHECKED_IN' && onSiteChange(property, before, expectedDeparture, work.now)),
    },
  });
  recordVisit(work, 'visit.updated', before, after);
  return after;
}

/**
 * A checked-in visit whose expected departure moves gets its moments again; moved later than
 * now, the desk will hear of it being overdue again when that passes.
 */
function onSiteChange(property: LockedVisit['property'], visit: Visit, expectedDeparture: Date | null, now: Date) {
  const moments = onSiteMoments(property, { checkedInAt: visit.checkedInAt!, expectedDeparture });
  const again = visit.overdueAnnounced && (moments.overdueAt === null || moments.overdueAt > now);
  return { ...moments, ...(again && { overdueAnnounced: false }) };
}

const describe = (status: Visit['status']) => status.toLowerCase().replace('_', ' ');

function refuseTransition(visit: Visit, action: string): never {
  refuse('INVALID_TRANSITION', `This visit is ${describe(visit.status)}, so it cannot be ${action}.`, inputField('visitId'));
}

/** EXPECTED → CHECKED_IN; a linked OPEN work order moves to IN_PROGRESS: its contractor is on site. */
const checkInInput = z.object({
  complianceOverrideReason: requiredText('Compliance override reason', LIMITS.notes, { multiline: true }).nullish(),
});

export interface CheckIn extends z.input<typeof checkInInput> {
  visitId: string;
}

export function checkInVisit(input: CheckIn): Change<Visit> {
  const data = parseInput(checkInInput, input);
  return (work) => checkIn(work, input.visitId, data.complianceOverrideReason ?? null);
}

async function checkIn(work: Work, visitId: string, overrideReason: string | null): Promise<Visit> {
  const { visit: before, property, facts } = await lockedVisit(work, visitId);
  if (before.status === 'NO_SHOW') {
    refuse(
      'INVALID_TRANSITION',
      'This visit was marked a no-show when its visitor did not arrive in time; register the late arrival as a new visit.',
      inputField('visitId'),
    );
  }
  if (before.status !== 'EXPECTED') refuseTransition(before, 'checked in');
  const workOrder = before.workOrderId ? await work.tx.workOrder.findUniqueOrThrow({ where: { id: before.workOrderId } }) : null;
  // Its work is over: nobody comes on site for a completed or cancelled work order.
  if (workOrder && !isOpen(workOrder)) {
    refuse(
      'INVALID_TRANSITION',
      `Work order ${formatRequestId(workOrder.number)} is ${workOrder.status.toLowerCase()}, so its visit cannot be checked in.`,
      inputField('visitId'),
    );
  }
  const override = letIn(work, before, facts, overrideReason);
  const after = await work.tx.visit.update({
    where: { id: visitId },
    data: {
      status: 'CHECKED_IN',
      checkedInAt: work.now,
      ...onSiteMoments(property, { checkedInAt: work.now, expectedDeparture: before.expectedDeparture }),
      ...override,
    },
  });
  recordVisit(work, 'visit.checkedIn', before, after);
  if (override)
    work.audit('visit.complianceOverridden', { type: 'Visit', id: after.id, propertyId: after.propertyId }, null, override);
  if (workOrder?.status === 'OPEN') {
    const started = await work.tx.workOrder.update({ where: { id: workOrder.id }, data: { status: 'IN_PROGRESS' } });
    work.audit('workOrder.started', workOrderEntity(started), workOrder, started, 'INTEGRATION');
  }
  return after;
}

/** CHECKED_IN → CHECKED_OUT by the desk. */
export function checkOutVisit(visitId: string): Change<Visit> {
  return (work) => checkOut(work, visitId);
}

async function checkOut(work: Work, visitId: string): Promise<Visit> {
  const { visit: before } = await lockedVisit(work, visitId);
  if (before.status !== 'CHECKED_IN') refuseTransition(before, 'checked out');
  const after = await work.tx.visit.update({
    where: { id: visitId },
    data: { status: 'CHECKED_OUT', checkedOutAt: work.now, checkOutReason: 'DESK' },
  });
  recordVisit(work, 'visit.checkedOut', before, after);
  return after;
}

/** EXPECTED → CANCELLED. */
export function cancelVisit(visitId: string): Change<Visit> {
  return (work) => cancel(work, visitId);
}

async function cancel(work: Work, visitId: string): Promise<Visit> {
  const { visit: before } = await lockedVisit(work, visitId);
  if (before.status !== 'EXPECTED') refuseTransition(before, 'cancelled');
  const after = await work.tx.visit.update({ where: { id: visitId }, data: { status: 'CANCELLED', cancelledAt: work.now } });
  recordVisit(work, 'visit.cancelled', before, after);
  return after;
}
