import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '../src/graphql/global-id.ts';
import { DAY, HOUR, MINUTE } from './support/clock.ts';
import { DATABASES } from './support/databases.ts';
import { mutation as m, ok, person, run, type Person } from './support/people.ts';
import { startTestServer, statementsDuring, subscribeDesk, until, type TestServer } from './support/server.ts';
import { graphql } from './generated/index.ts';

// The compliance gate: documents, requirements, Do Not Dispatch, the check at the desk with
// its override, and the desk hearing of compliance as it changes, by a change or by time.

const DOC = 'complianceDocument { id kind reference effectiveFrom expiresAt status company { id } }';
const CHECK = 'compliant problems { code kind message }';
const VISIT = `id status compliance { ${CHECK} } complianceOverride { reason by { id } at }`;

const DeskWatch = graphql(`
  subscription ComplianceDeskWatch($propertyId: ID!) {
    visitorDeskChanged(propertyId: $propertyId) {
      kind
      visit {
        id
        compliance {
          compliant
          problems {
            code
          }
        }
      }
    }
  }
`);

describe.each(DATABASES)('compliance gate on %s', (kind) => {
  let ts: TestServer;
  let propertyId: string;
  let otherPropertyId: string;
  let manager: Person;
  let otherManager: Person;
  let desk: Person;
  let n = 0;

  const add = (input: Record<string, unknown>, token?: string) =>
    run(ts, m('addComplianceDocument', DOC), { input }, token).then((r) => r.data!.addComplianceDocument);

  /** A vendor company with Auto-Create Visit and one vendor user. */
  async function vendorCompany(name: string) {
    const company = (await ok(ts, m('createCompany', 'company { id }'), { input: { name, autoCreateVisit: true } })).createCompany
      .company.id as string;
    const vendor = await person(ts, `${name} fitter ${++n}`, [{ role: 'VENDOR' }], company);
    return { company, vendor };
  }

  /** A work order for the vendor at the property, and its generated visit. */
  async function generated(vendorId: string, at = ts.clock.now().toISOString(), where = propertyId) {
    const data = await ok(ts, m('createWorkOrder', `workOrder { id } generatedVisit { ${VISIT} }`), {
      input: { propertyId: where, title: `Job ${++n}`, assigneeId: vendorId, scheduledStart: at },
    });
    expect(data.createWorkOrder.userErrors).toEqual([]);
    return data.createWorkOrder as { workOrder: { id: string }; generatedVisit: { id: string; compliance: any } };
  }

  const checkIn = (visitId: string, token?: string, complianceOverrideReason?: string) =>
    run(ts, m('checkInVisit', `visit { ${VISIT} }`), { input: { visitId, complianceOverrideReason } }, token).then(
      (r) => r.data!.checkInVisit,
    );

  const visit = async (id: string, token?: string) =>
    (await ok(ts, `query ($id: ID!) { node(id: $id) { ... on Visit { ${VISIT} } } }`, { id }, token)).node;

  const compliance = async (company: string, at?: string, where = propertyId) =>
    (
      await ok(
        ts,
        `query ($c: ID!, $p: ID!, $at: DateTime) { node(id: $c) { ... on Company { compliance(propertyId: $p, at: $at) { ${CHECK} } } } }`,
        {
          c: company,
          p: where,
          at,
        },
      )
    ).node.compliance;

  beforeAll(async () => {
    ts = await startTestServer(kind);
    await ok(ts, m('updateVisitorSettings', 'visitorSettings { workOrderIntegrationEnabled }'), {
      input: { workOrderIntegrationEnabled: true },
    });
    const created = async (name: string) =>
      (await ok(ts, m('createProperty', 'property { id }'), { input: { name, timeZone: 'Europe/London' } })).createProperty
        .property.id as string;
    propertyId = await created('Gatehouse');
    otherPropertyId = await created('Elsewhere');
    manager = await person(ts, 'Gate Manager', [{ role: 'PROPERTY_MANAGER', propertyId }]);
    otherManager = await person(ts, 'Other Manager', [{ role: 'PROPERTY_MANAGER', propertyId: otherPropertyId }]);
    desk = await person(ts, 'Gate Desk', [{ role: 'DESK', propertyId }]);
    const set = await ok(ts, m('setComplianceRequirements', 'property { complianceRequirements }'), {
      input: { propertyId, kinds: ['GENERAL_LIABILITY_INSURANCE', 'LICENSE'] },
    });
    expect(set.setComplianceRequirements).toEqual({
      property: { complianceRequirements: ['GENERAL_LIABILITY_INSURANCE', 'LICENSE'] },
      userErrors: [],
    });
  }, 120_000);
  afterAll(() => ts?.close());

  describe('documents', () => {
    it('have a status as of now, are listed latest expiry first, and wait for approval when a vendor adds them', async () => {
      const { company, vendor } = await vendorCompany('Listed Lifts');
      const now = ts.clock.now().getTime();
      const at = (ms: number) => new Date(now + ms).toISOString();
      const valid = await add({
        companyId: company,
        kind: 'LICENSE',
        reference: 'LIC-1',
        effectiveFrom: at(-DAY),
        expiresAt: at(30 * DAY),
      });
      const future = await add({ companyId: company, kind: 'LICENSE', effectiveFrom: at(30 * DAY), expiresAt: at(395 * DAY) });
      const expired = await add({ companyId: company, kind: 'LICENSE', effectiveFrom: at(-400 * DAY), expiresAt: at(-DAY) });
      const pending = await add(
        { companyId: company, kind: 'GENERAL_LIABILITY_INSURANCE', effectiveFrom: at(-DAY), expiresAt: at(300 * DAY) },
        vendor.token,
      );
      expect([valid, future, expired, pending].map((p) => [p.userErrors, p.complianceDocument.status])).toEqual([
        [[], 'VALID'],
        [[], 'NOT_YET_EFFECTIVE'],
        [[], 'EXPIRED'],
        [[], 'PENDING_APPROVAL'],
      ]);
      expect(valid.complianceDocument).toMatchObject({ kind: 'LICENSE', reference: 'LIC-1', company: { id: company } });

      const listed = async (token?: string) =>
        (
          await ok(
            ts,
            `query ($c: ID!) { node(id: $c) { ... on Company { complianceDocuments { id status } } } }`,
            { c: company },
            token,
          )
        ).node.complianceDocuments;
      const order = [future, pending, valid, expired].map((p) => p.complianceDocument.id);
      expect((await listed()).map((d: { id: string }) => d.id)).toEqual(order);
      // The vendor reads its own company's documents; the desk reads every company's.
      expect((await listed(vendor.token)).map((d: { id: string }) => d.id)).toEqual(order);
      expect((await listed(desk.token)).map((d: { id: string }) => d.id)).toEqual(order);

      const approved = await ok(
        ts,
        m('approveComplianceDocument', DOC),
        { input: { complianceDocumentId: pending.complianceDocument.id } },
        manager.token,
      );
      expect(approved.approveComplianceDocument.complianceDocument.status).toBe('VALID');
      const removed = await ok(ts, m('removeComplianceDocument', 'removedComplianceDocumentId'), {
        input: { complianceDocumentId: expired.complianceDocument.id },
      });
      expect(removed.removeComplianceDocument).toEqual({
        removedComplianceDocumentId: expired.complianceDocument.id,
        userErrors: [],
      });
      expect((await listed()).map((d: { id: string }) => d.id)).toEqual(order.slice(0, 3));
      const gone = await ok(ts, 'query ($id: ID!) { node(id: $id) { id } }', { id: expired.complianceDocument.id });
      expect(gone.node).toBeNull();

      const trail = await ok(
        ts,
        'query ($e: ID) { auditEvents(first: 50, entityId: $e) { edges { node { action actor { id } } } } }',
        {
          e: pending.complianceDocument.id,
        },
      );
      expect(trail.auditEvents.edges.map((e: any) => [e.node.action, e.node.actor.id])).toEqual([
        ['complianceDocument.added', vendor.id],
        ['complianceDocument.approved', manager.id],
      ]);
    });

    it('are managed by administrators and managers; a vendor adds only its own, the desk only reads', async () => {
      const { company, vendor } = await vendorCompany('Role Roofing');
      const { company: rival, vendor: rivalVendor } = await vendorCompany('Rival Roofing');
      const span = { kind: 'LICENSE', effectiveFrom: ts.clock.in(-DAY), expiresAt: ts.clock.in(DAY) };
      expect((await add({ companyId: company, ...span }, desk.token)).userErrors).toEqual([
        { code: 'FORBIDDEN', message: expect.stringContaining('ask a property manager'), field: ['input', 'companyId'] },
      ]);
      // Another company is out of a vendor's sight: it answers like one that does not exist.
      const foreign = await add({ companyId: rival, ...span }, vendor.token);
      const nothing = await add({ companyId: encodeGlobalID('Company', randomUUID()), ...span }, vendor.token);
      expect(foreign).toEqual(nothing);
      expect(foreign.userErrors[0].code).toBe('NOT_FOUND');
      // A manager of any property manages any company's documents.
      const byOther = await add({ companyId: company, ...span }, otherManager.token);
      expect(byOther.complianceDocument.status).toBe('VALID');
      const id = byOther.complianceDocument.id;
      for (const who of [vendor, desk]) {
        for (const field of ['approveComplianceDocument', 'removeComplianceDocument']) {
          const answer = (await run(ts, m(field, 'userErrors { code }'), { input: { complianceDocumentId: id } }, who.token))
            .data![field];
          expect(answer.userErrors.map((e: { code: string }) => e.code)).toEqual(['FORBIDDEN']);
        }
      }
      const seen = async (token: string) => (await ok(ts, 'query ($id: ID!) { node(id: $id) { id } }', { id }, token)).node;
      expect(await seen(vendor.token)).toEqual({ id });
      expect(await seen(rivalVendor.token)).toBeNull();
      const rivalApprove = (
        await run(
          ts,
          m('approveComplianceDocument', 'userErrors { code }'),
          { input: { complianceDocumentId: id } },
          rivalVendor.token,
        )
      ).data!.approveComplianceDocument;
      expect(rivalApprove.userErrors.map((e: { code: string }) => e.code)).toEqual(['NOT_FOUND']);
    });

    it('refuse bad input with the field named, and write nothing', async () => {
      const { company } = await vendorCompany('Bad Input Builders');
      const base = { companyId: company, kind: 'LICENSE', effectiveFrom: ts.clock.in(0), expiresAt: ts.clock.in(DAY) };
      expect((await add({ ...base, expiresAt: base.effectiveFrom })).userErrors).toEqual([
        { code: 'INVALID_INPUT', message: 'expiresAt must be later than effectiveFrom.', field: ['input', 'expiresAt'] },
      ]);
      expect((await add({ ...base, reference: 'x'.repeat(201) })).userErrors).toEqual([
        { code: 'INVALID_INPUT', message: 'Reference must be at most 200 characters long.', field: ['input', 'reference'] },
      ]);
      expect((await add({ ...base, companyId: propertyId })).userErrors).toEqual([
        {
          code: 'INVALID_INPUT',
          message: 'companyId must be the id of a Company, as returned by this API.',
          field: ['input', 'companyId'],
        },
      ]);
      const unknownKind = await run(ts, m('addComplianceDocument', DOC), { input: { ...base, kind: 'HARD_HAT' } });
      expect(unknownKind.errors?.[0].message).toMatch(/HARD_HAT/);
      const duplicates = await ok(ts, m('setComplianceRequirements', 'property { id }'), {
        input: { propertyId: otherPropertyId, kinds: ['LICENSE', 'UMBRELLA_INSURANCE', 'LICENSE'] },
      });
      expect(duplicates.setComplianceRequirements.userErrors).toEqual([
        { code: 'INVALID_INPUT', message: 'kinds lists LICENSE twice; list each kind once.', field: ['input', 'kinds', '2'] },
      ]);
      const docs = await ok(ts, 'query ($c: ID!) { node(id: $c) { ... on Company { complianceDocuments { id } } } }', {
        c: company,
      });
      expect(docs.node.complianceDocuments).toEqual([]);
      const reminders = await run(ts, 'query { expiringComplianceDocuments(withinDays: -1) { id } }');
      expect(reminders.errors?.[0]).toMatchObject({
        message: 'withinDays must be from 0 to 366.',
        extensions: { code: 'BAD_USER_INPUT' },
      });
    });
  });

  describe('requirements', () => {
    it("are set by an administrator or the property's manager only", async () => {
      const input = { propertyId, kinds: ['GENERAL_LIABILITY_INSURANCE', 'LICENSE'] };
      const codes = async (token: string) =>
        (
          await run(ts, m('setComplianceRequirements', 'property { id }'), { input }, token)
        ).data!.setComplianceRequirements.userErrors.map((e: { code: string }) => e.code);
      expect(await codes(desk.token)).toEqual(['FORBIDDEN']);
      // Another property's manager does not see this one: as if it did not exist.
      expect(await codes(otherManager.token)).toEqual(['NOT_FOUND']);
      expect(await codes(manager.token)).toEqual([]);
    });
  });

  describe('a company at a property', () => {
    it('is compliant only with every required kind approved and valid at that moment, and says what is wrong', async () => {
      const { company, vendor } = await vendorCompany('Acme Electric');
      expect(await compliance(company)).toEqual({
        compliant: false,
        problems: [
          {
            code: 'MISSING_DOCUMENT',
            kind: 'GENERAL_LIABILITY_INSURANCE',
            message: 'Acme Electric has no general liability insurance on file; ask the vendor for the certificate.',
          },
          {
            code: 'MISSING_DOCUMENT',
            kind: 'LICENSE',
            message: 'Acme Electric has no licence on file; ask the vendor for the certificate.',
          },
        ],
      });
      // A property without requirements lets it in.
      expect(await compliance(company, undefined, otherPropertyId)).toEqual({ compliant: true, problems: [] });

      await add({ companyId: company, kind: 'LICENSE', effectiveFrom: ts.clock.in(-DAY), expiresAt: ts.clock.in(365 * DAY) });
      // Insurance until 2 Dec, then (uploaded ahead of time) a renewal from 2 Dec: no gap.
      const end = '2026-12-02T12:00:00.000Z';
      await add(
        { companyId: company, kind: 'GENERAL_LIABILITY_INSURANCE', effectiveFrom: ts.clock.in(-30 * DAY), expiresAt: end },
        vendor.token,
      );
      expect((await compliance(company)).problems).toEqual([
        {
          code: 'MISSING_DOCUMENT',
          kind: 'GENERAL_LIABILITY_INSURANCE',
          message:
            "Acme Electric's general liability insurance awaits approval; ask a property manager or an administrator to approve it.",
        },
      ]);
      const docs = await ok(ts, 'query ($c: ID!) { node(id: $c) { ... on Company { complianceDocuments { id status } } } }', {
        c: company,
      });
      const pendingId = docs.node.complianceDocuments.find((d: { status: string }) => d.status === 'PENDING_APPROVAL').id;
      await ok(ts, m('approveComplianceDocument', 'userErrors { code }'), { input: { complianceDocumentId: pendingId } });
      expect(await compliance(company)).toEqual({ compliant: true, problems: [] });
      expect((await compliance(company, '2026-12-03T09:00:00.000Z')).problems).toEqual([
        {
          code: 'EXPIRED_DOCUMENT',
          kind: 'GENERAL_LIABILITY_INSURANCE',
          message:
            "Acme Electric's general liability insurance expired on 2 Dec 2026; ask the vendor for the renewed certificate.",
        },
      ]);
      // A renewal that starts a day late leaves a gap: expired, with the renewal's start said.
      const renewal = await add({
        companyId: company,
        kind: 'GENERAL_LIABILITY_INSURANCE',
        effectiveFrom: '2026-12-03T12:00:00.000Z',
        expiresAt: '2027-12-03T12:00:00.000Z',
      });
      expect((await compliance(company, '2026-12-03T09:00:00.000Z')).problems).toEqual([
        {
          code: 'EXPIRED_DOCUMENT',
          kind: 'GENERAL_LIABILITY_INSURANCE',
          message:
            "Acme Electric's general liability insurance expired on 2 Dec 2026 and its renewal only starts on 3 Dec 2026; ask the vendor for the renewed certificate.",
        },
      ]);
      expect(await compliance(company, '2026-12-03T12:00:00.000Z')).toEqual({ compliant: true, problems: [] });
      await ok(ts, m('removeComplianceDocument', 'userErrors { code }'), {
        input: { complianceDocumentId: renewal.complianceDocument.id },
      });

      const fresh = await vendorCompany('Late Starters');
      await add({ companyId: fresh.company, kind: 'LICENSE', effectiveFrom: ts.clock.in(-DAY), expiresAt: ts.clock.in(DAY) });
      await add({
        companyId: fresh.company,
        kind: 'GENERAL_LIABILITY_INSURANCE',
        effectiveFrom: '2026-12-10T00:00:00.000Z',
        expiresAt: '2027-12-10T00:00:00.000Z',
      });
      expect((await compliance(fresh.company)).problems).toEqual([
        {
          code: 'NOT_YET_EFFECTIVE',
          kind: 'GENERAL_LIABILITY_INSURANCE',
          message:
            "Late Starters's general liability insurance only takes effect on 10 Dec 2026; ask the vendor for a certificate that covers today.",
        },
      ]);

      await ok(ts, m('updateCompany', 'company { doNotDispatch }'), { input: { companyId: company, doNotDispatch: true } });
      expect((await compliance(company)).problems).toEqual([
        {
          code: 'DO_NOT_DISPATCH',
          kind: null,
          message: 'Acme Electric is marked Do Not Dispatch; its people may not work here until an administrator lifts it.',
        },
      ]);
      const outOfSight = await run(
        ts,
        `query ($c: ID!, $p: ID!) { node(id: $c) { ... on Company { compliance(propertyId: $p) { compliant } } } }`,
        { c: company, p: propertyId },
        vendor.token,
      );
      expect(outOfSight.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('Do Not Dispatch', () => {
    it('refuses assigning new work to its users, and leaves assigned work to be completed', async () => {
      const { company, vendor } = await vendorCompany('Barred Builders');
      const assigned = await ok(ts, m('createWorkOrder', 'workOrder { id }'), {
        input: { propertyId: otherPropertyId, title: 'Already theirs', assigneeId: vendor.id },
      });
      const unassigned = await ok(ts, m('createWorkOrder', 'workOrder { id }'), {
        input: { propertyId: otherPropertyId, title: 'Nobody yet' },
      });
      const byDesk = await run(
        ts,
        m('updateCompany', 'company { doNotDispatch }'),
        { input: { companyId: company, doNotDispatch: true } },
        manager.token,
      );
      expect(byDesk.data!.updateCompany.userErrors[0].code).toBe('FORBIDDEN');
      await ok(ts, m('updateCompany', 'company { doNotDispatch }'), { input: { companyId: company, doNotDispatch: true } });

      const count = async () =>
        (
          await ok(
            ts,
            'query ($p: ID!) { node(id: $p) { ... on Property { workOrders(first: 100) { edges { node { id } } } } } }',
            { p: otherPropertyId },
          )
        ).node.workOrders.edges.length;
      const before = await count();
      const refused = {
        code: 'DO_NOT_DISPATCH',
        message: expect.stringMatching(
          /^Barred Builders is marked Do Not Dispatch, so .* cannot be assigned new work; assign someone else\.$/,
        ),
        field: ['input', 'assigneeId'],
      };
      const create = await ok(ts, m('createWorkOrder', 'workOrder { id }'), {
        input: { propertyId: otherPropertyId, title: 'Refused', assigneeId: vendor.id },
      });
      expect(create.createWorkOrder).toEqual({ workOrder: null, userErrors: [refused] });
      const update = await ok(ts, m('updateWorkOrder', 'workOrder { assignee { id } }'), {
        input: { workOrderId: unassigned.createWorkOrder.workOrder.id, assigneeId: vendor.id },
      });
      expect(update.updateWorkOrder).toEqual({ workOrder: null, userErrors: [refused] });
      expect(await count()).toBe(before);
      const retitled = await ok(ts, m('updateWorkOrder', 'workOrder { title assignee { id } }'), {
        input: { workOrderId: assigned.createWorkOrder.workOrder.id, title: 'Still theirs' },
      });
      expect(retitled.updateWorkOrder).toEqual({
        workOrder: { title: 'Still theirs', assignee: { id: vendor.id } },
        userErrors: [],
      });
      const completed = await ok(
        ts,
        m('completeWorkOrder', 'workOrder { status }'),
        { input: { workOrderId: assigned.createWorkOrder.workOrder.id } },
        vendor.token,
      );
      expect(completed.completeWorkOrder).toEqual({ workOrder: { status: 'COMPLETED' }, userErrors: [] });
    });
  });

  describe('at the desk', () => {
    it('generates the visit of a non-compliant vendor, says why, and refuses its check-in with nothing changed', async () => {
      const { vendor } = await vendorCompany('Uninsured Upholstery');
      const { generatedVisit } = await generated(vendor.id);
      expect(generatedVisit.compliance).toEqual({
        compliant: false,
        problems: [
          {
            code: 'MISSING_DOCUMENT',
            kind: 'GENERAL_LIABILITY_INSURANCE',
            message: expect.stringContaining('no general liability insurance'),
          },
          { code: 'MISSING_DOCUMENT', kind: 'LICENSE', message: expect.stringContaining('no licence') },
        ],
      });
      const refused = await checkIn(generatedVisit.id, desk.token);
      expect(refused).toEqual({
        visit: null,
        userErrors: [
          {
            code: 'COMPLIANCE_BLOCKED',
            message:
              'Not let in: Uninsured Upholstery has no general liability insurance on file; ask the vendor for the certificate. Uninsured Upholstery has no licence on file; ask the vendor for the certificate.',
            field: ['input', 'visitId'],
          },
        ],
      });
      expect((await checkIn(generatedVisit.id, desk.token, 'The manager said so')).userErrors).toEqual([
        {
          code: 'FORBIDDEN',
          message: expect.stringMatching(/^Only a property manager of this property or an administrator can let in/),
          field: ['input', 'complianceOverrideReason'],
        },
      ]);
      expect((await checkIn(generatedVisit.id, manager.token, '   ')).userErrors).toEqual([
        {
          code: 'INVALID_INPUT',
          message: 'Compliance override reason must not be blank.',
          field: ['input', 'complianceOverrideReason'],
        },
      ]);
      expect(await visit(generatedVisit.id)).toMatchObject({ status: 'EXPECTED', complianceOverride: null });
      const history = await ok(ts, 'query ($id: ID!) { node(id: $id) { ... on Visit { history { action } } } }', {
        id: generatedVisit.id,
      });
      expect(history.node.history.map((h: { action: string }) => h.action)).toEqual(['visit.generated']);
    });

    it('lets a manager check a non-compliant visitor in with a reason, kept on the visit and in the audit trail', async () => {
      const { vendor } = await vendorCompany('Overridden Ovens');
      const { generatedVisit } = await generated(vendor.id);
      const answer = await checkIn(
        generatedVisit.id,
        manager.token,
        '  Emergency boiler repair; certificate promised by noon.  ',
      );
      expect(answer.userErrors).toEqual([]);
      expect(answer.visit).toMatchObject({
        status: 'CHECKED_IN',
        compliance: { compliant: false },
        complianceOverride: {
          reason: 'Emergency boiler repair; certificate promised by noon.',
          by: { id: manager.id },
          at: ts.clock.now().toISOString(),
        },
      });
      const history = await ok(
        ts,
        'query ($id: ID!) { node(id: $id) { ... on Visit { history { action actor { id } changes { field to } } } } }',
        { id: generatedVisit.id },
      );
      const overridden = history.node.history.find((h: { action: string }) => h.action === 'visit.complianceOverridden');
      expect(overridden.actor).toEqual({ id: manager.id });
      expect(overridden.changes).toContainEqual({
        field: 'complianceOverrideReason',
        to: 'Emergency boiler repair; certificate promised by noon.',
      });
    });

    it('ignores a reason for a visitor who is compliant anyway, and never gates visits without a company', async () => {
      const { company, vendor } = await vendorCompany('Fully Covered');
      for (const kind of ['GENERAL_LIABILITY_INSURANCE', 'LICENSE']) {
        await add({ companyId: company, kind, effectiveFrom: ts.clock.in(-DAY), expiresAt: ts.clock.in(365 * DAY) });
      }
      const { generatedVisit } = await generated(vendor.id);
      expect(generatedVisit.compliance).toEqual({ compliant: true, problems: [] });
      const answer = await checkIn(generatedVisit.id, manager.token, 'Not needed');
      expect(answer.visit).toMatchObject({ status: 'CHECKED_IN', complianceOverride: null });
      const history = await ok(ts, 'query ($id: ID!) { node(id: $id) { ... on Visit { history { action } } } }', {
        id: generatedVisit.id,
      });
      expect(history.node.history.map((h: { action: string }) => h.action)).not.toContain('visit.complianceOverridden');

      const walkIn = await ok(ts, m('createVisit', `visit { ${VISIT} }`), {
        input: { propertyId, visitorName: 'Walk-in Wendy', expectedArrival: ts.clock.in(0) },
      });
      expect(walkIn.createVisit.visit.compliance).toEqual({ compliant: true, problems: [] });
      expect((await checkIn(walkIn.createVisit.visit.id, desk.token)).visit.status).toBe('CHECKED_IN');
    });

    it('judges an expected visit at its expected arrival, as its check-in will, and an ended one as it was', async () => {
      const { company, vendor } = await vendorCompany('Tomorrow Tilers');
      // Valid now, expired by the time the visitor is expected.
      for (const kind of ['GENERAL_LIABILITY_INSURANCE', 'LICENSE']) {
        await add({
          companyId: company,
          kind,
          effectiveFrom: ts.clock.in(-DAY),
          expiresAt: ts.clock.in(kind === 'LICENSE' ? 12 * HOUR : 365 * DAY),
        });
      }
      const { generatedVisit } = await generated(vendor.id, ts.clock.in(20 * HOUR));
      expect(generatedVisit.compliance.problems.map((p: { code: string }) => p.code)).toEqual(['EXPIRED_DOCUMENT']);
      expect((await checkIn(generatedVisit.id, desk.token)).userErrors[0].code).toBe('COMPLIANCE_BLOCKED');

      const { generatedVisit: today } = await generated(vendor.id);
      expect((await checkIn(today.id, desk.token)).visit.compliance).toEqual({ compliant: true, problems: [] });
      const out = await ok(ts, m('checkOutVisit', 'visit { status }'), { input: { visitId: today.id } });
      expect(out.checkOutVisit.visit.status).toBe('CHECKED_OUT');
      const docs = await ok(ts, 'query ($c: ID!) { node(id: $c) { ... on Company { complianceDocuments { id } } } }', {
        c: company,
      });
      ts.clock.advance(MINUTE);
      for (const doc of docs.node.complianceDocuments) {
        await ok(ts, m('removeComplianceDocument', 'userErrors { code }'), { input: { complianceDocumentId: doc.id } });
      }
      // It was compliant while it lasted, whatever happened since.
      expect((await visit(today.id)).compliance).toEqual({ compliant: true, problems: [] });
      expect((await visit(generatedVisit.id)).compliance.problems.map((p: { code: string }) => p.code)).toEqual([
        'MISSING_DOCUMENT',
        'MISSING_DOCUMENT',
      ]);
    });

    it('tells the desk when a change or the passing of time changes a waiting visit, once', async () => {
      const { company, vendor } = await vendorCompany('Expiring Electrics');
      const start = ts.clock.now();
      const licence = await add({
        companyId: company,
        kind: 'LICENSE',
        effectiveFrom: ts.clock.in(-DAY),
        expiresAt: ts.clock.in(365 * DAY),
      });
      // The insurance runs out in 30 minutes, while its visitor waits on the desk.
      await add({
        companyId: company,
        kind: 'GENERAL_LIABILITY_INSURANCE',
        effectiveFrom: ts.clock.in(-DAY),
        expiresAt: ts.clock.in(30 * MINUTE),
      });
      const { generatedVisit } = await generated(vendor.id);
      const onSite = (await checkIn(generatedVisit.id, desk.token)).visit;
      expect(onSite.compliance.compliant).toBe(true);
      const sub = await subscribeDesk(ts, DeskWatch, propertyId);
      const updates = () => sub.events.filter((e) => e.visitorDeskChanged.visit.id === generatedVisit.id);
      try {
        ts.clock.advance(29 * MINUTE);
        await ts.server.desk.tick();
        ts.clock.advance(2 * MINUTE);
        await ts.server.desk.tick();
        await until(() => updates().length === 1, 'the expiry is announced');
        await ts.server.desk.tick();
        // A change by hand is heard too: the licence removed.
        await ok(ts, m('removeComplianceDocument', 'userErrors { code }'), {
          input: { complianceDocumentId: licence.complianceDocument.id },
        });
        await until(() => updates().length === 2, 'the removal is announced');
        // A visit of another company at this desk is not touched by either.
        expect(
          updates().map((e) => [e.visitorDeskChanged.kind, e.visitorDeskChanged.visit.compliance.problems.map((p) => p.code)]),
        ).toEqual([
          ['VISIT_UPDATED', ['EXPIRED_DOCUMENT']],
          ['VISIT_UPDATED', ['EXPIRED_DOCUMENT', 'MISSING_DOCUMENT']],
        ]);
      } finally {
        sub.close();
        ts.clock.set(start);
      }
    });

    it('tells the desk when Do Not Dispatch or the requirements change what a visit on it shows', async () => {
      const { company, vendor } = await vendorCompany('Switched Scaffolding');
      const { generatedVisit } = await generated(vendor.id, undefined, otherPropertyId);
      const sub = await subscribeDesk(ts, DeskWatch, otherPropertyId);
      const seen = () =>
        sub.events
          .filter((e) => e.visitorDeskChanged.visit.id === generatedVisit.id)
          .map((e) => [e.visitorDeskChanged.kind, e.visitorDeskChanged.visit.compliance.problems.map((p) => p.code)]);
      const requirements = (kinds: string[]) =>
        ok(ts, m('setComplianceRequirements', 'property { id }'), { input: { propertyId: otherPropertyId, kinds } });
      try {
        await ok(ts, m('updateCompany', 'company { id }'), { input: { companyId: company, doNotDispatch: true } });
        await until(() => seen().length === 1, 'Do Not Dispatch is announced');
        await ok(ts, m('updateCompany', 'company { id }'), { input: { companyId: company, doNotDispatch: false } });
        await until(() => seen().length === 2, 'lifting it is announced');
        await requirements(['LICENSE']);
        await until(() => seen().length === 3, 'the new requirement is announced');
        // The vendor's own licence, awaiting approval: the row now says so.
        await add(
          { companyId: company, kind: 'LICENSE', effectiveFrom: ts.clock.in(-DAY), expiresAt: ts.clock.in(DAY) },
          vendor.token,
        );
        await until(() => seen().length === 4, 'the pending licence is announced');
        await requirements(['LICENSE', 'SAFETY_TRAINING']);
        await until(() => seen().length === 5, 'the second requirement is announced');
        await requirements([]);
        await until(() => seen().length === 6, 'lifting the requirements is announced');
        expect(seen()).toEqual([
          ['VISIT_UPDATED', ['DO_NOT_DISPATCH']],
          ['VISIT_UPDATED', []],
          ['VISIT_UPDATED', ['MISSING_DOCUMENT']],
          ['VISIT_UPDATED', ['MISSING_DOCUMENT']],
          ['VISIT_UPDATED', ['MISSING_DOCUMENT', 'MISSING_DOCUMENT']],
          ['VISIT_UPDATED', []],
        ]);
        // A change that leaves the row as it was says nothing.
        await ok(ts, m('updateCompany', 'company { id }'), { input: { companyId: company, autoCreateVisit: true } });
        await requirements([]);
        await new Promise((r) => setTimeout(r, 200));
        expect(seen()).toHaveLength(6);
      } finally {
        sub.close();
        await requirements([]);
      }
    });

    it("shows each row's compliance on the desk read, read with the rows: no more statements, requirements or not", async () => {
      const counted = async (query: string, p: string) => {
        let data;
        const count = await statementsDuring(ts, async () => (data = await ok(ts, query, { p })));
        return { count, data: data! };
      };
      const read = async (where: string) => {
        const { vendor } = await vendorCompany(`Desk Row ${where === propertyId ? 'Gated' : 'Open'}`);
        const { generatedVisit } = await generated(vendor.id, undefined, where);
        const plain = await counted('query ($p: ID!) { visitorDesk(propertyId: $p) { entries { id company { name } } } }', where);
        const withCompliance = await counted(
          `query ($p: ID!) { visitorDesk(propertyId: $p) { entries { id company { name } compliance { ${CHECK} } } } }`,
          where,
        );
        const row = withCompliance.data.visitorDesk.entries.find((e: { id: string }) => e.id === generatedVisit.id);
        return { plain: plain.count, count: withCompliance.count, row };
      };
      const gated = await read(propertyId);
      const open = await read(otherPropertyId);
      expect(gated.row.compliance.problems.map((p: { code: string }) => p.code)).toEqual([
        'MISSING_DOCUMENT',
        'MISSING_DOCUMENT',
      ]);
      expect(open.row.compliance).toEqual({ compliant: true, problems: [] });
      expect(gated.plain).toBeGreaterThan(0);
      expect([gated.count, open.count]).toEqual([gated.plain, gated.plain]);
    });

    it('checks in with no more SQL statements when requirements are set than when none are', async () => {
      const statements = async (where: string) => {
        const { company, vendor } = await vendorCompany(`Counted ${where === propertyId ? 'Gated' : 'Open'}`);
        for (const kind of ['GENERAL_LIABILITY_INSURANCE', 'LICENSE']) {
          await add({ companyId: company, kind, effectiveFrom: ts.clock.in(-DAY), expiresAt: ts.clock.in(365 * DAY) });
        }
        const { generatedVisit } = await generated(vendor.id, undefined, where);
        let answer;
        const count = await statementsDuring(
          ts,
          async () => (answer = await run(ts, m('checkInVisit', 'visit { status }'), { input: { visitId: generatedVisit.id } })),
        );
        expect(answer!.data!.checkInVisit).toEqual({ visit: { status: 'CHECKED_IN' }, userErrors: [] });
        return count;
      };
      expect(await statements(propertyId)).toBe(await statements(otherPropertyId));
    });
  });

  it('lists approved documents valid now that expire within the days asked, oldest expiry first, as documents are visible', async () => {
    const { company, vendor } = await vendorCompany('Reminder Roofing');
    const { company: rival } = await vendorCompany('Reminder Rivals');
    const soon = await add({
      companyId: company,
      kind: 'LICENSE',
      effectiveFrom: ts.clock.in(-DAY),
      expiresAt: ts.clock.in(10 * DAY),
    });
    const sooner = await add({
      companyId: rival,
      kind: 'LICENSE',
      effectiveFrom: ts.clock.in(-DAY),
      expiresAt: ts.clock.in(5 * DAY),
    });
    await add({
      companyId: company,
      kind: 'UMBRELLA_INSURANCE',
      effectiveFrom: ts.clock.in(-DAY),
      expiresAt: ts.clock.in(60 * DAY),
    });
    await add({
      companyId: company,
      kind: 'AUTO_LIABILITY_INSURANCE',
      effectiveFrom: ts.clock.in(DAY),
      expiresAt: ts.clock.in(9 * DAY),
    });
    await add(
      { companyId: company, kind: 'SAFETY_TRAINING', effectiveFrom: ts.clock.in(-DAY), expiresAt: ts.clock.in(8 * DAY) },
      vendor.token,
    );
    const ours = [soon, sooner].map((p) => p.complianceDocument.id);
    const listed = async (token?: string) =>
      (await ok(ts, 'query { expiringComplianceDocuments(withinDays: 30) { id } }', {}, token)).expiringComplianceDocuments
        .map((d: { id: string }) => d.id)
        .filter((id: string) => ours.includes(id));
    expect(await listed()).toEqual([sooner.complianceDocument.id, soon.complianceDocument.id]);
    expect(await listed(vendor.token)).toEqual([soon.complianceDocument.id]);
  });
});
