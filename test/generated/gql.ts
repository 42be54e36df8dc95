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
    "\n  query AuthViewer {\n    viewer {\n      name\n    }\n  }\n": typeof types.AuthViewerDocument,
    "\n  subscription ComplianceDeskWatch($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      visit {\n        id\n        compliance {\n          compliant\n          problems {\n            code\n          }\n        }\n      }\n    }\n  }\n": typeof types.ComplianceDeskWatchDocument,
    "\n  query FullDesk($propertyId: ID!) {\n    visitorDesk(propertyId: $propertyId) {\n      cursor\n      entries {\n        id\n        visitorName\n        status\n        expectedArrival\n        company {\n          name\n        }\n        visitor {\n          name\n        }\n        host {\n          name\n        }\n        workOrder {\n          requestId\n          title\n          assignee {\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.FullDeskDocument,
    "\n  query DeskSnapshot($propertyId: ID!) {\n    visitorDesk(propertyId: $propertyId) {\n      cursor\n      entries {\n        id\n        status\n      }\n    }\n  }\n": typeof types.DeskSnapshotDocument,
    "\n  query DeskCursorOnly($propertyId: ID!) {\n    visitorDesk(propertyId: $propertyId) {\n      cursor\n    }\n  }\n": typeof types.DeskCursorOnlyDocument,
    "\n  subscription DeskAfter($propertyId: ID!, $after: String) {\n    visitorDeskChanged(propertyId: $propertyId, after: $after) {\n      kind\n      cursor\n      visit {\n        id\n        visitorName\n        status\n      }\n    }\n  }\n": typeof types.DeskAfterDocument,
    "\n  query DeskTestProperty($id: ID!) {\n    node(id: $id) {\n      ... on Property {\n        id\n        deskWindow {\n          lookBehindMinutes\n          lookAheadMinutes\n        }\n        visits(first: 100) {\n          edges {\n            node {\n              id\n              status\n              expectedArrival\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.DeskTestPropertyDocument,
    "\n  mutation DeskTestUpdateProperty($input: UpdatePropertyInput!) {\n    updateProperty(input: $input) {\n      property {\n        id\n        deskWindow {\n          lookBehindMinutes\n          lookAheadMinutes\n        }\n        visitorDesk {\n          windowStart\n          windowEnd\n          entries {\n            id\n          }\n        }\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.DeskTestUpdatePropertyDocument,
    "\n  query DeskTestVisit($id: ID!) {\n    node(id: $id) {\n      ... on Visit {\n        ...VisitFields\n        cancelledAt\n      }\n    }\n  }\n": typeof types.DeskTestVisitDocument,
    "\n  subscription EvacuationWatch($evacuationId: ID!, $after: String) {\n    evacuationChanged(evacuationId: $evacuationId, after: $after) {\n      kind\n      cursor\n      visit {\n        id\n      }\n      evacuation {\n        id\n        accountedFor\n        missing\n        endedAt\n      }\n    }\n  }\n": typeof types.EvacuationWatchDocument,
    "\n  subscription EvacuationStarts($propertyId: ID!) {\n    evacuationStarted(propertyId: $propertyId) {\n      id\n      endedAt\n      missing\n    }\n  }\n": typeof types.EvacuationStartsDocument,
    "\n  subscription FanoutWatch($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      visit {\n        id\n        notes\n        company {\n          name\n        }\n        workOrder {\n          requestId\n        }\n      }\n    }\n  }\n": typeof types.FanoutWatchDocument,
    "\n  subscription LiveDeskChanged($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      occurredAt\n      visit {\n        ...VisitFields\n        cancelledAt\n        workOrder {\n          title\n        }\n      }\n    }\n  }\n": typeof types.LiveDeskChangedDocument,
    "\n  query ManualLinkPropertyVisits($id: ID!) {\n    node(id: $id) {\n      ... on Property {\n        visits(first: 100) {\n          edges {\n            node {\n              id\n              visitorName\n              status\n              source\n              workOrder {\n                requestId\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.ManualLinkPropertyVisitsDocument,
    "\n  subscription EvacuationChangedOnTwin($evacuationId: ID!, $after: String) {\n    evacuationChanged(evacuationId: $evacuationId, after: $after) {\n      kind\n      visit {\n        id\n      }\n      evacuation {\n        missing\n      }\n    }\n  }\n": typeof types.EvacuationChangedOnTwinDocument,
    "\n  subscription OnSiteWatch($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      visit {\n        id\n        status\n      }\n    }\n  }\n": typeof types.OnSiteWatchDocument,
    "\n  query OutageViewer {\n    viewer {\n      id\n    }\n  }\n": typeof types.OutageViewerDocument,
    "\n  mutation OutageIssueToken($input: IssueApiTokenInput!) {\n    issueApiToken(input: $input) {\n      token\n      apiToken {\n        id\n      }\n    }\n  }\n": typeof types.OutageIssueTokenDocument,
    "\n  mutation OutageRevokeToken($input: RevokeApiTokenInput!) {\n    revokeApiToken(input: $input) {\n      apiToken {\n        revokedAt\n      }\n    }\n  }\n": typeof types.OutageRevokeTokenDocument,
    "\n  subscription ProtocolWatch($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n    }\n  }\n": typeof types.ProtocolWatchDocument,
    "\n  fragment VisitFields on Visit {\n    id\n    visitorName\n    status\n    source\n    expectedArrival\n    expectedDeparture\n    checkedInAt\n    checkedOutAt\n    checkOutReason\n    notes\n    property {\n      id\n    }\n    visitor {\n      id\n      name\n    }\n    company {\n      id\n      name\n    }\n    host {\n      id\n    }\n    workOrder {\n      id\n      requestId\n    }\n  }\n": typeof types.VisitFieldsFragmentDoc,
    "\n  fragment WorkOrderFields on WorkOrder {\n    id\n    requestId\n    title\n    description\n    status\n    scheduledStart\n    scheduledEnd\n    completedAt\n    property {\n      id\n    }\n    assignee {\n      id\n    }\n    visits {\n      id\n      status\n      source\n    }\n  }\n": typeof types.WorkOrderFieldsFragmentDoc,
    "\n  fragment UserErrorFields on UserError {\n    code\n    message\n    field\n  }\n": typeof types.UserErrorFieldsFragmentDoc,
    "\n  mutation CreateProperty($input: CreatePropertyInput!) {\n    createProperty(input: $input) {\n      property {\n        id\n        name\n        timeZone\n        deskWindow {\n          lookBehindMinutes\n          lookAheadMinutes\n        }\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.CreatePropertyDocument,
    "\n  mutation CreateCompany($input: CreateCompanyInput!) {\n    createCompany(input: $input) {\n      company {\n        id\n        name\n        autoCreateVisit\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.CreateCompanyDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      user {\n        id\n        name\n        email\n        company {\n          id\n        }\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.CreateUserDocument,
    "\n  mutation SetIntegration($enabled: Boolean!) {\n    updateVisitorSettings(input: { workOrderIntegrationEnabled: $enabled }) {\n      visitorSettings {\n        workOrderIntegrationEnabled\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.SetIntegrationDocument,
    "\n  mutation CreateWorkOrder($input: CreateWorkOrderInput!) {\n    createWorkOrder(input: $input) {\n      workOrder {\n        ...WorkOrderFields\n      }\n      generatedVisit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.CreateWorkOrderDocument,
    "\n  mutation UpdateWorkOrder($input: UpdateWorkOrderInput!) {\n    updateWorkOrder(input: $input) {\n      workOrder {\n        ...WorkOrderFields\n      }\n      generatedVisit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.UpdateWorkOrderDocument,
    "\n  mutation CompleteWorkOrder($input: CompleteWorkOrderInput!) {\n    completeWorkOrder(input: $input) {\n      workOrder {\n        ...WorkOrderFields\n      }\n      checkedOutVisits {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.CompleteWorkOrderDocument,
    "\n  mutation CreateVisit($input: CreateVisitInput!) {\n    createVisit(input: $input) {\n      visit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.CreateVisitDocument,
    "\n  mutation UpdateVisit($input: UpdateVisitInput!) {\n    updateVisit(input: $input) {\n      visit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.UpdateVisitDocument,
    "\n  mutation CheckIn($visitId: ID!) {\n    checkInVisit(input: { visitId: $visitId }) {\n      visit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.CheckInDocument,
    "\n  mutation CheckOut($visitId: ID!) {\n    checkOutVisit(input: { visitId: $visitId }) {\n      visit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.CheckOutDocument,
    "\n  mutation CancelVisit($visitId: ID!) {\n    cancelVisit(input: { visitId: $visitId }) {\n      visit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.CancelVisitDocument,
    "\n  query Desk($propertyId: ID!) {\n    visitorDesk(propertyId: $propertyId) {\n      windowStart\n      windowEnd\n      entries {\n        ...VisitFields\n      }\n    }\n  }\n": typeof types.DeskDocument,
    "\n  query VisitNode($id: ID!) {\n    node(id: $id) {\n      ... on Visit {\n        ...VisitFields\n      }\n    }\n  }\n": typeof types.VisitNodeDocument,
    "\n  query WorkOrderNode($id: ID!) {\n    node(id: $id) {\n      ... on WorkOrder {\n        ...WorkOrderFields\n      }\n    }\n  }\n": typeof types.WorkOrderNodeDocument,
    "\n  subscription DeskChanged($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      occurredAt\n      visit {\n        id\n        status\n        visitorName\n        workOrder {\n          requestId\n          title\n        }\n      }\n    }\n  }\n": typeof types.DeskChangedDocument,
    "\n  subscription DeskChangedWithCursor($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      cursor\n      visit {\n        id\n        visitorName\n      }\n    }\n  }\n": typeof types.DeskChangedWithCursorDocument,
    "\n  query Counts($propertyId: ID!) {\n    properties(first: 100) {\n      edges {\n        node {\n          id\n        }\n      }\n    }\n    companies(first: 100) {\n      edges {\n        node {\n          id\n        }\n      }\n    }\n    users(first: 100) {\n      edges {\n        node {\n          id\n          email\n        }\n      }\n    }\n    node(id: $propertyId) {\n      ... on Property {\n        workOrders(first: 100) {\n          edges {\n            node {\n              id\n              title\n            }\n          }\n        }\n        visits(first: 100) {\n          edges {\n            node {\n              id\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.CountsDocument,
    "\n  query PageTooLarge {\n    properties(first: 101) {\n      edges {\n        node {\n          id\n        }\n      }\n    }\n  }\n": typeof types.PageTooLargeDocument,
    "\n  query Typename {\n    __typename\n  }\n": typeof types.TypenameDocument,
    "\n      query AnyNode($id: ID!) {\n        node(id: $id) {\n          id\n        }\n      }\n    ": typeof types.AnyNodeDocument,
    "\n        query MaskedDesk($propertyId: ID!) {\n          visitorDesk(propertyId: $propertyId) {\n            entries {\n              id\n            }\n          }\n        }\n      ": typeof types.MaskedDeskDocument,
};
const documents: Documents = {
    "\n  query AuthViewer {\n    viewer {\n      name\n    }\n  }\n": types.AuthViewerDocument,
    "\n  subscription ComplianceDeskWatch($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      visit {\n        id\n        compliance {\n          compliant\n          problems {\n            code\n          }\n        }\n      }\n    }\n  }\n": types.ComplianceDeskWatchDocument,
    "\n  query FullDesk($propertyId: ID!) {\n    visitorDesk(propertyId: $propertyId) {\n      cursor\n      entries {\n        id\n        visitorName\n        status\n        expectedArrival\n        company {\n          name\n        }\n        visitor {\n          name\n        }\n        host {\n          name\n        }\n        workOrder {\n          requestId\n          title\n          assignee {\n            name\n          }\n        }\n      }\n    }\n  }\n": types.FullDeskDocument,
    "\n  query DeskSnapshot($propertyId: ID!) {\n    visitorDesk(propertyId: $propertyId) {\n      cursor\n      entries {\n        id\n        status\n      }\n    }\n  }\n": types.DeskSnapshotDocument,
    "\n  query DeskCursorOnly($propertyId: ID!) {\n    visitorDesk(propertyId: $propertyId) {\n      cursor\n    }\n  }\n": types.DeskCursorOnlyDocument,
    "\n  subscription DeskAfter($propertyId: ID!, $after: String) {\n    visitorDeskChanged(propertyId: $propertyId, after: $after) {\n      kind\n      cursor\n      visit {\n        id\n        visitorName\n        status\n      }\n    }\n  }\n": types.DeskAfterDocument,
    "\n  query DeskTestProperty($id: ID!) {\n    node(id: $id) {\n      ... on Property {\n        id\n        deskWindow {\n          lookBehindMinutes\n          lookAheadMinutes\n        }\n        visits(first: 100) {\n          edges {\n            node {\n              id\n              status\n              expectedArrival\n            }\n          }\n        }\n      }\n    }\n  }\n": types.DeskTestPropertyDocument,
    "\n  mutation DeskTestUpdateProperty($input: UpdatePropertyInput!) {\n    updateProperty(input: $input) {\n      property {\n        id\n        deskWindow {\n          lookBehindMinutes\n          lookAheadMinutes\n        }\n        visitorDesk {\n          windowStart\n          windowEnd\n          entries {\n            id\n          }\n        }\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.DeskTestUpdatePropertyDocument,
    "\n  query DeskTestVisit($id: ID!) {\n    node(id: $id) {\n      ... on Visit {\n        ...VisitFields\n        cancelledAt\n      }\n    }\n  }\n": types.DeskTestVisitDocument,
    "\n  subscription EvacuationWatch($evacuationId: ID!, $after: String) {\n    evacuationChanged(evacuationId: $evacuationId, after: $after) {\n      kind\n      cursor\n      visit {\n        id\n      }\n      evacuation {\n        id\n        accountedFor\n        missing\n        endedAt\n      }\n    }\n  }\n": types.EvacuationWatchDocument,
    "\n  subscription EvacuationStarts($propertyId: ID!) {\n    evacuationStarted(propertyId: $propertyId) {\n      id\n      endedAt\n      missing\n    }\n  }\n": types.EvacuationStartsDocument,
    "\n  subscription FanoutWatch($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      visit {\n        id\n        notes\n        company {\n          name\n        }\n        workOrder {\n          requestId\n        }\n      }\n    }\n  }\n": types.FanoutWatchDocument,
    "\n  subscription LiveDeskChanged($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      occurredAt\n      visit {\n        ...VisitFields\n        cancelledAt\n        workOrder {\n          title\n        }\n      }\n    }\n  }\n": types.LiveDeskChangedDocument,
    "\n  query ManualLinkPropertyVisits($id: ID!) {\n    node(id: $id) {\n      ... on Property {\n        visits(first: 100) {\n          edges {\n            node {\n              id\n              visitorName\n              status\n              source\n              workOrder {\n                requestId\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.ManualLinkPropertyVisitsDocument,
    "\n  subscription EvacuationChangedOnTwin($evacuationId: ID!, $after: String) {\n    evacuationChanged(evacuationId: $evacuationId, after: $after) {\n      kind\n      visit {\n        id\n      }\n      evacuation {\n        missing\n      }\n    }\n  }\n": types.EvacuationChangedOnTwinDocument,
    "\n  subscription OnSiteWatch($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      visit {\n        id\n        status\n      }\n    }\n  }\n": types.OnSiteWatchDocument,
    "\n  query OutageViewer {\n    viewer {\n      id\n    }\n  }\n": types.OutageViewerDocument,
    "\n  mutation OutageIssueToken($input: IssueApiTokenInput!) {\n    issueApiToken(input: $input) {\n      token\n      apiToken {\n        id\n      }\n    }\n  }\n": types.OutageIssueTokenDocument,
    "\n  mutation OutageRevokeToken($input: RevokeApiTokenInput!) {\n    revokeApiToken(input: $input) {\n      apiToken {\n        revokedAt\n      }\n    }\n  }\n": types.OutageRevokeTokenDocument,
    "\n  subscription ProtocolWatch($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n    }\n  }\n": types.ProtocolWatchDocument,
    "\n  fragment VisitFields on Visit {\n    id\n    visitorName\n    status\n    source\n    expectedArrival\n    expectedDeparture\n    checkedInAt\n    checkedOutAt\n    checkOutReason\n    notes\n    property {\n      id\n    }\n    visitor {\n      id\n      name\n    }\n    company {\n      id\n      name\n    }\n    host {\n      id\n    }\n    workOrder {\n      id\n      requestId\n    }\n  }\n": types.VisitFieldsFragmentDoc,
    "\n  fragment WorkOrderFields on WorkOrder {\n    id\n    requestId\n    title\n    description\n    status\n    scheduledStart\n    scheduledEnd\n    completedAt\n    property {\n      id\n    }\n    assignee {\n      id\n    }\n    visits {\n      id\n      status\n      source\n    }\n  }\n": types.WorkOrderFieldsFragmentDoc,
    "\n  fragment UserErrorFields on UserError {\n    code\n    message\n    field\n  }\n": types.UserErrorFieldsFragmentDoc,
    "\n  mutation CreateProperty($input: CreatePropertyInput!) {\n    createProperty(input: $input) {\n      property {\n        id\n        name\n        timeZone\n        deskWindow {\n          lookBehindMinutes\n          lookAheadMinutes\n        }\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.CreatePropertyDocument,
    "\n  mutation CreateCompany($input: CreateCompanyInput!) {\n    createCompany(input: $input) {\n      company {\n        id\n        name\n        autoCreateVisit\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.CreateCompanyDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      user {\n        id\n        name\n        email\n        company {\n          id\n        }\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.CreateUserDocument,
    "\n  mutation SetIntegration($enabled: Boolean!) {\n    updateVisitorSettings(input: { workOrderIntegrationEnabled: $enabled }) {\n      visitorSettings {\n        workOrderIntegrationEnabled\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.SetIntegrationDocument,
    "\n  mutation CreateWorkOrder($input: CreateWorkOrderInput!) {\n    createWorkOrder(input: $input) {\n      workOrder {\n        ...WorkOrderFields\n      }\n      generatedVisit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.CreateWorkOrderDocument,
    "\n  mutation UpdateWorkOrder($input: UpdateWorkOrderInput!) {\n    updateWorkOrder(input: $input) {\n      workOrder {\n        ...WorkOrderFields\n      }\n      generatedVisit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.UpdateWorkOrderDocument,
    "\n  mutation CompleteWorkOrder($input: CompleteWorkOrderInput!) {\n    completeWorkOrder(input: $input) {\n      workOrder {\n        ...WorkOrderFields\n      }\n      checkedOutVisits {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.CompleteWorkOrderDocument,
    "\n  mutation CreateVisit($input: CreateVisitInput!) {\n    createVisit(input: $input) {\n      visit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.CreateVisitDocument,
    "\n  mutation UpdateVisit($input: UpdateVisitInput!) {\n    updateVisit(input: $input) {\n      visit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.UpdateVisitDocument,
    "\n  mutation CheckIn($visitId: ID!) {\n    checkInVisit(input: { visitId: $visitId }) {\n      visit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.CheckInDocument,
    "\n  mutation CheckOut($visitId: ID!) {\n    checkOutVisit(input: { visitId: $visitId }) {\n      visit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.CheckOutDocument,
    "\n  mutation CancelVisit($visitId: ID!) {\n    cancelVisit(input: { visitId: $visitId }) {\n      visit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.CancelVisitDocument,
    "\n  query Desk($propertyId: ID!) {\n    visitorDesk(propertyId: $propertyId) {\n      windowStart\n      windowEnd\n      entries {\n        ...VisitFields\n      }\n    }\n  }\n": types.DeskDocument,
    "\n  query VisitNode($id: ID!) {\n    node(id: $id) {\n      ... on Visit {\n        ...VisitFields\n      }\n    }\n  }\n": types.VisitNodeDocument,
    "\n  query WorkOrderNode($id: ID!) {\n    node(id: $id) {\n      ... on WorkOrder {\n        ...WorkOrderFields\n      }\n    }\n  }\n": types.WorkOrderNodeDocument,
    "\n  subscription DeskChanged($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      occurredAt\n      visit {\n        id\n        status\n        visitorName\n        workOrder {\n          requestId\n          title\n        }\n      }\n    }\n  }\n": types.DeskChangedDocument,
    "\n  subscription DeskChangedWithCursor($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      cursor\n      visit {\n        id\n        visitorName\n      }\n    }\n  }\n": types.DeskChangedWithCursorDocument,
    "\n  query Counts($propertyId: ID!) {\n    properties(first: 100) {\n      edges {\n        node {\n          id\n        }\n      }\n    }\n    companies(first: 100) {\n      edges {\n        node {\n          id\n        }\n      }\n    }\n    users(first: 100) {\n      edges {\n        node {\n          id\n          email\n        }\n      }\n    }\n    node(id: $propertyId) {\n      ... on Property {\n        workOrders(first: 100) {\n          edges {\n            node {\n              id\n              title\n            }\n          }\n        }\n        visits(first: 100) {\n          edges {\n            node {\n              id\n            }\n          }\n        }\n      }\n    }\n  }\n": types.CountsDocument,
    "\n  query PageTooLarge {\n    properties(first: 101) {\n      edges {\n        node {\n          id\n        }\n      }\n    }\n  }\n": types.PageTooLargeDocument,
    "\n  query Typename {\n    __typename\n  }\n": types.TypenameDocument,
    "\n      query AnyNode($id: ID!) {\n        node(id: $id) {\n          id\n        }\n      }\n    ": types.AnyNodeDocument,
    "\n        query MaskedDesk($propertyId: ID!) {\n          visitorDesk(propertyId: $propertyId) {\n            entries {\n              id\n            }\n          }\n        }\n      ": types.MaskedDeskDocument,
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
export function graphql(source: "\n  query AuthViewer {\n    viewer {\n      name\n    }\n  }\n"): (typeof documents)["\n  query AuthViewer {\n    viewer {\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ComplianceDeskWatch($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      visit {\n        id\n        compliance {\n          compliant\n          problems {\n            code\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ComplianceDeskWatch($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      visit {\n        id\n        compliance {\n          compliant\n          problems {\n            code\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FullDesk($propertyId: ID!) {\n    visitorDesk(propertyId: $propertyId) {\n      cursor\n      entries {\n        id\n        visitorName\n        status\n        expectedArrival\n        company {\n          name\n        }\n        visitor {\n          name\n        }\n        host {\n          name\n        }\n        workOrder {\n          requestId\n          title\n          assignee {\n            name\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query FullDesk($propertyId: ID!) {\n    visitorDesk(propertyId: $propertyId) {\n      cursor\n      entries {\n        id\n        visitorName\n        status\n        expectedArrival\n        company {\n          name\n        }\n        visitor {\n          name\n        }\n        host {\n          name\n        }\n        workOrder {\n          requestId\n          title\n          assignee {\n            name\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskSnapshot($propertyId: ID!) {\n    visitorDesk(propertyId: $propertyId) {\n      cursor\n      entries {\n        id\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  query DeskSnapshot($propertyId: ID!) {\n    visitorDesk(propertyId: $propertyId) {\n      cursor\n      entries {\n        id\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskCursorOnly($propertyId: ID!) {\n    visitorDesk(propertyId: $propertyId) {\n      cursor\n    }\n  }\n"): (typeof documents)["\n  query DeskCursorOnly($propertyId: ID!) {\n    visitorDesk(propertyId: $propertyId) {\n      cursor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription DeskAfter($propertyId: ID!, $after: String) {\n    visitorDeskChanged(propertyId: $propertyId, after: $after) {\n      kind\n      cursor\n      visit {\n        id\n        visitorName\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription DeskAfter($propertyId: ID!, $after: String) {\n    visitorDeskChanged(propertyId: $propertyId, after: $after) {\n      kind\n      cursor\n      visit {\n        id\n        visitorName\n        status\n      }\n    }\n  }\n"];
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
export function graphql(source: "\n  subscription EvacuationWatch($evacuationId: ID!, $after: String) {\n    evacuationChanged(evacuationId: $evacuationId, after: $after) {\n      kind\n      cursor\n      visit {\n        id\n      }\n      evacuation {\n        id\n        accountedFor\n        missing\n        endedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription EvacuationWatch($evacuationId: ID!, $after: String) {\n    evacuationChanged(evacuationId: $evacuationId, after: $after) {\n      kind\n      cursor\n      visit {\n        id\n      }\n      evacuation {\n        id\n        accountedFor\n        missing\n        endedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription EvacuationStarts($propertyId: ID!) {\n    evacuationStarted(propertyId: $propertyId) {\n      id\n      endedAt\n      missing\n    }\n  }\n"): (typeof documents)["\n  subscription EvacuationStarts($propertyId: ID!) {\n    evacuationStarted(propertyId: $propertyId) {\n      id\n      endedAt\n      missing\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription FanoutWatch($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      visit {\n        id\n        notes\n        company {\n          name\n        }\n        workOrder {\n          requestId\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription FanoutWatch($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      visit {\n        id\n        notes\n        company {\n          name\n        }\n        workOrder {\n          requestId\n        }\n      }\n    }\n  }\n"];
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
export function graphql(source: "\n  subscription EvacuationChangedOnTwin($evacuationId: ID!, $after: String) {\n    evacuationChanged(evacuationId: $evacuationId, after: $after) {\n      kind\n      visit {\n        id\n      }\n      evacuation {\n        missing\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription EvacuationChangedOnTwin($evacuationId: ID!, $after: String) {\n    evacuationChanged(evacuationId: $evacuationId, after: $after) {\n      kind\n      visit {\n        id\n      }\n      evacuation {\n        missing\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OnSiteWatch($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      visit {\n        id\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription OnSiteWatch($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      visit {\n        id\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OutageViewer {\n    viewer {\n      id\n    }\n  }\n"): (typeof documents)["\n  query OutageViewer {\n    viewer {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OutageIssueToken($input: IssueApiTokenInput!) {\n    issueApiToken(input: $input) {\n      token\n      apiToken {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation OutageIssueToken($input: IssueApiTokenInput!) {\n    issueApiToken(input: $input) {\n      token\n      apiToken {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OutageRevokeToken($input: RevokeApiTokenInput!) {\n    revokeApiToken(input: $input) {\n      apiToken {\n        revokedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation OutageRevokeToken($input: RevokeApiTokenInput!) {\n    revokeApiToken(input: $input) {\n      apiToken {\n        revokedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ProtocolWatch($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n    }\n  }\n"): (typeof documents)["\n  subscription ProtocolWatch($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment VisitFields on Visit {\n    id\n    visitorName\n    status\n    source\n    expectedArrival\n    expectedDeparture\n    checkedInAt\n    checkedOutAt\n    checkOutReason\n    notes\n    property {\n      id\n    }\n    visitor {\n      id\n      name\n    }\n    company {\n      id\n      name\n    }\n    host {\n      id\n    }\n    workOrder {\n      id\n      requestId\n    }\n  }\n"): (typeof documents)["\n  fragment VisitFields on Visit {\n    id\n    visitorName\n    status\n    source\n    expectedArrival\n    expectedDeparture\n    checkedInAt\n    checkedOutAt\n    checkOutReason\n    notes\n    property {\n      id\n    }\n    visitor {\n      id\n      name\n    }\n    company {\n      id\n      name\n    }\n    host {\n      id\n    }\n    workOrder {\n      id\n      requestId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WorkOrderFields on WorkOrder {\n    id\n    requestId\n    title\n    description\n    status\n    scheduledStart\n    scheduledEnd\n    completedAt\n    property {\n      id\n    }\n    assignee {\n      id\n    }\n    visits {\n      id\n      status\n      source\n    }\n  }\n"): (typeof documents)["\n  fragment WorkOrderFields on WorkOrder {\n    id\n    requestId\n    title\n    description\n    status\n    scheduledStart\n    scheduledEnd\n    completedAt\n    property {\n      id\n    }\n    assignee {\n      id\n    }\n    visits {\n      id\n      status\n      source\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UserErrorFields on UserError {\n    code\n    message\n    field\n  }\n"): (typeof documents)["\n  fragment UserErrorFields on UserError {\n    code\n    message\n    field\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateProperty($input: CreatePropertyInput!) {\n    createProperty(input: $input) {\n      property {\n        id\n        name\n        timeZone\n        deskWindow {\n          lookBehindMinutes\n          lookAheadMinutes\n        }\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateProperty($input: CreatePropertyInput!) {\n    createProperty(input: $input) {\n      property {\n        id\n        name\n        timeZone\n        deskWindow {\n          lookBehindMinutes\n          lookAheadMinutes\n        }\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateCompany($input: CreateCompanyInput!) {\n    createCompany(input: $input) {\n      company {\n        id\n        name\n        autoCreateVisit\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateCompany($input: CreateCompanyInput!) {\n    createCompany(input: $input) {\n      company {\n        id\n        name\n        autoCreateVisit\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      user {\n        id\n        name\n        email\n        company {\n          id\n        }\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      user {\n        id\n        name\n        email\n        company {\n          id\n        }\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetIntegration($enabled: Boolean!) {\n    updateVisitorSettings(input: { workOrderIntegrationEnabled: $enabled }) {\n      visitorSettings {\n        workOrderIntegrationEnabled\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SetIntegration($enabled: Boolean!) {\n    updateVisitorSettings(input: { workOrderIntegrationEnabled: $enabled }) {\n      visitorSettings {\n        workOrderIntegrationEnabled\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateWorkOrder($input: CreateWorkOrderInput!) {\n    createWorkOrder(input: $input) {\n      workOrder {\n        ...WorkOrderFields\n      }\n      generatedVisit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateWorkOrder($input: CreateWorkOrderInput!) {\n    createWorkOrder(input: $input) {\n      workOrder {\n        ...WorkOrderFields\n      }\n      generatedVisit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateWorkOrder($input: UpdateWorkOrderInput!) {\n    updateWorkOrder(input: $input) {\n      workOrder {\n        ...WorkOrderFields\n      }\n      generatedVisit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateWorkOrder($input: UpdateWorkOrderInput!) {\n    updateWorkOrder(input: $input) {\n      workOrder {\n        ...WorkOrderFields\n      }\n      generatedVisit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteWorkOrder($input: CompleteWorkOrderInput!) {\n    completeWorkOrder(input: $input) {\n      workOrder {\n        ...WorkOrderFields\n      }\n      checkedOutVisits {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CompleteWorkOrder($input: CompleteWorkOrderInput!) {\n    completeWorkOrder(input: $input) {\n      workOrder {\n        ...WorkOrderFields\n      }\n      checkedOutVisits {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateVisit($input: CreateVisitInput!) {\n    createVisit(input: $input) {\n      visit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateVisit($input: CreateVisitInput!) {\n    createVisit(input: $input) {\n      visit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateVisit($input: UpdateVisitInput!) {\n    updateVisit(input: $input) {\n      visit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateVisit($input: UpdateVisitInput!) {\n    updateVisit(input: $input) {\n      visit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CheckIn($visitId: ID!) {\n    checkInVisit(input: { visitId: $visitId }) {\n      visit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CheckIn($visitId: ID!) {\n    checkInVisit(input: { visitId: $visitId }) {\n      visit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CheckOut($visitId: ID!) {\n    checkOutVisit(input: { visitId: $visitId }) {\n      visit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CheckOut($visitId: ID!) {\n    checkOutVisit(input: { visitId: $visitId }) {\n      visit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelVisit($visitId: ID!) {\n    cancelVisit(input: { visitId: $visitId }) {\n      visit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CancelVisit($visitId: ID!) {\n    cancelVisit(input: { visitId: $visitId }) {\n      visit {\n        ...VisitFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Desk($propertyId: ID!) {\n    visitorDesk(propertyId: $propertyId) {\n      windowStart\n      windowEnd\n      entries {\n        ...VisitFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query Desk($propertyId: ID!) {\n    visitorDesk(propertyId: $propertyId) {\n      windowStart\n      windowEnd\n      entries {\n        ...VisitFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VisitNode($id: ID!) {\n    node(id: $id) {\n      ... on Visit {\n        ...VisitFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query VisitNode($id: ID!) {\n    node(id: $id) {\n      ... on Visit {\n        ...VisitFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkOrderNode($id: ID!) {\n    node(id: $id) {\n      ... on WorkOrder {\n        ...WorkOrderFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query WorkOrderNode($id: ID!) {\n    node(id: $id) {\n      ... on WorkOrder {\n        ...WorkOrderFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription DeskChanged($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      occurredAt\n      visit {\n        id\n        status\n        visitorName\n        workOrder {\n          requestId\n          title\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription DeskChanged($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      occurredAt\n      visit {\n        id\n        status\n        visitorName\n        workOrder {\n          requestId\n          title\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription DeskChangedWithCursor($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      cursor\n      visit {\n        id\n        visitorName\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription DeskChangedWithCursor($propertyId: ID!) {\n    visitorDeskChanged(propertyId: $propertyId) {\n      kind\n      cursor\n      visit {\n        id\n        visitorName\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Counts($propertyId: ID!) {\n    properties(first: 100) {\n      edges {\n        node {\n          id\n        }\n      }\n    }\n    companies(first: 100) {\n      edges {\n        node {\n          id\n        }\n      }\n    }\n    users(first: 100) {\n      edges {\n        node {\n          id\n          email\n        }\n      }\n    }\n    node(id: $propertyId) {\n      ... on Property {\n        workOrders(first: 100) {\n          edges {\n            node {\n              id\n              title\n            }\n          }\n        }\n        visits(first: 100) {\n          edges {\n            node {\n              id\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Counts($propertyId: ID!) {\n    properties(first: 100) {\n      edges {\n        node {\n          id\n        }\n      }\n    }\n    companies(first: 100) {\n      edges {\n        node {\n          id\n        }\n      }\n    }\n    users(first: 100) {\n      edges {\n        node {\n          id\n          email\n        }\n      }\n    }\n    node(id: $propertyId) {\n      ... on Property {\n        workOrders(first: 100) {\n          edges {\n            node {\n              id\n              title\n            }\n          }\n        }\n        visits(first: 100) {\n          edges {\n            node {\n              id\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PageTooLarge {\n    properties(first: 101) {\n      edges {\n        node {\n          id\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PageTooLarge {\n    properties(first: 101) {\n      edges {\n        node {\n          id\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Typename {\n    __typename\n  }\n"): (typeof documents)["\n  query Typename {\n    __typename\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      query AnyNode($id: ID!) {\n        node(id: $id) {\n          id\n        }\n      }\n    "): (typeof documents)["\n      query AnyNode($id: ID!) {\n        node(id: $id) {\n          id\n        }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query MaskedDesk($propertyId: ID!) {\n          visitorDesk(propertyId: $propertyId) {\n            entries {\n              id\n            }\n          }\n        }\n      "): (typeof documents)["\n        query MaskedDesk($propertyId: ID!) {\n          visitorDesk(propertyId: $propertyId) {\n            entries {\n              id\n            }\n          }\n        }\n      "];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;