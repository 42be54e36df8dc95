import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Property } from '../../generated/prisma/client.ts';
import { kept } from '../../core/validation.ts';

// A property's on-site policy: automatic check-out (daily at a clock time, or hours after
// expected departure), the no-show grace and the overdue grace; and the moments it sets
// for each checked-in visit, which the scheduler then finds by index.

export const MAX_GRACE_MINUTES = 7 * 24 * 60;
export const MAX_HOURS_AFTER_DEPARTURE = 7 * 24;

export type PolicySettings = Pick<
  Property,
  | 'timeZone'
  | 'autoCheckOutDailyAt'
  | 'autoCheckOutHoursAfterDeparture'
  | 'autoCheckOutSince'
  | 'noShowAfterMinutes'
  | 'overdueAfterMinutes'
>;

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

const graceMinutes = (label: string, min: number) =>
  z
    .number()
    .int(`${label} must be a whole number of minutes.`)
    .min(min, `${label} must be at least ${min} minute${min === 1 ? '' : 's'}.`)
    .max(MAX_GRACE_MINUTES, `${label} must be at most ${MAX_GRACE_MINUTES} minutes (7 days).`);

const autoCheckOutInput = z
  .object({
    dailyAt: z.string().trim().regex(CLOCK_TIME, 'dailyAt must be a clock time from 00:00 to 23:59, such as 18:30.').nullish(),
    hoursAfterDeparture: z
      .number()
      .int('hoursAfterDeparture must be a whole number of hours.')
      .min(1, 'hoursAfterDeparture must be at least 1.')
      .max(MAX_HOURS_AFTER_DEPARTURE, `hoursAfterDeparture must be at most ${MAX_HOURS_AFTER_DEPARTURE} (7 days).`)
      .nullish(),
  })
  .superRefine((rule, ctx) => {
    const modes = [rule.dailyAt, rule.hoursAfterDeparture].filter((v) => v != null).length;
    if (modes === 2)
      ctx.addIssue({ code: 'custom', message: 'Choose one automatic check-out: dailyAt or hoursAfterDeparture, not both.' });
    if (modes === 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'Give dailyAt or hoursAfterDeparture; set autoCheckOut to null to turn automatic check-out off.',
      });
    }
  });

/** The on-site policy part of updateProperty's input: fields left out keep their value. */
export const onSitePolicyInput = z.object({
  /** Explicit null turns automatic check-out off. */
  autoCheckOut: autoCheckOutInput.nullish(),
  noShowAfterMinutes: kept('noShowAfterMinutes', graceMinutes('noShowAfterMinutes', 1)),
  overdueAfterMinutes: kept('overdueAfterMinutes', graceMinutes('overdueAfterMinutes', 0)),
});

export type OnSitePolicyInput = z.output<typeof onSitePolicyInput>;

/** The property columns a policy change writes (`now` dates a new automatic check-out rule). */
export function policyData(input: OnSitePolicyInput, before: PolicySettings, now: Date) {
  const data: Partial<PolicySettings> = {
    noShowAfterMinutes: input.noShowAfterMinutes,
    overdueAfterMinutes: input.overdueAfterMinutes,
  };
  if (input.autoCheckOut !== undefined) {
    const dailyAt = input.autoCheckOut?.dailyAt ?? null;
    const hours = input.autoCheckOut?.hoursAfterDeparture ?? null;
    const changed = dailyAt !== before.autoCheckOutDailyAt || hours !== before.autoCheckOutHoursAfterDeparture;
    Object.assign(data, {
      autoCheckOutDailyAt: dailyAt,
      autoCheckOutHoursAfterDeparture: hours,
      autoCheckOutSince: dailyAt === null && hours === null ? null : changed ? now : before.autoCheckOutSince,
    });
  }
  return data;
}

/** The first time the clock shows `hhmm` in `zone` strictly after `after` (a gap in the clock moves it on). */
function nextCutoff(after: Date, hhmm: string, zone: string): Date {
  const [, hour, minute] = CLOCK_TIME.exec(hhmm)!.map(Number);
  for (let day = DateTime.fromJSDate(after, { zone }).startOf('day'); ; day = day.plus({ days: 1 })) {
    const cutoff = day.set({ hour, minute });
    if (cutoff.toMillis() > after.getTime()) return cutoff.toJSDate();
  }
}

const later = (a: Date, b: Date) => (a > b ? a : b);

export interface CheckedIn {
  checkedInAt: Date;
  expectedDeparture: Date | null;
}

/** When the policy checks this visitor out automatically; null: it does not. */
export function checkOutDueAt(policy: PolicySettings, visit: CheckedIn): Date | null {
  if (policy.autoCheckOutDailyAt) {
    // One who checked in after a cutoff, or before the rule existed, goes out at the next one.
    const from = policy.autoCheckOutSince ? later(visit.checkedInAt, policy.autoCheckOutSince) : visit.checkedInAt;
    return nextCutoff(from, policy.autoCheckOutDailyAt, policy.timeZone);
  }
  if (policy.autoCheckOutHoursAfterDeparture !== null) {
    const from = visit.expectedDeparture ? later(visit.expectedDeparture, visit.checkedInAt) : visit.checkedInAt;
    return new Date(from.getTime() + policy.autoCheckOutHoursAfterDeparture * 3_600_000);
  }
  return null;
}

/** When this visitor counts as overdue; null without an expected departure. */
export function overdueAt(policy: PolicySettings, visit: CheckedIn): Date | null {
  return visit.expectedDeparture ? new Date(visit.expectedDeparture.getTime() + policy.overdueAfterMinutes * 60_000) : null;
}

/** The scheduler's moments of a checked-in visit under `policy` (columns of Visit). */
export function onSiteMoments(policy: PolicySettings, visit: CheckedIn) {
  return { checkOutDueAt: checkOutDueAt(policy, visit), overdueAt: overdueAt(policy, visit) };
}
