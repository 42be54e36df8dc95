// Front-desk display: the property's visitor queue, kept live over graphql-ws, and its
// evacuation roll call when the alarm sounds (also meant for a phone at the assembly point).
// Plain browser JavaScript, no build step. Loaded after /desk/vendor/graphql-ws.js
// (global `graphqlWs`). The page's CSP forbids inline scripts, inline styles and eval.
(function () {
  'use strict';

  var TOKEN_KEY = 'visitorDesk.token';
  var PROPERTY_KEY = 'visitorDesk.propertyId';
  var GRAPHQL_PATH = '/graphql';

  var VISIT_FIELDS =
    'id visitorName status expectedArrival expectedDeparture checkedInAt overdue company { name } workOrder { requestId title } ' +
    'compliance { compliant problems { code message } } complianceOverride { reason }';
  // The counts are worked out from the list (see renderEvacuation), so they always add up to it.
  var EVACUATION_FIELDS =
    'id startedAt startedBy { name } endedAt endedBy { name } cursor people { addedAt accountedForAt accountedForHow ' +
    'accountedForBy { name } visit { id visitorName checkedInAt company { name } } }';

  var PROPERTIES_QUERY =
    'query DeskProperties { viewer { roles { role property { id } } } properties(first: 100) { edges { node { id name timeZone } } } }';
  // The snapshot also says whether an evacuation is under way: a display opened (or back
  // online) during one goes straight to its roll call.
  var DESK_QUERY =
    'query DeskSnapshot($propertyId: ID!) { visitorDesk(propertyId: $propertyId) { cursor windowStart windowEnd entries { ' +
    VISIT_FIELDS +
    ' } property { evacuation { ' +
    EVACUATION_FIELDS +
    ' } } } }';
  var DESK_SUBSCRIPTION =
    'subscription DeskLive($propertyId: ID!, $after: String) { visitorDeskChanged(propertyId: $propertyId, after: $after) { kind cursor visit { ' +
    VISIT_FIELDS +
    ' } } }';
  var CHECK_IN_MUTATION =
    'mutation DeskCheckIn($visitId: ID!, $complianceOverrideReason: String) { checkInVisit(input: { visitId: $visitId, complianceOverrideReason: $complianceOverrideReason }) { visit { id status } userErrors { code message } } }';
  var CHECK_OUT_MUTATION =
    'mutation DeskCheckOut($visitId: ID!) { checkOutVisit(input: { visitId: $visitId }) { visit { id status } userErrors { code message } } }';

  var EVACUATION_QUERY =
    'query DeskEvacuation($propertyId: ID!) { node(id: $propertyId) { ... on Property { evacuation { ' +
    EVACUATION_FIELDS +
    ' } } } }';
  var EVACUATION_SUBSCRIPTION =
    'subscription DeskEvacuationLive($evacuationId: ID!, $after: String) { evacuationChanged(evacuationId: $evacuationId, after: $after) { kind cursor evacuation { ' +
    EVACUATION_FIELDS +
    ' } } }';
  // Whichever device sounds the alarm, every display of the property switches to the roll call.
  var EVACUATION_STARTS_SUBSCRIPTION =
    'subscription DeskEvacuationStarts($propertyId: ID!) { evacuationStarted(propertyId: $propertyId) { ' +
    EVACUATION_FIELDS +
    ' } }';
  var START_EVACUATION_MUTATION =
    'mutation DeskStartEvacuation($propertyId: ID!) { startEvacuation(input: { propertyId: $propertyId }) { evacuation { ' +
    EVACUATION_FIELDS +
    ' } userErrors { code message } } }';
  var MARK_ACCOUNTED_FOR_MUTATION =
    'mutation DeskMarkAccountedFor($evacuationId: ID!, $visitId: ID!) { markAccountedFor(input: { evacuationId: $evacuationId, visitId: $visitId }) { evacuation { ' +
    EVACUATION_FIELDS +
    ' } userErrors { code message } } }';
  var END_EVACUATION_MUTATION =
    'mutation DeskEndEvacuation($evacuationId: ID!) { endEvacuation(input: { evacuationId: $evacuationId }) { evacuation { ' +
    EVACUATION_FIELDS +
    ' } userErrors { code message } } }';

  var STATUS_LABELS = {
    EXPECTED: 'Expected',
    CHECKED_IN: 'Checked in',
    CHECKED_OUT: 'Checked out',
    CANCELLED: 'Cancelled',
  };
  var CONNECTION_LABELS = {
    connecting: 'Connecting…',
    connected: 'Connected',
    reconnecting: 'Reconnecting…',
    offline: 'Offline',
  };

  // ---------------------------------------------------------------- state

  var state = {
    token: null,
    properties: [],
    property: null, // { id, name, timeZone }
    visits: new Map(), // id -> visit
    cursor: null, // last position seen: the snapshot's, then each event's
    client: null,
    unsubscribe: null,
    unsubscribeStarts: null,
    generation: 0, // bumps whenever the desk is (re)loaded: stale callbacks are ignored
    reloadTimer: null,
    reloadAttempts: 0,
    clockTimer: null,
    // The evacuation under way, as shown: every read of it merged (see mergeEvacuation).
    evacuation: null,
    evacuationCursor: null, // last position seen in its log: the read's, then each event's
    evacuationUnsubscribe: null,
    evacuationGeneration: 0, // bumps whenever its stream is (re)started or left
    evacuationTimer: null,
    evacuationAttempts: 0,
    marking: new Set(), // visit ids whose tap is on its way to the server
  };

  /**
   * What the signed-in user may do, from their roles: administrators everywhere, property
   * managers and desk staff at their properties. The server decides in the end; this only
   * spares people buttons that would be refused.
   */
  var permissions = {
    roles: [],
    worksDesk: function (propertyId) {
      return permissions.roles.some(function (r) {
        return r.role === 'ADMIN' || (r.property && r.property.id === propertyId);
      });
    },
    checkIn: function () {
      return !!state.property && permissions.worksDesk(state.property.id);
    },
    checkOut: function () {
      return !!state.property && permissions.worksDesk(state.property.id);
    },
    /** Starting, marking and ending an evacuation: whoever works the desk. */
    evacuate: function () {
      return !!state.property && permissions.worksDesk(state.property.id);
    },
    /** Letting in a visitor whose company is not compliant: the property's managers and administrators. */
    override: function () {
      return (
        !!state.property &&
        permissions.roles.some(function (r) {
          return r.role === 'ADMIN' || (r.role === 'PROPERTY_MANAGER' && r.property && r.property.id === state.property.id);
        })
      );
    },
  };

  // ---------------------------------------------------------------- elements

  function $(id) {
    return document.getElementById(id);
  }

  var el = {
    signIn: $('sign-in'),
    signInForm: $('sign-in-form'),
    tokenInput: $('token'),
    picker: $('picker'),
    propertyList: $('property-list'),
    desk: $('desk'),
    queueBody: $('queue-body'),
    empty: $('empty'),
    notice: $('notice'),
    connection: $('connection'),
    propertyName: $('property-name'),
    clock: $('clock'),
    switchProperty: $('switch-property'),
    signOut: $('sign-out'),
    startEvacuation: $('start-evacuation'),
    evacuation: $('evacuation'),
    evacSince: $('evac-since'),
    evacAccounted: $('evac-accounted'),
    evacMissing: $('evac-missing'),
    evacTotal: $('evac-total'),
    evacPeople: $('evac-people'),
    evacEmpty: $('evac-empty'),
    endEvacuation: $('end-evacuation'),
  };

  // ---------------------------------------------------------------- storage (session only)

  function store(key, value) {
    try {
      if (value === null) sessionStorage.removeItem(key);
      else sessionStorage.setItem(key, value);
    } catch {
      /* storage unavailable: keep it in memory only */
    }
  }

  function load(key) {
    try {
      return sessionStorage.getItem(key);
    } catch {
      return null;
    }
  }

  // ---------------------------------------------------------------- HTTP

  function AuthError(message) {
    this.name = 'AuthError';
    this.message = message;
  }
  AuthError.prototype = Object.create(Error.prototype);

  /** POST /graphql with the bearer token; resolves with `data`, rejects on errors. */
  function request(query, variables) {
    return fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: 'Bearer ' + state.token,
      },
      body: JSON.stringify({ query: query, variables: variables || {} }),
      cache: 'no-store',
      credentials: 'omit',
    }).then(function (res) {
      return res
        .json()
        .catch(function () {
          return {};
        })
        .then(function (body) {
          var errors = (body && body.errors) || [];
          var unauthenticated =
            res.status === 401 ||
            errors.some(function (e) {
              return e && e.extensions && e.extensions.code === 'UNAUTHENTICATED';
            });
          if (unauthenticated) throw new AuthError('That API token was not accepted. Check it and sign in again.');
          if (errors.length) throw new Error(errors[0].message || 'The server refused the request.');
          if (!res.ok || !body.data) throw new Error('The server answered ' + res.status + '.');
          return body.data;
        });
    });
  }

  /** Every failed request ends here: a bad token signs out, anything else is shown. */
  function failed(err) {
    if (err instanceof AuthError) {
      signOut(err.message);
      return;
    }
    showNotice(err && err.message ? err.message : 'Something went wrong.');
  }

  // ---------------------------------------------------------------- notices & views

  function showNotice(message, kind) {
    el.notice.textContent = message;
    el.notice.setAttribute('data-kind', kind || 'error');
    el.notice.hidden = false;
  }

  function clearNotice() {
    el.notice.hidden = true;
    el.notice.textContent = '';
  }

  function showView(name) {
    var atProperty = name === 'desk' || name === 'evacuation';
    // The stylesheet marks the whole page while a roll call is on screen.
    document.body.setAttribute('data-view', name);
    el.signIn.hidden = name !== 'sign-in';
    el.picker.hidden = name !== 'picker';
    el.desk.hidden = name !== 'desk';
    el.evacuation.hidden = name !== 'evacuation';
    el.signOut.hidden = name === 'sign-in';
    // Leaving the property mid-evacuation would lose the roll call: only from the queue.
    el.switchProperty.hidden = name !== 'desk' || state.properties.length < 2;
    el.startEvacuation.hidden = name !== 'desk' || !permissions.evacuate();
    el.connection.hidden = !atProperty;
    if (!atProperty) {
      el.propertyName.textContent = '';
      el.clock.textContent = '';
    }
  }

  function setConnection(s) {
    if (el.connection.getAttribute('data-state') === s) return;
    el.connection.setAttribute('data-state', s);
    el.connection.textContent = CONNECTION_LABELS[s] || s;
  }

  // ---------------------------------------------------------------- sign in / out

  el.signInForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var token = el.tokenInput.value.trim();
    if (!token) {
      showNotice('Enter an API token.');
      el.tokenInput.focus();
      return;
    }
    el.tokenInput.value = '';
    clearNotice();
    state.token = token;
    store(TOKEN_KEY, token);
    loadProperties();
  });

  el.signOut.addEventListener('click', function () {
    signOut(null);
  });

  el.switchProperty.addEventListener('click', function () {
    stopLive();
    leaveEvacuation();
    state.property = null;
    store(PROPERTY_KEY, null);
    showPicker();
  });

  function signOut(message) {
    stopLive();
    leaveEvacuation();
    if (state.client) {
      state.client.dispose();
      state.client = null;
    }
    state.token = null;
    state.property = null;
    state.properties = [];
    store(TOKEN_KEY, null);
    store(PROPERTY_KEY, null);
    if (message) showNotice(message);
    else clearNotice();
    showView('sign-in');
    el.tokenInput.focus();
  }

  // ---------------------------------------------------------------- properties

  function loadProperties() {
    request(PROPERTIES_QUERY)
      .then(function (data) {
        permissions.roles = (data.viewer && data.viewer.roles) || [];
        // A vendor sees the properties where they work, but has no desk there.
        state.properties = data.properties.edges
          .map(function (e) {
            return e.node;
          })
          .filter(function (p) {
            return permissions.worksDesk(p.id);
          });
        var remembered = load(PROPERTY_KEY);
        var chosen = state.properties.filter(function (p) {
          return p.id === remembered;
        })[0];
        if (chosen) openDesk(chosen);
        else showPicker();
      })
      .catch(failed);
  }

  function showPicker() {
    el.propertyList.textContent = '';
    if (state.properties.length === 0)
      showNotice('There is no Visitor Desk this token may work; ask an administrator for a DESK role.', 'info');
    state.properties.forEach(function (p) {
      var li = document.createElement('li');
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = p.name;
      var zone = document.createElement('span');
      zone.className = 'zone';
      zone.textContent = p.timeZone;
      button.appendChild(zone);
      button.setAttribute('aria-label', p.name + ' (' + p.timeZone + ')');
      button.addEventListener('click', function () {
        clearNotice();
        store(PROPERTY_KEY, p.id);
        openDesk(p);
      });
      li.appendChild(button);
      el.propertyList.appendChild(li);
    });
    showView('picker');
    var first = el.propertyList.querySelector('button');
    if (first) first.focus();
  }

  // ---------------------------------------------------------------- the desk

  function openDesk(property) {
    state.property = property;
    el.propertyName.textContent = property.name;
    state.visits = new Map();
    render();
    showView('desk');
    startClock();
    reloadDesk();
  }

  /** Reads the snapshot with its cursor, then subscribes after that cursor. */
  function reloadDesk() {
    stopLive();
    var generation = ++state.generation;
    var property = state.property;
    if (!state.connectionKnown) setConnection('connecting');
    request(DESK_QUERY, { propertyId: property.id })
      .then(function (data) {
        if (generation !== state.generation) return;
        state.reloadAttempts = 0;
        var desk = data.visitorDesk;
        state.visits = new Map();
        desk.entries.forEach(function (v) {
          state.visits.set(v.id, v);
        });
        state.cursor = desk.cursor;
        render();
        subscribe(generation);
        followEvacuationStarts(generation);
        evacuationRead(desk.property.evacuation);
      })
      .catch(function (err) {
        if (generation !== state.generation) return;
        if (err instanceof AuthError) return failed(err);
        // The server may be down: try again, more slowly each time.
        setConnection(navigator.onLine === false ? 'offline' : 'reconnecting');
        scheduleReload(backoff(state.reloadAttempts++));
      });
  }

  function scheduleReload(ms) {
    clearTimeout(state.reloadTimer);
    var generation = state.generation;
    state.reloadTimer = setTimeout(function () {
      if (generation === state.generation && state.property) reloadDesk();
    }, ms);
  }

  function stopLive() {
    state.generation++;
    clearTimeout(state.reloadTimer);
    if (state.unsubscribe) {
      var u = state.unsubscribe;
      state.unsubscribe = null;
      u();
    }
    if (state.unsubscribeStarts) {
      var s = state.unsubscribeStarts;
      state.unsubscribeStarts = null;
      s();
    }
  }

  /** Exponential backoff with jitter, capped at about 30 seconds. */
  function backoff(attempt) {
    var ceiling = Math.min(30000, 1000 * Math.pow(2, Math.min(attempt, 10)));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  function wsClient() {
    if (state.client) return state.client;
    var token = state.token;
    var client = graphqlWs.createClient({
      url: (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + GRAPHQL_PATH,
      connectionParams: { authorization: 'Bearer ' + token },
      retryAttempts: Infinity,
      shouldRetry: function () {
        return true;
      },
      retryWait: function (retries) {
        return new Promise(function (resolve) {
          setTimeout(resolve, backoff(retries));
        });
      },
    });
    client.on('connecting', function () {
      setConnection(state.connectionKnown ? 'reconnecting' : 'connecting');
    });
    client.on('connected', function () {
      state.connectionKnown = true;
      setConnection('connected');
    });
    client.on('closed', function (event) {
      if (state.client !== client) return;
      setConnection(navigator.onLine === false ? 'offline' : 'reconnecting');
      // 4403: the server refused the token on connecting. Ask over HTTP whether it is
      // really no longer valid (sign out) or the server was just briefly unhappy.
      if (event && event.code === 4403) request(PROPERTIES_QUERY).catch(failed);
    });
    state.client = client;
    return client;
  }

  function subscribe(generation) {
    // graphql-ws sends this payload again on every reconnect: keeping `after` up to date in
    // it makes each resubscription resume after the last event received, so nothing is
    // missed and nothing is applied twice.
    var payload = {
      query: DESK_SUBSCRIPTION,
      variables: { propertyId: state.property.id, after: state.cursor },
    };
    state.unsubscribe = wsClient().subscribe(payload, {
      next: function (result) {
        if (generation !== state.generation) return;
        if (result.errors && result.errors.length) return subscriptionFailed(result.errors, generation);
        var event = result.data && result.data.visitorDeskChanged;
        if (!event) return;
        apply(event);
        state.cursor = event.cursor;
        payload.variables.after = event.cursor;
      },
      error: function (err) {
        if (generation !== state.generation) return;
        subscriptionFailed(err, generation);
      },
      complete: function () {
        if (generation !== state.generation) return;
        // The server ended the stream (e.g. shutting down): subscribe again after the
        // last cursor; the client reconnects as needed.
        state.unsubscribe = null;
        setTimeout(function () {
          if (generation === state.generation) subscribe(generation);
        }, backoff(0));
      },
    });
  }

  /**
   * Evacuations starting at the property (the one under way first, if any): the display
   * switches to the roll call. A stream that fails is followed again with the next desk
   * reload, which reads the property's evacuation anyway.
   */
  function followEvacuationStarts(generation) {
    state.unsubscribeStarts = wsClient().subscribe(
      { query: EVACUATION_STARTS_SUBSCRIPTION, variables: { propertyId: state.property.id } },
      {
        next: function (result) {
          if (generation !== state.generation) return;
          var evacuation = result.data && result.data.evacuationStarted;
          if (evacuation) evacuationRead(evacuation);
        },
        error: function () {},
        complete: function () {},
      },
    );
  }

  function errorCode(err) {
    var list = Array.isArray(err) ? err : [err];
    for (var i = 0; i < list.length; i++) {
      var code = list[i] && list[i].extensions && list[i].extensions.code;
      if (code) return code;
    }
    return null;
  }

  function subscriptionFailed(err, generation) {
    if (generation !== state.generation) return;
    var code = errorCode(err);
    state.unsubscribe = null;
    if (code === 'UNAUTHENTICATED') {
      request(PROPERTIES_QUERY).catch(failed);
      scheduleReload(backoff(state.reloadAttempts++));
      return;
    }
    if (code === 'CURSOR_EXPIRED') {
      // Away longer than the server keeps history: start again from a fresh snapshot.
      reloadDesk();
      return;
    }
    if (window.console && console.warn) console.warn('Desk subscription failed; reloading the desk.', err);
    scheduleReload(backoff(state.reloadAttempts++));
  }

  /** Applies one desk event to the local queue. */
  function apply(event) {
    var visit = event.visit;
    switch (event.kind) {
      case 'VISIT_ADDED':
      case 'VISIT_UPDATED':
      case 'VISIT_CHECKED_IN':
      case 'VISIT_OVERDUE':
        state.visits.set(visit.id, visit);
        break;
      case 'VISIT_CHECKED_OUT':
      case 'VISIT_REMOVED':
        state.visits.delete(visit.id);
        break;
      default:
        return;
    }
    render();
  }

  // ---------------------------------------------------------------- ordering & formatting

  /** The database id inside a global id ("Visit:<uuid>", base64url): the desk's tie-break. */
  function rawId(globalId) {
    try {
      var b64 = globalId.replace(/-/g, '+').replace(/_/g, '/');
      while (b64.length % 4) b64 += '=';
      var decoded = atob(b64);
      var colon = decoded.indexOf(':');
      return colon >= 0 ? decoded.slice(colon + 1) : globalId;
    } catch {
      return globalId;
    }
  }

  function compareVisits(a, b) {
    var ta = Date.parse(a.expectedArrival);
    var tb = Date.parse(b.expectedArrival);
    if (ta !== tb) return ta - tb;
    var ia = rawId(a.id);
    var ib = rawId(b.id);
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  }

  var formatters = {};
  function formatter(kind) {
    var zone = state.property ? state.property.timeZone : undefined;
    var key = kind + '|' + zone;
    if (!formatters[key]) {
      var options =
        kind === 'time'
          ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
          : { weekday: 'short', day: 'numeric', month: 'short' };
      options.timeZone = zone;
      formatters[key] = new Intl.DateTimeFormat(undefined, options);
    }
    return formatters[key];
  }

  function formatTime(iso) {
    return formatter('time').format(new Date(iso));
  }

  function formatDay(iso) {
    return formatter('day').format(new Date(iso));
  }

  function startClock() {
    clearInterval(state.clockTimer);
    var tick = function () {
      if (!state.property) return;
      el.clock.textContent = formatTime(new Date().toISOString());
    };
    tick();
    state.clockTimer = setInterval(tick, 10000);
  }

  // ---------------------------------------------------------------- rendering

  function cell(className, text) {
    var td = document.createElement('td');
    if (className) td.className = className;
    if (text !== undefined && text !== null) td.textContent = text;
    return td;
  }

  function span(className, text) {
    var s = document.createElement('span');
    s.className = className;
    s.textContent = text;
    return s;
  }

  function actionButton(visit) {
    var button = document.createElement('button');
    button.type = 'button';
    if (visit.status === 'EXPECTED' && permissions.checkIn(visit) && blocked(visit)) {
      // The desk cannot let this visitor in; a manager may, with a reason kept in the audit trail.
      if (!permissions.override()) {
        button.className = 'check-in';
        button.textContent = 'Blocked';
        button.disabled = true;
        button.title = 'Not compliant: a property manager can let this visitor in with a reason.';
        return button;
      }
      button.className = 'override';
      button.textContent = 'Let in…';
      button.setAttribute('aria-label', 'Let in ' + visit.visitorName + ' despite compliance');
      button.addEventListener('click', function () {
        var reason = window.prompt('Why is ' + visit.visitorName + ' let in although their company is not compliant?');
        if (reason === null) return;
        runAction(button, CHECK_IN_MUTATION, 'checkInVisit', visit, { complianceOverrideReason: reason });
      });
      return button;
    }
    if (visit.status === 'EXPECTED' && permissions.checkIn(visit)) {
      button.className = 'check-in';
      button.textContent = 'Check in';
      button.setAttribute('aria-label', 'Check in ' + visit.visitorName);
      button.addEventListener('click', function () {
        runAction(button, CHECK_IN_MUTATION, 'checkInVisit', visit);
      });
      return button;
    }
    if (visit.status === 'CHECKED_IN' && permissions.checkOut(visit)) {
      button.className = 'check-out';
      button.textContent = 'Check out';
      button.setAttribute('aria-label', 'Check out ' + visit.visitorName);
      button.addEventListener('click', function () {
        runAction(button, CHECK_OUT_MUTATION, 'checkOutVisit', visit);
      });
      return button;
    }
    return null;
  }

  /** Runs a check-in/out; the live feed then updates the row (so there is one source of truth). */
  function runAction(button, mutation, field, visit, extra) {
    button.disabled = true;
    clearNotice();
    request(mutation, Object.assign({ visitId: visit.id }, extra))
      .then(function (data) {
        var payload = data[field];
        if (payload.userErrors && payload.userErrors.length) {
          showNotice(visit.visitorName + ': ' + payload.userErrors[0].message);
        }
      })
      .catch(failed)
      .then(function () {
        // If the row was not re-rendered meanwhile, the button is still this one.
        button.disabled = false;
      });
  }

  /** Whether the visitor's company is not compliant (the row says why). */
  function blocked(visit) {
    return !!visit.compliance && !visit.compliance.compliant;
  }

  /** What the row says about compliance: the problems, or a manager's override. */
  function complianceNote(visit) {
    if (visit.complianceOverride) {
      return span('compliance-note override-note', 'Let in by a manager: ' + visit.complianceOverride.reason);
    }
    if (!blocked(visit)) return null;
    var note = document.createElement('ul');
    note.className = 'compliance-note';
    note.setAttribute('aria-label', 'Not compliant');
    visit.compliance.problems.forEach(function (p) {
      var li = document.createElement('li');
      li.textContent = p.message;
      note.appendChild(li);
    });
    return note;
  }

  function renderRow(visit) {
    var tr = document.createElement('tr');
    tr.setAttribute('data-visit-id', visit.id);
    tr.setAttribute('data-status', visit.status);
    if (blocked(visit)) tr.setAttribute('data-compliance', 'blocked');
    if (visit.status === 'CHECKED_IN' && visit.overdue) tr.setAttribute('data-overdue', 'true');

    var time = cell('time');
    time.appendChild(document.createTextNode(formatTime(visit.expectedArrival)));
    time.appendChild(span('day', formatDay(visit.expectedArrival)));
    tr.appendChild(time);

    tr.appendChild(cell('visitor', visit.visitorName));
    var company = cell('company', visit.company ? visit.company.name : '—');
    var note = complianceNote(visit);
    if (note) company.appendChild(note);
    tr.appendChild(company);

    var wo = cell('work-order');
    if (visit.workOrder) {
      wo.appendChild(span('request-id', visit.workOrder.requestId));
      wo.appendChild(span('wo-title', visit.workOrder.title));
    } else {
      wo.textContent = '—';
    }
    tr.appendChild(wo);

    var status = cell('status', STATUS_LABELS[visit.status] || visit.status);
    // Still here past the expected departure and its grace: someone should go and look.
    if (visit.status === 'CHECKED_IN' && visit.overdue) status.appendChild(span('overdue-badge', 'Overdue'));
    if (visit.status === 'CHECKED_IN' && visit.checkedInAt) {
      var since = 'since ' + formatTime(visit.checkedInAt);
      // Overdue: when they were due out is what the desk needs to judge how late.
      if (visit.overdue && visit.expectedDeparture) since += ' · due out ' + formatTime(visit.expectedDeparture);
      status.appendChild(span('since', since));
    }
    tr.appendChild(status);

    var actions = cell('actions');
    var button = actionButton(visit);
    if (button) actions.appendChild(button);
    tr.appendChild(actions);
    return tr;
  }

  /** Redraws the queue, keeping keyboard focus on the same visit's button when it survives. */
  function render() {
    var focused = document.activeElement;
    var focusedRow = focused && focused.closest ? focused.closest('tr[data-visit-id]') : null;
    var focusedId = focusedRow ? focusedRow.getAttribute('data-visit-id') : null;

    var visits = Array.from(state.visits.values()).sort(compareVisits);
    var fragment = document.createDocumentFragment();
    visits.forEach(function (v) {
      fragment.appendChild(renderRow(v));
    });
    el.queueBody.textContent = '';
    el.queueBody.appendChild(fragment);
    el.empty.hidden = visits.length > 0;

    if (focusedId) {
      var rows = el.queueBody.querySelectorAll('tr[data-visit-id]');
      for (var i = 0; i < rows.length; i++) {
        if (rows[i].getAttribute('data-visit-id') === focusedId) {
          var b = rows[i].querySelector('button');
          if (b) b.focus();
          break;
        }
      }
    }
  }

  // ---------------------------------------------------------------- evacuation roll call

  el.startEvacuation.addEventListener('click', function () {
    var property = state.property;
    if (!property || !permissions.evacuate()) return;
    var onSite = Array.from(state.visits.values()).filter(function (v) {
      return v.status === 'CHECKED_IN';
    }).length;
    var question =
      'Start an evacuation of ' +
      property.name +
      '? Everyone checked in (' +
      onSite +
      ' now) goes on the roll call, and anyone checked in meanwhile joins it.';
    if (!window.confirm(question)) return;
    el.startEvacuation.disabled = true;
    clearNotice();
    request(START_EVACUATION_MUTATION, { propertyId: property.id })
      .then(function (data) {
        if (property !== state.property) return;
        var payload = data.startEvacuation;
        if (payload.evacuation) return openEvacuation(payload.evacuation);
        var error = payload.userErrors && payload.userErrors[0];
        showNotice(error ? error.message : 'The evacuation could not be started.');
        // Another desk or phone started one first: that is the roll call to work.
        if (error && error.code === 'CONFLICT') readEvacuation();
      })
      .catch(failed)
      .then(function () {
        el.startEvacuation.disabled = false;
      });
  });

  el.endEvacuation.addEventListener('click', function () {
    var evacuation = state.evacuation;
    if (!evacuation) return;
    var missing = countMissing(evacuation);
    var question =
      missing > 0
        ? 'End the evacuation? ' + missing + (missing === 1 ? ' person is' : ' people are') + ' still missing.'
        : 'End the evacuation? Everyone is accounted for.';
    if (!window.confirm(question)) return;
    el.endEvacuation.disabled = true;
    clearNotice();
    request(END_EVACUATION_MUTATION, { evacuationId: evacuation.id })
      .then(function (data) {
        var payload = data.endEvacuation;
        // The answer shows it ended: showEvacuation goes back to the queue at once.
        if (payload.evacuation) return showEvacuation(payload.evacuation);
        var error = payload.userErrors && payload.userErrors[0];
        showNotice(error ? error.message : 'The evacuation could not be ended.');
        // Most likely ended elsewhere meanwhile: a fresh read tells, and leaves it if so.
        readEvacuation();
      })
      .catch(failed)
      .then(function () {
        el.endEvacuation.disabled = false;
      });
  });

  /** Shows an open evacuation's roll call and follows it live from the read's cursor. */
  function openEvacuation(evacuation) {
    stopEvacuationLive();
    state.evacuation = mergeEvacuation(null, evacuation);
    state.evacuationCursor = evacuation.cursor;
    state.evacuationAttempts = 0;
    state.marking = new Set();
    showView('evacuation');
    renderEvacuation();
    subscribeEvacuation(state.evacuationGeneration);
  }

  /** Back to the queue (it stayed live underneath), saying why when there is something to say. */
  function closeEvacuation(message) {
    leaveEvacuation();
    if (!state.property) return;
    showView('desk');
    render();
    if (message) showNotice(message, 'info');
  }

  /** Forgets the roll call and stops following it; the view is the caller's business. */
  function leaveEvacuation() {
    stopEvacuationLive();
    state.evacuation = null;
    state.evacuationCursor = null;
    state.marking = new Set();
  }

  function stopEvacuationLive() {
    state.evacuationGeneration++;
    clearTimeout(state.evacuationTimer);
    if (state.evacuationUnsubscribe) {
      var u = state.evacuationUnsubscribe;
      state.evacuationUnsubscribe = null;
      u();
    }
  }

  /** What a read of the property says: an evacuation to open or keep following, or none (any more). */
  function evacuationRead(evacuation) {
    if (evacuation && !evacuation.endedAt && !(state.evacuation && state.evacuation.id === evacuation.id)) {
      openEvacuation(evacuation);
      return;
    }
    if (evacuation && state.evacuation && state.evacuation.id === evacuation.id) {
      showEvacuation(evacuation);
      // Its stream had failed or ended early: follow it again from this read (which holds
      // everything up to its cursor; anything replayed twice merges away).
      if (state.evacuation && !state.evacuationUnsubscribe) {
        stopEvacuationLive();
        state.evacuationCursor = evacuation.cursor;
        subscribeEvacuation(state.evacuationGeneration);
      }
      return;
    }
    if (!evacuation && state.evacuation) closeEvacuation('The evacuation has ended.');
  }

  /** Asks the property whether an evacuation is under way (after a refusal, or a stream that failed). */
  function readEvacuation() {
    var property = state.property;
    var generation = state.evacuationGeneration;
    if (!property) return;
    request(EVACUATION_QUERY, { propertyId: property.id })
      .then(function (data) {
        if (property !== state.property || generation !== state.evacuationGeneration) return;
        state.evacuationAttempts = 0;
        evacuationRead(data.node ? data.node.evacuation : null);
      })
      .catch(function (err) {
        if (property !== state.property || generation !== state.evacuationGeneration) return;
        if (err instanceof AuthError) return failed(err);
        scheduleEvacuationRead(backoff(state.evacuationAttempts++));
      });
  }

  function scheduleEvacuationRead(ms) {
    clearTimeout(state.evacuationTimer);
    var generation = state.evacuationGeneration;
    state.evacuationTimer = setTimeout(function () {
      if (generation === state.evacuationGeneration) readEvacuation();
    }, ms);
  }

  function subscribeEvacuation(generation) {
    // As for the desk: graphql-ws sends this payload again on every reconnect, so keeping
    // `after` up to date makes a dropped connection resume right after the last event.
    var payload = {
      query: EVACUATION_SUBSCRIPTION,
      variables: { evacuationId: state.evacuation.id, after: state.evacuationCursor },
    };
    state.evacuationUnsubscribe = wsClient().subscribe(payload, {
      next: function (result) {
        if (generation !== state.evacuationGeneration) return;
        if (result.errors && result.errors.length) return evacuationFailed(result.errors, generation);
        var event = result.data && result.data.evacuationChanged;
        if (!event) return;
        state.evacuationAttempts = 0;
        state.evacuationCursor = event.cursor;
        payload.variables.after = event.cursor;
        // Each event carries the whole roll call as committed: render from it (ENDED leaves).
        showEvacuation(event.evacuation);
      },
      error: function (err) {
        if (generation !== state.evacuationGeneration) return;
        evacuationFailed(err, generation);
      },
      complete: function () {
        if (generation !== state.evacuationGeneration) return;
        // After ENDED the roll call was already left (and this generation is over). Ending
        // earlier means the server stopped the stream (e.g. shutting down): a fresh read
        // subscribes again after the last cursor, or leaves if it ended meanwhile.
        state.evacuationUnsubscribe = null;
        scheduleEvacuationRead(backoff(0));
      },
    });
  }

  function evacuationFailed(err, generation) {
    if (generation !== state.evacuationGeneration) return;
    state.evacuationUnsubscribe = null;
    if (errorCode(err) === 'UNAUTHENTICATED') request(PROPERTIES_QUERY).catch(failed);
    else if (window.console && console.warn) console.warn('Evacuation subscription failed; reading it again.', err);
    scheduleEvacuationRead(backoff(state.evacuationAttempts++));
  }

  /** Takes a read of the shown evacuation (an event's or a mutation's answer) and redraws, or leaves once ended. */
  function showEvacuation(evacuation) {
    if (!state.evacuation || !evacuation || evacuation.id !== state.evacuation.id) return;
    state.evacuation = mergeEvacuation(state.evacuation, evacuation);
    if (state.evacuation.endedAt) {
      var ended = state.evacuation;
      closeEvacuation(
        'The evacuation ended at ' + formatTime(ended.endedAt) + (ended.endedBy ? ' (' + ended.endedBy.name + ').' : '.'),
      );
      return;
    }
    renderEvacuation();
  }

  /**
   * Merges a read into what is shown. Reads may arrive out of order (a tap's answer against
   * the live events, a replay after reconnecting), but a roll call only grows, and whoever is
   * accounted for stays so: keeping what either read knows is right whichever is newer, and
   * an event seen twice changes nothing.
   */
  function mergeEvacuation(current, next) {
    var people = new Map();
    if (current && current.id === next.id) {
      current.people.forEach(function (p) {
        people.set(p.visit.id, p);
      });
    }
    next.people.forEach(function (p) {
      var known = people.get(p.visit.id);
      if (!known || !known.accountedForAt || p.accountedForAt) people.set(p.visit.id, p);
    });
    var ended = next.endedAt ? next : current && current.id === next.id && current.endedAt ? current : next;
    return Object.assign({}, next, {
      endedAt: ended.endedAt,
      endedBy: ended.endedBy,
      people: Array.from(people.values()).sort(comparePeople),
    });
  }

  /** Still missing first (by name), then the latest accounted for: as the server orders them. */
  function comparePeople(a, b) {
    if (!a.accountedForAt !== !b.accountedForAt) return a.accountedForAt ? 1 : -1;
    if (a.accountedForAt && a.accountedForAt !== b.accountedForAt) {
      return Date.parse(b.accountedForAt) - Date.parse(a.accountedForAt);
    }
    var na = a.visit.visitorName.toLowerCase();
    var nb = b.visit.visitorName.toLowerCase();
    if (na !== nb) return na < nb ? -1 : 1;
    return a.visit.id < b.visit.id ? -1 : a.visit.id > b.visit.id ? 1 : 0;
  }

  function countMissing(evacuation) {
    return evacuation.people.filter(function (p) {
      return !p.accountedForAt;
    }).length;
  }

  /** A tap at the assembly point: one request per person, however often the screen is tapped. */
  function markAccountedFor(person) {
    var evacuation = state.evacuation;
    var visitId = person.visit.id;
    if (!evacuation || person.accountedForAt || state.marking.has(visitId)) return;
    state.marking.add(visitId);
    clearNotice();
    renderEvacuation();
    var answer = null;
    request(MARK_ACCOUNTED_FOR_MUTATION, { evacuationId: evacuation.id, visitId: visitId })
      .then(function (data) {
        answer = data.markAccountedFor;
        var error = answer.userErrors && answer.userErrors[0];
        if (error) showNotice(person.visit.visitorName + ': ' + error.message);
      })
      .catch(failed)
      .then(function () {
        state.marking.delete(visitId);
        // The answer shows the tap at once, even while the live stream is reconnecting.
        if (answer && answer.evacuation) showEvacuation(answer.evacuation);
        else if (answer && answer.userErrors.length) readEvacuation();
        else if (state.evacuation) renderEvacuation();
      });
  }

  function personState(person) {
    if (person.accountedForHow === 'CHECKED_OUT') return 'Checked out ' + formatTime(person.accountedForAt);
    if (person.accountedForAt) {
      return (
        'Accounted for ' + formatTime(person.accountedForAt) + (person.accountedForBy ? ' by ' + person.accountedForBy.name : '')
      );
    }
    if (state.marking.has(person.visit.id)) return 'Marking…';
    return 'Missing · tap when seen';
  }

  function personButton(person) {
    var visit = person.visit;
    var accounted = !!person.accountedForAt;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'evac-person';
    button.setAttribute('data-visit-id', visit.id);
    button.setAttribute('data-state', accounted ? 'accounted' : state.marking.has(visit.id) ? 'marking' : 'missing');
    button.appendChild(span('evac-name', visit.visitorName));
    var details = [
      visit.company ? visit.company.name : null,
      visit.checkedInAt ? 'in since ' + formatTime(visit.checkedInAt) : null,
    ]
      .filter(Boolean)
      .join(' · ');
    if (details) button.appendChild(span('evac-details', details));
    button.appendChild(span('evac-state', personState(person)));
    if (accounted) {
      // Accounted for is final: a second tap (or a pocket) must not change anything, so the
      // button stays readable but does nothing.
      button.setAttribute('aria-disabled', 'true');
    } else {
      button.addEventListener('click', function () {
        markAccountedFor(person);
      });
    }
    return button;
  }

  /** Redraws the roll call: big counts that add up to the list, missing people first. */
  function renderEvacuation() {
    var evacuation = state.evacuation;
    if (!evacuation) return;
    var focused = document.activeElement;
    var focusedId =
      focused && focused.classList && focused.classList.contains('evac-person') ? focused.getAttribute('data-visit-id') : null;

    var total = evacuation.people.length;
    var missing = countMissing(evacuation);
    el.evacAccounted.textContent = String(total - missing);
    el.evacMissing.textContent = String(missing);
    el.evacuation.setAttribute('data-missing', missing > 0 ? 'some' : 'none');
    el.evacTotal.textContent = total + (total === 1 ? ' person' : ' people') + ' on the list';
    el.evacSince.textContent =
      'Started ' + formatTime(evacuation.startedAt) + (evacuation.startedBy ? ' by ' + evacuation.startedBy.name : '');

    var fragment = document.createDocumentFragment();
    evacuation.people.forEach(function (p) {
      var li = document.createElement('li');
      li.appendChild(personButton(p));
      fragment.appendChild(li);
    });
    el.evacPeople.textContent = '';
    el.evacPeople.appendChild(fragment);
    el.evacEmpty.hidden = total > 0;

    if (focusedId) {
      var buttons = el.evacPeople.querySelectorAll('button[data-visit-id]');
      for (var i = 0; i < buttons.length; i++) {
        if (buttons[i].getAttribute('data-visit-id') === focusedId) {
          buttons[i].focus();
          break;
        }
      }
    }
  }

  // ---------------------------------------------------------------- connectivity

  window.addEventListener('offline', function () {
    if (state.property) setConnection('offline');
  });
  window.addEventListener('online', function () {
    if (state.property && el.connection.getAttribute('data-state') === 'offline') setConnection('reconnecting');
  });

  // ---------------------------------------------------------------- start

  state.token = load(TOKEN_KEY);
  if (state.token) {
    showView('picker');
    loadProperties();
  } else {
    showView('sign-in');
  }
})();
