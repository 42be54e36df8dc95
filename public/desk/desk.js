// Front-desk display: the property's visitor queue, kept live over graphql-ws.
// Plain browser JavaScript, no build step. Loaded after /desk/vendor/graphql-ws.js
// (global `graphqlWs`). The page's CSP forbids inline scripts, inline styles and eval.
(function () {
  'use strict';

  var TOKEN_KEY = 'visitorDesk.token';
  var PROPERTY_KEY = 'visitorDesk.propertyId';
  var GRAPHQL_PATH = '/graphql';

  var VISIT_FIELDS =
    'id visitorName status expectedArrival checkedInAt company { name } workOrder { requestId title } ' +
    'compliance { compliant problems { code message } } complianceOverride { reason }';

  var PROPERTIES_QUERY =
    'query DeskProperties { viewer { roles { role property { id } } } properties(first: 100) { edges { node { id name timeZone } } } }';
  var DESK_QUERY =
    'query DeskSnapshot($propertyId: ID!) { visitorDesk(propertyId: $propertyId) { cursor windowStart windowEnd entries { ' +
    VISIT_FIELDS +
    ' } } }';
  var DESK_SUBSCRIPTION =
    'subscription DeskLive($propertyId: ID!, $after: String) { visitorDeskChanged(propertyId: $propertyId, after: $after) { kind cursor visit { ' +
    VISIT_FIELDS +
    ' } } }';
  var CHECK_IN_MUTATION =
    'mutation DeskCheckIn($visitId: ID!, $complianceOverrideReason: String) { checkInVisit(input: { visitId: $visitId, complianceOverrideReason: $complianceOverrideReason }) { visit { id status } userErrors { code message } } }';
  var CHECK_OUT_MUTATION =
    'mutation DeskCheckOut($visitId: ID!) { checkOutVisit(input: { visitId: $visitId }) { visit { id status } userErrors { code message } } }';

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
    generation: 0, // bumps whenever the desk is (re)loaded: stale callbacks are ignored
    reloadTimer: null,
    reloadAttempts: 0,
    clockTimer: null,
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
    el.signIn.hidden = name !== 'sign-in';
    el.picker.hidden = name !== 'picker';
    el.desk.hidden = name !== 'desk';
    el.signOut.hidden = name === 'sign-in';
    el.switchProperty.hidden = name !== 'desk' || state.properties.length < 2;
    el.connection.hidden = name !== 'desk';
    if (name !== 'desk') {
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
    state.property = null;
    store(PROPERTY_KEY, null);
    showPicker();
  });

  function signOut(message) {
    stopLive();
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
    if (visit.status === 'CHECKED_IN' && visit.checkedInAt) {
      status.appendChild(span('since', 'since ' + formatTime(visit.checkedInAt)));
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
