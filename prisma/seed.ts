// Demo data for the Visitor Work Order Integration: `npm run seed`.
//
// Opens the configured database exactly as the server does (DATA_DIR for the embedded
// database, or DATABASE_URL), applies pending migrations, makes sure the administrator
// exists, then creates two properties, their companies, users and work orders through the
// domain functions, so the data obeys the same rules as the API. Everything is created in
// one transaction: either all of it is there or none of it.
//
// Safe to run twice: when the property "Riverside Tower" exists, it says so and changes
// nothing.
//
// The embedded database folder can be opened by one process at a time: stop a server that
// uses the same DATA_DIR before seeding, and start it again afterwards.

import { createPubSub } from 'graphql-yoga';
import { ConfigError, loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { MigrationError } from '../src/db/migrate.ts';
import { bootstrapAdmin } from '../src/modules/access/auth.ts';
import { DomainError } from '../src/core/errors.ts';
import { createCompany, createProperty, createUser } from '../src/modules/organisation/organisation.ts';
import { updateVisitorSettings } from '../src/modules/organisation/settings.ts';
import { grantRole } from '../src/modules/access/roles.ts';
import { Access } from '../src/modules/access/access.ts';
import { systemClock } from '../src/core/clock.ts';
import { runWork, type Work } from '../src/core/unit-of-work.ts';
import { checkInVisit, createVisit } from '../src/modules/visits/visits.ts';
import { completeWorkOrder, createWorkOrder, formatRequestId } from '../src/modules/work-orders/work-orders.ts';
import { addComplianceDocument, setComplianceRequirements } from '../src/modules/compliance/documents.ts';

const MARKER_PROPERTY = 'Riverside Tower';
const ADMIN_EMAIL = 'admin@localhost';
/** Two seeds started together (PostgreSQL) take turns; the second finds the data. */
const SEED_LOCK_KEY = 7_240_513_813;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `ms` from now, rounded up to the next quarter hour, as a planner would schedule it. */
function quarterHourIn(now: Date, ms: number): Date {
  const quarter = 15 * MINUTE;
  return new Date(Math.ceil((now.getTime() + ms) / quarter) * quarter);
}

interface SeedSummary {
  properties: string[];
  companies: string[];
  users: string[];
  workOrders: string[];
  visits: string[];
  compliance: string[];
}

async function seed(work: Work): Promise<SeedSummary | null> {
  await work.tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})`;
  if (await work.tx.property.findFirst({ where: { name: MARKER_PROPERTY }, select: { id: true } })) return null;
  const now = work.now;

  // The WO Integration flag: generated visits, completion check-out, linking by Request ID.
  await updateVisitorSettings({ workOrderIntegrationEnabled: true })(work);

  const riverside = await createProperty({ name: MARKER_PROPERTY, timeZone: 'America/Chicago' })(work);
  const harbour = await createProperty({ name: 'Harbour Point', timeZone: 'Europe/London' })(work);

  const acme = await createCompany({ name: 'Acme Electric', autoCreateVisit: true })(work);
  const plain = await createCompany({ name: 'Plain Plumbing', autoCreateVisit: false })(work);

  const vera = await createUser(acme.id, { name: 'Vera Vendor', email: 'vera@acme-electric.example' })(work);
  const victor = await createUser(acme.id, { name: 'Victor Volt', email: 'victor@acme-electric.example' })(work);
  const ada = await createUser(acme.id, { name: 'Ada Amp', email: 'ada@acme-electric.example' })(work);
  const paul = await createUser(plain.id, { name: 'Paul Pipe', email: 'paul@plain-plumbing.example' })(work);
  const hana = await createUser(null, { name: 'Hana Host', email: 'hana.host@owner.example' })(work);
  // Vendors see their own work orders and visits; the host works the Riverside desk.
  for (const vendor of [vera, victor, ada, paul]) await grantRole({ userId: vendor.id, role: 'VENDOR' })(work);
  await grantRole({ userId: hana.id, role: 'DESK', propertyId: riverside.id })(work);

  // The compliance gate at Riverside: insurance and a licence. Acme holds both (its insurance
  // expires in three weeks: a reminder); Spark & Sons holds none, so its visit waits on the
  // desk marked blocked.
  await setComplianceRequirements(riverside.id, { kinds: ['GENERAL_LIABILITY_INSURANCE', 'LICENSE'] })(work);
  const since = new Date(now.getTime() - 300 * DAY);
  await addComplianceDocument({
    companyId: acme.id,
    kind: 'GENERAL_LIABILITY_INSURANCE',
    reference: 'GL-2026-118',
    effectiveFrom: since,
    expiresAt: new Date(now.getTime() + 21 * DAY),
  })(work);
  await addComplianceDocument({
    companyId: acme.id,
    kind: 'LICENSE',
    reference: 'EL-44817',
    effectiveFrom: since,
    expiresAt: new Date(now.getTime() + 700 * DAY),
  })(work);
  const spark = await createCompany({ name: 'Spark & Sons', autoCreateVisit: true })(work);
  const sid = await createUser(spark.id, { name: 'Sid Spark', email: 'sid@spark-sons.example' })(work);
  await grantRole({ userId: sid.id, role: 'VENDOR' })(work);

  // OPEN: the generated visit waits on the Riverside desk, expected in about an hour.
  const open = await createWorkOrder({
    propertyId: riverside.id,
    title: 'Replace lobby light fixtures',
    description: 'Six fixtures by the main entrance; bring a ladder.',
    assigneeId: vera.id,
    scheduledStart: quarterHourIn(now, HOUR),
    scheduledEnd: quarterHourIn(now, 4 * HOUR),
  })(work);

  // IN_PROGRESS: the visitor was expected now and has been checked in by the desk, which
  // moved the work order from OPEN to IN_PROGRESS.
  const inProgress = await createWorkOrder({
    propertyId: riverside.id,
    title: 'Inspect fire alarm panel',
    assigneeId: victor.id,
  })(work);
  await checkInVisit({ visitId: inProgress.generatedVisit!.id })(work);

  // COMPLETED: checked in, then the work order was completed, which checked the visitor out.
  const done = await createWorkOrder({
    propertyId: harbour.id,
    title: 'Service the goods lift',
    assigneeId: ada.id,
  })(work);
  await checkInVisit({ visitId: done.generatedVisit!.id })(work);
  await completeWorkOrder(done.workOrder.id)(work);

  // Unassigned: no visit is generated; a manual visit is linked to it by its Request ID.
  const unassigned = await createWorkOrder({
    propertyId: riverside.id,
    title: 'Quarterly HVAC filter change',
    scheduledStart: quarterHourIn(now, 26 * HOUR),
  })(work);
  await createVisit({
    propertyId: riverside.id,
    visitorName: 'Sam Surveyor',
    hostId: hana.id,
    expectedArrival: quarterHourIn(now, 3 * HOUR),
    notes: 'Surveys the HVAC plant before the filter change.',
    requestId: formatRequestId(unassigned.workOrder.number),
  })(work);

  // Not compliant at Riverside: generated all the same, and blocked at the desk.
  const blocked = await createWorkOrder({
    propertyId: riverside.id,
    title: 'Rewire the plant room',
    assigneeId: sid.id,
    scheduledStart: quarterHourIn(now, 2 * HOUR),
  })(work);

  // Assigned to a company without Auto-Create Visit: no visit is generated.
  const plainWo = await createWorkOrder({
    propertyId: harbour.id,
    title: 'Fix leaking sink in the 3rd floor kitchen',
    assigneeId: paul.id,
  })(work);

  const propertyName = (id: string) => (id === riverside.id ? riverside.name : harbour.name);
  // Read back as committed: check-in moved one work order to IN_PROGRESS.
  const assignees = new Map([vera, victor, ada, paul, sid].map((u) => [u.id, u.name]));
  const workOrders = await work.tx.workOrder.findMany({
    where: { id: { in: [open, inProgress, done, unassigned, blocked, plainWo].map((r) => r.workOrder.id) } },
    orderBy: { number: 'asc' },
  });
  const visits = await work.tx.visit.findMany({
    where: { workOrderId: { in: workOrders.map((wo) => wo.id) } },
    include: { workOrder: { select: { number: true } } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });

  return {
    properties: [riverside, harbour].map((p) => `${p.name} (${p.timeZone})`),
    companies: [acme, plain, spark].map((c) => `${c.name} (Auto-Create Visit ${c.autoCreateVisit ? 'on' : 'off'})`),
    users: [
      ...[vera, victor, ada].map((u) => `${u.name} <${u.email}>, ${acme.name}`),
      `${paul.name} <${paul.email}>, ${plain.name}`,
      `${sid.name} <${sid.email}>, ${spark.name}`,
      `${hana.name} <${hana.email}>, desk host (no company)`,
    ],
    workOrders: workOrders.map(
      (wo) =>
        `${formatRequestId(wo.number)}  ${wo.status.padEnd(11)}  ${propertyName(wo.propertyId)}: ${wo.title} (${wo.assigneeId ? assignees.get(wo.assigneeId) : 'unassigned'})`,
    ),
    visits: visits.map(
      (v) =>
        `${v.visitorName}: ${v.status}${v.checkOutReason ? ` (${v.checkOutReason})` : ''}, ${v.source === 'WORK_ORDER' ? 'generated for' : 'linked by hand to'} ${formatRequestId(v.workOrder!.number)}, expected ${v.expectedArrival.toISOString()}`,
    ),
    compliance: [
      `${riverside.name} requires general liability insurance and a licence`,
      `${acme.name}: both on file (the insurance expires in 21 days)`,
      `${spark.name}: none on file, so ${sid.name}'s visit is blocked at the ${riverside.name} desk`,
    ],
  };
}

function printSummary(s: SeedSummary): void {
  const section = (title: string, lines: string[]) => [`${title}:`, ...lines.map((l) => `  ${l}`)].join('\n');
  console.log(
    [
      'Demo data created. WO Integration: on.',
      section('Properties', s.properties),
      section('Companies', s.companies),
      section('Users', s.users),
      section('Work orders', s.workOrders),
      section('Visits', s.visits),
      section('Compliance', s.compliance),
    ].join('\n'),
  );
}

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }

  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await db.migrate();
    if (applied.length > 0) console.log(`Applied migrations: ${applied.join(', ')}`);

    const bootstrap = await bootstrapAdmin(db.prisma, config.adminToken);
    if (bootstrap.kind === 'generated') {
      // Only its hash is stored: this is the one chance to see it.
      console.log(
        [
          'An administrator token was generated for this new database. It is shown only once:',
          '',
          `    ${bootstrap.secret}`,
          '',
          'Use it as "Authorization: Bearer <token>". Set ADMIN_TOKEN to choose the administrator token yourself.',
          '',
        ].join('\n'),
      );
    }
    const admin = await db.prisma.user.findUnique({ where: { email: ADMIN_EMAIL } });
    if (!admin) {
      console.error(`The administrator (${ADMIN_EMAIL}) does not exist in this database; set ADMIN_TOKEN to create it.`);
      return 1;
    }

    const where = db.kind === 'embedded' ? `the embedded database in ${config.dataDir}` : 'PostgreSQL';
    const summary = await runWork(
      // No server runs while seeding: nobody listens to the announcements.
      { prisma: db.prisma, clock: systemClock, announcements: createPubSub() },
      { userId: admin.id, access: new Access(admin.id, [{ role: 'ADMIN', propertyId: null }]) },
      seed,
    );
    if (!summary) {
      console.log(`The demo data is already there (property "${MARKER_PROPERTY}" exists in ${where}); nothing was added.`);
      return 0;
    }
    printSummary(summary);
    console.log(`Seeded ${where}.`);
    return 0;
  } catch (err) {
    if (err instanceof DomainError) {
      // A rule refused part of the demo data; the transaction rolled back whole.
      console.error(`Seeding refused, nothing was added: ${err.errors.map((e) => `${e.code}: ${e.message}`).join(' ')}`);
      return 1;
    }
    if (err instanceof MigrationError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
