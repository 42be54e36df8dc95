import type { Property } from '../../generated/prisma/client.ts';
import { builder, PAGE_LIMIT } from '../../graphql/builder.ts';
import { PropertyRef } from '../organisation/schema.ts';
import { VisitConnection, VisitRef } from '../visits/schema.ts';
import { WorkOrderRef } from '../work-orders/schema.ts';
import { isOverdue, totalMinutes, visitMinutes } from './time.ts';

// A contractor's days on site in GraphQL: the property's on-site policy, who is on site,
// overdue visitors, no-shows and time on site. Fields on other modules' types are attached here.

type Rule = { dailyAt: string | null; hoursAfterDeparture: number | null };

const AutoCheckOutRuleRef = builder.objectRef<Rule>('AutoCheckOutRule').implement({
  fields: (t) => ({
    dailyAt: t.string({
      nullable: true,
      description: '"HH:MM" in the property\'s time zone: everyone still in is checked out then.',
      resolve: (r) => r.dailyAt,
    }),
    hoursAfterDeparture: t.int({
      nullable: true,
      description: 'Or this many hours after expected departure (after check-in when there is none).',
      resolve: (r) => r.hoursAfterDeparture,
    }),
  }),
});

type Policy = Pick<
  Property,
  'autoCheckOutDailyAt' | 'autoCheckOutHoursAfterDeparture' | 'noShowAfterMinutes' | 'overdueAfterMinutes'
>;

const OnSitePolicyRef = builder.objectRef<Policy>('OnSitePolicy').implement({
  fields: (t) => ({
    autoCheckOut: t.field({
      type: AutoCheckOutRuleRef,
      nullable: true,
      description: 'Null: visitors stay checked in until the desk or their work order checks them out.',
      resolve: (p) =>
        p.autoCheckOutDailyAt || p.autoCheckOutHoursAfterDeparture !== null
          ? { dailyAt: p.autoCheckOutDailyAt, hoursAfterDeparture: p.autoCheckOutHoursAfterDeparture }
          : null,
    }),
    noShowAfterMinutes: t.exposeInt('noShowAfterMinutes', {
      description: 'An EXPECTED visit this long past its expected arrival becomes NO_SHOW.',
    }),
    overdueAfterMinutes: t.exposeInt('overdueAfterMinutes', {
      description: 'Grace after expected departure before a visit counts as overdue.',
    }),
  }),
});

builder.prismaObjectFields(PropertyRef, (t) => ({
  onSitePolicy: t.field({
    type: OnSitePolicyRef,
    select: {
      autoCheckOutDailyAt: true,
      autoCheckOutHoursAfterDeparture: true,
      noShowAfterMinutes: true,
      overdueAfterMinutes: true,
    },
    resolve: (p) => p,
  }),
  onSite: t.relatedConnection(
    'visits',
    {
      cursor: 'id',
      ...PAGE_LIMIT,
      description:
        'CHECKED_IN visits at this property now, longest on site first (ties by id). For its desk staff, managers and administrators; empty for others.',
      query: (_args, ctx) => ({
        where: { status: 'CHECKED_IN', AND: [ctx.access.onSiteWhere()] },
        orderBy: [{ checkedInAt: 'asc' }, { id: 'asc' }],
      }),
    },
    VisitConnection,
  ),
}));

builder.prismaObjectFields(VisitRef, (t) => ({
  overdue: t.boolean({
    description: "CHECKED_IN past its expected departure plus the property's overdueAfterMinutes.",
    select: { status: true, overdueAt: true },
    resolve: (v, _args, ctx) => isOverdue(v, ctx.clock.now()),
  }),
  timeOnSiteMinutes: t.int({
    nullable: true,
    description: 'Whole minutes (rounded down) from check-in to check-out, or to now while on site; null before check-in.',
    select: { checkedInAt: true, checkedOutAt: true },
    resolve: (v, _args, ctx) => visitMinutes(v, ctx.clock.now()),
  }),
}));

builder.prismaObjectFields(WorkOrderRef, (t) => ({
  timeOnSiteMinutes: t.int({
    description:
      "Its visits' exact times on site summed, then rounded down to whole minutes: what a vendor's invoice is checked against.",
    select: { id: true },
    resolve: async (wo, _args, ctx) => totalMinutes(await ctx.loaders.linkedVisits.load(wo.id), ctx.clock.now()),
  }),
  noShow: t.boolean({
    description: 'One of its linked visits (generated or linked by hand) became NO_SHOW.',
    select: { id: true },
    resolve: async (wo, _args, ctx) => (await ctx.loaders.linkedVisits.load(wo.id)).some((v) => v.status === 'NO_SHOW'),
  }),
}));
