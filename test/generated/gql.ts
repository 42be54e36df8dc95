/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query AuthViewer { viewer { name } }": typeof types.AuthViewerDocument,
    "\n  query DeskTestProperty($id: ID!) {\n    node(id: $id) {\n      ... on Property {\n        id\n        deskWindow {\n          lookBehindMinutes\n          lookAheadMinutes\n        }\n        visits(first: 100) {\n          edges {\n            node {\n              id\n              status\n              expectedArrival\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.DeskTestPropertyDocument,
    "\n  mutation DeskTestUpdateProperty($input: UpdatePropertyInput!) {\n    updateProperty(input: $input) {\n      property {\n        id\n        deskWindow {\n          lookBehindMinutes\n          lookAheadMinutes\n        }\n        visitorDesk {\n          windowStart\n          windowEnd\n          entries {\n            id\n          }\n        }\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.DeskTestUpdatePropertyDocument,
    "\n  query DeskTestVisit($id: ID!) {\n    node(id: $id) {\n      ... on Visit {\n        ...VisitFields\n        cancelledAt\n      }\n    }\n  }\n": typeof types.DeskTestVisitDocument,
    "\n  subscription LiveDeskChanged($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      occurredAt\n      visit {\n        ...VisitFields\n        cancelledAt\n        workOrder {\n          title\n        }\n      }\n    }\n  }\n": typeof types.LiveDeskChangedDocument,
    "\n  query ManualLinkPropertyVisits($id: ID!) {\n    node(id: $id) {\n      ... on Property {\n        visits(first: 100) {\n          edges {\n            node {\n              id\n              visitorName\n              status\n              source\n              workOrder {\n                requestId\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.ManualLinkPropertyVisitsDocument,
    "\n  fragment VisitFields on Visit {\n    id\n    visitorName\n    status\n    source\n    expectedArrival\n    expectedDeparture\n    checkedInAt\n    checkedOutAt\n    checkOutReason\n    notes\n    property { id }\n    visitor { id name }\n    company { id name }\n    host { id }\n    workOrder { id requestId }\n  }\n": typeof types.VisitFieldsFragmentDoc,
    "\n  fragment WorkOrderFields on WorkOrder {\n    id\n    requestId\n    title\n    description\n    status\n    scheduledStart\n    scheduledEnd\n    completedAt\n    property { id }\n    assignee { id }\n    visits { id status source }\n  }\n": typeof types.WorkOrderFieldsFragmentDoc,
    "\n  fragment UserErrorFields on UserError { code message field }\n": typeof types.UserErrorFieldsFragmentDoc,
    "\n  mutation CreateProperty($input: CreatePropertyInput!) {\n    createProperty(input: $input) { property { id name timeZone deskWindow { lookBehindMinutes lookAheadMinutes } } userErrors { ...UserErrorFields } }\n  }\n": typeof types.CreatePropertyDocument,
    "\n  mutation CreateCompany($input: CreateCompanyInput!) {\n    createCompany(input: $input) { company { id name autoCreateVisit } userErrors { ...UserErrorFields } }\n  }\n": typeof types.CreateCompanyDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { user { id name email company { id } } userErrors { ...UserErrorFields } }\n  }\n": typeof types.CreateUserDocument,
    "\n  mutation SetIntegration($enabled: Boolean!) {\n    updateVisitorSettings(input: { workOrderIntegrationEnabled: $enabled }) {\n      visitorSettings { workOrderIntegrationEnabled }\n      userErrors { ...UserErrorFields }\n    }\n  }\n": typeof types.SetIntegrationDocument,
    "\n  mutation CreateWorkOrder($input: CreateWorkOrderInput!) {\n    createWorkOrder(input: $input) {\n      workOrder { ...WorkOrderFields }\n      generatedVisit { ...VisitFields }\n      userErrors { ...UserErrorFields }\n    }\n  }\n": typeof types.CreateWorkOrderDocument,
    "\n  mutation UpdateWorkOrder($input: UpdateWorkOrderInput!) {\n    updateWorkOrder(input: $input) {\n      workOrder { ...WorkOrderFields }\n      generatedVisit { ...VisitFields }\n      userErrors { ...UserErrorFields }\n    }\n  }\n": typeof types.UpdateWorkOrderDocument,
    "\n  mutation CompleteWorkOrder($input: CompleteWorkOrderInput!) {\n    completeWorkOrder(input: $input) {\n      workOrder { ...WorkOrderFields }\n      checkedOutVisits { ...VisitFields }\n      userErrors { ...UserErrorFields }\n    }\n  }\n": typeof types.CompleteWorkOrderDocument,
    "\n  mutation CreateVisit($input: CreateVisitInput!) {\n    createVisit(input: $input) { visit { ...VisitFields } userErrors { ...UserErrorFields } }\n  }\n": typeof types.CreateVisitDocument,
    "\n  mutation UpdateVisit($input: UpdateVisitInput!) {\n    updateVisit(input: $input) { visit { ...VisitFields } userErrors { ...UserErrorFields } }\n  }\n": typeof types.UpdateVisitDocument,
    "\n  mutation CheckIn($visitId: ID!) {\n    checkInVisit(input: { visitId: $visitId }) { visit { ...VisitFields } userErrors { ...UserErrorFields } }\n  }\n": typeof types.CheckInDocument,
    "\n  mutation CheckOut($visitId: ID!) {\n    checkOutVisit(input: { visitId: $visitId }) { visit { ...VisitFields } userErrors { ...UserErrorFields } }\n  }\n": typeof types.CheckOutDocument,
    "\n  mutation CancelVisit($visitId: ID!) {\n    cancelVisit(input: { visitId: $visitId }) { visit { ...VisitFields } userErrors { ...UserErrorFields } }\n  }\n": typeof types.CancelVisitDocument,
    "\n  query Desk($propertyId: ID!) {\n    visitorDesk(propertyId: $propertyId) { windowStart windowEnd entries { ...VisitFields } }\n  }\n": typeof types.DeskDocument,
    "\n  query VisitNode($id: ID!) {\n    node(id: $id) { ... on Visit { ...VisitFields } }\n  }\n": typeof types.VisitNodeDocument,
    "\n  query WorkOrderNode($id: ID!) {\n    node(id: $id) { ... on WorkOrder { ...WorkOrderFields } }\n  }\n": typeof types.WorkOrderNodeDocument,
    "\n  subscription DeskChanged($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) { kind occurredAt visit { id status visitorName workOrder { requestId title } } }\n  }\n": typeof types.DeskChangedDocument,
    "\n  query Counts($propertyId: ID!) {\n    properties(first: 100) { edges { node { id } } }\n    companies(first: 100) { edges { node { id } } }\n    users(first: 100) { edges { node { id email } } }\n    node(id: $propertyId) {\n      ... on Property { workOrders(first: 100) { edges { node { id title } } } visits(first: 100) { edges { node { id } } } }\n    }\n  }\n": typeof types.CountsDocument,
    "\n  query PageTooLarge { properties(first: 101) { edges { node { id } } } }\n": typeof types.PageTooLargeDocument,
    "query AnyNode($id: ID!) { node(id: $id) { id } }": typeof types.AnyNodeDocument,
    "query MaskedDesk($propertyId: ID!) { visitorDesk(propertyId: $propertyId) { entries { id } } }": typeof types.MaskedDeskDocument,
};
const documents: Documents = {
    "query AuthViewer { viewer { name } }": types.AuthViewerDocument,
    "\n  query DeskTestProperty($id: ID!) {\n    node(id: $id) {\n      ... on Property {\n        id\n        deskWindow {\n          lookBehindMinutes\n          lookAheadMinutes\n        }\n        visits(first: 100) {\n          edges {\n            node {\n              id\n              status\n              expectedArrival\n            }\n          }\n        }\n      }\n    }\n  }\n": types.DeskTestPropertyDocument,
    "\n  mutation DeskTestUpdateProperty($input: UpdatePropertyInput!) {\n    updateProperty(input: $input) {\n      property {\n        id\n        deskWindow {\n          lookBehindMinutes\n          lookAheadMinutes\n        }\n        visitorDesk {\n          windowStart\n          windowEnd\n          entries {\n            id\n          }\n        }\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.DeskTestUpdatePropertyDocument,
    "\n  query DeskTestVisit($id: ID!) {\n    node(id: $id) {\n      ... on Visit {\n        ...VisitFields\n        cancelledAt\n      }\n    }\n  }\n": types.DeskTestVisitDocument,
    "\n  subscription LiveDeskChanged($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      occurredAt\n      visit {\n        ...VisitFields\n        cancelledAt\n        workOrder {\n          title\n        }\n      }\n    }\n  }\n": types.LiveDeskChangedDocument,
    "\n  query ManualLinkPropertyVisits($id: ID!) {\n    node(id: $id) {\n      ... on Property {\n        visits(first: 100) {\n          edges {\n            node {\n              id\n              visitorName\n              status\n              source\n              workOrder {\n                requestId\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.ManualLinkPropertyVisitsDocument,
    "\n  fragment VisitFields on Visit {\n    id\n    visitorName\n    status\n    source\n    expectedArrival\n    expectedDeparture\n    checkedInAt\n    checkedOutAt\n    checkOutReason\n    notes\n    property { id }\n    visitor { id name }\n    company { id name }\n    host { id }\n    workOrder { id requestId }\n  }\n": types.VisitFieldsFragmentDoc,
    "\n  fragment WorkOrderFields on WorkOrder {\n    id\n    requestId\n    title\n    description\n    status\n    scheduledStart\n    scheduledEnd\n    completedAt\n    property { id }\n    assignee { id }\n    visits { id status source }\n  }\n": types.WorkOrderFieldsFragmentDoc,
    "\n  fragment UserErrorFields on UserError { code message field }\n": types.UserErrorFieldsFragmentDoc,
    "\n  mutation CreateProperty($input: CreatePropertyInput!) {\n    createProperty(input: $input) { property { id name timeZone deskWindow { lookBehindMinutes lookAheadMinutes } } userErrors { ...UserErrorFields } }\n  }\n": types.CreatePropertyDocument,
    "\n  mutation CreateCompany($input: CreateCompanyInput!) {\n    createCompany(input: $input) { company { id name autoCreateVisit } userErrors { ...UserErrorFields } }\n  }\n": types.CreateCompanyDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { user { id name email company { id } } userErrors { ...UserErrorFields } }\n  }\n": types.CreateUserDocument,
    "\n  mutation SetIntegration($enabled: Boolean!) {\n    updateVisitorSettings(input: { workOrderIntegrationEnabled: $enabled }) {\n      visitorSettings { workOrderIntegrationEnabled }\n      userErrors { ...UserErrorFields }\n    }\n  }\n": types.SetIntegrationDocument,
    "\n  mutation CreateWorkOrder($input: CreateWorkOrderInput!) {\n    createWorkOrder(input: $input) {\n      workOrder { ...WorkOrderFields }\n      generatedVisit { ...VisitFields }\n      userErrors { ...UserErrorFields }\n    }\n  }\n": types.CreateWorkOrderDocument,
    "\n  mutation UpdateWorkOrder($input: UpdateWorkOrderInput!) {\n    updateWorkOrder(input: $input) {\n      workOrder { ...WorkOrderFields }\n      generatedVisit { ...VisitFields }\n      userErrors { ...UserErrorFields }\n    }\n  }\n": types.UpdateWorkOrderDocument,
    "\n  mutation CompleteWorkOrder($input: CompleteWorkOrderInput!) {\n    completeWorkOrder(input: $input) {\n      workOrder { ...WorkOrderFields }\n      checkedOutVisits { ...VisitFields }\n      userErrors { ...UserErrorFields }\n    }\n  }\n": types.CompleteWorkOrderDocument,
    "\n  mutation CreateVisit($input: CreateVisitInput!) {\n    createVisit(input: $input) { visit { ...VisitFields } userErrors { ...UserErrorFields } }\n  }\n": types.CreateVisitDocument,
    "\n  mutation UpdateVisit($input: UpdateVisitInput!) {\n    updateVisit(input: $input) { visit { ...VisitFields } userErrors { ...UserErrorFields } }\n  }\n": types.UpdateVisitDocument,
    "\n  mutation CheckIn($visitId: ID!) {\n    checkInVisit(input: { visitId: $visitId }) { visit { ...VisitFields } userErrors { ...UserErrorFields } }\n  }\n": types.CheckInDocument,
    "\n  mutation CheckOut($visitId: ID!) {\n    checkOutVisit(input: { visitId: $visitId }) { visit { ...VisitFields } userErrors { ...UserErrorFields } }\n  }\n": types.CheckOutDocument,
    "\n  mutation CancelVisit($visitId: ID!) {\n    cancelVisit(input: { visitId: $visitId }) { visit { ...VisitFields } userErrors { ...UserErrorFields } }\n  }\n": types.CancelVisitDocument,
    "\n  query Desk($propertyId: ID!) {\n    visitorDesk(propertyId: $propertyId) { windowStart windowEnd entries { ...VisitFields } }\n  }\n": types.DeskDocument,
    "\n  query VisitNode($id: ID!) {\n    node(id: $id) { ... on Visit { ...VisitFields } }\n  }\n": types.VisitNodeDocument,
    "\n  query WorkOrderNode($id: ID!) {\n    node(id: $id) { ... on WorkOrder { ...WorkOrderFields } }\n  }\n": types.WorkOrderNodeDocument,
    "\n  subscription DeskChanged($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) { kind occurredAt visit { id status visitorName workOrder { requestId title } } }\n  }\n": types.DeskChangedDocument,
    "\n  query Counts($propertyId: ID!) {\n    properties(first: 100) { edges { node { id } } }\n    companies(first: 100) { edges { node { id } } }\n    users(first: 100) { edges { node { id email } } }\n    node(id: $propertyId) {\n      ... on Property { workOrders(first: 100) { edges { node { id title } } } visits(first: 100) { edges { node { id } } } }\n    }\n  }\n": types.CountsDocument,
    "\n  query PageTooLarge { properties(first: 101) { edges { node { id } } } }\n": types.PageTooLargeDocument,
    "query AnyNode($id: ID!) { node(id: $id) { id } }": types.AnyNodeDocument,
    "query MaskedDesk($propertyId: ID!) { visitorDesk(propertyId: $propertyId) { entries { id } } }": types.MaskedDeskDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AuthViewer { viewer { name } }"): (typeof documents)["query AuthViewer { viewer { name } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskTestProperty($id: ID!) {\n    node(id: $id) {\n      ... on Property {\n        id\n        deskWindow {\n          lookBehindMinutes\n          lookAheadMinutes\n        }\n        visits(first: 100) {\n          edges {\n            node {\n              id\n              status\n              expectedArrival\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query DeskTestProperty($id: ID!) {\n    node(id: $id) {\n      ... on Property {\n        id\n        deskWindow {\n          lookBehindMinutes\n          lookAheadMinutes\n        }\n        visits(first: 100) {\n          edges {\n            node {\n              id\n              status\n              expectedArrival\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeskTestUpdateProperty($input: UpdatePropertyInput!) {\n    updateProperty(input: $input) {\n      property {\n        id\n        deskWindow {\n          lookBehindMinutes\n          lookAheadMinutes\n        }\n        visitorDesk {\n          windowStart\n          windowEnd\n          entries {\n            id\n          }\n        }\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation DeskTestUpdateProperty($input: UpdatePropertyInput!) {\n    updateProperty(input: $input) {\n      property {\n        id\n        deskWindow {\n          lookBehindMinutes\n          lookAheadMinutes\n        }\n        visitorDesk {\n          windowStart\n          windowEnd\n          entries {\n            id\n          }\n        }\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskTestVisit($id: ID!) {\n    node(id: $id) {\n      ... on Visit {\n        ...VisitFields\n        cancelledAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query DeskTestVisit($id: ID!) {\n    node(id: $id) {\n      ... on Visit {\n        ...VisitFields\n        cancelledAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveDeskChanged($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      occurredAt\n      visit {\n        ...VisitFields\n        cancelledAt\n        workOrder {\n          title\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription LiveDeskChanged($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      occurredAt\n      visit {\n        ...VisitFields\n        cancelledAt\n        workOrder {\n          title\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ManualLinkPropertyVisits($id: ID!) {\n    node(id: $id) {\n      ... on Property {\n        visits(first: 100) {\n          edges {\n            node {\n              id\n              visitorName\n              status\n              source\n              workOrder {\n                requestId\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ManualLinkPropertyVisits($id: ID!) {\n    node(id: $id) {\n      ... on Property {\n        visits(first: 100) {\n          edges {\n            node {\n              id\n              visitorName\n              status\n              source\n              workOrder {\n                requestId\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment VisitFields on Visit {\n    id\n    visitorName\n    status\n    source\n    expectedArrival\n    expectedDeparture\n    checkedInAt\n    checkedOutAt\n    checkOutReason\n    notes\n    property { id }\n    visitor { id name }\n    company { id name }\n    host { id }\n    workOrder { id requestId }\n  }\n"): (typeof documents)["\n  fragment VisitFields on Visit {\n    id\n    visitorName\n    status\n    source\n    expectedArrival\n    expectedDeparture\n    checkedInAt\n    checkedOutAt\n    checkOutReason\n    notes\n    property { id }\n    visitor { id name }\n    company { id name }\n    host { id }\n    workOrder { id requestId }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WorkOrderFields on WorkOrder {\n    id\n    requestId\n    title\n    description\n    status\n    scheduledStart\n    scheduledEnd\n    completedAt\n    property { id }\n    assignee { id }\n    visits { id status source }\n  }\n"): (typeof documents)["\n  fragment WorkOrderFields on WorkOrder {\n    id\n    requestId\n    title\n    description\n    status\n    scheduledStart\n    scheduledEnd\n    completedAt\n    property { id }\n    assignee { id }\n    visits { id status source }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UserErrorFields on UserError { code message field }\n"): (typeof documents)["\n  fragment UserErrorFields on UserError { code message field }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateProperty($input: CreatePropertyInput!) {\n    createProperty(input: $input) { property { id name timeZone deskWindow { lookBehindMinutes lookAheadMinutes } } userErrors { ...UserErrorFields } }\n  }\n"): (typeof documents)["\n  mutation CreateProperty($input: CreatePropertyInput!) {\n    createProperty(input: $input) { property { id name timeZone deskWindow { lookBehindMinutes lookAheadMinutes } } userErrors { ...UserErrorFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateCompany($input: CreateCompanyInput!) {\n    createCompany(input: $input) { company { id name autoCreateVisit } userErrors { ...UserErrorFields } }\n  }\n"): (typeof documents)["\n  mutation CreateCompany($input: CreateCompanyInput!) {\n    createCompany(input: $input) { company { id name autoCreateVisit } userErrors { ...UserErrorFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { user { id name email company { id } } userErrors { ...UserErrorFields } }\n  }\n"): (typeof documents)["\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { user { id name email company { id } } userErrors { ...UserErrorFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetIntegration($enabled: Boolean!) {\n    updateVisitorSettings(input: { workOrderIntegrationEnabled: $enabled }) {\n      visitorSettings { workOrderIntegrationEnabled }\n      userErrors { ...UserErrorFields }\n    }\n  }\n"): (typeof documents)["\n  mutation SetIntegration($enabled: Boolean!) {\n    updateVisitorSettings(input: { workOrderIntegrationEnabled: $enabled }) {\n      visitorSettings { workOrderIntegrationEnabled }\n      userErrors { ...UserErrorFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateWorkOrder($input: CreateWorkOrderInput!) {\n    createWorkOrder(input: $input) {\n      workOrder { ...WorkOrderFields }\n      generatedVisit { ...VisitFields }\n      userErrors { ...UserErrorFields }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateWorkOrder($input: CreateWorkOrderInput!) {\n    createWorkOrder(input: $input) {\n      workOrder { ...WorkOrderFields }\n      generatedVisit { ...VisitFields }\n      userErrors { ...UserErrorFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateWorkOrder($input: UpdateWorkOrderInput!) {\n    updateWorkOrder(input: $input) {\n      workOrder { ...WorkOrderFields }\n      generatedVisit { ...VisitFields }\n      userErrors { ...UserErrorFields }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateWorkOrder($input: UpdateWorkOrderInput!) {\n    updateWorkOrder(input: $input) {\n      workOrder { ...WorkOrderFields }\n      generatedVisit { ...VisitFields }\n      userErrors { ...UserErrorFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteWorkOrder($input: CompleteWorkOrderInput!) {\n    completeWorkOrder(input: $input) {\n      workOrder { ...WorkOrderFields }\n      checkedOutVisits { ...VisitFields }\n      userErrors { ...UserErrorFields }\n    }\n  }\n"): (typeof documents)["\n  mutation CompleteWorkOrder($input: CompleteWorkOrderInput!) {\n    completeWorkOrder(input: $input) {\n      workOrder { ...WorkOrderFields }\n      checkedOutVisits { ...VisitFields }\n      userErrors { ...UserErrorFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateVisit($input: CreateVisitInput!) {\n    createVisit(input: $input) { visit { ...VisitFields } userErrors { ...UserErrorFields } }\n  }\n"): (typeof documents)["\n  mutation CreateVisit($input: CreateVisitInput!) {\n    createVisit(input: $input) { visit { ...VisitFields } userErrors { ...UserErrorFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateVisit($input: UpdateVisitInput!) {\n    updateVisit(input: $input) { visit { ...VisitFields } userErrors { ...UserErrorFields } }\n  }\n"): (typeof documents)["\n  mutation UpdateVisit($input: UpdateVisitInput!) {\n    updateVisit(input: $input) { visit { ...VisitFields } userErrors { ...UserErrorFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CheckIn($visitId: ID!) {\n    checkInVisit(input: { visitId: $visitId }) { visit { ...VisitFields } userErrors { ...UserErrorFields } }\n  }\n"): (typeof documents)["\n  mutation CheckIn($visitId: ID!) {\n    checkInVisit(input: { visitId: $visitId }) { visit { ...VisitFields } userErrors { ...UserErrorFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CheckOut($visitId: ID!) {\n    checkOutVisit(input: { visitId: $visitId }) { visit { ...VisitFields } userErrors { ...UserErrorFields } }\n  }\n"): (typeof documents)["\n  mutation CheckOut($visitId: ID!) {\n    checkOutVisit(input: { visitId: $visitId }) { visit { ...VisitFields } userErrors { ...UserErrorFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelVisit($visitId: ID!) {\n    cancelVisit(input: { visitId: $visitId }) { visit { ...VisitFields } userErrors { ...UserErrorFields } }\n  }\n"): (typeof documents)["\n  mutation CancelVisit($visitId: ID!) {\n    cancelVisit(input: { visitId: $visitId }) { visit { ...VisitFields } userErrors { ...UserErrorFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Desk($propertyId: ID!) {\n    visitorDesk(propertyId: $propertyId) { windowStart windowEnd entries { ...VisitFields } }\n  }\n"): (typeof documents)["\n  query Desk($propertyId: ID!) {\n    visitorDesk(propertyId: $propertyId) { windowStart windowEnd entries { ...VisitFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VisitNode($id: ID!) {\n    node(id: $id) { ... on Visit { ...VisitFields } }\n  }\n"): (typeof documents)["\n  query VisitNode($id: ID!) {\n    node(id: $id) { ... on Visit { ...VisitFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkOrderNode($id: ID!) {\n    node(id: $id) { ... on WorkOrder { ...WorkOrderFields } }\n  }\n"): (typeof documents)["\n  query WorkOrderNode($id: ID!) {\n    node(id: $id) { ... on WorkOrder { ...WorkOrderFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription DeskChanged($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) { kind occurredAt visit { id status visitorName workOrder { requestId title } } }\n  }\n"): (typeof documents)["\n  subscription DeskChanged($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) { kind occurredAt visit { id status visitorName workOrder { requestId title } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Counts($propertyId: ID!) {\n    properties(first: 100) { edges { node { id } } }\n    companies(first: 100) { edges { node { id } } }\n    users(first: 100) { edges { node { id email } } }\n    node(id: $propertyId) {\n      ... on Property { workOrders(first: 100) { edges { node { id title } } } visits(first: 100) { edges { node { id } } } }\n    }\n  }\n"): (typeof documents)["\n  query Counts($propertyId: ID!) {\n    properties(first: 100) { edges { node { id } } }\n    companies(first: 100) { edges { node { id } } }\n    users(first: 100) { edges { node { id email } } }\n    node(id: $propertyId) {\n      ... on Property { workOrders(first: 100) { edges { node { id title } } } visits(first: 100) { edges { node { id } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PageTooLarge { properties(first: 101) { edges { node { id } } } }\n"): (typeof documents)["\n  query PageTooLarge { properties(first: 101) { edges { node { id } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AnyNode($id: ID!) { node(id: $id) { id } }"): (typeof documents)["query AnyNode($id: ID!) { node(id: $id) { id } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MaskedDesk($propertyId: ID!) { visitorDesk(propertyId: $propertyId) { entries { id } } }"): (typeof documents)["query MaskedDesk($propertyId: ID!) { visitorDesk(propertyId: $propertyId) { entries { id } } }"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;