import { describe, expect, it } from 'vitest';
import { prismaRow } from '../src/db/json-rows.ts';

// Rows read as JSON by the hot statements must look exactly like Prisma's: the GraphQL types
// and the domain cannot tell them apart.

describe('rows read as JSON', () => {
  it('turn DateTime fields into Dates, keep everything else, and stay null where an outer join found nothing', () => {
    const row = prismaRow<Record<string, unknown>>('WorkOrder', {
      id: '01a21780-3a8e-774d-98ac-8b816836de47',
      number: 42,
      status: 'OPEN',
      scheduledStart: '2026-11-26T11:34:06.935+01:00',
      scheduledEnd: null,
      completedAt: null,
      createdAt: '2026-11-26T10:00:00+00:00',
      updatedAt: '2026-11-26T10:00:00.5+00:00',
    })!;
    expect(row.scheduledStart).toEqual(new Date('2026-11-26T10:34:06.935Z'));
    expect(row.createdAt).toEqual(new Date('2026-11-26T10:00:00.000Z'));
    expect(row.updatedAt).toEqual(new Date('2026-11-26T10:00:00.500Z'));
    expect(row.scheduledEnd).toBeNull();
    expect(row.number).toBe(42);
    expect(row.status).toBe('OPEN');
    expect(prismaRow('Company', null)).toBeNull();
  });

  it('refuse models with fields JSON cannot carry as Prisma does (AuditEvent.seq is a BigInt)', () => {
    expect(() => prismaRow('AuditEvent', {})).toThrow('AuditEvent has fields JSON cannot carry; read it with Prisma.');
  });
});
