// A stand-in for Portico's Connect API (SPEC §5) for the widget's component tests. It runs on its own
// origin (127.0.0.1:<port>) so that the widget talks to it cross-origin, as it talks to a real server
// from a vendor's page. The real server is exercised by the end-to-end suite.
//
// Each test creates a session scenario (POST /__test/sessions) and mints unsigned JWTs carrying its
// `sid`; the fake answers per scenario, logs every Connect API request, and serves a popup page that
// reports its outcome by postMessage and/or the event feed, as the scenario says.
import { Buffer } from 'node:buffer';
import http from 'node:http';

/** @typedef {{ id: string, name: string, connector: { name: string }, authType: string, status: string, activationId?: string }} Connection */
/**
 * @typedef {object} PopupPlan What the fake popup page does once loaded.
 * @property {'success' | 'error' | 'cancel' | 'none'} [outcome]
 * @property {'message' | 'events' | 'both' | 'none'} [channel]
 * @property {number} [messageDelayMs]
 * @property {number} [outcomeDelayMs] store the outcome (and post the message) only after this long
 * @property {number} [closeAfterMs] close itself after this long (omit: stay open)
 * @property {string} [relayTo] navigate to this page (another origin) which posts the message instead
 * @property {string} [activationId]
 * @property {{ code: string, message: string }} [error]
 */

const popupPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fake Portico popup</title></head>
<body><p>Fake Portico popup</p><script type="module">
  // The widget reuses the 'portico-connect' window: a new flow for the same connection only changes
  // the fragment, which does not reload the page.
  addEventListener('hashchange', () => location.reload());
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get('token');
  const flowId = params.get('flow');
  history.replaceState(null, '', location.pathname);
  const connectionId = decodeURIComponent(location.pathname.split('/').pop());
  const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  const base = '/__test/sessions/' + claims.sid;
  const post = (path, body) => fetch(base + path, { method: 'POST', body: JSON.stringify(body) });
  await post('/log', { kind: 'popup', connectionId, flowId, token, search: location.search, opener: !!window.opener });
  const plan = (await (await fetch(base)).json()).popup ?? {};
  const outcome = plan.outcome ?? 'none';
  const channel = plan.channel ?? 'message';
  const activationId = outcome === 'success' ? (plan.activationId ?? 'act_1') : undefined;
  const error = outcome === 'error' ? (plan.error ?? { code: 'credentials_rejected', message: 'Rejected.' }) : undefined;
  const eventType = { success: 'activation.succeeded', error: 'activation.failed', cancel: 'flow.cancelled' }[outcome];
  // Like the real server: the outcome is stored (an activation on success) whatever the channel;
  // only the event feed entry depends on the scenario.
  if (eventType) {
    const feed = channel === 'events' || channel === 'both';
    if (plan.outcomeDelayMs) await new Promise((resolve) => setTimeout(resolve, plan.outcomeDelayMs));
    const event = { type: eventType, connectionId, flowId, activationId, error, jti: claims.jti };
    await post('/outcome', { feed, event });
  }
  const message = { source: 'portico', type: 'connect:' + outcome, connectionId, activationId, flowId, error };
  if (outcome !== 'none' && plan.relayTo) {
    location.replace(plan.relayTo + '#' + encodeURIComponent(JSON.stringify(message)));
  } else if (outcome !== 'none' && (channel === 'message' || channel === 'both') && window.opener) {
    setTimeout(() => window.opener.postMessage(message, claims.origin), plan.messageDelayMs ?? 0);
  }
  if (plan.closeAfterMs !== undefined) setTimeout(() => window.close(), plan.closeAfterMs);
</script></body></html>`;

// Posts the message from its fragment to whoever can receive it: the opener (a popup that
// navigated to another origin) or the parent (an iframe). The widget must ignore both.
const relayPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Relay</title></head><body><script>
  const message = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  (window.opener ?? window.parent).postMessage(message, '*');
</script></body></html>`;

function decodeToken(token) {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Stores a flow's outcome like the server: success activates; `feed` also appends it to the events. */
function record(session, event, feed) {
  const connection = session.connections.find((c) => c.id === event.connectionId);
  if (connection && event.type === 'activation.succeeded') {
    Object.assign(connection, { status: 'active', activationId: event.activationId });
  }
  if (feed) session.events.push({ seq: ++session.seq, createdAt: new Date().toISOString(), ...event });
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

/** Starts the fake; resolves to its base URL, a second origin for the same server, and `close`. */
export async function startFakePortico() {
  /** @type {Map<string, any>} */
  const sessions = new Map();
  let nextSid = 1;

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const send = (status, body, type = 'application/json') => {
      res.writeHead(status, {
        'Content-Type': type,
        'Cache-Control': 'no-store',
        'Access-Control-Allow-Origin': req.headers.origin ?? '*',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type',
        'Access-Control-Allow-Methods': 'GET, POST, DELETE',
        Vary: 'Origin',
      });
      res.end(body === undefined ? undefined : type === 'application/json' ? JSON.stringify(body) : body);
    };
    const fail = (status, code, message) => send(status, { error: { code, message } });

    if (req.method === 'OPTIONS') return send(204);

    // ---- test control -------------------------------------------------------------------------
    if (url.pathname === '/__test/sessions' && req.method === 'POST') {
      const sid = `s${nextSid++}`;
      sessions.set(sid, {
        connections: [],
        popup: {},
        seq: 0,
        ...(await readJson(req)),
        events: [],
        log: [],
      });
      return send(201, { sid });
    }
    const control = url.pathname.match(/^\/__test\/sessions\/([^/]+)(\/events|\/log|\/outcome)?$/);
    if (control) {
      const session = sessions.get(control[1]);
      if (!session) return fail(404, 'not_found', 'No such test session.');
      if (req.method === 'GET') return send(200, session);
      const body = await readJson(req);
      if (control[2] === '/log') session.log.push(body);
      else if (control[2] === '/events') record(session, body, true);
      else if (control[2] === '/outcome') record(session, body.event, body.feed);
      else Object.assign(session, body);
      return send(200, session);
    }
    if (url.pathname === '/__test/relay') return send(200, relayPage, 'text/html');

    // ---- Connect API --------------------------------------------------------------------------
    const popup = url.pathname.match(/^\/connect\/popup\/([^/]+)$/);
    if (popup && req.method === 'GET') return send(200, popupPage, 'text/html');

    if (!url.pathname.startsWith('/connect/')) return fail(404, 'not_found', 'Not found.');
    const auth = req.headers.authorization ?? '';
    const claims = decodeToken(auth.replace(/^Bearer /, ''));
    const session = claims && sessions.get(claims.sid);
    session?.log.push({ method: req.method, path: url.pathname, search: url.search, authorization: auth });
    if (!session || !auth.startsWith('Bearer ')) return fail(401, 'invalid_token', 'Unknown session.');
    if (claims.exp * 1000 <= Date.now()) return fail(401, 'session_expired', 'The session has expired.');
    if (session.revoked?.includes(claims.jti))
      return fail(401, 'session_revoked', 'The session was revoked.');

    if (url.pathname === '/connect/session' && req.method === 'GET') {
      const failure = session.sessionFailures?.shift();
      if (failure) return fail(failure.status, failure.code, failure.message);
      return send(200, {
        user: { externalId: 'cus_1', displayName: 'Ada', email: 'ada@example.com' },
        connections: session.connections,
        eventsCursor: session.seq,
      });
    }
    if (url.pathname === '/connect/session/events' && req.method === 'GET') {
      const after = Number(url.searchParams.get('after') ?? 0);
      // Like the server, each session token (jti) sees only the events recorded with it.
      const data = session.events
        .filter((e) => e.seq > after && (!e.jti || e.jti === claims.jti))
        .map(({ jti: _jti, ...e }) => e);
      // A slow poll: its answer is decided now but arrives later (for races with postMessage).
      if (session.eventsDelayMs) await new Promise((resolve) => setTimeout(resolve, session.eventsDelayMs));
      return send(200, { data });
    }
    const activation = url.pathname.match(/^\/connect\/activations\/([^/]+)$/);
    if (activation && req.method === 'DELETE') {
      if (session.deleteFailure) return fail(session.deleteFailure.status, session.deleteFailure.code, 'No.');
      const connection = session.connections.find(
        (c) => c.activationId === decodeURIComponent(activation[1]),
      );
      if (!connection) return fail(404, 'not_found', 'No such activation.');
      Object.assign(connection, { status: 'inactive', activationId: undefined });
      return send(204);
    }
    return fail(404, 'not_found', 'Not found.');
  });

  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    // Same server, different origin: for messages that must be rejected because of where they come from.
    otherOrigin: `http://localhost:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      }),
  };
}
