import { builder } from '../../graphql/builder.ts';
import { MAX_GRACE_MINUTES, MAX_HOURS_AFTER_DEPARTURE } from './policy.ts';

// The on-site policy as updateProperty takes it (organisation/schema.ts uses it).

const AutoCheckOutRuleInput = builder.inputType('AutoCheckOutRuleInput', {
  description: 'One of the two.',
  fields: (t) => ({
    dailyAt: t.string({ description: '"HH:MM", 00:00 to 23:59, in the property\'s time zone.' }),
    hoursAfterDeparture: t.int({ description: `1 to ${MAX_HOURS_AFTER_DEPARTURE}.` }),
  }),
});

export const OnSitePolicyInput = builder.inputType('OnSitePolicyInput', {
  description: 'Fields left out keep their value.',
  fields: (t) => ({
    autoCheckOut: t.field({ type: AutoCheckOutRuleInput, description: 'Explicit null turns automatic check-out off.' }),
    noShowAfterMinutes: t.int({ description: `1 to ${MAX_GRACE_MINUTES}; default 240.` }),
    overdueAfterMinutes: t.int({ description: `0 to ${MAX_GRACE_MINUTES}; default 30.` }),
  }),
});
