import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ADMIN_SESSION_TTL_MS } from '../../server/src/domain/admins.js';
import { PUBLIC_URL, seedOrg, startTestPortico, type TestOrg, type TestPortico } from '../helpers/portico.js';
import { consoleCall, PASSWORD, seedAdmin, signIn } from './helpers.js';

let t: TestPortico;
let org: TestOrg;

beforeEach(async () => {
  t = await startTestPortico();
  org = await seedOrg(t);
  await seedAdmin(t, org);
});
afterEach(() => {
  vi.useRealTimers();
  t.close();
});

describe('admin sign-in', () => {
  it('signs in with the right password and answers who, which org and which environments', async () => {
    const res = await t.call('POST', '/admin/login', {
      body: { email: 'Admin@Acme.test ', password: PASSWORD },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      admin: { id: expect.stringMatching(/^adm_/), email: 'admin@acme.test' },
      org: { id: org.orgId, name: 'Acme' },
      environments: [
        { id: org.prodEnvId, name: 'production' },
        { id: org.devEnvId, name: 'development' },
      ],
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('sets an httpOnly, SameSite=Strict cookie on /admin holding only a random id', async () => {
    const { setCookie, cookie } = await signIn(t);
    expect(setCookie).toMatch(/^portico_admin=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/admin');
    expect(setCookie).toContain(`Max-Age=${ADMIN_SESSION_TTL_MS / 1000}`);
    expect(setCookie).not.toContain('Secure'); // http://portico.test
    // Only the SHA-256 of the id is stored.
    const id = cookie.split('=')[1]!;
    const rows = t.p.db.$client.prepare('SELECT id_hash FROM admin_sessions').all() as { id_hash: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id_hash).not.toBe(id);
    expect(rows[0]!.id_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('marks the cookie Secure when PORTICO_PUBLIC_URL is https', async () => {
    const secure = await startTestPortico({ PORTICO_PUBLIC_URL: 'https://portico.example' });
    try {
      await seedAdmin(secure, await seedOrg(secure));
      const { setCookie } = await signIn(secure);
      expect(setCookie).toContain('Secure');
    } finally {
      secure.close();
    }
  });

  it('refuses a wrong password and an unknown email alike, with 401 invalid_credentials', async () => {
    const wrong = await t.call('POST', '/admin/login', {
      body: { email: 'admin@acme.test', password: 'not the password' },
    });
    const unknown = await t.call('POST', '/admin/login', {
      body: { email: 'nobody@acme.test', password: PASSWORD },
    });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.error).toEqual({ code: 'invalid_credentials', message: 'Wrong email or password' });
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    expect(t.logs.join('\n')).not.toContain('not the password');
  });

  it('validates the login body and refuses logins from another origin', async () => {
    expect((await t.call('POST', '/admin/login', { body: { email: 'a@b.c' } })).status).toBe(400);
    expect(
      (
        await t.call('POST', '/admin/login', {
          body: 'email=a',
          headers: { 'content-type': 'text/plain', 'content-length': '7' },
        })
      ).status,
    ).toBe(415);
    const foreign = await t.call('POST', '/admin/login', {
      body: { email: 'admin@acme.test', password: PASSWORD },
      headers: { origin: 'https://evil.test' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('csrf_failed');
  });

  it('GET /admin/session answers the same shape, 401 without a cookie or with a forged one', async () => {
    const s = await signIn(t);
    const res = await consoleCall(t, s)('GET', '/admin/session');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(s.view);
    expect((await t.call('GET', '/admin/session')).status).toBe(401);
    const forged = await t.call('GET', '/admin/session', {
      headers: { cookie: 'portico_admin=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect(forged.status).toBe(401);
  });

  it('expires sessions after 12 hours', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const s = await signIn(t);
    vi.setSystemTime(new Date('2030-01-01T11:59:00Z'));
    expect((await consoleCall(t, s)('GET', '/admin/session')).status).toBe(200);
    vi.setSystemTime(new Date('2030-01-01T12:00:01Z'));
    const expired = await consoleCall(t, s)('GET', '/admin/session');
    expect(expired.status).toBe(401);
    expect((await consoleCall(t, s, org.prodEnvId)('GET', '/admin/api/v1/connectors')).status).toBe(401);
  });

  it('signs out: the session is deleted and the cookie cleared', async () => {
    const s = await signIn(t);
    const call = consoleCall(t, s);
    expect((await call('POST', '/admin/logout', { csrf: false })).status).toBe(403);
    const out = await call('POST', '/admin/logout');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^portico_admin=;.*Max-Age=0/);
    expect((await call('GET', '/admin/session')).status).toBe(401);
    const actions = t.p.db.$client
      .prepare("SELECT action, actor_type FROM audit_events WHERE action LIKE 'admin.%' ORDER BY seq")
      .all();
    expect(actions).toEqual([
      { action: 'admin.created', actor_type: 'system' },
      { action: 'admin.signed_in', actor_type: 'admin' },
      { action: 'admin.signed_out', actor_type: 'admin' },
    ]);
  });
});

describe('login rate limit', () => {
  it('answers 429 with Retry-After after 10 attempts for one email in 15 minutes', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await t.call('POST', '/admin/login', {
        body: { email: 'admin@acme.test', password: `wrong guess ${i}` },
      });
      expect(res.status).toBe(401);
    }
    // Even the right password is refused now, before any password check.
    const limited = await t.call('POST', '/admin/login', {
      body: { email: 'ADMIN@acme.test', password: PASSWORD },
    });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  });

  it('limits attempts per IP across emails', async () => {
    const limited = await startTestPortico({ PORTICO_RATE_LIMIT_ADMIN_LOGIN: '3,10' });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) {
        const res = await limited.call('POST', '/admin/login', {
          body: { email: `user${i}@acme.test`, password: 'whatever it is' },
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      limited.close();
    }
  });

  it('is off with PORTICO_RATE_LIMITS=off', async () => {
    const unlimited = await startTestPortico({
      PORTICO_RATE_LIMITS: 'off',
      PORTICO_RATE_LIMIT_ADMIN_LOGIN: '1,1',
    });
    try {
      for (let i = 0; i < 3; i++) {
        const res = await unlimited.call('POST', '/admin/login', {
          body: { email: 'admin@acme.test', password: 'wrong password!' },
        });
        expect(res.status).toBe(401);
      }
    } finally {
      unlimited.close();
    }
  });
});

describe('CSRF and environments', () => {
  const connector = {
    name: 'GitHub',
    baseUrl: 'https://api.github.test',
    authMethods: [{ name: 'Token', type: 'api-key', config: { in: 'header', name: 'Authorization' } }],
  };

  it('refuses unsafe requests without the CSRF token or with a wrong one', async () => {
    const call = consoleCall(t, await signIn(t), org.prodEnvId);
    const missing = await call('POST', '/admin/api/v1/connectors', { body: connector, csrf: false });
    expect(missing.status).toBe(403);
    expect(missing.body.error.code).toBe('csrf_failed');
    const wrong = await call('POST', '/admin/api/v1/connectors', {
      body: connector,
      csrf: false,
      headers: { 'x-csrf-token': 'x'.repeat(43) },
    });
    expect(wrong.status).toBe(403);
    expect((await call('DELETE', '/admin/api/secret-keys/key_x', { csrf: false })).status).toBe(403);
    // Safe methods need no token.
    expect((await call('GET', '/admin/api/v1/connectors')).status).toBe(200);
    expect((await call('GET', '/api/v1/connectors')).status).toBe(401); // the cookie is no secret key
  });

  it('refuses unsafe requests from a foreign Origin even with the right token', async () => {
    const call = consoleCall(t, await signIn(t), org.prodEnvId);
    const foreign = await call('POST', '/admin/api/v1/connectors', {
      body: connector,
      headers: { origin: 'https://evil.test' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('csrf_failed');
    const same = await call('POST', '/admin/api/v1/connectors', {
      body: connector,
      headers: { origin: new URL(PUBLIC_URL).origin },
    });
    expect(same.status).toBe(201);
    const list = await call('GET', '/admin/api/v1/connectors');
    expect(list.body.data).toHaveLength(1);
  });

  it('needs an environment of the admin’s own org in X-Portico-Environment', async () => {
    const other = await seedOrg(t, 'Other');
    const s = await signIn(t);
    expect((await consoleCall(t, s)('GET', '/admin/api/v1/environment')).status).toBe(400);
    const foreign = await consoleCall(t, s, other.prodEnvId)('GET', '/admin/api/v1/environment');
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('not_found');
    expect((await consoleCall(t, s, 'env_nope')('GET', '/admin/api/v1/environment')).status).toBe(404);
    const own = await consoleCall(t, s, org.devEnvId)('GET', '/admin/api/v1/environment');
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: org.devEnvId, name: 'development' });
  });

  it('lists the org’s environments for the switcher', async () => {
    const res = await consoleCall(t, await signIn(t))('GET', '/admin/api/environments');
    expect(res.status).toBe(200);
    expect(res.body.data.map((e: { name: string }) => e.name)).toEqual(['production', 'development']);
  });
});
