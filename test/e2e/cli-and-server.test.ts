import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, portico, ROOT, startServerProcess, type ServerProcess } from './processes.js';

/** The operator's view: `npx portico` and `npm start` as real processes talking real HTTP. */
let dir: string;
let env: Record<string, string>;
let server: ServerProcess | undefined;
let org: { orgId: string; environments: { id: string; name: string; secretKey: string }[] };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portico-e2e-'));
  const port = await freePort();
  env = {
    PORTICO_DATA_DIR: join(dir, 'data'),
    PORT: String(port),
    PORTICO_PUBLIC_URL: `http://127.0.0.1:${port}`,
  };
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const api = async (method: string, path: string, body?: unknown, key = org.environments[0]!.secretKey) => {
  const res = await fetch(`${server!.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: res.status === 204 ? undefined : await res.json() };
};

describe('CLI and server processes', () => {
  it('`npx portico org create --json` prints the contract JSON', async () => {
    const { stdout } = await promisify(execFile)(
      'npx',
      ['portico', 'org', 'create', '--name', 'X', '--origin', 'https://a.test', '--json'],
      {
        cwd: ROOT,
        env: { ...process.env, ...env },
        timeout: 60_000,
      },
    );
    org = JSON.parse(stdout);
    expect(Object.keys(org).sort()).toEqual(['environments', 'orgId']);
    expect(org.orgId).toMatch(/^org_/);
    expect(org.environments.map((e) => e.name)).toEqual(['production', 'development']);
    for (const e of org.environments) {
      expect(Object.keys(e).sort()).toEqual(['id', 'name', 'secretKey']);
      expect(e.secretKey).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
    }
    expect(statSync(env.PORTICO_DATA_DIR!).mode & 0o777).toBe(0o700);
    expect(statSync(join(env.PORTICO_DATA_DIR!, 'master.key')).mode & 0o777).toBe(0o600);
  });

  it('refuses bad CLI input with exit code 2 and a message', async () => {
    const failed = await portico(['org', 'create', '--origin', 'not a url', '--name', 'Y'], env).catch(
      (e) => e,
    );
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('--origin');
    const unknown = await portico(['frobnicate'], env).catch((e) => e);
    expect(unknown.code).toBe(2);
  });

  it('`npm start` serves /healthz and the API with the CLI-made key', async () => {
    server = await startServerProcess('npm', ['start'], env, Number(env.PORT));
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const environment = await api('GET', '/api/v1/environment');
    expect(environment.body).toMatchObject({
      id: org.environments[0]!.id,
      allowedOrigins: ['https://a.test'],
    });
    const openapi = await fetch(`${server.url}/api/openapi.json`).then((r) => r.json());
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/api/v1/connectors', '/api/v1/sessions']),
    );
  });

  it('rotates master and signing keys while the server runs, losing nothing', async () => {
    const connector = await api('POST', '/api/v1/connectors', {
      name: 'GitHub',
      baseUrl: 'https://api.github.test',
      authMethods: [{ name: 'Token', type: 'api-key', config: { name: 'Authorization', prefix: 'token ' } }],
    });
    const connection = await api('POST', '/api/v1/connections', {
      connectorId: connector.body.id,
      authMethodId: connector.body.authMethods[0].id,
      name: 'Embedded',
      embedded: true,
    });
    await api('PUT', `/api/v1/bindings/${connector.body.id}`, { connectionId: connection.body.id });
    const before = await api('POST', '/api/v1/sessions', { externalUserId: 'cus_1' });
    expect(before.status).toBe(201);

    const master = JSON.parse((await portico(['keys', 'rotate-master', '--json'], env)).stdout);
    expect(master.resealed).toBeGreaterThan(0);
    const signing = JSON.parse((await portico(['keys', 'rotate-signing', '--json'], env)).stdout);
    await new Promise((r) => setTimeout(r, 1200));

    // The running server signs with the new key, and the old token still verifies.
    const after = await api('POST', '/api/v1/sessions', { externalUserId: 'cus_1' });
    const kid = JSON.parse(Buffer.from(after.body.token.split('.')[0], 'base64url').toString()).kid;
    expect(kid).toBe(signing.kid);
    for (const token of [before.body.token, after.body.token]) {
      const res = await fetch(`${server!.url}/connect/session`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
    }
    // A secret sealed by the running server after the rotation uses the new master key and survives a restart.
    const standard = await api('POST', '/api/v1/connections', {
      connectorId: connector.body.id,
      authMethodId: connector.body.authMethods[0].id,
      name: 'Standard',
      embedded: false,
      credentials: { apiKey: 'ghp_after_rotation' },
    });
    expect(standard.status).toBe(201);
    await server!.stop();
    // Without npm in between, SIGTERM is a graceful shutdown with exit code 0.
    server = await startServerProcess('node', ['bin/portico.js', 'serve'], env, Number(env.PORT));
    const restarted = await api('POST', '/api/v1/sessions', { externalUserId: 'cus_1' });
    expect(restarted.status).toBe(201);
    // No secret or token in the server's output.
    expect(server.output()).not.toContain('ghp_after_rotation');
    expect(server.output()).not.toContain(restarted.body.token);
    expect(await server.stop()).toBe(0);
    server = undefined;
  });
});
