import type { TestServer } from './server.ts';
import { ok, person, type Person } from './people.ts';

// Two properties, each with a generated visit of its own vendor and a manual visit, and
// one person per role: the organisation the access tests play in.

export interface Side {
  propertyId: string;
  workOrderId: string;
  requestId: string;
  /** Generated for the vendor of this side, CHECKED_IN. */
  visitId: string;
  /** Manual, EXPECTED, on the desk. */
  manualVisitId: string;
}

export interface World {
  companyId: string;
  a: Side;
  b: Side;
  managerA: Person;
  deskA: Person;
  vendorA: Person;
  vendorB: Person;
}

const mutate = (field: string, input: string, payload: string) =>
  `mutation ($input: ${input}!) { ${field}(input: $input) { ${payload} userErrors { code message field } } }`;

async function side(ts: TestServer, name: string, vendor: Person, hour: string): Promise<Side> {
  const property = await ok(ts, mutate('createProperty', 'CreatePropertyInput', 'property { id }'), {
    input: { name, timeZone: 'Europe/London' },
  });
  const propertyId = property.createProperty.property.id;
  const created = await ok(
    ts,
    mutate('createWorkOrder', 'CreateWorkOrderInput', 'workOrder { id requestId } generatedVisit { id }'),
    {
      input: { propertyId, title: `Fix the lifts at ${name}`, assigneeId: vendor.id, scheduledStart: hour },
    },
  );
  const { workOrder, generatedVisit } = created.createWorkOrder;
  await ok(ts, mutate('checkInVisit', 'CheckInVisitInput', 'visit { id }'), { input: { visitId: generatedVisit.id } });
  const manual = await ok(ts, mutate('createVisit', 'CreateVisitInput', 'visit { id }'), {
    input: { propertyId, visitorName: `Guest at ${name}`, expectedArrival: hour },
  });
  return {
    propertyId,
    workOrderId: workOrder.id,
    requestId: workOrder.requestId,
    visitId: generatedVisit.id,
    manualVisitId: manual.createVisit.visit.id,
  };
}

export async function buildWorld(ts: TestServer): Promise<World> {
  const hour = ts.clock.now().toISOString();
  await ok(ts, mutate('updateVisitorSettings', 'UpdateVisitorSettingsInput', 'visitorSettings { workOrderIntegrationEnabled }'), {
    input: { workOrderIntegrationEnabled: true },
  });
  const company = await ok(ts, mutate('createCompany', 'CreateCompanyInput', 'company { id }'), {
    input: { name: 'Acme Lifts', autoCreateVisit: true },
  });
  const companyId = company.createCompany.company.id;
  const vendorA = await person(ts, 'Vendor A', [{ role: 'VENDOR' }], companyId);
  const vendorB = await person(ts, 'Vendor B', [{ role: 'VENDOR' }], companyId);
  const a = await side(ts, 'Alpha House', vendorA, hour);
  const b = await side(ts, 'Beta Tower', vendorB, hour);
  const managerA = await person(ts, 'Manager A', [{ role: 'PROPERTY_MANAGER', propertyId: a.propertyId }]);
  const deskA = await person(ts, 'Desk A', [{ role: 'DESK', propertyId: a.propertyId }]);
  return { companyId, a, b, managerA, deskA, vendorA, vendorB };
}
