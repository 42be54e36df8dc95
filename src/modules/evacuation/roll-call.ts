import { DateTime } from 'luxon';
import { Prisma, type Evacuation, type Visit } from '../../generated/prisma/client.ts';
import { execute, queryRows } from '../../db/raw-sql.ts';
import { found, inputField, refuse } from '../../core/errors.ts';
import { prismaRow } from '../../db/json-rows.ts';
import type { Change, Work } from '../../core/unit-of-work.ts';
import { appendEvacuationEvents } from './log.ts';

// The evacuation roll call: when the alarm sounds, everyone checked in at the property is on
// the list; whoever checks in during it joins the list; each is accounted for once, by a tap
// at the assembly point or by being checked out meanwhile. One open roll call per property.

const PROPERTY = inputField('propertyId');
const EVACUATION = inputField('evacuationId');

const at = (moment: Date, zone: string) => DateTime.fromJSDate(moment, { zone }).toFormat('HH:mm');

const entity = (evacuation: Evacuation) => ({
  type: 'Evacuation' as const,
  id: evacuation.id,
  propertyId: evacuation.propertyId,
});

/** Starts the roll call of a property: everyone checked in now is on its list. */
export function startEvacuation(propertyId: string): Change<Evacuation> {
  return async (work) => {
    const property = await found(
      work.tx.property.findFirst({ where: { id: propertyId, AND: [work.access.propertyWhere()] } }),
      PROPERTY,
      'property',
    );
    if (!work.access.worksDeskOf(property.id)) {
      refuse('FORBIDDEN', "Only the property's desk staff, its managers and administrators start an evacuation.", PROPERTY);
    }
    // The property's row lock: two alarms at once start one roll call, and a check-in
    // committing meanwhile is either on the snapshot below or joins the list itself.
    await work.tx.$executeRaw`SELECT 1 FROM "Property" WHERE "id" = ${property.id}::uuid FOR NO KEY UPDATE`;
    const open = await work.tx.evacuation.findFirst({ where: { propertyId: property.id, endedAt: null } });
    if (open) {
      refuse(
        'CONFLICT',
        `An evacuation of ${property.name} is already under way since ${at(open.startedAt, property.timeZone)}; end it before starting another.`,
        PROPERTY,
      );
    }
    const last = await work.tx.evacuation.aggregate({ where: { propertyId: property.id }, _max: { number: true } });
    const number = (last._max.number ?? 0) + 1;
    const evacuation = await work.tx.evacuation.create({
      data: { propertyId: property.id, number, startedAt: work.now, startedById: work.actor.userId },
    });
    work.logGrew('evacuationStarted', property.id, number);
    const people = await work.tx.$executeRaw`
      INSERT INTO "EvacuationPerson" ("evacuationId", "visitId", "addedAt")
      SELECT ${evacuation.id}::uuid, v."id", ${work.now}::timestamptz FROM "Visit" v
      WHERE v."propertyId" = ${property.id}::uuid AND v."status" = 'CHECKED_IN'`;
    await appendEvacuationEvents(work, evacuation.id, [{ kind: 'STARTED', visitId: null }]);
    work.audit('evacuation.started', entity(evacuation), null, { startedAt: work.now, people });
    return evacuation;
  };
}

/** Locks an evacuation the actor works with, refusing one that has ended. */
async function openForChange(work: Work, evacuationId: string): Promise<Evacuation> {
  const locked = work.tx.$queryRaw<{ row: unknown }[]>`
    SELECT row_to_json(e) AS "row" FROM "Evacuation" e WHERE e."id" = ${evacuationId}::uuid FOR NO KEY UPDATE`;
  // One of a property whose desk the actor does not work is NOT_FOUND, like an unknown id.
  const visible = await found(
    locked
      .then((rows) => prismaRow<Evacuation>('Evacuation', rows[0]?.row))
      .then((e) => (e && work.access.worksDeskOf(e.propertyId) ? e : null)),
    EVACUATION,
    'evacuation',
  );
  if (visible.endedAt) {
    const { timeZone } = await work.tx.property.findUniqueOrThrow({
      where: { id: visible.propertyId },
      select: { timeZone: true },
    });
    refuse(
      'INVALID_TRANSITION',
      `This evacuation was ended at ${at(visible.endedAt, timeZone)}; start a new one if people must be accounted for again.`,
      EVACUATION,
    );
  }
  return visible;
}

/** Records that someone on the list is accounted for: once; asking again changes nothing. */
export function markAccountedFor(evacuationId: string, visitId: string): Change<Evacuation> {
  return async (work) => {
    const evacuation = await openForChange(work, evacuationId);
    const where = { evacuationId_visitId: { evacuationId, visitId } };
    const person = await work.tx.evacuationPerson.findUnique({ where });
    if (!person) {
      refuse(
        'NOT_FOUND',
        "This visitor is not on this evacuation's list: it holds those on site when it started and those checked in since.",
        inputField('visitId'),
      );
    }
    if (person.accountedForAt) return evacuation;
    await work.tx.evacuationPerson.update({
      where,
      data: { accountedForAt: work.now, accountedForHow: 'MARKED', accountedForById: work.actor.userId },
    });
    await appendEvacuationEvents(work, evacuationId, [{ kind: 'ACCOUNTED_FOR', visitId }]);
    work.audit('evacuation.accountedFor', entity(evacuation), null, { visitId, accountedForAt: work.now });
    return evacuation;
  };
}

/** Calls the roll call off. */
export function endEvacuation(evacuationId: string): Change<Evacuation> {
  return async (work) => {
    const before = await openForChange(work, evacuationId);
    const after = await work.tx.evacuation.update({
      where: { id: evacuationId },
      data: { endedAt: work.now, endedById: work.actor.userId },
    });
    const missing = await work.tx.evacuationPerson.count({ where: { evacuationId, accountedForAt: null } });
    await appendEvacuationEvents(work, evacuationId, [{ kind: 'ENDED', visitId: null }]);
    work.audit('evacuation.ended', entity(after), { endedAt: before.endedAt }, { endedAt: work.now, missing });
    return after;
  };
}

// ---- following check-ins and check-outs during an evacuation ----

interface Move {
  visitId: string;
  propertyId: string;
  /** Checked out at this moment; undefined: checked in. */
  leftAt?: Date;
}

const moves = new WeakMap<Work, Move[]>();

/**
 * A visit changed: one checked in joins its property's open roll call, one checked out is
 * accounted for from that moment. Applied once per unit, before commit.
 */
export function followRollCall(work: Work, before: Visit | null, after: Visit): void {
  const joined = before?.status !== 'CHECKED_IN' && after.status === 'CHECKED_IN';
  const left = before?.status === 'CHECKED_IN' && after.status !== 'CHECKED_IN';
  if (!joined && !left) return;
  let list = moves.get(work);
  if (!list) moves.set(work, (list = []));
  list.push({ visitId: after.id, propertyId: after.propertyId, leftAt: left ? (after.checkedOutAt ?? work.now) : undefined });
  work.beforeCommit('evacuation roll call', () => applyMoves(work, list));
}

async function applyMoves(work: Work, list: Move[]): Promise<void> {
  const properties = [...new Set(list.map((m) => m.propertyId))].sort();
  // Waits for a roll call being started at one of these properties (startEvacuation holds its
  // row), so that a check-in is either on its snapshot or found joining it here.
  await execute(work.tx, Prisma.sql`SELECT 1 FROM "Property" WHERE "id" = ANY(${properties}::uuid[]) ORDER BY "id" FOR SHARE`);
  // A statement of its own, after the locks: it sees a roll call whose start it waited for.
  const open = await queryRows<{ id: string; propertyId: string }>(
    work.tx,
    Prisma.sql`SELECT "id", "propertyId" FROM "Evacuation" WHERE "propertyId" = ANY(${properties}::uuid[]) AND "endedAt" IS NULL`,
  );
  for (const evacuation of open) {
    const here = list.filter((m) => m.propertyId === evacuation.propertyId);
    const joined = here.filter((m) => !m.leftAt).map((m) => m.visitId);
    const added =
      joined.length === 0
        ? []
        : await work.tx.$queryRaw<{ visitId: string }[]>`
          INSERT INTO "EvacuationPerson" ("evacuationId", "visitId", "addedAt")
          SELECT ${evacuation.id}::uuid, unnest(${joined}::uuid[]), ${work.now}::timestamptz
          ON CONFLICT DO NOTHING RETURNING "visitId"`;
    const left = here.filter((m) => m.leftAt);
    const accounted =
      left.length === 0
        ? []
        : await work.tx.$queryRaw<{ visitId: string }[]>`
          UPDATE "EvacuationPerson" p
          SET "accountedForAt" = m."leftAt", "accountedForHow" = 'CHECKED_OUT', "accountedForById" = ${work.actor.userId}::uuid
          FROM unnest(${left.map((m) => m.visitId)}::uuid[], ${left.map((m) => m.leftAt)}::timestamptz[]) AS m("visitId", "leftAt")
          WHERE p."evacuationId" = ${evacuation.id}::uuid AND p."visitId" = m."visitId" AND p."accountedForAt" IS NULL
          RETURNING p."visitId"`;
    await appendEvacuationEvents(work, evacuation.id, [
      ...added.map((r) => ({ kind: 'PERSON_ADDED' as const, visitId: r.visitId })),
      ...accounted.map((r) => ({ kind: 'ACCOUNTED_FOR' as const, visitId: r.visitId })),
    ]);
  }
}
