import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeJwtPart,
  seedEmbedded,
  seedOrg,
  startTestPortico,
  type TestOrg,
  type TestPortico,
  dbSnapshot,
} from '../helpers/portico.js';

/**
 * The fuzz suite (issue: hardening): 10 000 generated requests over the management, connect,
 * hooks and token-exchange routes, sent with another tenant's credentials, malformed tokens,
 * forged signatures and random bodies. Every answer must be below 500, none may carry the other
 * tenant's data, and none may change the database.
 */
let t: TestPortico;
let a: TestOrg;
let b: TestOrg;
let secretsOfA: string[];
let idsOfA: Record<string, string>;
let tokenOfB: string;

beforeAll(async () => {
  t = await startTestPortico({ PORTICO_LOG_LEVEL: 'silent' });
  a = await seedOrg(t, 'Tenant A');
  b = await seedOrg(t, 'Tenant B');
  const seededA = await seedEmbedded(t, a.prodKey);
  await seedEmbedded(t, b.prodKey);
  const hmacConnector = await t.call('POST', '/api/v1/connectors', {
    key: a.prodKey,
    body: {
      name: 'Hooks',
      baseUrl: 'https://hooks.a.test',
      authMethods: [{ name: 'h', type: 'hmac', config: { prefix: 'sha256=' } }],
    },
  });
  const hmacConnection = await t.call('POST', '/api/v1/connections', {
    key: a.prodKey,
    body: {
      connectorId: hmacConnector.body.id,
      authMethodId: hmacConnector.body.authMethods[0].id,
      name: 'h',
      embedded: true,
    },
  });
  await t.call('PUT', `/api/v1/bindings/${hmacConnector.body.id}`, {
    key: a.prodKey,
    body: { connectionId: hmacConnection.body.id },
  });
  const sessionA = await t.call('POST', '/api/v1/sessions', {
    key: a.prodKey,
    body: { externalUserId: 'alice' },
  });
  const keyAct = await t.call('POST', '/connect/activations', {
    token: sessionA.body.token,
    body: { connectionId: seededA.connectionId, credentials: { apiKey: 'SECRET-OF-ALICE-1' } },
  });
  const hookAct = await t.call('POST', '/connect/activations', {
    token: sessionA.body.token,
    body: { connectionId: hmacConnection.body.id, credentials: { secret: 'SECRET-OF-ALICE-2' } },
  });
  tokenOfB = (await t.call('POST', '/api/v1/sessions', { key: b.prodKey, body: { externalUserId: 'bob' } }))
    .body.token;
  secretsOfA = ['SECRET-OF-ALICE-1', 'SECRET-OF-ALICE-2', a.prodKey, a.devKey, sessionA.body.token];
  idsOfA = {
    connector: seededA.connectorId,
    connection: seededA.connectionId,
    authMethod: seededA.authMethodId,
    activation: keyAct.body.activationId,
    hookActivation: hookAct.body.activationId,
    jti: decodeJwtPart(sessionA.body.token, 1).jti as string,
    org: a.orgId,
    env: a.prodEnvId,
  };
});
afterAll(() => t.close());

const snapshot = () => dbSnapshot(t);

interface Req {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const junk = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    'null',
    '{}',
    '[]',
    '{"a":',
    '\u0000',
    '%',
    '../..',
    "'; DROP TABLE orgs; --",
    'eyJhbGciOiJub25lIn0.e30.',
  ),
);
const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc
    .dictionary(
      fc.constantFrom(
        'connectionId',
        'credentials',
        'externalUserId',
        'name',
        'connectorId',
        'embedded',
        'origin',
        'type',
        'config',
      ),
      fc.jsonValue({ maxDepth: 2 }),
      { maxKeys: 4 },
    )
    .map((o) => JSON.stringify(o)),
  junk,
);
/** Header values an HTTP client can actually send: visible ASCII. */
const headerJunk = junk.map((v) => v.replace(/[^\x21-\x7e]/g, '') || 'x');
const idOfA = fc.constantFrom(
  ...['connector', 'connection', 'authMethod', 'activation', 'hookActivation', 'jti'].map(
    (k) => () => idsOfA[k]!,
  ),
);
const anyId = fc.oneof(
  idOfA.map((f) => f()),
  junk.map((s) => encodeURIComponent(s) || 'x'),
);

/** Management routes with org B's key: A's ids must stay invisible, nothing may change. */
const management: fc.Arbitrary<Req> = fc
  .tuple(
    fc.constantFrom(
      ['GET', '/api/v1/connectors/:id'],
      ['PATCH', '/api/v1/connectors/:id'],
      ['DELETE', '/api/v1/connectors/:id'],
      ['POST', '/api/v1/connectors/:id/auth-methods'],
      ['GET', '/api/v1/connections/:id'],
      ['PATCH', '/api/v1/connections/:id'],
      ['DELETE', '/api/v1/connections/:id'],
      ['POST', '/api/v1/connections/:id/test'],
      ['PUT', '/api/v1/bindings/:id'],
      ['DELETE', '/api/v1/bindings/:id'],
      ['DELETE', '/api/v1/sessions/:id'],
      ['GET', '/api/v1/users/:id'],
      ['GET', '/api/v1/activations/:id'],
      ['DELETE', '/api/v1/activations/:id'],
      ['GET', '/api/v1/activations/:id/credentials'],
      ['GET', '/api/v1/proxy/:id/anything'],
      ['POST', '/api/v1/webhook-deliveries/:id/redeliver'],
      ['DELETE', '/api/v1/signing-keys/:id'],
    ),
    anyId,
    jsonBody,
    fc.constantFrom('b', 'none', 'junk'),
  )
  .map(([[method, path], id, body, who]) => ({
    method: method!,
    path: path!.replace(':id', id),
    headers: {
      ...(who === 'b'
        ? { authorization: `Bearer ${b.prodKey}` }
        : who === 'junk'
          ? { authorization: 'Bearer sk_' + 'x'.repeat(43) }
          : {}),
      'content-type': 'application/json',
    },
    ...(method === 'GET' || method === 'DELETE' ? {} : { body }),
  }));

/** Creating things with references into the other tenant. */
const crossReferences: fc.Arbitrary<Req> = fc
  .tuple(fc.constantFrom('connections', 'sessions'), jsonBody)
  .map(([route, extra]) => ({
    method: 'POST',
    path: `/api/v1/${route}`,
    headers: { authorization: `Bearer ${b.prodKey}`, 'content-type': 'application/json' },
    body:
      route === 'connections'
        ? JSON.stringify({
            connectorId: idsOfA.connector,
            authMethodId: idsOfA.authMethod,
            name: 'x',
            embedded: true,
            junk: extra,
          })
        : JSON.stringify({ externalUserId: 'alice', connections: [idsOfA.connection], junk: extra }),
  }));

/** The Connect API with B's session, forged tokens, and junk. */
const connect: fc.Arbitrary<Req> = fc
  .tuple(
    fc.constantFrom(
      ['GET', '/connect/session'],
      ['GET', '/connect/session/events?after=0'],
      ['POST', '/connect/session/events'],
      ['POST', '/connect/activations'],
      ['DELETE', '/connect/activations/:id'],
      ['POST', '/connect/oauth/start'],
    ),
    fc.constantFrom('b', 'forged', 'junk', 'none'),
    jsonBody,
    anyId,
  )
  .map(([[method, path], who, body, id]) => {
    const forged = (() => {
      const [h, p, s] = tokenOfB.split('.');
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
      return `${h}.${Buffer.from(JSON.stringify({ ...claims, org: idsOfA.org, env: idsOfA.env, cx: [idsOfA.connection] })).toString('base64url')}.${s}`;
    })();
    const token =
      who === 'b' ? tokenOfB : who === 'forged' ? forged : who === 'junk' ? 'eyJ.junk.x' : undefined;
    const realBody =
      path === '/connect/activations'
        ? JSON.stringify({ connectionId: idsOfA.connection, credentials: { apiKey: 'x' } })
        : path === '/connect/oauth/start'
          ? JSON.stringify({ connectionId: idsOfA.connection })
          : body;
    return {
      method: method!,
      path: path!.replace(':id', id),
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
      ...(method === 'GET' || method === 'DELETE' ? {} : { body: realBody }),
    };
  });

/** Incoming webhooks with forged signatures. */
const hooks: fc.Arbitrary<Req> = fc
  .tuple(
    fc.oneof(
      fc.constant(() => idsOfA.hookActivation),
      fc.constant(() => idsOfA.activation),
      junk.map((s) => () => encodeURIComponent(s) || 'x'),
    ),
    fc.string({ maxLength: 200 }),
    fc.oneof(
      fc
        .string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 })
        .map((h) => `sha256=${h}`),
      headerJunk,
    ),
  )
  .map(([id, body, signature]) => ({
    method: 'POST',
    path: `/hooks/${id()}`,
    headers: { 'x-signature': signature, 'content-type': 'text/plain' },
    body,
  }));

/** Token exchange with junk assertions. */
const tokenExchange: fc.Arbitrary<Req> = fc
  .tuple(
    junk,
    fc.constantFrom('urn:ietf:params:oauth:grant-type:token-exchange', 'client_credentials', ''),
    fc.boolean(),
  )
  .map(([assertion, grant, form]) => ({
    method: 'POST',
    path: '/connect/token',
    headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
    body: form
      ? new URLSearchParams({
          grant_type: grant,
          subject_token: assertion,
          subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        }).toString()
      : JSON.stringify({ grant_type: grant, subject_token: assertion }),
  }));

describe('fuzz', () => {
  it('10 000 requests: no 5xx, no cross-tenant read, no change', async () => {
    const before = snapshot();
    let count = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(management, crossReferences, connect, hooks, tokenExchange), async (req) => {
        count++;
        const res = await t.app.request(req.path, {
          method: req.method,
          headers: req.headers,
          ...(req.body !== undefined ? { body: req.body } : {}),
        });
        const text = await res.text();
        const label = `${req.method} ${req.path} → ${res.status} ${text.slice(0, 200)}`;
        expect(res.status, label).toBeLessThan(500);
        for (const secret of secretsOfA) expect(text, label).not.toContain(secret);
        for (const id of [
          idsOfA.activation,
          idsOfA.hookActivation,
          idsOfA.connector,
          idsOfA.connection,
          idsOfA.org,
        ]) {
          if (res.status < 400) expect(text, label).not.toContain(id);
        }
        expect(snapshot() === before, label).toBe(true);
      }),
      { numRuns: 10_000, endOnFailure: true, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
    );
    expect(count).toBe(10_000);
  });
});
