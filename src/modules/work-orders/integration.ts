import type { User, Company, Visit, WorkOrder } from '../../generated/prisma/client.ts';
import { visitorSettings } from '../organisation/settings.ts';
import type { Work } from '../../core/unit-of-work.ts';
import { inDeskWindow } from '../desk/recording.ts';
import { recordVisit } from '../visits/record.ts';
import { fitVisitsToDays, notOver, type VisitDay } from './visit-days.ts';
import { closeLinkedVisits } from './completion-writes.ts';
import { insertGeneratedVisit } from './create-writes.ts';

// The Visitor Work Order Integration: visits generated from work orders, kept true while
// the work order changes, and closed when it is completed. Every function here runs
// inside the work order's transaction, after the work order row has been locked.

export type Assignee = User & { company: Company | null };

/** A work order's days, in its property's time zone. */
export interface Schedule {
  zone: string;
  days: VisitDay[];
}

export async function integrationEnabled(work: Work): Promise<boolean> {
  return (await visitorSettings(work.tx)).workOrderIntegrationEnabled;
}

/** An assignee gets a visit generated when their company is flagged Auto-Create Visit. */
type EligibleAssignee = Assignee & { company: Company };

const isEligible = (assignee: Assignee | null | undefined): assignee is EligibleAssignee =>
  assignee?.company?.autoCreateVisit === true;

const OPEN_STATUSES = new Set(['OPEN', 'IN_PROGRESS', 'ON_HOLD']);
export const isOpen = (wo: Pick<WorkOrder, 'status'>) => OPEN_STATUSES.has(wo.status);

/** Generated visits of the work order that are still in play, oldest first. */
function activeGeneratedVisits(work: Work, workOrderId: string) {
  return work.tx.visit.findMany({
    where: { workOrderId, source: 'WORK_ORDER', status: { in: ['EXPECTED', 'CHECKED_IN'] } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
}

/** The visitor's generated visits of the work order, one per day it was meant for, earliest first. */
function visitsOfVisitor(work: Work, workOrderId: string, visitorId: string) {
  return work.tx.visit.findMany({
    where: { workOrderId, visitorId, source: 'WORK_ORDER', status: { not: 'CANCELLED' } },
    orderBy: [{ expectedArrival: 'asc' }, { id: 'asc' }],
  });
}

/** Creates the visit that lets the assignee into the property on one day, filled from the work order. */
async function generateVisit(work: Work, wo: WorkOrder, assignee: EligibleAssignee, day: VisitDay): Promise<Visit> {
  const visit = await insertGeneratedVisit(work, {
    propertyId: wo.propertyId,
    visitorId: assignee.id,
    visitorName: assignee.name,
    companyId: assignee.company.id,
    ...day,
    inDeskWindow: await inDeskWindow(work, wo.propertyId, day.expectedArrival),
    notes: wo.description,
    workOrderId: wo.id,
  });
  recordVisit(work, 'visit.generated', null, visit, 'INTEGRATION');
  return visit;
}

async function cancelVisit(work: Work, visit: Visit): Promise<void> {
  const closed = await work.tx.visit.update({ where: { id: visit.id }, data: { status: 'CANCELLED', cancelledAt: work.now } });
  recordVisit(work, 'visit.cancelled', visit, closed, 'INTEGRATION');
}

async function moveVisit(work: Work, visit: Visit, day: VisitDay): Promise<void> {
  if (
    visit.expectedArrival.getTime() === day.expectedArrival.getTime() &&
    visit.expectedDeparture?.getTime() === day.expectedDeparture?.getTime()
  )
    return;
  const moved = await work.tx.visit.update({
    where: { id: visit.id },
    data: { ...day, inDeskWindow: await inDeskWindow(work, visit.propertyId, day.expectedArrival) },
  });
  recordVisit(work, 'visit.rescheduled', visit, moved, 'INTEGRATION');
}

/**
 * Gives the visitor one visit per day of the work order: moves their expected visits to the
 * days, cancels those with no day left, and (when they may get visits) generates the days
 * still missing that are not over yet. Returns the visits generated.
 */
async function fitToDays(work: Work, wo: WorkOrder, visitorId: string, schedule: Schedule, eligible: EligibleAssignee | null) {
  const plan = fitVisitsToDays(await visitsOfVisitor(work, wo.id, visitorId), schedule.days, schedule.zone);
  for (const { visit, day } of plan.moves) await moveVisit(work, visit, day);
  for (const visit of plan.cancels) await cancelVisit(work, visit);
  const generated: Visit[] = [];
  if (!eligible) return generated;
  for (const day of plan.adds.filter((d) => notOver(d, work.now))) generated.push(await generateVisit(work, wo, eligible, day));
  return generated;
}
/** A work order was just created: generate its visits, one per day, when the rules say so (`enabled`: the WO Integration setting). */
export async function onWorkOrderCreated(
  work: Work,
  wo: WorkOrder,
  assignee: Assignee | null,
  schedule: Schedule,
  enabled: boolean,
): Promise<Visit[]> {
  if (!isEligible(assignee) || !enabled) return [];
  const generated: Visit[] = [];
  for (const day of schedule.days.filter((d) => notOver(d, work.now)))
    generated.push(await generateVisit(work, wo, assignee, day));
  return generated;
}

export interface WorkOrderChange {
  after: WorkOrder;
  /** The new assignee when the assignment changed (null: unassigned); undefined when it did not. */
  newAssignee?: Assignee | null;
  /** The work order's days after the change; null when neither its window nor its assignee changed. */
  schedule: Schedule | null;
}

/**
 * A work order was edited: keep its generated visits true. Reassigning, unassigning or
 * cancelling cancels the visits whose visitor has not arrived yet; a new eligible assignee
 * gets visits of their own; rescheduling moves, adds or cancels the days not yet started.
 * Returns the visits generated by this change.
 */
export async function onWorkOrderUpdated(work: Work, change: WorkOrderChange): Promise<Visit[]> {
  const { after, newAssignee, schedule } = change;
  const reassigned = newAssignee !== undefined;
  const cancelled = after.status === 'CANCELLED';
  if (!(reassigned || cancelled || schedule) || !(await integrationEnabled(work))) return [];

  if (reassigned || cancelled) {
    for (const visit of await activeGeneratedVisits(work, after.id))
      if (visit.status === 'EXPECTED') await cancelVisit(work, visit);
  }
  if (cancelled || !isOpen(after) || !after.assigneeId || !schedule) return [];
  // A visitor still on site keeps the visit they have for the day: fitting never makes a day's second visit.
  if (reassigned) return isEligible(newAssignee) ? fitToDays(work, after, newAssignee.id, schedule, newAssignee) : [];
  const assignee = await work.tx.user.findUnique({ where: { id: after.assigneeId }, include: { company: true } });
  return fitToDays(work, after, after.assigneeId, schedule, isEligible(assignee) ? assignee : null);
}

/**
 * A work order was completed: every linked visit, generated or linked by hand, is closed.
 * A visitor on site is checked out; one who never arrived is cancelled. Returns both.
 */
export async function onWorkOrderCompleted(work: Work, wo: WorkOrder): Promise<Visit[]> {
  const closed = await closeLinkedVisits(work, wo.id);
  for (const { before, after } of closed)
    recordVisit(work, after.status === 'CHECKED_OUT' ? 'visit.checkedOut' : 'visit.cancelled', before, after, 'INTEGRATION');
  return closed.map((c) => c.after);
}
