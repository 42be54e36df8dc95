// The events a webhook endpoint can subscribe to: the audit trail's actions on visits and
// work orders, and the test event. An endpoint with no event types gets them all.

export const VISIT_EVENT_TYPES = [
  'visit.generated',
  'visit.created',
  'visit.updated',
  'visit.rescheduled',
  'visit.checkedIn',
  'visit.checkedOut',
  'visit.cancelled',
  'visit.noShow',
  'visit.overdue',
  'visit.complianceOverridden',
  'visit.enteredDesk',
  'visit.leftDesk',
] as const;

export const WORK_ORDER_EVENT_TYPES = [
  'workOrder.created',
  'workOrder.updated',
  'workOrder.started',
  'workOrder.completed',
] as const;

export const TEST_EVENT_TYPE = 'webhook.test';

export const WEBHOOK_EVENT_TYPES: readonly string[] = [...VISIT_EVENT_TYPES, ...WORK_ORDER_EVENT_TYPES, TEST_EVENT_TYPE];

const KNOWN = new Set(WEBHOOK_EVENT_TYPES);

export const isWebhookEventType = (type: string) => KNOWN.has(type);
