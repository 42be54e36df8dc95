import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import {
  insertGeneratedVisit,
  insertWorkOrder,
  type NewGeneratedVisit,
  type NewWorkOrder,
} from '../src/modules/work-orders/create-writes.ts';
import { DATABASES, migratedDatabaseForSuite } from './support/databases.ts';
import { newVendor, unitsAt } from './support/direct.ts';

// A new work order and its generated visits are inserted by statements of our own: they
// must write and return exactly what Prisma's inserts of the same data do.

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.each(DATABASES)('the inserts of a new work order, on %s', (kind) => {
  const db = migratedDatabaseForSuite(kind);
  const now = new Date('2026-05-06T07:08:09.012Z');

  // Our inserts are compared with Prisma's inserts of the same data, rolled back.
  const { run, rolledBack } = unitsAt(db, now);

  it('inserts a work order as Prisma does, with every field given or none', async () => {
    const { property, user } = await newVendor(db, 'Inserts');
    const full: NewWorkOrder = {
      propertyId: property.id,
      title: 'Boiler',
      description: 'Leaks\nunder the stairs',
      assigneeId: user.id,
      scheduledStart: new Date('2026-05-07T08:00:00.000Z'),
      scheduledEnd: new Date('2026-05-07T17:30:00.250Z'),
      externalSource: 'cmms',
      externalId: `ext-${randomUUID()}`,
    };
    const bare: NewWorkOrder = {
      propertyId: property.id,
      title: 'Lift',
      description: null,
      assigneeId: null,
      scheduledStart: null,
      scheduledEnd: null,
    };
    for (const data of [full, bare]) {
      const expected = await rolledBack((work) =>
        work.tx.workOrder.create({ data: { ...data, createdAt: now, updatedAt: now } }),
      );
      const ours = await run((work) => insertWorkOrder(work, data));
      // The id is new; the Request ID's number is the sequence's next, past the one rolled back.
      expect(ours).toEqual({ ...expected, id: ours.id, number: expected.number + 1 });
      expect(ours.id).toMatch(UUID_V7);
      expect(await db().prisma.workOrder.findUnique({ where: { id: ours.id } })).toEqual(ours);
    }
    expect(await db().prisma.workOrder.findFirst({ where: { externalId: full.externalId } })).toMatchObject({
      status: 'OPEN',
      completedAt: null,
      description: 'Leaks\nunder the stairs',
      externalSource: 'cmms',
      createdAt: now,
      updatedAt: now,
    });
  });

  it('inserts a generated visit as Prisma does', async () => {
    const { property, company, user } = await newVendor(db, 'Inserts');
    const workOrder = await db().prisma.workOrder.create({ data: { propertyId: property.id, title: 'Roof' } });
    const base: NewGeneratedVisit = {
      propertyId: property.id,
      workOrderId: workOrder.id,
      visitorId: user.id,
      visitorName: 'Fran',
      companyId: company.id,
      expectedArrival: new Date('2026-05-06T08:00:00.000Z'),
      expectedDeparture: new Date('2026-05-06T16:00:00.000Z'),
      inDeskWindow: true,
      notes: 'Bring the long ladder',
    };
    const cases = [base, { ...base, expectedDeparture: null, inDeskWindow: false, notes: null }];
    for (const data of cases) {
      const expected = await rolledBack((work) =>
        work.tx.visit.create({ data: { ...data, source: 'WORK_ORDER', createdAt: now, updatedAt: now } }),
      );
      const ours = await run((work) => insertGeneratedVisit(work, data));
      expect(ours).toEqual({ ...expected, id: ours.id });
      expect(ours.id).toMatch(UUID_V7);
      expect(await db().prisma.visit.findUnique({ where: { id: ours.id } })).toEqual(ours);
    }
    expect(await db().prisma.visit.findMany({ where: { workOrderId: workOrder.id }, orderBy: { id: 'asc' } })).toMatchObject([
      { status: 'EXPECTED', source: 'WORK_ORDER', notes: 'Bring the long ladder', inDeskWindow: true, checkedInAt: null },
      { status: 'EXPECTED', source: 'WORK_ORDER', notes: null, inDeskWindow: false, expectedDeparture: null },
    ]);
  });
});
