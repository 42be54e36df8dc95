import { describe, expect, it } from 'vitest';
import { createPubSub } from 'graphql-yoga';
import { randomUUID } from 'node:crypto';
import { runWork } from '../src/core/unit-of-work.ts';
import { SYSTEM } from '../src/modules/access/access.ts';
import { readBeforeCreate } from '../src/modules/work-orders/create-reads.ts';
import { visitorSettings } from '../src/modules/organisation/settings.ts';
import type { Announcements } from '../src/core/announcements.ts';
import { DATABASES, migratedDatabaseForSuite } from './support/databases.ts';

// Creating a work order reads its property, assignee and the WO Integration setting in one
// statement of our own: it must read exactly what Prisma reads.

describe.each(DATABASES)('the reads before a work order is created, on %s', (kind) => {
  const db = migratedDatabaseForSuite(kind);

  const read = (propertyId: string, assigneeId: string | null) => {
    const announcements: Announcements = createPubSub();
    return runWork({ prisma: db().prisma, clock: { now: () => new Date() }, announcements }, SYSTEM, (work) =>
      readBeforeCreate(work, propertyId, assigneeId),
    );
  };
  const prismas = async (propertyId: string, assigneeId: string | null) => ({
    property: await db().prisma.property.findFirst({
      where: { id: propertyId },
      select: { id: true, timeZone: true, deskLookBehindMinutes: true, deskLookAheadMinutes: true },
    }),
    assignee: assigneeId ? await db().prisma.user.findFirst({ where: { id: assigneeId }, include: { company: true } }) : null,
    integrationEnabled: (await visitorSettings(db().prisma)).workOrderIntegrationEnabled,
  });

  it('reads the property, the assignee with their company and the setting as Prisma does', async () => {
    const property = await db().prisma.property.create({
      data: { name: 'Reads', timeZone: 'Europe/Paris', deskLookBehindMinutes: 30, deskLookAheadMinutes: 90 },
    });
    const company = await db().prisma.company.create({ data: { name: 'Acme', autoCreateVisit: true, doNotDispatch: true } });
    const employed = await db().prisma.user.create({
      data: { name: 'Pat', email: `pat-${randomUUID()}@example.com`, companyId: company.id },
    });
    const alone = await db().prisma.user.create({ data: { name: 'Sam', email: `sam-${randomUUID()}@example.com` } });

    const cases: Array<[string, string | null]> = [
      [property.id, employed.id],
      [property.id, alone.id],
      [property.id, null],
      [property.id, randomUUID()],
      [randomUUID(), employed.id],
    ];
    for (const enabled of [false, true]) {
      if (enabled) await db().prisma.visitorSettings.create({ data: { id: 1, workOrderIntegrationEnabled: true } });
      for (const [propertyId, assigneeId] of cases) {
        const expected = await prismas(propertyId, assigneeId);
        expect(await read(propertyId, assigneeId)).toEqual(expected);
      }
    }
    // What the cases cover, so the comparison above cannot pass on nulls alone.
    const full = await read(property.id, employed.id);
    expect(full.property).toEqual({
      id: property.id,
      timeZone: 'Europe/Paris',
      deskLookBehindMinutes: 30,
      deskLookAheadMinutes: 90,
    });
    expect(full.assignee).toMatchObject({ id: employed.id, name: 'Pat', company: { id: company.id, doNotDispatch: true } });
    expect(full.assignee?.createdAt).toBeInstanceOf(Date);
    expect(full.integrationEnabled).toBe(true);
    expect((await read(property.id, alone.id)).assignee).toMatchObject({ id: alone.id, company: null });
    expect(await read(randomUUID(), randomUUID())).toEqual({ property: null, assignee: null, integrationEnabled: true });
  });
});
