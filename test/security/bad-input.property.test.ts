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
 * Generated bad input over every management and connect route in scope: each request must get a
 * 4xx with the error shape, and the database must be byte-for-byte the same afterwards.
 */
let t: TestPortico;
let org: TestOrg;
let ids: { connectorId: string; connectionId: string; authMethodId: string; jti: string; token: string };

beforeAll(async () => {
  t = await startTestPortico();
  org = await seedOrg(t);
  const seeded = await seedEmbedded(t, org.prodKey);
  const session = await t.call('POST', '/api/v1/sessions', {
    key: org.prodKey,
    body: { externalUserId: 'cus_1' },
  });
  ids = { ...seeded, token: session.body.token, jti: decodeJwtPart(session.body.token, 1).jti as string };
});
afterAll(() => t.close());

const snapshot = () => dbSnapshot(t);

interface Case {
  method: string;
  path: string;
  body?: string;
  contentType?: string;
  auth?: string | null;
}

/** Valid bodies of each writing route; the generators break them in one way each. */
const templates = (): {
  method: string;
  path: string;
  body: Record<string, unknown>;
  nullable?: string[];
}[] => [
  {
    method: 'POST',
    path: '/api/v1/connectors',
    body: { name: 'C', baseUrl: 'https://c.test', authMethods: [{ name: 'n', type: 'none' }] },
  },
  {
    method: 'POST',
    path: '/api/v1/connectors/import',
    body: { openapi: { openapi: '3.0.0', servers: [{ url: 'https://x.test' }] } },
  },
  {
    method: 'PATCH',
    path: `/api/v1/connectors/${ids.connectorId}`,
    body: { name: 'C2', baseUrl: 'https://c2.test' },
    nullable: ['verify'],
  },
  {
    method: 'POST',
    path: `/api/v1/connectors/${ids.connectorId}/auth-methods`,
    body: { name: 'k', type: 'api-key', config: { name: 'X' } },
  },
  {
    method: 'PATCH',
    path: `/api/v1/connectors/${ids.connectorId}/auth-methods/${ids.authMethodId}`,
    body: { name: 'renamed' },
  },
  {
    method: 'POST',
    path: '/api/v1/connections',
    body: { connectorId: ids.connectorId, authMethodId: ids.authMethodId, name: 'x', embedded: true },
  },
  {
    method: 'PATCH',
    path: `/api/v1/connections/${ids.connectionId}`,
    body: { name: 'renamed' },
    nullable: ['baseUrl'],
  },
  { method: 'PUT', path: `/api/v1/bindings/${ids.connectorId}`, body: { connectionId: ids.connectionId } },
  { method: 'POST', path: '/api/v1/sessions', body: { externalUserId: 'cus_2', ttlSeconds: 600 } },
  {
    method: 'PATCH',
    path: '/api/v1/environment',
    body: { allowedOrigins: ['https://x.test'] },
    nullable: ['webhookUrl'],
  },
];

const nonString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);
const badId = fc.oneof(
  fc.string({ minLength: 1, maxLength: 80 }),
  fc.constantFrom('..', '%00', 'cx_', "' OR 1=1 --", 'a'.repeat(65)),
);

const caseArb: fc.Arbitrary<Case> = fc.oneof(
  // 1. Not JSON at all.
  fc
    .record({
      tpl: fc.nat(),
      text: fc.string({ minLength: 1, maxLength: 60 }).filter((s) => {
        try {
          JSON.parse(s);
          return false;
        } catch {
          return true;
        }
      }),
    })
    .map(({ tpl, text }) => {
      const tp = templates()[tpl % templates().length]!;
      return { method: tp.method, path: tp.path, body: text };
    }),
  // 2. JSON that is not an object.
  fc
    .record({
      tpl: fc.nat(),
      value: fc.oneof(
        fc.integer(),
        fc.string(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.jsonValue(), { maxLength: 3 }),
      ),
    })
    .map(({ tpl, value }) => {
      const tp = templates()[tpl % templates().length]!;
      return { method: tp.method, path: tp.path, body: JSON.stringify(value) };
    }),
  // 3. A valid body with one unknown field.
  fc
    .record({
      tpl: fc.nat(),
      key: fc.string({ minLength: 1, maxLength: 12 }),
      value: fc.jsonValue({ maxDepth: 2 }),
    })
    .map(({ tpl, key, value }) => {
      const tp = templates()[tpl % templates().length]!;
      const field = Object.hasOwn(tp.body, key) || key === '__proto__' ? `x_${key}` : key;
      return { method: tp.method, path: tp.path, body: JSON.stringify({ ...tp.body, [field]: value }) };
    }),
  // 4. A valid body with one field of the wrong type.
  fc.record({ tpl: fc.nat(), field: fc.nat(), value: nonString }).map(({ tpl, field, value }) => {
    const tp = templates()[tpl % templates().length]!;
    const keys = Object.keys(tp.body);
    const k = keys[field % keys.length]!;
    const original = tp.body[k];
    // Pick a value whose type differs from the original.
    const wrong =
      typeof original === typeof value && Array.isArray(original) === Array.isArray(value)
        ? 'not-the-right-type'
        : value;
    const replaced = typeof original === 'string' && typeof wrong === 'string' ? 12345 : wrong;
    return { method: tp.method, path: tp.path, body: JSON.stringify({ ...tp.body, [k]: replaced }) };
  }),
  // 5. A valid body with a required field removed (PATCH bodies have none, so use an empty-string name there).
  fc.record({ tpl: fc.nat(), field: fc.nat() }).map(({ tpl, field }) => {
    const tp = templates().filter((x) => x.method !== 'PATCH')[tpl % 6]!;
    const keys = Object.keys(tp.body).filter((k) => k !== 'ttlSeconds');
    const drop = keys[field % keys.length]!;
    const { [drop]: _dropped, ...rest } = tp.body;
    return { method: tp.method, path: tp.path, body: JSON.stringify(rest) };
  }),
  // 6. A valid body sent as something other than JSON.
  fc
    .record({
      tpl: fc.nat(),
      type: fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
      ),
    })
    .map(({ tpl, type }) => {
      const tp = templates()[tpl % templates().length]!;
      return { method: tp.method, path: tp.path, body: JSON.stringify(tp.body), contentType: type };
    }),
  // 7. Unknown or malformed ids in paths.
  fc
    .record({
      id: badId,
      route: fc.constantFrom('connectors', 'connections', 'activations', 'users', 'sessions', 'bindings'),
      method: fc.constantFrom('GET', 'DELETE'),
    })
    .map(({ id, route, method }) => ({
      method: route === 'sessions' || route === 'bindings' ? 'DELETE' : method,
      path: `/api/v1/${route}/${encodeURIComponent(id)}`,
    })),
  // 8. Bad query parameters.
  fc
    .record({
      path: fc.constantFrom(
        '/api/v1/connectors',
        '/api/v1/connections',
        '/api/v1/users',
        '/api/v1/activations',
        '/api/v1/events',
      ),
      limit: fc.oneof(
        fc.constantFrom('0', '-1', '201', '1e9', 'abc', '1.5', ''),
        fc
          .string({ minLength: 1, maxLength: 5 })
          .filter((s) => !/^\s*\d+\s*$/.test(s) || Number(s) < 1 || Number(s) > 200),
      ),
    })
    .map(({ path, limit }) => ({ method: 'GET', path: `${path}?limit=${encodeURIComponent(limit)}` })),
  fc.constantFrom<Case>(
    { method: 'GET', path: '/api/v1/activations?status=bogus' },
    { method: 'GET', path: '/connect/session/events?after=-1' },
    { method: 'GET', path: '/connect/session/events?after=x' },
  ),
  // 9. Missing or wrong credentials on any route.
  fc
    .record({
      tpl: fc.nat(),
      auth: fc.oneof(
        fc.constant(null),
        fc.string({ maxLength: 40 }).map((s) => `Bearer ${s.replace(/\s/g, '')}x`),
        fc.constant('Basic Zm9vOmJhcg=='),
      ),
    })
    .map(({ tpl, auth }) => {
      const tp = templates()[tpl % templates().length]!;
      return { method: tp.method, path: tp.path, body: JSON.stringify(tp.body), auth };
    }),
  // 10. An oversized body.
  fc.nat({ max: 9 }).map((tpl) => {
    const tp = templates()[tpl]!;
    return {
      method: tp.method,
      path: tp.path,
      body: JSON.stringify({ ...tp.body, name: 'x'.repeat(300 * 1024) }),
    };
  }),
);

describe('bad input', () => {
  it('gets a 4xx with the error shape and changes nothing (property, 600 cases)', async () => {
    const before = snapshot();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const headers: Record<string, string> = {};
        const isConnect = c.path.startsWith('/connect/');
        if (c.auth !== null)
          headers.authorization = c.auth ?? `Bearer ${isConnect ? ids.token : org.prodKey}`;
        if (c.body !== undefined) headers['content-type'] = c.contentType ?? 'application/json';
        const res = await t.app.request(c.path, {
          method: c.method,
          headers,
          ...(c.body !== undefined ? { body: c.body } : {}),
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const text = await res.text();
        expect(res.status, `${c.method} ${c.path} ${c.body?.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${c.method} ${c.path} ${c.body?.slice(0, 200)}`).toBeLessThan(500);
        const body = JSON.parse(text);
        expect(typeof body.error.code).toBe('string');
        expect(typeof body.error.message).toBe('string');
        expect(snapshot()).toBe(before);
      }),
      // No shrinking: a failed case may have changed the database, which would fail every shrunk case too.
      { numRuns: 600, endOnFailure: true, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
    );
    // The generators reach the interesting answers, not just one of them.
    for (const status of [400, 401, 404, 413, 415])
      expect(statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);
  });
});
