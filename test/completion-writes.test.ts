import { describe, expect, it } from 'vitest';
import type { Prisma, Visit, WorkOrder } from '../src/generated/prisma/client.ts';
import { closeLinkedVisits, markCompleted, type ClosedVisit } from '../src/modules/work-orders/completion-writes.ts';
import { visitorSettings } from '../src/modules/organisation/settings.ts';
import { DATABASES, migratedDatabaseForSuite } from './support/databases.ts';
import { newVendor, unitsAt } from './support/direct.ts';

// Completing a work order writes it and closes its linked visits with statements of our own:
// they must write and return exactly what Prisma's writes do.

interface Completion {
  workOrder: WorkOrder;
  closed: ClosedVisit[];
  /** Every visit of the property afterwards, as Prisma reads them. */
  visits: Visit[];
}

describe.each(DATABASES)('the writes of a completion, on %s', (kind) => {
  const db = migratedDatabaseForSuite(kind);
  const now = new Date('2026-03-04T10:20:30.456Z');

  const { run, rolledBack } = unitsAt(db, now);
  const visitsOf = (tx: Prisma.TransactionClient, propertyId: string) =>
    tx.visit.findMany({ where: { propertyId }, orderBy: { id: 'asc' } });

  /** The completion as Prisma's client writes it, rolled back: what ours must equal. */
  function byPrisma(workOrderId: string, propertyId: string): Promise<Completion> {
    return rolledBack(async ({ tx }) => {
      const workOrder = await tx.workOrder.update({
        where: { id: workOrderId },
        data: { status: 'COMPLETED', completedAt: now, updatedAt: now },
      });
      const enabled = (await visitorSettings(tx)).workOrderIntegrationEnabled;
      const linked = enabled
        ? await tx.visit.findMany({
            where: { workOrderId, status: { in: ['EXPECTED', 'CHECKED_IN'] } },
            orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          })
        : [];
      const closed: ClosedVisit[] = [];
      for (const before of linked) {
        const data =
          before.status === 'CHECKED_IN'
            ? { status: 'CHECKED_OUT' as const, checkedOutAt: now, checkOutReason: 'WORK_ORDER_COMPLETED' as const }
            : { status: 'CANCELLED' as const, cancelledAt: now };
        closed.push({ before, after: await tx.visit.update({ where: { id: before.id }, data: { ...data, updatedAt: now } }) });
      }
      return { workOrder, closed, visits: await visitsOf(tx, propertyId) };
    });
  }

  const ours = (workOrderId: string, propertyId: string): Promise<Completion> =>
    run(async (work) => {
      const workOrder = await markCompleted(work, workOrderId);
      const closed = await closeLinkedVisits(work, workOrderId);
      return { workOrder, closed, visits: await visitsOf(work.tx, propertyId) };
    });

  const integration = (enabled: boolean) =>
    db().prisma.visitorSettings.upsert({
      where: { id: 1 },
      create: { id: 1, workOrderIntegrationEnabled: enabled },
      update: { workOrderIntegrationEnabled: enabled },
    });

  /** A work order in progress with visits in every state, linked to it or not, created a second apart. */
  async function fixture() {
    const { prisma } = db();
    const { property, company, user } = await newVendor(db, 'Completion');
    const workOrder = await prisma.workOrder.create({
      data: { propertyId: property.id, title: 'Boiler', status: 'IN_PROGRESS', assigneeId: user.id, description: 'Leaks' },
    });
    const other = await prisma.workOrder.create({ data: { propertyId: property.id, title: 'Lift' } });
    const at = (s: number) => new Date(now.getTime() - 3_600_000 + s * 1000);
    const visit = (s: number, data: Partial<Prisma.VisitUncheckedCreateInput>) =>
      prisma.visit.create({
        data: {
          propertyId: property.id,
          visitorName: 'Fran',
          visitorId: user.id,
          companyId: company.id,
          expectedArrival: at(s),
          workOrderId: workOrder.id,
          source: 'WORK_ORDER',
          createdAt: at(s),
          ...data,
        },
      });
    // Created out of order, so that the oldest-first order is the query's, not the insertion's.
    await visit(4, { status: 'EXPECTED', source: 'MANUAL', notes: 'linked by hand', inDeskWindow: true });
    await visit(1, { status: 'CHECKED_IN', checkedInAt: at(2), checkOutDueAt: at(9000), overdueAt: at(8000) });
    await visit(3, { status: 'CHECKED_OUT', checkedInAt: at(3), checkedOutAt: at(4), checkOutReason: 'DESK' });
    await visit(2, { status: 'EXPECTED' });
    await visit(5, { status: 'CANCELLED', cancelledAt: at(5) });
    await visit(6, { status: 'EXPECTED', workOrderId: other.id });
    return { workOrderId: workOrder.id, propertyId: property.id };
  }

  it('completes the work order and closes its visits in play as Prisma does, oldest first', async () => {
    await integration(true);
    const { workOrderId, propertyId } = await fixture();
    const expected = await byPrisma(workOrderId, propertyId);
    expect(await ours(workOrderId, propertyId)).toEqual(expected);
    // What that covers, so the comparison cannot pass on empty lists.
    expect(expected.workOrder).toMatchObject({ status: 'COMPLETED', completedAt: now, updatedAt: now, description: 'Leaks' });
    expect(expected.closed.map((c) => [c.before.status, c.after.status, c.after.checkOutReason, c.before.createdAt])).toEqual([
      ['CHECKED_IN', 'CHECKED_OUT', 'WORK_ORDER_COMPLETED', new Date(now.getTime() - 3_599_000)],
      ['EXPECTED', 'CANCELLED', null, new Date(now.getTime() - 3_598_000)],
      ['EXPECTED', 'CANCELLED', null, new Date(now.getTime() - 3_596_000)],
    ]);
    expect(expected.closed[0].after).toMatchObject({ checkedOutAt: now, cancelledAt: null, checkOutDueAt: expect.any(Date) });
    expect(expected.closed[2].after).toMatchObject({
      cancelledAt: now,
      checkedOutAt: null,
      notes: 'linked by hand',
      inDeskWindow: true,
    });
    expect(expected.visits.map((v) => v.status).sort()).toEqual([
      'CANCELLED',
      'CANCELLED',
      'CANCELLED',
      'CHECKED_OUT',
      'CHECKED_OUT',
      'EXPECTED',
    ]);
  });

  it('leaves the visits alone while the WO Integration is off', async () => {
    await integration(false);
    const { workOrderId, propertyId } = await fixture();
    const untouched = await visitsOf(db().prisma, propertyId);
    const expected = await byPrisma(workOrderId, propertyId);
    expect(expected.closed).toEqual([]);
    expect(await ours(workOrderId, propertyId)).toEqual(expected);
    expect(await visitsOf(db().prisma, propertyId)).toEqual(untouched);
  });
});
