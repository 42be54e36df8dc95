// What GraphiQL opens with: the whole story as tabs, ready to run in order. Each tab says what to
// paste from the previous answers into its variables. Used only while the browser has no tab state
// of its own in localStorage (GraphiQL keeps what the user changed).
//
// GraphiQL names a tab after the first line that starts with `query|mutation|subscription <Name>`
// (the documents are dedented, so comment lines start with `#` and are skipped).

/** The Headers editor of every tab, and of each new tab. */
export const GRAPHIQL_HEADERS = JSON.stringify({ Authorization: 'Bearer <paste your API token>' }, null, 2);

export interface GraphiQLTab {
  query: string;
  variables: string | null;
  headers: string;
}

const vars = (v: Record<string, string>) => JSON.stringify(v, null, 2);

/** Strips the indentation the source gives the documents, and the first newline. */
function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/[ ]+$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

const tab = (query: string, variables: Record<string, string> | null = null): GraphiQLTab => ({
  query: dedent(query),
  variables: variables ? vars(variables) : null,
  headers: GRAPHIQL_HEADERS,
});

export const GRAPHIQL_TABS: GraphiQLTab[] = [
  tab(/* GraphQL */ `
    # 1. Start. Put your API token in the Headers tab below:
    #    {"Authorization": "Bearer <your token>"}
    # (The server prints an admin token on first start.)
    # Run this with Ctrl+Enter: who you are, whether the
    # WO Integration is on, and the properties with their ids
    # (no property yet? tab 3 creates one).
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
  `),

  tab(/* GraphQL */ `
    # 2. Switch the WO Integration on (off by default).
    # While it is off, work orders generate no visits and
    # completing one checks nobody out.
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
  `),

  tab(
    /* GraphQL */ `
      # 3. A vendor company flagged Auto-Create Visit, and a
      # user in it. Run CreateCompany (cursor inside it, then
      # Ctrl+Enter), paste company.id into the variables as
      # companyId, then run CreateUser. Keep user.id for tab 4.
      # Tab 1 listed no property? Run CreateProperty too.
      mutation CreateCompany {
        createCompany(input: { name: "Acme Electric", autoCreateVisit: true }) {
          company {
            id
            name
            autoCreateVisit
          }
          userErrors {
            code
            message
            field
          }
        }
      }

      mutation CreateUser($companyId: ID!) {
        createUser(input: { name: "Vera Vendor", email: "vera@acme.example", companyId: $companyId }) {
          user {
            id
            name
            company {
              name
            }
          }
          userErrors {
            code
            message
            field
          }
        }
      }

      mutation CreateProperty {
        createProperty(input: { name: "Riverside Tower", timeZone: "America/Chicago" }) {
          property {
            id
            name
            timeZone
          }
          userErrors {
            code
            message
            field
          }
        }
      }
    `,
    { companyId: '<company.id from CreateCompany>' },
  ),

  tab(
    /* GraphQL */ `
      # 4. A work order assigned to the vendor. Variables:
      # propertyId from tab 1 (or CreateProperty), assigneeId =
      # user.id from CreateUser in tab 3. The API generates the
      # visit and returns it as generatedVisit. Keep
      # workOrder.id for tab 7 and generatedVisit.id for tab 6.
      mutation CreateWorkOrder($propertyId: ID!, $assigneeId: ID) {
        createWorkOrder(
          input: {
            propertyId: $propertyId
            title: "Replace lobby light fixtures"
            description: "Bring a ladder."
            assigneeId: $assigneeId
          }
        ) {
          workOrder {
            id
            requestId
            status
          }
          generatedVisit {
            id
            visitorName
            status
            source
            expectedArrival
            company {
              name
            }
          }
          userErrors {
            code
            message
            field
          }
        }
      }
    `,
    { propertyId: '<property id from tab 1>', assigneeId: '<user.id from CreateUser in tab 3>' },
  ),

  tab(
    /* GraphQL */ `
      # 5. The desk: the property's queue (propertyId as in
      # tab 4). The visit from tab 4 is on it. Keep cursor for
      # the live desk in tab 8.
      query Desk($propertyId: ID!) {
        visitorDesk(propertyId: $propertyId) {
          cursor
          windowStart
          windowEnd
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
    `,
    { propertyId: '<property id from tab 1>' },
  ),

  tab(
    /* GraphQL */ `
      # 6. The desk checks the visitor in. visitId =
      # generatedVisit.id from tab 4 (or an entry id from tab 5).
      # The linked work order moves from OPEN to IN_PROGRESS.
      mutation CheckIn($visitId: ID!) {
        checkInVisit(input: { visitId: $visitId }) {
          visit {
            id
            status
            checkedInAt
            workOrder {
              requestId
              status
            }
          }
          userErrors {
            code
            message
            field
          }
        }
      }
    `,
    { visitId: '<generatedVisit.id from tab 4>' },
  ),

  tab(
    /* GraphQL */ `
      # 7. Completing the work order checks the visitor out.
      # workOrderId = workOrder.id from tab 4. checkedOutVisits
      # holds the visit: CHECKED_OUT, WORK_ORDER_COMPLETED.
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
    `,
    { workOrderId: '<workOrder.id from tab 4>' },
  ),

  tab(
    /* GraphQL */ `
      # 8. The live desk (over graphql-ws). propertyId as in
      # tab 4; after = cursor from tab 5. The server first
      # replays every change after that cursor (VISIT_CHECKED_IN,
      # VISIT_CHECKED_OUT), then stays live: run tabs 4, 6 and 7
      # again and watch the events arrive. To resume later, pass
      # the cursor of the last event as after.
      subscription DeskLive($propertyId: ID!, $after: String) {
        visitorDeskChanged(propertyId: $propertyId, after: $after) {
          kind
          cursor
          occurredAt
          visit {
            id
            visitorName
            status
            workOrder {
              requestId
            }
          }
        }
      }
    `,
    { propertyId: '<property id from tab 1>', after: '<cursor from tab 5>' },
  ),

  tab(
    /* GraphQL */ `
      # 9. A token of its own for the front desk (as an
      # administrator). userId: a user of your own staff (tab 3
      # creates users); propertyId as in tab 4. DESK may work
      # that property's visits and desk, and nothing else. The
      # token is shown only in this answer: paste it into the
      # desk display at /desk. Revoke it with revokeApiToken.
      mutation DeskToken($userId: ID!, $propertyId: ID!) {
        grantRole(input: { userId: $userId, role: DESK, propertyId: $propertyId }) {
          user {
            name
            roles {
              role
              property {
                name
              }
            }
          }
          userErrors {
            code
            message
            field
          }
        }
        issueApiToken(input: { userId: $userId, label: "Front desk" }) {
          token
          apiToken {
            id
          }
          userErrors {
            code
            message
            field
          }
        }
      }
    `,
    { userId: '<a staff user id>', propertyId: '<property id from tab 1>' },
  ),

  tab(
    /* GraphQL */ `
      # 10. The day of a contractor, from here to tab 15. The
      # property's on-site policy (propertyId as in tab 4):
      # everyone still in is checked out at 19:00 local time, a
      # visitor two hours late is a no-show, and one 30 minutes
      # past expected departure is overdue.
      mutation OnSitePolicy($propertyId: ID!) {
        updateProperty(
          input: {
            propertyId: $propertyId
            onSitePolicy: { autoCheckOut: { dailyAt: "19:00" }, noShowAfterMinutes: 120, overdueAfterMinutes: 30 }
          }
        ) {
          property {
            onSitePolicy {
              autoCheckOut {
                dailyAt
                hoursAfterDeparture
              }
              noShowAfterMinutes
              overdueAfterMinutes
            }
          }
          userErrors {
            code
            message
            field
          }
        }
      }
    `,
    { propertyId: '<property id from tab 1>' },
  ),

  tab(
    /* GraphQL */ `
      # 11. A three-day job for the vendor of tab 3: one visit
      # per day, 08:00 to 17:00 in the property's time zone
      # (set the dates ahead of today). Check in a day's visit
      # with tab 6 (visitId = one of generatedVisits).
      mutation MultiDayJob($propertyId: ID!, $assigneeId: ID, $start: DateTime, $end: DateTime) {
        createWorkOrder(
          input: {
            propertyId: $propertyId
            title: "Rewire floor 3"
            assigneeId: $assigneeId
            scheduledStart: $start
            scheduledEnd: $end
          }
        ) {
          workOrder {
            id
            requestId
          }
          generatedVisits {
            id
            expectedArrival
            expectedDeparture
          }
          userErrors {
            code
            message
            field
          }
        }
      }
    `,
    {
      propertyId: '<property id from tab 1>',
      assigneeId: '<user.id from CreateUser in tab 3>',
      start: '2027-01-11T14:00:00Z',
      end: '2027-01-13T23:00:00Z',
    },
  ),

  tab(
    /* GraphQL */ `
      # 12. Who is on site now, longest first, with time on site
      # and who is overdue; and a work order's time on site and
      # whether its contractor was a no-show (workOrderId from
      # tab 11).
      query WhoIsOnSite($propertyId: ID!, $workOrderId: ID!) {
        property: node(id: $propertyId) {
          ... on Property {
            onSite(first: 50) {
              edges {
                node {
                  visitorName
                  checkedInAt
                  timeOnSiteMinutes
                  overdue
                  company {
                    name
                  }
                }
              }
            }
          }
        }
        workOrder: node(id: $workOrderId) {
          ... on WorkOrder {
            requestId
            timeOnSiteMinutes
            noShow
            visits {
              expectedArrival
              status
              checkOutReason
            }
          }
        }
      }
    `,
    { propertyId: '<property id from tab 1>', workOrderId: '<workOrder.id from tab 11>' },
  ),

  tab(
    /* GraphQL */ `
      # 13. The alarm sounds: everyone checked in is on the
      # roll call. Keep evacuation.id and cursor for tabs 14
      # and 15.
      mutation Evacuate($propertyId: ID!) {
        startEvacuation(input: { propertyId: $propertyId }) {
          evacuation {
            id
            cursor
            startedAt
            accountedFor
            missing
            people {
              visit {
                id
                visitorName
              }
            }
          }
          userErrors {
            code
            message
            field
          }
        }
      }
    `,
    { propertyId: '<property id from tab 1>' },
  ),

  tab(
    /* GraphQL */ `
      # 14. The roll call, live (over graphql-ws): every check-in,
      # check-out and person accounted for. after = cursor from
      # tab 13, or of the last event to resume with no gap. It
      # completes when the evacuation ends.
      subscription RollCall($evacuationId: ID!, $after: String) {
        evacuationChanged(evacuationId: $evacuationId, after: $after) {
          kind
          cursor
          visit {
            visitorName
          }
          evacuation {
            accountedFor
            missing
          }
        }
      }
    `,
    { evacuationId: '<evacuation.id from tab 13>', after: '<cursor from tab 13>' },
  ),

  tab(
    /* GraphQL */ `
      # 15. At the assembly point: a person is accounted for
      # (once; again changes nothing). visitId = a person's
      # visit.id from tab 13. When everyone is out, end it with
      # endEvacuation(input: { evacuationId }).
      mutation AccountedFor($evacuationId: ID!, $visitId: ID!) {
        markAccountedFor(input: { evacuationId: $evacuationId, visitId: $visitId }) {
          evacuation {
            accountedFor
            missing
            people {
              visit {
                visitorName
              }
              accountedForAt
              accountedForHow
            }
          }
          userErrors {
            code
            message
            field
          }
        }
      }
    `,
    { evacuationId: '<evacuation.id from tab 13>', visitId: '<a visit.id from tab 13>' },
  ),
];
