import { z } from 'zod';
import type { Prisma, Visit, WorkOrder, WorkOrderStatus } from '../../generated/prisma/client.ts';
import { forbid, found, inputField, refuse } from '../../core/errors.ts';
import { workOrderEntity } from '../../core/audit-trail.ts';
import {
  onWorkOrderCompleted,
  onWorkOrderCreated,
  onWorkOrderUpdated,
  isOpen,
  type Assignee,
  type Schedule,
} from './integration.ts';
import { MAX_VISIT_DAYS, visitDayCount, visitDays, type ScheduledWindow } from './visit-days.ts';
import { formatRequestId, parseRequestId } from './request-id.ts';
import type { Change, Work } from '../../core/unit-of-work.ts';
import { knowDeskWindow, recordDeskChange } from '../desk/recording.ts';
import { readBeforeCreate } from './create-reads.ts';
import { lockWorkOrder } from './locks.ts';
import { markCompleted } from './completion-writes.ts';
import { insertWorkOrder } from './create-writes.ts';
import { checkOrder, kept, LIMITS, optionalText, parseInput, requiredText } from '../../core/validation.ts';

export { formatRequestId };

const END_BEFORE_START = 'Scheduled end must be later than scheduled start.';

/** Loads the user a work order is being assigned to. */
async function loadAssignee(work: Work, assigneeId: string): Promise<Assignee> {
  const assignee = work.tx.user.findFirst({
    where: { id: assigneeId, AND: [work.access.userWhere()] },
    include: { company: true },
  });
  return dispatchable(await found(assignee, inputField('assigneeId'), 'user'));
}

/** A company marked Do Not Dispatch gets no new work. */
function dispatchable(assignee: Assignee): Assignee {
  if (assignee.company?.doNotDispatch) {
    refuse(
      'DO_NOT_DISPATCH',
      `${assignee.company.name} is marked Do Not Dispatch, so ${assignee.name} cannot be assigned new work; assign someone else.`,
      inputField('assigneeId'),
    );
  }
  return assignee;
}

const createInput = z.object({
  title: requiredText('Title', LIMITS.title),
  description: optionalText('Description', LIMITS.description, { multiline: true }),
  scheduledStart: z.date().nullish(),
  scheduledEnd: z.date().nullish(),
});

export interface CreateWorkOrder extends z.input<typeof createInput> {
  propertyId: string;
  assigneeId?: string | null;
}

export interface WorkOrderResult {
  workOrder: WorkOrder;
  /** The visits the integration generated for this change, first day first. */
  generatedVisits: Visit[];
  /** The first of them, if any. */
  generatedVisit: Visit | null;
}

const resultOf = (workOrder: WorkOrder, generatedVisits: Visit[]): WorkOrderResult => ({
  workOrder,
  generatedVisits,
  generatedVisit: generatedVisits[0] ?? null,
});

/** The work order's days in its property's zone; a window of more days than a visit plan may hold is refused. */
function scheduleOf(window: ScheduledWindow, zone: string, now: Date, field: string): Schedule {
  const count = visitDayCount(window, zone);
  if (count > MAX_VISIT_DAYS) {
    refuse(
      'INVALID_INPUT',
      `A work order can be scheduled over at most ${MAX_VISIT_DAYS} days, and this one spans ${count}; split the work into several work orders.`,
      inputField(field),
    );
  }
  return { zone, days: visitDays(window, zone, now) };
}

export function createWorkOrder(input: CreateWorkOrder): Change<WorkOrderResult> {
  const data = parseInput(createInput, input);
  checkOrder(data.scheduledStart, data.scheduledEnd, 'scheduledEnd', END_BEFORE_START);
  return (work) => create(work, input, data);
}

/** The id a work order has in the system that owns it (a CMMS). */
interface ExternalKey {
  externalSource: string;
  externalId: string;
}

async function create(
  work: Work,
  input: CreateWorkOrder,
  data: z.output<typeof createInput>,
  external?: ExternalKey,
): Promise<WorkOrderResult> {
  const propertyField = inputField('propertyId');
  if (!work.access.changesWorkOrdersOf(input.propertyId)) {
    // A property the actor cannot see is NOT_FOUND, like an unknown one; one they see, FORBIDDEN.
    await found(
      work.tx.property.findFirst({ where: { id: input.propertyId, AND: [work.access.propertyWhere()] }, select: { id: true } }),
      propertyField,
      'property',
    );
    forbidWorkOrders(propertyField);
  }
  const before = await readBeforeCreate(work, input.propertyId, input.assigneeId ?? null);
  const property = await found(Promise.resolve(before.property), propertyField, 'property');
  knowDeskWindow(work, property);
  const window = { scheduledStart: data.scheduledStart ?? null, scheduledEnd: data.scheduledEnd ?? null };
  const schedule = scheduleOf(window, property.timeZone, work.now, 'scheduledEnd');
  const assignee = input.assigneeId
    ? dispatchable(await found(Promise.resolve(before.assignee), inputField('assigneeId'), 'user'))
    : null;
  const workOrder = await insertWorkOrder(work, {
    propertyId: input.propertyId,
    title: data.title,
    description: data.description ?? null,
    assigneeId: assignee?.id ?? null,
    ...window,
    ...external,
  });
  work.audit('workOrder.created', workOrderEntity(workOrder), null, workOrder);
  return resultOf(workOrder, await onWorkOrderCreated(work, workOrder, assignee, schedule, before.integrationEnabled));
}

const updateInput = z.object({
  title: kept('Title', requiredText('Title', LIMITS.title)),
  description: optionalText('Description', LIMITS.description, { multiline: true }),
  scheduledStart: z.date().nullish(),
  scheduledEnd: z.date().nullish(),
  status: kept(
    'Status',
    z
      .enum(['OPEN', 'IN_PROGRESS', 'ON_HOLD', 'COMPLETED', 'CANCELLED'])
      .refine((s) => s !== 'COMPLETED', 'Complete a work order with completeWorkOrder, which also checks its visitors out.'),
  ),
});

export interface UpdateWorkOrder extends z.input<typeof updateInput> {
  workOrderId: string;
  /** Absent: unchanged; null: unassign. */
  assigneeId?: string | null;
}

function forbidWorkOrders(field: string[]): never {
  forbid("Your role does not include changing this property's work orders; ask a property manager.", field);
}

/**
 * Locks and loads a work order that may still change, if the actor may see it and
 * `allowed` says they may make this change to it.
 */
async function openWorkOrder(work: Work, workOrderId: string, allowed: (wo: WorkOrder) => boolean): Promise<WorkOrder> {
  const field = inputField('workOrderId');
  // Locked and read at once; one the actor cannot see is NOT_FOUND, like an unknown id.
  const visible = lockWorkOrder(work, workOrderId).then((wo) => (wo && work.access.seesWorkOrder(wo) ? wo : null));
  const wo = await found(visible, field, 'work order');
  if (!allowed(wo)) forbidWorkOrders(field);
  if (!isOpen(wo)) {
    refuse(
      'INVALID_TRANSITION',
      `Work order ${formatRequestId(wo.number)} is ${wo.status.toLowerCase()} and can no longer change.`,
      inputField('workOrderId'),
    );
  }
  return wo;
}

export function updateWorkOrder(input: UpdateWorkOrder): Change<WorkOrderResult> {
  const data = parseInput(updateInput, input);
  return (work) => update(work, input, data);
}

async function update(work: Work, input: UpdateWorkOrder, data: z.output<typeof updateInput>): Promise<WorkOrderResult> {
  const before = await openWorkOrder(work, input.workOrderId, (wo) => work.access.changesWorkOrdersOf(wo.propertyId));
  const scheduledStart = data.scheduledStart !== undefined ? data.scheduledStart : before.scheduledStart;
  const scheduledEnd = data.scheduledEnd !== undefined ? data.scheduledEnd : before.scheduledEnd;
  const endField = data.scheduledEnd !== undefined ? 'scheduledEnd' : 'scheduledStart';
  checkOrder(scheduledStart, scheduledEnd, endField, END_BEFORE_START);

  let newAssignee: Assignee | null | undefined;
  if (input.assigneeId !== undefined && input.assigneeId !== before.assigneeId) {
    newAssignee = input.assigneeId === null ? null : await loadAssignee(work, input.assigneeId);
  }
  const rescheduled =
    scheduledStart?.getTime() !== before.scheduledStart?.getTime() || scheduledEnd?.getTime() !== before.scheduledEnd?.getTime();
  let schedule: Schedule | null = null;
  if (rescheduled || newAssignee) {
    const { timeZone } = await work.tx.property.findUniqueOrThrow({
      where: { id: before.propertyId },
      select: { timeZone: true },
    });
    schedule = scheduleOf({ scheduledStart, scheduledEnd }, timeZone, work.now, endField);
  }

  const after = await work.tx.workOrder.update({
    where: { id: before.id },
    data: {
      title: data.title,
      description: data.description,
      status: data.status as WorkOrderStatus | undefined,
      ...(newAssignee !== undefined && { assigneeId: newAssignee?.id ?? null }),
      scheduledStart,
      scheduledEnd,
    },
  });
  work.audit('workOrder.updated', workOrderEntity(after), before, after);
  const generatedVisits = await onWorkOrderUpdated(work, { after, newAssignee, schedule });
  if (after.title !== before.title) await touchDeskVisits(work, after.id);
  return resultOf(after, generatedVisits);
}

/** The desk shows each visit's work order title: tell it when that changes. */
async function touchDeskVisits(work: Work, workOrderId: string): Promise<void> {
  const visits = await work.tx.visit.findMany({ where: { workOrderId, status: { in: ['EXPECTED', 'CHECKED_IN'] } } });
  for (const visit of visits) recordDeskChange(work, visit, visit);
}

export interface CompleteResult {
  workOrder: WorkOrder;
  checkedOutVisits: Visit[];
}

export function completeWorkOrder(workOrderId: string): Change<CompleteResult> {
  return (work) => complete(work, workOrderId);
}

async function complete(work: Work, workOrderId: string): Promise<CompleteResult> {
  // Its assigned vendor may complete it too: that is how a contractor signs off.
  const before = await openWorkOrder(work, workOrderId, (wo) => work.access.completes(wo));
  const workOrder = await markCompleted(work, before.id);
  work.audit('workOrder.completed', workOrderEntity(workOrder), before, workOrder);
  const checkedOutVisits = await onWorkOrderCompleted(work, workOrder);
  return { workOrder, checkedOutVisits };
}

const upsertInput = createInput.extend({
  externalSource: requiredText('externalSource', 100),
  externalId: requiredText('externalId', 200),
  status: z.enum(['OPEN', 'IN_PROGRESS', 'ON_HOLD', 'COMPLETED', 'CANCELLED']).nullish(),
});

export interface UpsertWorkOrder extends CreateWorkOrder, ExternalKey {
  /** COMPLETED completes it, with every effect of completeWorkOrder. */
  status?: WorkOrderStatus | null;
}

export interface UpsertResult extends WorkOrderResult {
  /** Whether this call created it. */
  created: boolean;
  /** The visits its completion checked out or cancelled, when this call completed it. */
  checkedOutVisits: Visit[];
}

/**
 * Creates or updates the work order another system knows as (externalSource, externalId),
 * through the same rules as createWorkOrder, updateWorkOrder and completeWorkOrder. Fields
 * left out keep their value. A call that changes nothing writes nothing: no audit entry, no
 * desk event, no webhook.
 */
export function upsertWorkOrder(input: UpsertWorkOrder): Change<UpsertResult> {
  const data = parseInput(upsertInput, input);
  checkOrder(data.scheduledStart, data.scheduledEnd, 'scheduledEnd', END_BEFORE_START);
  const key = { externalSource: data.externalSource, externalId: data.externalId };
  return async (work) => {
    // One call per key at a time: a concurrent one waits here, then finds what this one made.
    // (Control characters cannot occur in either part, so the separator keeps keys apart.)
    const lockKey = `${key.externalSource}\u001f${key.externalId}`;
    await work.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))`;
    const existing = await work.tx.workOrder.findUnique({ where: { externalSource_externalId: key } });
    const completes = data.status === 'COMPLETED';
    if (!existing) {
      const made = await create(work, input, data, key);
      const settled = await settleStatus(work, made.workOrder, data.status ?? undefined);
      return { ...made, ...settled, created: true };
    }
    const field = inputField('propertyId');
    if (existing.propertyId !== input.propertyId) {
      refuse(
        'WORK_ORDER_PROPERTY_MISMATCH',
        `${key.externalSource} work order ${JSON.stringify(key.externalId)} belongs to another property; a work order cannot move between properties.`,
        field,
      );
    }
    if (!work.access.changesWorkOrdersOf(existing.propertyId)) forbidWorkOrders(field);
    const changes = differences(existing, input, data);
    let result: WorkOrderResult = { workOrder: existing, generatedVisits: [], generatedVisit: null };
    if (changes) result = await update(work, { workOrderId: existing.id, ...changes }, parseInput(updateInput, changes));
    const settled = completes && result.workOrder.status !== 'COMPLETED' ? await complete(work, existing.id) : null;
    return {
      ...result,
      workOrder: settled?.workOrder ?? result.workOrder,
      checkedOutVisits: settled?.checkedOutVisits ?? [],
      created: false,
    };
  };
}

/** A work order pushed in already under way: the same changes as the API's own mutations. */
async function settleStatus(work: Work, wo: WorkOrder, status: WorkOrderStatus | undefined) {
  if (status === undefined || status === wo.status) return { checkedOutVisits: [] as Visit[] };
  if (status === 'COMPLETED') return complete(work, wo.id);
  const updated = await update(work, { workOrderId: wo.id, status }, parseInput(updateInput, { status }));
  return { workOrder: updated.workOrder, checkedOutVisits: [] as Visit[] };
}

/** What an upsert changes on an existing work order (never its completion); null when nothing. */
function differences(
  wo: WorkOrder,
  input: UpsertWorkOrder,
  data: z.output<typeof upsertInput>,
): Omit<UpdateWorkOrder, 'workOrderId'> | null {
  const changes: Omit<UpdateWorkOrder, 'workOrderId'> = {};
  const time = (d: Date | null | undefined) => d?.getTime() ?? null;
  if (data.title !== wo.title) changes.title = data.title;
  if (data.description !== undefined && data.description !== wo.description) changes.description = data.description;
  if (data.scheduledStart !== undefined && time(data.scheduledStart) !== time(wo.scheduledStart))
    changes.scheduledStart = data.scheduledStart;
  if (data.scheduledEnd !== undefined && time(data.scheduledEnd) !== time(wo.scheduledEnd))
    changes.scheduledEnd = data.scheduledEnd;
  if (input.assigneeId !== undefined && input.assigneeId !== wo.assigneeId) changes.assigneeId = input.assigneeId;
  if (data.status && data.status !== 'COMPLETED' && data.status !== wo.status) changes.status = data.status;
  return Object.keys(changes).length > 0 ? changes : null;
}

/** Finds a work order by its Request ID among those `where` admits; null when the text names none. */
export function findByRequestId(db: Pick<Work['tx'], 'workOrder'>, requestId: string, where: Prisma.WorkOrderWhereInput) {
  const number = parseRequestId(requestId);
  return number === null ? Promise.resolve(null) : db.workOrder.findFirst({ where: { number, AND: [where] } });
}
