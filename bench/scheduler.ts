import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cpuTimeMs, envInt as int, gitInfo, guardRun, log, machineBusyMs, ROOT } from './lib/processes.ts';
import { dropTarget, freshTarget, migrateSchema, openSql, targetEnv, type DbTarget, type Queryable } from './lib/sql.ts';
import { createPubSub } from 'graphql-yoga';
import { Prisma } from '../src/generated/prisma/client.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { startServer, type RunningServer } from '../src/server/server.ts';
import type { Announcements } from '../src/core/announcements.ts';
import { runWork, type Tx } from '../src/core/unit-of-work.ts';
import { SYSTEM } from '../src/modules/access/access.ts';
import { advanceCompliance } from '../src/modules/compliance/clock.ts';
import { DEFAULT_DESK_WINDOW, deskWindow, withinWindow, type DeskWindowSettings } from '../src/modules/desk/rules.ts';
import { advanceOnSite } from '../src/modules/on-site/clock.ts';
import { startDeskClock } from '../src/modules/desk/clock.ts';
import { onSiteMoments, type PolicySettings } from '../src/modules/on-site/policy.ts';

// The scheduler's pass: `npm run bench:scheduler`. See bench/README.md ("Scheduler pass").
//
// For each size, a fresh database with visits spread over many properties (varied time zones
// and on-site policies), bulk-inserted with SQL. The real server runs in this process on it,
// with its desk clock off and a clock of ours, and each pass is one `desk.tick()`: the same
// pass the server's timer runs (desk moves, then the clock steps: on-site, compliance, then
// pruning the desk log). Seeded moments fall into due windows after the start, so moving our
// clock to the end of a window makes exactly the visits seeded for it due; each due pass is
// checked against them. The plans of the pass's statements are read with EXPLAIN ANALYZE, and a
// statement that reads "Visit" without an index fails the run.

const SIZES = sizes(process.env.BENCH_SCHEDULER_SIZES || '1000,100000');
const PROPERTIES = int('BENCH_SCHEDULER_PROPERTIES', 240);
const DUE_PERCENT = percent('BENCH_SCHEDULER_DUE_PERCENT', 1);
const STEADY_PASSES = int('BENCH_SCHEDULER_PASSES', 11);
const DUE_PASSES = int('BENCH_SCHEDULER_DUE_PASSES', 3);
const DATABASE_URL = process.env.DATABASE_URL || undefined;
/**
 * PostgreSQL's autovacuum analyses a table soon after a bulk insert; PGlite runs no autovacuum,
 * so an embedded database is planned without statistics unless someone runs ANALYZE.
 */
const ANALYZE = flag('BENCH_SCHEDULER_ANALYZE', DATABASE_URL !== undefined);
const OUT = process.env.BENCH_OUT || join(ROOT, `bench/results/${DATABASE_URL ? 'scheduler-postgres' : 'scheduler'}.json`);
const TOTAL_TIMEOUT_MS = int('BENCH_TIMEOUT_MS', 30 * 60_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Each due pass moves the clock on by this much; what its window seeded becomes due. */
const DUE_WINDOW_MS = 10 * MINUTE;

function sizes(raw: string): number[] {
  const list = raw.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n <= 0))
    throw new Error('BENCH_SCHEDULER_SIZES must be positive whole numbers, comma-separated');
  return list;
}

function percent(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw ? Number(raw) : fallback;
  if (!(value > 0 && value <= 10)) throw new Error(`${name} must be a number above 0 and at most 10`);
  return value;
}

function flag(name: string, fallback: boolean): boolean {
  const raw = process.env[name];
  return raw === undefined || raw === '' ? fallback : raw === '1' || raw.toLowerCase() === 'true';
}

/** The steps src/server/server.ts gives the desk clock, in its order. */
const CLOCK_STEPS = [advanceOnSite, advanceCompliance];

const { temporary, done: stopWatchdog } = guardRun(TOTAL_TIMEOUT_MS);

// ---------------------------------------------------------------------------------------
// The data: properties, vendors, and visits. A seeded generator, so every run draws the
// same spread (ids aside).

function generator(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
type Random = ReturnType<typeof generator>;
const pick = <T>(rng: Random, list: readonly T[]) => list[Math.floor(rng() * list.length)];
const between = (rng: Random, min: number, max: number) => min + rng() * (max - min);

type BenchProperty = PolicySettings & DeskWindowSettings & { id: string; name: string; mode: 'dailyAt' | 'hours' | 'off' };

const ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Pacific/Auckland',
];
const DAILY_AT = ['17:30', '18:00', '19:00', '20:30', '23:00', '02:00'];
const HOURS_AFTER_DEPARTURE = [1, 2, 4, 8, 12];
/** Half the properties keep the defaults (240 and 30 minutes); the others one of these. */
const NO_SHOW_MINUTES = [30, 60, 120, 480];
const OVERDUE_MINUTES = [0, 15, 60];

/** Every zone under every kind of automatic check-out: a third daily at a local time, a third hours after departure, a third off. */
function makeProperties(count: number, t0: Date): BenchProperty[] {
  return Array.from({ length: count }, (_, i) => {
    const mode = (['dailyAt', 'hours', 'off'] as const)[Math.floor(i / ZONES.length) % 3];
    return {
      id: randomUUID(),
      name: `Scheduler ${String(i).padStart(4, '0')}`,
      mode,
      timeZone: ZONES[i % ZONES.length],
      autoCheckOutDailyAt: mode === 'dailyAt' ? DAILY_AT[i % DAILY_AT.length] : null,
      autoCheckOutHoursAfterDeparture: mode === 'hours' ? HOURS_AFTER_DEPARTURE[i % HOURS_AFTER_DEPARTURE.length] : null,
      autoCheckOutSince: mode === 'off' ? null : new Date(t0.getTime() - 90 * 24 * HOUR),
      noShowAfterMinutes: i % 2 === 0 ? 240 : NO_SHOW_MINUTES[(i >> 1) % NO_SHOW_MINUTES.length],
      overdueAfterMinutes: i % 4 < 2 ? 30 : OVERDUE_MINUTES[(i >> 2) % OVERDUE_MINUTES.length],
      deskLookBehindMinutes: DEFAULT_DESK_WINDOW.lookBehindMinutes,
      deskLookAheadMinutes: DEFAULT_DESK_WINDOW.lookAheadMinutes,
    };
  });
}

interface Vendor {
  id: string;
  companyId: string;
}

/** A visit the scheduler may act on (EXPECTED or CHECKED_IN), built here so its moments are known. */
interface SeedVisit {
  id: string;
  propertyId: string;
  visitorName: string;
  visitorId: string;
  companyId: string;
  status: 'EXPECTED' | 'CHECKED_IN';
  expectedArrival: Date;
  expectedDeparture: Date | null;
  checkedInAt: Date | null;
  checkOutDueAt: Date | null;
  overdueAt: Date | null;
  overdueAnnounced: boolean;
  inDeskWindow: boolean;
}

type Kind = 'noShow' | 'checkOut' | 'overdue';
const ACTION: Record<Kind, string> = { noShow: 'visit.noShow', checkOut: 'visit.checkedOut', overdue: 'visit.overdue' };

/** The start (pass 0, steady state) and the moments of the due passes 1…DUE_PASSES. */
class Timeline {
  constructor(readonly t0: Date) {}
  at(pass: number): Date {
    return new Date(this.t0.getTime() + pass * DUE_WINDOW_MS);
  }
  get end(): Date {
    return this.at(DUE_PASSES);
  }
  /** The pass whose moment first reaches `t`: 0 when it already has at the start, Infinity when none does. */
  passOf(t: Date | null): number {
    if (t === null) return Infinity;
    const pass = Math.ceil((t.getTime() - this.t0.getTime()) / DUE_WINDOW_MS);
    return pass <= 0 ? 0 : pass > DUE_PASSES ? Infinity : pass;
  }
  /** A moment strictly inside the window of `pass`, a second clear of its edges. */
  inWindow(rng: Random, pass: number): Date {
    return new Date(this.at(pass - 1).getTime() + between(rng, 1_000, DUE_WINDOW_MS - 1_000));
  }
}

/**
 * What the scheduler's rules do to a seeded visit, pass by pass: an EXPECTED visit becomes a
 * no-show once arrival + grace has come; a checked-in one is checked out once its
 * checkOutDueAt has come, and announced overdue once its overdueAt has (unless announced
 * already, or checked out in the same pass: check-outs run first). Null: it would already
 * have been changed at the start, which a steady state cannot hold.
 */
function fate(v: SeedVisit, p: BenchProperty, time: Timeline): Array<[number, Kind]> | null {
  if (v.status === 'EXPECTED') {
    const pass = time.passOf(new Date(v.expectedArrival.getTime() + p.noShowAfterMinutes * MINUTE));
    return pass === 0 ? null : pass === Infinity ? [] : [[pass, 'noShow']];
  }
  const out = time.passOf(v.checkOutDueAt);
  const overdue = v.overdueAnnounced ? Infinity : time.passOf(v.overdueAt);
  if (out === 0 || overdue === 0) return null;
  const events: Array<[number, Kind]> = [];
  if (overdue < out) events.push([overdue, 'overdue']);
  if (out !== Infinity) events.push([out, 'checkOut']);
  return events;
}

/** The desk window a seeded EXPECTED visit is in must not change while the clock moves: the desk step then has nothing to do. */
function deskPlace(p: BenchProperty, arrival: Date, time: Timeline): boolean | null {
  const atStart = withinWindow(arrival, deskWindow(p, time.t0));
  return atStart === withinWindow(arrival, deskWindow(p, time.end)) ? atStart : null;
}

/**
 * The visits the scheduler may act on: per due pass, DUE_PERCENT of all visits due in its
 * window (two fifths no-shows, the rest automatic check-outs and overdue visitors), and 1%
 * each of visitors on site and of EXPECTED visits inside their desk window, none of them due
 * before the last pass. Candidates are drawn until their fate is the one wanted.
 */
function pendingVisits(size: number, properties: BenchProperty[], vendors: Vendor[], time: Timeline, rng: Random) {
  const byMode = (modes: BenchProperty['mode'][]) => properties.filter((p) => modes.includes(p.mode));
  const hoursProperties = byMode(['hours']);
  const otherProperties = byMode(['dailyAt', 'off']);
  const byId = new Map(properties.map((p) => [p.id, p]));
  const t0 = time.t0.getTime();
  let serial = 0;

  /** Null: an EXPECTED visit whose desk window membership would change while the clock moves. */
  const visit = (
    p: BenchProperty,
    fields: Partial<SeedVisit> & Pick<SeedVisit, 'status' | 'expectedArrival'>,
  ): SeedVisit | null => {
    const vendor = pick(rng, vendors);
    const v: SeedVisit = {
      id: randomUUID(),
      propertyId: p.id,
      visitorName: `Pending visitor ${serial++}`,
      visitorId: vendor.id,
      companyId: vendor.companyId,
      expectedDeparture: null,
      checkedInAt: null,
      checkOutDueAt: null,
      overdueAt: null,
      overdueAnnounced: false,
      inDeskWindow: false,
      ...fields,
    };
    if (v.status === 'EXPECTED') {
      const place = deskPlace(p, v.expectedArrival, time);
      if (place === null) return null;
      return { ...v, inDeskWindow: place };
    }
    // The moments check-in gives it under its property's policy; one already overdue at the start was told then.
    Object.assign(v, onSiteMoments(p, { checkedInAt: v.checkedInAt!, expectedDeparture: v.expectedDeparture }));
    v.overdueAnnounced = v.overdueAt !== null && v.overdueAt <= time.t0;
    return v;
  };
  const expected = (p: BenchProperty, arrival: number) => visit(p, { status: 'EXPECTED', expectedArrival: new Date(arrival) });
  const checkedIn = (p: BenchProperty, checkedInAt: number, departure: number | null) =>
    checkedInAt > t0
      ? null
      : visit(p, {
          status: 'CHECKED_IN',
          expectedArrival: new Date(checkedInAt - between(rng, -15, 30) * MINUTE),
          checkedInAt: new Date(checkedInAt),
          expectedDeparture: departure === null ? null : new Date(departure),
        });

  const rows: SeedVisit[] = [];
  const draw = (make: () => SeedVisit | null, wanted: Array<[number, Kind]>) => {
    for (let tries = 0; tries < 10_000; tries++) {
      const v = make();
      const events = v && fate(v, byId.get(v.propertyId)!, time);
      if (v && events && JSON.stringify(events) === JSON.stringify(wanted)) return void rows.push(v);
    }
    throw new Error(`No seeded visit fits ${JSON.stringify(wanted)}`);
  };

  const due = Math.max(3, Math.round((size * DUE_PERCENT) / 100));
  const noShows = Math.round(due * 0.4);
  const checkOuts = Math.round(due * 0.3);
  for (let pass = 1; pass <= DUE_PASSES; pass++) {
    for (let i = 0; i < noShows; i++) {
      draw(() => {
        const p = pick(rng, properties);
        return expected(p, time.inWindow(rng, pass).getTime() - p.noShowAfterMinutes * MINUTE);
      }, [[pass, 'noShow']]);
    }
    for (let i = 0; i < checkOuts; i++) {
      // Out this many hours after departure, or after check-in for those without a departure.
      draw(() => {
        const p = pick(rng, hoursProperties);
        const from = time.inWindow(rng, pass).getTime() - p.autoCheckOutHoursAfterDeparture! * HOUR;
        return rng() < 0.7 ? checkedIn(p, from - between(rng, 20, 240) * MINUTE, from) : checkedIn(p, from, null);
      }, [[pass, 'checkOut']]);
    }
    for (let i = 0; i < due - noShows - checkOuts; i++) {
      draw(() => {
        const p = pick(rng, otherProperties);
        const departure = time.inWindow(rng, pass).getTime() - p.overdueAfterMinutes * MINUTE;
        return checkedIn(p, departure - between(rng, 60, 360) * MINUTE, departure);
      }, [[pass, 'overdue']]);
    }
  }
  const onePercent = Math.max(1, Math.round(size / 100));
  for (let i = 0; i < onePercent; i++) {
    // On site, nothing due yet: some without a departure, some overdue and told already.
    draw(() => {
      const checkedInAt = t0 - between(rng, 5, 480) * MINUTE;
      const departure = rng() < 0.3 ? null : checkedInAt + between(rng, 30, 600) * MINUTE;
      return checkedIn(pick(rng, properties), checkedInAt, departure);
    }, []);
  }
  for (let i = 0; i < onePercent; i++) {
    // Today's queue: from arrived a little late (its grace outlasting the last pass) to 20 hours ahead.
    draw(() => {
      const p = pick(rng, properties);
      const earliest = time.end.getTime() + MINUTE - p.noShowAfterMinutes * MINUTE;
      return expected(p, between(rng, earliest, t0 + 20 * HOUR));
    }, []);
  }

  // What each due pass must change, from the rows' own fates.
  const expectedChanges = Array.from(
    { length: DUE_PASSES + 1 },
    () => ({ noShow: [], checkOut: [], overdue: [] }) as Record<Kind, string[]>,
  );
  for (const v of rows)
    for (const [pass, kind] of fate(v, byId.get(v.propertyId)!, time)!) expectedChanges[pass][kind].push(v.id);
  return { rows, expectedChanges, deskWindowIds: new Set(rows.filter((v) => v.inDeskWindow).map((v) => v.id)) };
}

async function insertProperties(db: Queryable, properties: BenchProperty[], t0: Date) {
  await db.query(
    `INSERT INTO "Property" ("id", "name", "timeZone", "deskLookBehindMinutes", "deskLookAheadMinutes", "autoCheckOutDailyAt",
                             "autoCheckOutHoursAfterDeparture", "autoCheckOutSince", "noShowAfterMinutes", "overdueAfterMinutes",
                             "createdAt", "updatedAt")
     SELECT r.*, $2::timestamptz - interval '1 year', $2::timestamptz
     FROM jsonb_to_recordset($1::jsonb) AS r("id" uuid, "name" text, "timeZone" text, "deskLookBehindMinutes" int,
          "deskLookAheadMinutes" int, "autoCheckOutDailyAt" text, "autoCheckOutHoursAfterDeparture" int,
          "autoCheckOutSince" timestamptz, "noShowAfterMinutes" int, "overdueAfterMinutes" int)`,
    [JSON.stringify(properties.map(({ mode: _mode, ...p }) => p)), t0.toISOString()],
  );
  await db.query(`INSERT INTO "DeskStream" ("propertyId") SELECT "id" FROM "Property" ON CONFLICT DO NOTHING`);
}

/** 40 vendor companies with 5 people each; each company holds approved documents, announced at the start. */
async function insertVendors(db: Queryable, t0: Date): Promise<Vendor[]> {
  const companies = Array.from({ length: 40 }, (_, c) => ({ id: randomUUID(), name: `Scheduler vendor ${c}` }));
  const vendors = companies.flatMap((c, ci) =>
    Array.from({ length: 5 }, (_, u) => ({
      id: randomUUID(),
      companyId: c.id,
      name: `Vendor ${ci}.${u}`,
      email: `v${ci}.${u}@scheduler.test`,
    })),
  );
  await db.query(
    `INSERT INTO "Company" ("id", "name", "updatedAt") SELECT r.*, $2::timestamptz FROM jsonb_to_recordset($1::jsonb) AS r("id" uuid, "name" text)`,
    [JSON.stringify(companies), t0.toISOString()],
  );
  await db.query(
    `INSERT INTO "User" ("id", "companyId", "name", "email", "updatedAt")
     SELECT r.*, $2::timestamptz FROM jsonb_to_recordset($1::jsonb) AS r("id" uuid, "companyId" uuid, "name" text, "email" text)`,
    [JSON.stringify(vendors), t0.toISOString()],
  );
  // A current certificate (its start announced) and an expired one (both announced), per company.
  await db.query(
    `INSERT INTO "ComplianceDocument" ("id", "companyId", "kind", "effectiveFrom", "expiresAt", "approvedAt",
                                       "startAnnounced", "expiryAnnounced", "updatedAt")
     SELECT gen_random_uuid(), c."id", 'GENERAL_LIABILITY_INSURANCE', $1::timestamptz - d.back, $1::timestamptz - d.back + interval '365 days',
            $1::timestamptz - d.back - interval '7 days', true, d.expired, $1::timestamptz
     FROM "Company" c, (VALUES (interval '200 days', false), (interval '565 days', true)) AS d(back, expired)`,
    [t0.toISOString()],
  );
  return vendors.map((v) => ({ id: v.id, companyId: v.companyId }));
}

async function insertPending(db: Queryable, rows: SeedVisit[], t0: Date) {
  await db.query(
    `INSERT INTO "Visit" ("id", "propertyId", "visitorName", "visitorId", "companyId", "expectedArrival", "expectedDeparture",
                          "status", "checkedInAt", "checkOutDueAt", "overdueAt", "overdueAnnounced", "inDeskWindow",
                          "createdAt", "updatedAt")
     SELECT r."id", r."propertyId", r."visitorName", r."visitorId", r."companyId", r."expectedArrival", r."expectedDeparture",
            r."status"::"VisitStatus", r."checkedInAt", r."checkOutDueAt", r."overdueAt", r."overdueAnnounced", r."inDeskWindow",
            $2::timestamptz - interval '2 days', $2::timestamptz
     FROM jsonb_to_recordset($1::jsonb) AS r("id" uuid, "propertyId" uuid, "visitorName" text, "visitorId" uuid, "companyId" uuid,
          "expectedArrival" timestamptz, "expectedDeparture" timestamptz, "status" text, "checkedInAt" timestamptz,
          "checkOutDueAt" timestamptz, "overdueAt" timestamptz, "overdueAnnounced" boolean, "inDeskWindow" boolean)`,
    [JSON.stringify(rows), t0.toISOString()],
  );
}

/**
 * Visits the scheduler never touches again: `future` EXPECTED 2 to 180 days ahead (outside
 * every desk window), and `past` of the last 180 days: 70% checked out (by the desk, their
 * work order, or automatically at their checkOutDueAt), 15% cancelled, 15% no-shows. Checked-out
 * ones keep the moments their check-in gave them, as the server leaves them.
 */
async function insertHistory(db: Queryable, past: number, future: number, t0: Date) {
  // Row i: property i mod n, a vendor by turns, arrivals evenly over the months; h, a hash of i,
  // draws the rest (status, departure, times), so every property gets every kind of row at any size.
  const lists = `
    props AS (SELECT array_agg("id" ORDER BY "name") AS ids FROM "Property"),
    people AS (SELECT array_agg("id" ORDER BY "email") AS ids, array_agg("companyId" ORDER BY "email") AS companies
               FROM "User" WHERE "companyId" IS NOT NULL),
    base AS (
      SELECT i, hashint8(i)::bigint + 2147483648 AS h, props.ids[1 + i % array_length(props.ids, 1)] AS "propertyId",
             people.ids[1 + (i * 7) % array_length(people.ids, 1)] AS "visitorId",
             people.companies[1 + (i * 7) % array_length(people.ids, 1)] AS "companyId"
      FROM generate_series(0, $1::bigint - 1) AS i, props, people)`;
  await db.query(
    `WITH ${lists}
     INSERT INTO "Visit" ("id", "propertyId", "visitorName", "visitorId", "companyId", "expectedArrival", "expectedDeparture",
                          "status", "inDeskWindow", "createdAt", "updatedAt")
     SELECT gen_random_uuid(), "propertyId", 'Future visitor ' || i, "visitorId", "companyId", a, a + interval '4 hours',
            'EXPECTED', false, $2::timestamptz - interval '1 day', $2::timestamptz
     FROM (SELECT base.*, $2::timestamptz + interval '2 days' + (i * 256320 / $1) * interval '1 minute' AS a FROM base) AS ahead`,
    [future, t0.toISOString()],
  );
  await db.query(
    `WITH ${lists},
     timed AS (
       SELECT b.*, p."noShowAfterMinutes", p."overdueAfterMinutes", p."autoCheckOutHoursAfterDeparture" AS hours,
              p."autoCheckOutDailyAt" AS daily, p."timeZone" AS zone,
              (CASE WHEN h % 20 < 14 THEN 'CHECKED_OUT' WHEN h % 20 < 17 THEN 'CANCELLED' ELSE 'NO_SHOW' END) AS status,
              a AS arrival, CASE WHEN h / 20 % 5 <> 0 THEN a + interval '4 hours' END AS departure,
              a + (h / 100 % 30) * interval '1 minute' AS "checkedIn",
              a + (h / 100 % 30) * interval '1 minute' + interval '2 hours' + (h / 3000 % 240) * interval '1 minute' AS "deskOut"
       FROM (SELECT base.*, $2::timestamptz - interval '1 day' - (i * 259200 / $1) * interval '1 minute' AS a FROM base) AS b
       JOIN "Property" p ON p."id" = b."propertyId"),
     moments AS (
       -- What check-in gave it: hours after departure (or check-in), or the first local cutoff after check-in.
       SELECT t.*,
              CASE WHEN t.hours IS NOT NULL THEN GREATEST(t.departure, t."checkedIn") + t.hours * interval '1 hour'
                   WHEN t.daily IS NOT NULL THEN (
                     SELECT min(c) FROM (VALUES
                       ((date_trunc('day', t."checkedIn" AT TIME ZONE t.zone) + t.daily::time) AT TIME ZONE t.zone),
                       ((date_trunc('day', t."checkedIn" AT TIME ZONE t.zone) + interval '1 day' + t.daily::time) AT TIME ZONE t.zone)
                     ) AS cutoffs(c) WHERE c > t."checkedIn") END AS "dueAt",
              t.departure + t."overdueAfterMinutes" * interval '1 minute' AS "overdueAt",
              t.status = 'CHECKED_OUT' AS "out"
       FROM timed t),
     ended AS (SELECT m.*, LEAST(m."dueAt", m."deskOut") AS "outAt" FROM moments m)
     INSERT INTO "Visit" ("id", "propertyId", "visitorName", "visitorId", "companyId", "expectedArrival", "expectedDeparture",
                          "status", "checkedInAt", "checkedOutAt", "checkOutReason", "checkOutDueAt", "overdueAt",
                          "overdueAnnounced", "cancelledAt", "noShowAt", "inDeskWindow", "createdAt", "updatedAt")
     SELECT gen_random_uuid(), e."propertyId", 'History visitor ' || e.i, e."visitorId", e."companyId", e.arrival, e.departure,
            e.status::"VisitStatus",
            CASE WHEN e."out" THEN e."checkedIn" END,
            CASE WHEN e."out" THEN e."outAt" END,
            CASE WHEN e."out" THEN (CASE WHEN e."dueAt" = e."outAt" THEN 'AUTOMATIC' WHEN e.h / 720000 % 9 = 0 THEN 'WORK_ORDER_COMPLETED' ELSE 'DESK' END)::"CheckOutReason" END,
            CASE WHEN e."out" THEN e."dueAt" END,
            CASE WHEN e."out" THEN e."overdueAt" END,
            COALESCE(e."out" AND e."outAt" > e."overdueAt", false),
            CASE WHEN e.status = 'CANCELLED' THEN e.arrival - interval '1 day' END,
            CASE WHEN e.status = 'NO_SHOW' THEN e.arrival + e."noShowAfterMinutes" * interval '1 minute' END,
            false, e.arrival - interval '3 days', LEAST(e.arrival + interval '1 day', $2::timestamptz)
     FROM ended e`,
    [past, t0.toISOString()],
  );
}

interface Seeded {
  time: Timeline;
  expectedChanges: Array<Record<Kind, string[]>>;
  deskWindowIds: Set<string>;
  byStatus: Record<string, number>;
  seedMs: number;
}

async function seed(target: DbTarget, size: number): Promise<Seeded> {
  const start = performance.now();
  const rng = generator(size);
  // Whole milliseconds: the database keeps timestamps to the millisecond.
  const time = new Timeline(new Date(Math.floor(Date.now() / 1000) * 1000));
  const properties = makeProperties(PROPERTIES, time.t0);
  const sql = await openSql(target);
  try {
    await insertProperties(sql, properties, time.t0);
    const vendors = await insertVendors(sql, time.t0);
    const pending = pendingVisits(size, properties, vendors, time, rng);
    const future = Math.round(size / 10);
    const past = size - pending.rows.length - future;
    if (past < 0) throw new Error(`${size} visits are too few for ${pending.rows.length} pending and ${future} future ones`);
    await insertPending(sql, pending.rows, time.t0);
    await insertHistory(sql, past, future, time.t0);
    if (ANALYZE) await sql.query('ANALYZE');
    const counts = await sql.query<{ status: string; n: number }>(
      `SELECT "status", count(*)::int AS "n" FROM "Visit" GROUP BY 1 ORDER BY 1`,
    );
    const byStatus = Object.fromEntries(counts.map((c) => [c.status, c.n]));
    const total = counts.reduce((a, c) => a + c.n, 0);
    if (total !== size) throw new Error(`Seeded ${total} visits instead of ${size}`);
    return { time, ...pending, byStatus, seedMs: Math.round(performance.now() - start) };
  } finally {
    await sql.close();
  }
}

/** The project's migrations on a fresh target (PGlite: its folder is created). */
async function migrate(target: DbTarget) {
  if (target.kind === 'postgres') return migrateSchema(target);
  const db = await openDatabase({ dataDir: target.dataDir });
  await db.migrate().finally(() => db.close());
}

// ---------------------------------------------------------------------------------------
// Passes and what they changed.

interface Pass {
  ms: number;
  statements: number;
  /** Where the pass's time went, by kind of statement (see timeByStatement). */
  byStatement: Record<string, number>;
}

/** The pass's statements, told apart by their text. */
const STATEMENT_KINDS: Array<[string, RegExp]> = [
  ['desk moves', /NOT v\."inDeskWindow" AS "enters"/],
  ['noShows', /"noShowAfterMinutes"/],
  ['automaticCheckOuts', /v\."checkOutDueAt" <=/],
  ['overdue', /NOT v\."overdueAnnounced"/],
  ['compliance', /"ComplianceDocument"/],
  ['desk log prune', /DELETE FROM "DeskEvent"/],
  ['visit updates', /^UPDATE [\w".]*"Visit"/],
  ['desk log append', /INSERT INTO "DeskStream"/],
  ['audit rows', /^INSERT INTO [\w".]*"AuditEvent"/],
  ['commit', /^COMMIT/],
];

/**
 * The time from sending each statement to sending the next (the statement, and the code that
 * runs on its answer), summed by kind; "other" also holds the start of each unit of work.
 */
function timeByStatement(sent: Array<{ at: number; sql: string }>, start: number, end: number): Record<string, number> {
  const total: Record<string, number> = { other: (sent[0]?.at ?? end) - start };
  sent.forEach(({ at, sql }, i) => {
    const kind = STATEMENT_KINDS.find(([, pattern]) => pattern.test(sql))?.[0] ?? 'other';
    total[kind] = (total[kind] ?? 0) + (sent[i + 1]?.at ?? end) - at;
  });
  return Object.fromEntries(Object.entries(total).map(([k, ms]) => [k, round(ms)]));
}

/** The server's own pass (`desk.tick()`); it logs a failure rather than throwing, so its logger is watched. */
async function tick(server: RunningServer, failures: unknown[]): Promise<Pass> {
  const sent: Array<{ at: number; sql: string }> = [];
  const stop = server.db.watchStatements((sql) => sent.push({ at: performance.now(), sql }));
  const start = performance.now();
  await server.desk.tick();
  const end = performance.now();
  stop();
  if (failures.length > 0) throw new Error(`The desk clock's pass failed: ${String(failures[0])}`);
  if (process.env.BENCH_SHOW_SQL) log(sent.map((s) => s.sql.replace(/\s+/g, ' ').slice(0, 160)).join('\n'));
  return { ms: round(end - start), statements: sent.length, byStatement: timeByStatement(sent, start, end) };
}

const query = <T>(server: RunningServer, sql: string, params: unknown[]) =>
  server.db.withConnection((c) => c.query<T>(sql, params));

/** The audit actions and desk events the pass at `at` wrote (each unit of work stamps them with its moment). */
async function changesAt(server: RunningServer, at: Date) {
  const actions = await query<{ action: string; ids: string[] }>(
    server,
    `SELECT "action", array_agg("entityId"::text ORDER BY "entityId") AS "ids" FROM "AuditEvent"
     WHERE "occurredAt" = $1::timestamptz GROUP BY "action"`,
    [at.toISOString()],
  );
  const [{ n }] = await query<{ n: number }>(
    server,
    `SELECT count(*)::int AS "n" FROM "DeskEvent" WHERE "occurredAt" = $1::timestamptz`,
    [at.toISOString()],
  );
  return { actions: Object.fromEntries(actions.map((a) => [a.action, a.ids])) as Record<string, string[]>, deskEvents: n };
}

async function expectNothingChanged(server: RunningServer, at: Date, what: string) {
  const { actions, deskEvents } = await changesAt(server, at);
  if (Object.keys(actions).length > 0 || deskEvents > 0)
    throw new Error(
      `${what} changed visits with nothing due: ${JSON.stringify(Object.keys(actions))}, ${deskEvents} desk events`,
    );
}

/** The due pass changed exactly the visits seeded for it, in the way seeded, and the desks heard of each. */
async function expectChanges(server: RunningServer, at: Date, wanted: Record<Kind, string[]>, deskWindowIds: Set<string>) {
  const { actions, deskEvents } = await changesAt(server, at);
  const problems: string[] = [];
  for (const action of Object.keys(actions))
    if (!Object.values(ACTION).includes(action)) problems.push(`unexpected ${action} × ${actions[action].length}`);
  for (const kind of Object.keys(ACTION) as Kind[]) {
    const got = (actions[ACTION[kind]] ?? []).join();
    if (got !== [...wanted[kind]].sort().join())
      problems.push(`${ACTION[kind]}: ${actions[ACTION[kind]]?.length ?? 0} visits, seeded ${wanted[kind].length}`);
  }
  // No-shows are removed from the desk only where they were on it; check-outs and overdue always tell it.
  const desk = wanted.noShow.filter((id) => deskWindowIds.has(id)).length + wanted.checkOut.length + wanted.overdue.length;
  if (deskEvents !== desk) problems.push(`${deskEvents} desk events, expected ${desk}`);
  const [rows] = await query<Record<Kind, number>>(
    server,
    `SELECT count(*) FILTER (WHERE "id" = ANY($1::uuid[]) AND "status" = 'NO_SHOW' AND "noShowAt" = $4::timestamptz AND NOT "inDeskWindow")::int AS "noShow",
            count(*) FILTER (WHERE "id" = ANY($2::uuid[]) AND "status" = 'CHECKED_OUT' AND "checkOutReason" = 'AUTOMATIC'
                             AND "checkedOutAt" = "checkOutDueAt")::int AS "checkOut",
            count(*) FILTER (WHERE "id" = ANY($3::uuid[]) AND "status" = 'CHECKED_IN' AND "overdueAnnounced")::int AS "overdue"
     FROM "Visit"`,
    [wanted.noShow, wanted.checkOut, wanted.overdue, at.toISOString()],
  );
  for (const kind of Object.keys(ACTION) as Kind[])
    if (rows[kind] !== wanted[kind].length)
      problems.push(`${kind}: ${rows[kind]} rows in the new state, seeded ${wanted[kind].length}`);
  if (problems.length > 0)
    throw new Error(`The due pass at ${at.toISOString()} did not change what was seeded as due: ${problems.join('; ')}`);
  return wanted.noShow.length + wanted.checkOut.length + wanted.overdue.length;
}

// ---------------------------------------------------------------------------------------
// The plans of the pass's own statements. A desk clock of its own (the server's function,
// with the server's steps) runs one pass on the server's database, each unit of work in a
// transaction whose `$queryRaw` runs EXPLAIN ANALYZE of the statement it is given and answers
// "nothing due": each step sends its query once, changes nothing and ends.

const STEPS = ['deskMoves', 'noShows', 'automaticCheckOuts', 'overdue', 'compliance'] as const;

type StepPlan = { step: (typeof STEPS)[number]; sql: string; plan: string[] } & ReturnType<typeof readPlan>;

type RawPlan = { sql: string; plan: string[] };

/** `target` with `key` replaced; its other methods stay bound to it. */
function replacing<T extends object>(target: T, key: string, value: unknown): T {
  return new Proxy(target, {
    get: (t, k) => {
      if (k === key) return value;
      const v = Reflect.get(t, k);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
}

function explaining(tx: Tx, plans: RawPlan[]): Tx {
  return replacing(tx, '$queryRaw', async (query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => {
    const statement = query instanceof Prisma.Sql ? query : Prisma.sql(query, ...(values as Prisma.Sql[]));
    const rows = await tx.$queryRawUnsafe<Array<{ 'QUERY PLAN': string }>>(
      `EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`,
      ...statement.values,
    );
    plans.push({ sql: statement.text.replace(/\s+/g, ' ').trim(), plan: rows.map((r) => r['QUERY PLAN']) });
    return [];
  });
}

async function explainPass(server: RunningServer, at: Date): Promise<StepPlan[]> {
  const raw: RawPlan[] = [];
  const failures: unknown[] = [];
  const prisma = server.db.prisma;
  const transaction = (fn: (tx: Tx) => Promise<unknown>, options?: object) =>
    prisma.$transaction((tx) => fn(explaining(tx, raw)), options);
  const clock = startDeskClock({
    prisma: replacing(prisma, '$transaction', transaction),
    clock: { now: () => at },
    announcements: createPubSub() as Announcements, // it changes nothing, so announces nothing
    intervalMs: 0,
    historyHours: 24 * 365, // pruning deletes nothing here
    logger: { ...server.logger, error: (...args: unknown[]) => void failures.push(args.map(String).join(' ')) },
    steps: CLOCK_STEPS,
  });
  await clock.tick();
  await clock.stop();
  if (failures.length > 0) throw new Error(`Explaining the pass failed: ${String(failures[0])}`);
  if (raw.length !== STEPS.length)
    throw new Error(`Expected ${STEPS.length} statements to explain, got ${raw.length}: the pass changed`);
  return raw.map(({ sql, plan }, i) => ({
    step: STEPS[i],
    sql,
    plan,
    ...readPlan(plan, STEPS[i] === 'compliance' ? 'ComplianceDocument' : 'Visit'),
  }));
}

const actualRows = (line: string) => Number(/actual time=[\d.]+\.\.[\d.]+ rows=([\d.]+)/.exec(line)?.[1] ?? NaN);

/**
 * What a plan does with `table`: the indexes it scans and their conditions, whether it reads
 * the table whole, and how many of its rows it reads (index entries found, plus rows a scan
 * read and filtered out) against how many the statement returns.
 */
function readPlan(plan: string[], table: string) {
  const scan = new RegExp(`(Seq Scan|Index Scan|Index Only Scan)(?: Backward)?(?: using "?(\\w+)"?)? on "?${table}"?\\b`);
  const bitmap = new RegExp(`Bitmap Index Scan on "?(${table}_\\w+)"?`);
  const indexes = new Set<string>();
  const conditions: string[] = [];
  let seqScan = false;
  let rowsRead = 0;
  plan.forEach((line, i) => {
    const scanned = scan.exec(line);
    const index = scanned ? scanned[2] : bitmap.exec(line)?.[1];
    if (!scanned && !index) return;
    if (scanned?.[1] === 'Seq Scan') seqScan = true;
    if (index) indexes.add(index);
    // Figures of a node are per loop.
    const loops = Number(/loops=(\d+)/.exec(line)?.[1] ?? 1);
    rowsRead += actualRows(line) * loops;
    // The node's own detail lines, up to its first child.
    for (const detail of plan.slice(i + 1)) {
      if (detail.includes('->')) break;
      const cond = /Index Cond: (.*)/.exec(detail);
      if (cond) conditions.push(cond[1]);
      const removed = /Rows Removed by Filter: (\d+)/.exec(detail);
      if (removed && scanned) rowsRead += Number(removed[1]) * loops;
    }
  });
  const execution = /Execution Time: ([\d.]+) ms/.exec(plan.join('\n'));
  return {
    table,
    indexes: [...indexes],
    indexConditions: conditions,
    seqScan,
    indexed: !seqScan && indexes.size > 0,
    rowsRead,
    rowsReturned: actualRows(plan[0]),
    executionMs: execution ? Number(execution[1]) : null,
  };
}

// ---------------------------------------------------------------------------------------

const round = (ms: number) => Math.round(ms * 100) / 100;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Per kind of statement, the median over the passes (0 where a pass had none), largest first. */
const medianByStatement = (passes: Pass[]) =>
  Object.fromEntries(
    [...new Set(passes.flatMap((p) => Object.keys(p.byStatement)))]
      .map((kind) => [kind, round(median(passes.map((p) => p.byStatement[kind] ?? 0)))] as const)
      .sort((a, b) => b[1] - a[1]),
  );
const describeTime = (byStatement: Record<string, number>) =>
  Object.entries(byStatement)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, ms]) => `${kind} ${ms}`)
    .join(', ');

async function runSize(size: number, dir: string) {
  log(`\n${size.toLocaleString('en-US')} visits: seeding…`);
  const target = freshTarget({ databaseUrl: DATABASE_URL, dir }, `scheduler-${size}`);
  try {
    await migrate(target);
    const seeded = await seed(target, size);
    const { time } = seeded;
    log(`  seeded in ${seeded.seedMs} ms: ${JSON.stringify(seeded.byStatus)}${ANALYZE ? ', analysed' : ', not analysed'}`);

    let now = time.t0;
    const server = await startServer({
      config: loadConfig({
        ...targetEnv(target),
        PORT: '0',
        HOST: '127.0.0.1',
        ADMIN_TOKEN: `bench-admin-${randomBytes(16).toString('hex')}`,
        LOG_LEVEL: 'error',
        DESK_CLOCK_MS: '0', // passes only when we tick
        WEBHOOK_POLL_MS: '3600000', // and no webhook polling among the statements counted
      }),
      clock: { now: () => now },
    });
    const failures: unknown[] = [];
    server.logger.error = (...args: unknown[]) => void failures.push(args.map(String).join(' '));
    // CPU used by anything but this process while it measures: above a few % the figures are disturbed.
    const cpuAtStart = { wall: performance.now(), machine: machineBusyMs(), self: cpuTimeMs(process.pid) };
    const otherCpuPercent = () => {
      const wall = performance.now() - cpuAtStart.wall;
      const other = machineBusyMs() - cpuAtStart.machine - (cpuTimeMs(process.pid) - cpuAtStart.self);
      return Math.round((Math.max(0, other) / wall) * 1000) / 10;
    };
    try {
      // (a) Steady state: nothing due. A first pass warms Prisma's plans and the caches.
      await tick(server, failures);
      const steady: Pass[] = [];
      for (let i = 0; i < STEADY_PASSES; i++) steady.push(await tick(server, failures));
      // The on-site step alone, in a unit of work of its own, as the pass runs it.
      const deps = { prisma: server.db.prisma, clock: { now: () => now }, announcements: createPubSub() as Announcements };
      const onSite: number[] = [];
      for (let i = 0; i < STEADY_PASSES; i++) {
        const start = performance.now();
        const changed = await runWork(deps, SYSTEM, advanceOnSite);
        onSite.push(round(performance.now() - start));
        if (changed !== 0) throw new Error(`advanceOnSite changed ${changed} visits with nothing due`);
      }
      const plans = { steady: await explainPass(server, time.t0), due: [] as StepPlan[] };
      await expectNothingChanged(server, time.t0, 'A steady pass');
      log(
        `  steady pass: median ${median(steady.map((p) => p.ms))} ms (${steady.map((p) => p.ms).join(', ')}), ` +
          `${steady[0].statements} statements; on-site step alone ${median(onSite)} ms`,
      );
      log(`  steady pass, ms by statement (medians): ${describeTime(medianByStatement(steady))}`);

      // (b) Passes with work due: the clock moves to the end of each due window.
      const due = [];
      for (let pass = 1; pass <= DUE_PASSES; pass++) {
        now = time.at(pass);
        if (pass === 1) plans.due = await explainPass(server, now);
        const wanted = seeded.expectedChanges[pass];
        const measured = await tick(server, failures);
        const changed = await expectChanges(server, now, wanted, seeded.deskWindowIds);
        // Each change happens once: the same moment again finds nothing.
        const again = await tick(server, failures);
        const { actions } = await changesAt(server, now);
        const after = Object.values(actions).reduce((a, ids) => a + ids.length, 0);
        if (after !== changed) throw new Error(`A second pass at the same moment changed ${after - changed} more visits`);
        due.push({
          at: now.toISOString(),
          ms: measured.ms,
          statements: measured.statements,
          byStatement: measured.byStatement,
          changed,
          seeded: { noShows: wanted.noShow.length, automaticCheckOuts: wanted.checkOut.length, overdue: wanted.overdue.length },
          againMs: again.ms,
        });
        log(
          `  due pass ${pass}: ${measured.ms} ms, changed ${changed} (${wanted.noShow.length} no-shows, ${wanted.checkOut.length} check-outs, ` +
            `${wanted.overdue.length} overdue) as seeded, ${measured.statements} statements; again at the same moment: ${again.ms} ms, nothing`,
        );
        log(`    ms by statement: ${describeTime(measured.byStatement)}`);
      }
      for (const [state, list] of Object.entries(plans)) for (const line of planSummary(list, state)) log(`  ${line}`);
      const otherCpu = otherCpuPercent();
      log(`  other CPU on the machine while measuring: ${otherCpu}% of one CPU${DATABASE_URL ? ' (PostgreSQL included)' : ''}`);
      return {
        visits: size,
        properties: PROPERTIES,
        analysed: ANALYZE,
        seedMs: seeded.seedMs,
        byStatus: seeded.byStatus,
        steady: {
          passesMs: steady.map((p) => p.ms),
          medianMs: median(steady.map((p) => p.ms)),
          statements: steady[0].statements,
          byStatementMedianMs: medianByStatement(steady),
          onSiteStepMs: onSite,
          onSiteStepMedianMs: median(onSite),
        },
        due,
        dueMedianMs: median(due.map((d) => d.ms)),
        dueChanged: median(due.map((d) => d.changed)),
        otherCpuPercent: otherCpu,
        plans,
      };
    } finally {
      await server.close();
    }
  } finally {
    await dropTarget(target).catch(() => {});
  }
}

const pad = (s: string | number, n: number) => String(s).padStart(n);
const times = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/** One line per statement: its index (or the lack of one), rows it read and returned, its time. */
function planSummary(plans: StepPlan[], state: string): string[] {
  return plans.map(
    (p) =>
      `${`${state} ${p.step}`.padEnd(26)} ${p.seqScan ? `Seq Scan on "${p.table}"` : p.indexed ? p.indexes.join(' + ') : 'no index'}` +
      `; ${p.rowsRead} ${p.table} rows read, ${p.rowsReturned} returned, ${p.executionMs} ms` +
      (p.table === 'Visit' && !p.indexed ? '  NOT INDEXED' : ''),
  );
}
async function main() {
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    database: DATABASE_URL ? 'PostgreSQL (DATABASE_URL, a fresh schema per size)' : 'PGlite (a fresh data folder per size)',
  };
  log(`Scheduler pass benchmark: ${machine.cpus} CPUs (${machine.cpuModel}), Node.js ${machine.node}, ${machine.database}`);
  log(
    `sizes ${SIZES.join(', ')}; ${PROPERTIES} properties; ${STEADY_PASSES} steady passes; ${DUE_PASSES} due passes of ${DUE_PERCENT}% of the visits each`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'vwo-bench-scheduler-'));
  temporary.push(dir);

  const results = [];
  for (const size of SIZES) results.push(await runSize(size, dir));

  const lines = [
    `Scheduler pass (desk.tick(): desk moves, on-site, compliance, desk log pruning) on ${DATABASE_URL ? 'PostgreSQL' : 'PGlite'}, ${PROPERTIES} properties${ANALYZE ? '' : ', tables not analysed'}`,
    `visits     steady ms  on-site ms  statements  due ms (median of ${DUE_PASSES})  changed  due ms/changed  other CPU`,
    ...results.map(
      (r) =>
        `${pad(r.visits.toLocaleString('en-US'), 9)}  ${pad(r.steady.medianMs, 9)}  ${pad(r.steady.onSiteStepMedianMs, 10)}  ${pad(r.steady.statements, 10)}  ${pad(r.dueMedianMs, 20)}  ${pad(r.dueChanged, 7)}  ${pad(round(r.dueMedianMs / r.dueChanged), 14)}  ${pad(`${r.otherCpuPercent}%`, 9)}`,
    ),
  ];
  const [first, last] = [results[0], results[results.length - 1]];
  const ratios =
    results.length > 1
      ? {
          steady: last.steady.medianMs / first.steady.medianMs,
          onSiteStep: last.steady.onSiteStepMedianMs / first.steady.onSiteStepMedianMs,
          due: last.dueMedianMs / first.dueMedianMs,
          duePerChanged: last.dueMedianMs / last.dueChanged / (first.dueMedianMs / first.dueChanged),
        }
      : null;
  if (ratios)
    lines.push(
      `${last.visits.toLocaleString('en-US')} / ${first.visits.toLocaleString('en-US')}: steady ${ratios.steady.toFixed(2)}×, on-site step ${ratios.onSiteStep.toFixed(2)}×, ` +
        `due ${ratios.due.toFixed(2)}× (for ${times(last.dueChanged, first.dueChanged)} the changes), per changed visit ${ratios.duePerChanged.toFixed(2)}×`,
    );
  const notIndexed = results.flatMap((r) =>
    [...r.plans.steady, ...r.plans.due].filter((p) => p.table === 'Visit' && !p.indexed).map((p) => `${p.step} at ${r.visits}`),
  );
  lines.push(
    notIndexed.length === 0
      ? `Every statement of the pass on "Visit" uses an index of it (no Seq Scan on "Visit") at every size, steady and due.`
      : `NOT INDEXED: ${notIndexed.join(', ')}`,
  );
  lines.push(
    `Statements of the pass at ${last.visits.toLocaleString('en-US')} visits (EXPLAIN ANALYZE):`,
    ...planSummary(last.plans.steady, 'steady'),
    ...planSummary(last.plans.due, 'due'),
  );
  lines.push(`Plans at ${last.visits.toLocaleString('en-US')} visits, steady state (nothing due):`);
  for (const p of last.plans.steady) lines.push(`  ${p.step} (${p.table}):`, ...p.plan.map((l) => `    ${l}`));
  lines.push(`Plans at ${last.visits.toLocaleString('en-US')} visits, at the first due pass (before it ran):`);
  for (const p of last.plans.due) lines.push(`  ${p.step} (${p.table}):`, ...p.plan.map((l) => `    ${l}`));
  log('');
  for (const line of lines) log(line);

  const result = {
    benchmark: 'scheduler',
    command: 'npm run bench:scheduler',
    finishedAt: new Date().toISOString(),
    machine,
    git: gitInfo(),
    settings: {
      sizes: SIZES,
      properties: PROPERTIES,
      duePercent: DUE_PERCENT,
      steadyPasses: STEADY_PASSES,
      duePasses: DUE_PASSES,
      dueWindowMinutes: DUE_WINDOW_MS / MINUTE,
      analysed: ANALYZE,
    },
    sizes: results,
    ratios,
    notIndexed,
    table: lines,
  };
  mkdirSync(join(OUT, '..'), { recursive: true });
  writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
  log(`\nWritten to ${OUT}`);
  if (notIndexed.length > 0) throw new Error(`Not indexed: ${notIndexed.join(', ')}`);
}

main()
  .then(() => {
    stopWatchdog();
    process.exit(0);
  })
  .catch((err) => {
    log(`\nBenchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  });
