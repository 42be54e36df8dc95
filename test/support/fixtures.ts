import { graphql } from '../generated/index.ts';
import type { TestServer } from './server.ts';

// Shared documents and the organisation most tests start from.

export const VISIT_FIELDS = graphql(`
  fragment VisitFields on Visit {
    id
    visitorName
    status
    source
    expectedArrival
    expectedDeparture
    checkedInAt
    checkedOutAt
    checkOutReason
    notes
    property {
      id
    }
    visitor {
      id
      name
    }
    company {
      id
      name
    }
    host {
      id
    }
    workOrder {
      id
      requestId
    }
  }
`);

export const WORK_ORDER_FIELDS = graphql(`
  fragment WorkOrderFields on WorkOrder {
    id
    requestId
    title
    description
    status
    scheduledStart
    scheduledEnd
    completedAt
    property {
      id
    }
    assignee {
      id
    }
    visits {
      id
      status
      source
    }
  }
`);

export const USER_ERRORS = graphql(`
  fragment UserErrorFields on UserError {
    code
    message
    field
  }
`);

export const CreateProperty = graphql(`
  mutation CreateProperty($input: CreatePropertyInput!) {
    createProperty(input: $input) {
      property {
        id
        name
        timeZone
        deskWindow {
          lookBehindMinutes
          lookAheadMinutes
        }
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const CreateCompany = graphql(`
  mutation CreateCompany($input: CreateCompanyInput!) {
    createCompany(input: $input) {
      company {
        id
        name
        autoCreateVisit
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const CreateUser = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      user {
        id
        name
        email
        company {
          id
        }
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const SetIntegration = graphql(`
  mutation SetIntegration($enabled: Boolean!) {
    updateVisitorSettings(input: { workOrderIntegrationEnabled: $enabled }) {
      visitorSettings {
        workOrderIntegrationEnabled
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const CreateWorkOrder = graphql(`
  mutation CreateWorkOrder($input: CreateWorkOrderInput!) {
    createWorkOrder(input: $input) {
      workOrder {
        ...WorkOrderFields
      }
      generatedVisit {
        ...VisitFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const UpdateWorkOrder = graphql(`
  mutation UpdateWorkOrder($input: UpdateWorkOrderInput!) {
    updateWorkOrder(input: $input) {
      workOrder {
        ...WorkOrderFields
      }
      generatedVisit {
        ...VisitFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const CompleteWorkOrder = graphql(`
  mutation CompleteWorkOrder($input: CompleteWorkOrderInput!) {
    completeWorkOrder(input: $input) {
      workOrder {
        ...WorkOrderFields
      }
      checkedOutVisits {
        ...VisitFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const CreateVisit = graphql(`
  mutation CreateVisit($input: CreateVisitInput!) {
    createVisit(input: $input) {
      visit {
        ...VisitFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const UpdateVisit = graphql(`
  mutation UpdateVisit($input: UpdateVisitInput!) {
    updateVisit(input: $input) {
      visit {
        ...VisitFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const CheckIn = graphql(`
  mutation CheckIn($visitId: ID!) {
    checkInVisit(input: { visitId: $visitId }) {
      visit {
        ...VisitFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const CheckOut = graphql(`
  mutation CheckOut($visitId: ID!) {
    checkOutVisit(input: { visitId: $visitId }) {
      visit {
        ...VisitFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const CancelVisit = graphql(`
  mutation CancelVisit($visitId: ID!) {
    cancelVisit(input: { visitId: $visitId }) {
      visit {
        ...VisitFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const Desk = graphql(`
  query Desk($propertyId: ID!) {
    visitorDesk(propertyId: $propertyId) {
      windowStart
      windowEnd
      entries {
        ...VisitFields
      }
    }
  }
`);

export const VisitNode = graphql(`
  query VisitNode($id: ID!) {
    node(id: $id) {
      ... on Visit {
        ...VisitFields
      }
    }
  }
`);

export const WorkOrderNode = graphql(`
  query WorkOrderNode($id: ID!) {
    node(id: $id) {
      ... on WorkOrder {
        ...WorkOrderFields
      }
    }
  }
`);

export const DeskChanged = graphql(`
  subscription DeskChanged($propertyId: ID!) {
    visitorDeskChanged(propertyId: $propertyId) {
      kind
      occurredAt
      visit {
        id
        status
        visitorName
        workOrder {
          requestId
          title
        }
      }
    }
  }
`);

/** Desk changes with their cursors, for checking order and duplicates across instances. */
export const DeskChangedWithCursor = graphql(`
  subscription DeskChangedWithCursor($propertyId: ID!) {
    visitorDeskChanged(propertyId: $propertyId) {
      kind
      cursor
      visit {
        id
        visitorName
      }
    }
  }
`);

/** Two properties, a company with Auto-Create Visit and one without, a vendor in each. */
export async function organisation(ts: TestServer, { integration = true } = {}) {
  const property = (await ts.gql(CreateProperty, { input: { name: 'Riverside Tower', timeZone: 'America/Chicago' } }))
    .createProperty.property!;
  const otherProperty = (await ts.gql(CreateProperty, { input: { name: 'Harbour Point', timeZone: 'Europe/London' } }))
    .createProperty.property!;
  const autoCompany = (await ts.gql(CreateCompany, { input: { name: 'Acme Electric', autoCreateVisit: true } })).createCompany
    .company!;
  const plainCompany = (await ts.gql(CreateCompany, { input: { name: 'Plain Plumbing' } })).createCompany.company!;
  const vendor = (
    await ts.gql(CreateUser, { input: { name: 'Vera Vendor', email: 'vera@acme.test', companyId: autoCompany.id } })
  ).createUser.user!;
  const vendor2 = (
    await ts.gql(CreateUser, { input: { name: 'Victor Volt', email: 'victor@acme.test', companyId: autoCompany.id } })
  ).createUser.user!;
  const plainVendor = (
    await ts.gql(CreateUser, { input: { name: 'Paul Pipe', email: 'paul@plain.test', companyId: plainCompany.id } })
  ).createUser.user!;
  const host = (await ts.gql(CreateUser, { input: { name: 'Hana Host', email: 'hana@owner.test' } })).createUser.user!;
  if (integration) await ts.gql(SetIntegration, { enabled: true });
  return { property, otherProperty, autoCompany, plainCompany, vendor, vendor2, plainVendor, host };
}
