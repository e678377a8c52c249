import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeJwtPart,
  seedEmbedded,
  seedOrg,
  startTestPortico,
  type TestOrg,
  type TestPortico,
} from '../helpers/portico.js';

let t: TestPortico;
let a: TestOrg;
let b: TestOrg;
let aIds: {
  connectorId: string;
  connectionId: string;
  authMethodId: string;
  jti: string;
  activationId: string;
};

beforeAll(async () => {
  t = await startTestPortico();
  a = await seedOrg(t, 'A');
  b = await seedOrg(t, 'B');
  const seeded = await seedEmbedded(t, a.prodKey);
  const session = await t.call('POST', '/api/v1/sessions', {
    key: a.prodKey,
    body: { externalUserId: 'cus_a' },
  });
  const jti = decodeJwtPart(session.body.token, 1).jti as string;
  // An activation row for org A, written through the repository (the connect flow arrives later).
  const { upsertActivation } = await import('../../server/src/db/activations.js');
  const { findEndUser } = await import('../../server/src/db/users.js');
  const user = (await findEndUser(t.p.db, a.prodEnvId, 'cus_a'))!;
  const now = Date.now();
  const { activation } = await upsertActivation(t.p.db, {
    id: 'act_isolation_test',
    orgId: a.orgId,
    environmentId: a.prodEnvId,
    connectionId: seeded.connectionId,
    endUserId: user.id,
    status: 'active',
    credentialsSealed: null,
    createdAt: now,
    updatedAt: now,
  });
  aIds = { ...seeded, jti, activationId: activation.id };
});
afterEach(() => undefined);

const routes = () =>
  [
    ['GET', `/api/v1/connectors/${aIds.connectorId}`],
    ['PATCH', `/api/v1/connectors/${aIds.connectorId}`, { name: 'hijacked' }],
    ['DELETE', `/api/v1/connectors/${aIds.connectorId}`],
    ['POST', `/api/v1/connectors/${aIds.connectorId}/auth-methods`, { name: 'x', type: 'none' }],
    ['GET', `/api/v1/connections/${aIds.connectionId}`],
    ['PATCH', `/api/v1/connections/${aIds.connectionId}`, { name: 'hijacked' }],
    ['DELETE', `/api/v1/connections/${aIds.connectionId}`],
    [
      'POST',
      '/api/v1/connections',
      { connectorId: aIds.connectorId, authMethodId: aIds.authMethodId, name: 'x', embedded: true },
    ],
    ['PUT', `/api/v1/bindings/${aIds.connectorId}`, { connectionId: aIds.connectionId }],
    ['DELETE', `/api/v1/bindings/${aIds.connectorId}`],
    ['DELETE', `/api/v1/sessions/${aIds.jti}`],
    ['GET', '/api/v1/users/cus_a'],
    ['GET', `/api/v1/activations/${aIds.activationId}`],
    ['DELETE', `/api/v1/activations/${aIds.activationId}`],
  ] as const;

describe('tenant isolation', () => {
  it('answers 404 — never 403 — for every object of another org, and changes nothing', async () => {
    for (const [method, path, body] of routes()) {
      const res = await t.call(method, path, { key: b.prodKey, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    // Org A's objects are intact.
    expect(
      (await t.call('GET', `/api/v1/connectors/${aIds.connectorId}`, { key: a.prodKey })).body.name,
    ).toBe('GitHub');
    expect(
      (await t.call('GET', `/api/v1/connections/${aIds.connectionId}`, { key: a.prodKey })).body.inUse,
    ).toBe(true);
    expect(
      (await t.call('GET', `/api/v1/activations/${aIds.activationId}`, { key: a.prodKey })).body.status,
    ).toBe('active');
  });

  it('lists nothing of another org', async () => {
    for (const path of [
      '/api/v1/connectors',
      '/api/v1/connections',
      '/api/v1/bindings',
      '/api/v1/users',
      '/api/v1/activations',
    ]) {
      const res = await t.call('GET', path, { key: b.prodKey });
      expect(res.status, path).toBe(200);
      expect(res.body.data, path).toEqual([]);
    }
    // B's audit log has B's own org-level events only.
    const events = await t.call('GET', '/api/v1/events', { key: b.prodKey });
    expect(events.body.data.map((e: { action: string }) => e.action)).toEqual(['org.created']);
    expect(events.text).not.toContain(a.orgId);
  });

  it("keeps environments apart: the development key sees org objects but not production's environment objects", async () => {
    expect((await t.call('GET', `/api/v1/connectors/${aIds.connectorId}`, { key: a.devKey })).status).toBe(
      200,
    );
    for (const path of ['/api/v1/users/cus_a', `/api/v1/activations/${aIds.activationId}`]) {
      expect((await t.call('GET', path, { key: a.devKey })).status, path).toBe(404);
    }
    expect((await t.call('GET', '/api/v1/bindings', { key: a.devKey })).body.data).toEqual([]);
    expect((await t.call('DELETE', `/api/v1/sessions/${aIds.jti}`, { key: a.devKey })).status).toBe(404);
  });

  it('refuses missing, malformed and unknown keys with 401', async () => {
    for (const authorization of [
      undefined,
      'Basic abc',
      'Bearer',
      'Bearer sk_short',
      `Bearer sk_${'A'.repeat(43)}`,
      `Bearer ${a.prodKey}x`,
    ]) {
      const res = await t.call('GET', '/api/v1/connectors', {
        headers: authorization ? { authorization } : {},
      });
      expect(res.status, String(authorization)).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });
});
