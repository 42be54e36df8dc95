// What GraphiQL opens with: the whole story, ready to run in order.

export const GRAPHIQL_DEFAULT_QUERY = /* GraphQL */ `
  # Visitor Work Order Integration
  #
  # 1. Put your token in the Headers tab below: {"Authorization": "Bearer <token>"}
  # 2. Run the operations in order; paste ids from each answer into the next.

  query Start {
    viewer {
      name
      email
    }
    visitorSettings {
      workOrderIntegrationEnabled
    }
    properties(first: 10) {
      edges {
        node {
          id
          name
          timeZone
        }
      }
    }
  }

  mutation SwitchIntegrationOn {
    updateVisitorSettings(input: { workOrderIntegrationEnabled: true }) {
      visitorSettings {
        workOrderIntegrationEnabled
      }
      userErrors {
        code
        message
        field
      }
    }
  }

  mutation CreateWorkOrder($propertyId: ID!, $assigneeId: ID) {
    createWorkOrder(input: { propertyId: $propertyId, title: "Replace lobby light fixtures", assigneeId: $assigneeId }) {
      workOrder {
        id
        requestId
        status
      }
      generatedVisit {
        id
        visitorName
        status
        expectedArrival
      }
      userErrors {
        code
        message
        field
      }
    }
  }

  query Desk($propertyId: ID!) {
    visitorDesk(propertyId: $propertyId) {
      entries {
        id
        visitorName
        status
        expectedArrival
        company {
          name
        }
        workOrder {
          requestId
          title
        }
      }
    }
  }

  mutation CheckIn($visitId: ID!) {
    checkInVisit(input: { visitId: $visitId }) {
      visit {
        id
        status
        checkedInAt
      }
      userErrors {
        code
        message
        field
      }
    }
  }

  mutation Complete($workOrderId: ID!) {
    completeWorkOrder(input: { workOrderId: $workOrderId }) {
      workOrder {
        requestId
        status
        completedAt
      }
      checkedOutVisits {
        id
        status
        checkOutReason
        checkedOutAt
      }
      userErrors {
        code
        message
        field
      }
    }
  }

  subscription DeskLive($propertyId: ID!) {
    visitorDeskChanged(propertyId: $propertyId) {
      kind
      occurredAt
      visit {
        id
        visitorName
        status
      }
    }
  }
`;
