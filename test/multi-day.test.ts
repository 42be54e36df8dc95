import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from './support/clock.ts';
import { DATABASES } from './support/databases.ts';
import { mutation as m, ok, person, type Person } from './support/people.ts';
import { startTestServer, type TestServer } from './support/server.ts';

// Multi-day work orders: one generated visit per calendar day of the scheduled window in
// the property's time zone, kept true through rescheduling, reassignment and completion.

const VISIT = 'id status visitorName expectedArrival expectedDeparture';
const WORK_ORDER = `workOrder { id requestId } generatedVisit { id } generatedVisits { ${VISIT} }`;

type VisitRow = { id: string; status: string; visitorName: string; expectedArrival: string; expectedDeparture: string | null };

const times = (visits: VisitRow[]) => visits.map((v) => [v.expectedArrival, v.expectedDeparture]);

describe.each(DATABASES)('multi-day work orders on %s', (kind) => {
  let ts: TestServer;
  let plumber: Person;
  let electrician: Person;
  const clock = new TestClock('2026-11-29T12:00:00.000Z'); // Sunday
  let n = 0;

  async function property(timeZone = 'Europe/London') {
    const created = await ok(ts, m('createProperty', 'property { id }'), { input: { name: `Site ${++n}`, timeZone } });
    return created.createProperty.property.id as string;
  }

  async function vendor(name: string) {
    const company = await ok(ts, m('createCompany', 'company { id }'), { input: { name: `${name} Ltd`, autoCreateVisit: true } });
    return person(ts, name, [], company.createCompany.company.id);
  }

  const create = (input: Record<string, unknown>) =>
    ok(ts, m('createWorkOrder', WORK_ORDER), { input: { title: 'Rewire floor 3', ...input } }).then((d) => d.createWorkOrder);

  const update = (input: Record<string, unknown>) =>
    ok(ts, m('updateWorkOrder', WORK_ORDER), { input }).then((d) => d.updateWorkOrder);

  /** The work order's visits, earliest expected first. */
  async function visitsOf(workOrderId: string): Promise<VisitRow[]> {
    const data = await ok(ts, `query ($id: ID!) { node(id: $id) { ... on WorkOrder { visits { ${VISIT} } } } }`, {
      id: workOrderId,
    });
    return (data.node.visits as VisitRow[]).sort(
      (a, b) => a.expectedArrival.localeCompare(b.expectedArrival) || a.status.localeCompare(b.status),
    );
  }

  const actions = async (visitId: string) =>
    (
      await ok(ts, 'query ($id: ID!) { node(id: $id) { ... on Visit { history { action } } } }', { id: visitId })
    ).node.history.map((h: { action: string }) => h.action);

  beforeAll(async () => {
    ts = await startTestServer(kind, clock);
    plumber = await vendor('Pat Plumber');
    electrician = await vendor('Eli Electric');
    await ok(ts, m('updateVisitorSettings', 'visitorSettings { workOrderIntegrationEnabled }'), {
      input: { workOrderIntegrationEnabled: true },
    });
  }, 60_000);
  afterAll(() => ts?.close());

  it('generates one visit per day at the daily start and end times, all linked, the first as generatedVisit', async () => {
    clock.set('2026-11-29T12:00:00.000Z');
    const propertyId = await property();
    const created = await create({
      propertyId,
      assigneeId: plumber.id,
      scheduledStart: '2026-11-30T08:00:00.000Z',
      scheduledEnd: '2026-12-02T17:00:00.000Z',
    });
    expect(created.userErrors).toEqual([]);
    expect(times(created.generatedVisits)).toEqual([
      ['2026-11-30T08:00:00.000Z', '2026-11-30T17:00:00.000Z'],
      ['2026-12-01T08:00:00.000Z', '2026-12-01T17:00:00.000Z'],
      ['2026-12-02T08:00:00.000Z', '2026-12-02T17:00:00.000Z'],
    ]);
    expect(created.generatedVisit.id).toBe(created.generatedVisits[0].id);
    const linked = await visitsOf(created.workOrder.id);
    expect(linked.map((v) => v.id)).toEqual(created.generatedVisits.map((v: VisitRow) => v.id));
    expect(linked.every((v) => v.status === 'EXPECTED' && v.visitorName === 'Pat Plumber')).toBe(true);
    for (const visit of linked) expect(await actions(visit.id)).toEqual(['visit.generated']);

    // Within one day, or with no end: one visit, as ever.
    const oneDay = await create({
      propertyId,
      assigneeId: plumber.id,
      scheduledStart: '2026-11-30T08:00:00.000Z',
      scheduledEnd: '2026-11-30T23:59:00.000Z',
    });
    expect(oneDay.generatedVisits).toHaveLength(1);
    const openEnded = await create({ propertyId, assigneeId: plumber.id, scheduledStart: '2026-11-30T08:00:00.000Z' });
    expect(times(openEnded.generatedVisits)).toEqual([['2026-11-30T08:00:00.000Z', null]]);
  });

  it('splits the days in the property’s zone, overnight jobs leaving the next morning', async () => {
    clock.set('2026-11-29T12:00:00.000Z');
    // 22:00 to 06:00 in Tokyo (UTC+9): three nights, each visit leaving the next morning.
    const tokyo = await property('Asia/Tokyo');
    const nights = await create({
      propertyId: tokyo,
      assigneeId: plumber.id,
      scheduledStart: '2026-11-30T13:00:00.000Z', // 22:00 on 30 Nov, local
      scheduledEnd: '2026-12-02T21:00:00.000Z', // 06:00 on 3 Dec, local
    });
    expect(times(nights.generatedVisits)).toEqual([
      ['2026-11-30T13:00:00.000Z', '2026-11-30T21:00:00.000Z'],
      ['2026-12-01T13:00:00.000Z', '2026-12-01T21:00:00.000Z'],
      ['2026-12-02T13:00:00.000Z', '2026-12-02T21:00:00.000Z'],
    ]);
    // The same instants in London are within one calendar day each way: 13:00 on the 30th to 21:00 on the 2nd.
    const london = await property();
    const days = await create({
      propertyId: london,
      assigneeId: plumber.id,
      scheduledStart: '2026-11-30T13:00:00.000Z',
      scheduledEnd: '2026-12-02T21:00:00.000Z',
    });
    expect(times(days.generatedVisits)).toEqual([
      ['2026-11-30T13:00:00.000Z', '2026-11-30T21:00:00.000Z'],
      ['2026-12-01T13:00:00.000Z', '2026-12-01T21:00:00.000Z'],
      ['2026-12-02T13:00:00.000Z', '2026-12-02T21:00:00.000Z'],
    ]);
    // One night across midnight is one visit.
    const oneNight = await create({
      propertyId: tokyo,
      assigneeId: plumber.id,
      scheduledStart: '2026-11-30T13:00:00.000Z',
      scheduledEnd: '2026-11-30T21:00:00.000Z',
    });
    expect(oneNight.generatedVisits).toHaveLength(1);
  });

  it('keeps the local start and end times across a daylight-saving change inside the job', async () => {
    clock.set('2027-03-10T12:00:00.000Z');
    // New York springs forward on Sunday 14 March 2027: 08:00 local is 13:00 UTC before, 12:00 after.
    const propertyId = await property('America/New_York');
    const created = await create({
      propertyId,
      assigneeId: plumber.id,
      scheduledStart: '2027-03-13T13:00:00.000Z', // Sat 08:00 EST
      scheduledEnd: '2027-03-15T21:30:00.000Z', // Mon 17:30 EDT
    });
    expect(times(created.generatedVisits)).toEqual([
      ['2027-03-13T13:00:00.000Z', '2027-03-13T22:30:00.000Z'],
      ['2027-03-14T12:00:00.000Z', '2027-03-14T21:30:00.000Z'],
      ['2027-03-15T12:00:00.000Z', '2027-03-15T21:30:00.000Z'],
    ]);
  });

  it('refuses a window of more than 31 days, on create and on reschedule, and writes nothing', async () => {
    clock.set('2026-11-29T12:00:00.000Z');
    const propertyId = await property();
    const message =
      'A work order can be scheduled over at most 31 days, and this one spans 32; split the work into several work orders.';
    const refused = await create({
      propertyId,
      assigneeId: plumber.id,
      scheduledStart: '2026-12-01T08:00:00.000Z',
      scheduledEnd: '2027-01-01T17:00:00.000Z',
    });
    expect(refused).toEqual({
      workOrder: null,
      generatedVisit: null,
      generatedVisits: [],
      userErrors: [{ code: 'INVALID_INPUT', message, field: ['input', 'scheduledEnd'] }],
    });
    const list = await ok(
      ts,
      'query ($id: ID!) { node(id: $id) { ... on Property { workOrders(first: 5) { edges { node { id } } } } } }',
      {
        id: propertyId,
      },
    );
    expect(list.node.workOrders.edges).toEqual([]);

    const month = await create({
      propertyId,
      assigneeId: plumber.id,
      scheduledStart: '2026-12-01T08:00:00.000Z',
      scheduledEnd: '2026-12-31T17:00:00.000Z',
    });
    expect(month.generatedVisits).toHaveLength(31);
    const longer = await update({ workOrderId: month.workOrder.id, scheduledEnd: '2027-01-01T17:00:00.000Z' });
    expect(longer.userErrors).toEqual([{ code: 'INVALID_INPUT', message, field: ['input', 'scheduledEnd'] }]);
    const linked = await visitsOf(month.workOrder.id);
    expect(linked).toHaveLength(31);
    expect(linked.at(-1)!.expectedDeparture).toBe('2026-12-31T17:00:00.000Z');
  });

  it('rescheduling moves, adds and cancels the days not yet started, never duplicating one', async () => {
    clock.set('2026-11-30T07:00:00.000Z'); // Monday
    const propertyId = await property();
    const created = await create({
      propertyId,
      assigneeId: plumber.id,
      scheduledStart: '2026-11-30T08:00:00.000Z',
      scheduledEnd: '2026-12-02T17:00:00.000Z',
    });
    const workOrderId = created.workOrder.id;
    const [monday, tuesday, wednesday] = created.generatedVisits.map((v: VisitRow) => v.id);
    clock.set('2026-11-30T08:10:00.000Z');
    await ok(ts, m('checkInVisit', 'visit { id }'), { input: { visitId: monday } });

    // Longer days, one more day: Monday, on site, stays as it is.
    clock.set('2026-11-30T10:00:00.000Z');
    const longer = await update({ workOrderId, scheduledEnd: '2026-12-03T18:00:00.000Z' });
    expect(longer.userErrors).toEqual([]);
    expect(times(longer.generatedVisits)).toEqual([['2026-12-03T08:00:00.000Z', '2026-12-03T18:00:00.000Z']]);
    const thursday = longer.generatedVisits[0].id;
    expect(await visitsOf(workOrderId)).toEqual([
      expect.objectContaining({ id: monday, status: 'CHECKED_IN', expectedDeparture: '2026-11-30T17:00:00.000Z' }),
      expect.objectContaining({ id: tuesday, status: 'EXPECTED', expectedDeparture: '2026-12-01T18:00:00.000Z' }),
      expect.objectContaining({ id: wednesday, status: 'EXPECTED', expectedDeparture: '2026-12-02T18:00:00.000Z' }),
      expect.objectContaining({ id: thursday, status: 'EXPECTED', expectedDeparture: '2026-12-03T18:00:00.000Z' }),
    ]);
    expect(await actions(tuesday)).toEqual(['visit.generated', 'visit.rescheduled']);
    expect(await actions(monday)).toEqual(['visit.generated', 'visit.checkedIn']);

    // Shorter: Wednesday and Thursday are cancelled; asking for the same window again changes nothing.
    const shorter = await update({ workOrderId, scheduledEnd: '2026-12-01T18:00:00.000Z' });
    expect(shorter.generatedVisits).toEqual([]);
    const again = await update({ workOrderId, scheduledEnd: '2026-12-01T18:00:00.000Z' });
    expect(again.generatedVisits).toEqual([]);
    expect((await visitsOf(workOrderId)).map((v) => [v.id, v.status])).toEqual([
      [monday, 'CHECKED_IN'],
      [tuesday, 'EXPECTED'],
      [wednesday, 'CANCELLED'],
      [thursday, 'CANCELLED'],
    ]);

    // Moved a day later as a whole: Tuesday's visit keeps its day, Wednesday gets a new one, Monday stays.
    const later = await update({
      workOrderId,
      scheduledStart: '2026-12-01T08:00:00.000Z',
      scheduledEnd: '2026-12-02T18:00:00.000Z',
    });
    expect(times(later.generatedVisits)).toEqual([['2026-12-02T08:00:00.000Z', '2026-12-02T18:00:00.000Z']]);
    const live = (await visitsOf(workOrderId)).filter((v) => v.status !== 'CANCELLED');
    expect(live.map((v) => [v.id, v.status, v.expectedArrival])).toEqual([
      [monday, 'CHECKED_IN', '2026-11-30T08:00:00.000Z'],
      [tuesday, 'EXPECTED', '2026-12-01T08:00:00.000Z'],
      [later.generatedVisits[0].id, 'EXPECTED', '2026-12-02T08:00:00.000Z'],
    ]);
  });

  it('reassigning cancels the days not started and gives the new assignee the days not over', async () => {
    clock.set('2026-11-30T07:00:00.000Z');
    const propertyId = await property();
    const created = await create({
      propertyId,
      assigneeId: plumber.id,
      scheduledStart: '2026-11-30T08:00:00.000Z',
      scheduledEnd: '2026-12-02T17:00:00.000Z',
    });
    const workOrderId = created.workOrder.id;
    const [monday, tuesday, wednesday] = created.generatedVisits.map((v: VisitRow) => v.id);
    clock.set('2026-11-30T08:10:00.000Z');
    await ok(ts, m('checkInVisit', 'visit { id }'), { input: { visitId: monday } });

    // Monday evening: Monday is over, the plumber is still in; the electrician takes Tuesday and Wednesday.
    clock.set('2026-11-30T18:00:00.000Z');
    const reassigned = await update({ workOrderId, assigneeId: electrician.id });
    expect(reassigned.userErrors).toEqual([]);
    expect(reassigned.generatedVisits.map((v: VisitRow) => [v.visitorName, v.expectedArrival])).toEqual([
      ['Eli Electric', '2026-12-01T08:00:00.000Z'],
      ['Eli Electric', '2026-12-02T08:00:00.000Z'],
    ]);
    expect(reassigned.generatedVisit.id).toBe(reassigned.generatedVisits[0].id);
    const all = await visitsOf(workOrderId);
    const byId = new Map(all.map((v) => [v.id, v.status]));
    expect([byId.get(monday), byId.get(tuesday), byId.get(wednesday)]).toEqual(['CHECKED_IN', 'CANCELLED', 'CANCELLED']);
    expect(all.filter((v) => v.status === 'EXPECTED').map((v) => v.visitorName)).toEqual(['Eli Electric', 'Eli Electric']);

    // Completion closes every day's visit: on site out, expected cancelled.
    const done = await ok(ts, m('completeWorkOrder', 'checkedOutVisits { id status }'), { input: { workOrderId } });
    expect(done.completeWorkOrder.userErrors).toEqual([]);
    expect(done.completeWorkOrder.checkedOutVisits.map((v: { status: string }) => v.status).sort()).toEqual([
      'CANCELLED',
      'CANCELLED',
      'CHECKED_OUT',
    ]);
    expect((await visitsOf(workOrderId)).filter((v) => v.status === 'EXPECTED' || v.status === 'CHECKED_IN')).toEqual([]);
  });

  it('gives no visit to the days of a window already over when the work order is entered', async () => {
    clock.set('2026-12-01T18:00:00.000Z'); // Tuesday evening
    const propertyId = await property();
    const created = await create({
      propertyId,
      assigneeId: plumber.id,
      scheduledStart: '2026-11-30T08:00:00.000Z',
      scheduledEnd: '2026-12-02T17:00:00.000Z',
    });
    expect(times(created.generatedVisits)).toEqual([['2026-12-02T08:00:00.000Z', '2026-12-02T17:00:00.000Z']]);
  });
});
