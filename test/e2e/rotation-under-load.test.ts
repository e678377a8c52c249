import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstream, type Upstream } from '../fixtures/upstream.js';
import {
  freePort,
  portico,
  seedApiKeyActivation,
  startServerProcess,
  type ServerProcess,
} from './processes.js';

/**
 * Key rotation while the server is under load: `portico keys rotate-master` and
 * `portico keys rotate-signing`, run as separate processes during session minting, proxied calls
 * and credential reads, cost zero failed requests.
 */
let dir: string;
let server: ServerProcess;
let upstream: Upstream;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portico-rotation-'));
  upstream = await startUpstream(() => true);
  const port = await freePort();
  env = {
    PORTICO_DATA_DIR: join(dir, 'data'),
    PORT: String(port),
    HOST: '127.0.0.1',
    PORTICO_PUBLIC_URL: `http://127.0.0.1:${port}`,
    PORTICO_RATE_LIMITS: 'off',
    PORTICO_LOG_LEVEL: 'warn',
    PORTICO_DEMO: '0',
  };
});
afterAll(async () => {
  await server?.stop();
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('rotation under load', () => {
  it('rotate-master and rotate-signing during load: zero failed requests', async () => {
    const org = JSON.parse(
      (await portico(['org', 'create', '--name', 'Load', '--origin', 'https://app.test', '--json'], env))
        .stdout,
    );
    const key: string = org.environments[0].secretKey;
    server = await startServerProcess('node', ['bin/portico.js', 'serve'], env, Number(env.PORT));
    const { api, sessionToken, activationId } = await seedApiKeyActivation(
      server.url,
      key,
      upstream.url,
      'u1',
      'k',
    );
    const session = { token: sessionToken };
    const activation = { activationId };

    const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const load = autocannon({
      url: server.url,
      connections: 12,
      duration: 8,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/sessions',
          headers: auth,
          body: JSON.stringify({ externalUserId: 'u1' }),
        },
        { method: 'GET', path: `/api/v1/proxy/${activation.activationId}/data`, headers: auth },
        { method: 'GET', path: `/api/v1/activations/${activation.activationId}/credentials`, headers: auth },
        // A freshly minted session must keep working across the signing-key rotation.
        { method: 'GET', path: '/connect/session', headers: { authorization: `Bearer ${session.token}` } },
      ],
    });
    await new Promise((r) => setTimeout(r, 1500));
    const master = JSON.parse((await portico(['keys', 'rotate-master', '--json'], env)).stdout);
    const signing = JSON.parse((await portico(['keys', 'rotate-signing', '--json'], env)).stdout);
    const result = await load;

    console.log(
      `rotation under load: ${result.requests.total} requests, ${result.non2xx} non-2xx, ${result.errors} errors; resealed ${master.resealed}`,
    );
    expect(master.resealed).toBeGreaterThan(0);
    expect(signing.kid).toBeTruthy();
    expect(result.requests.total).toBeGreaterThan(1000);
    expect(result.non2xx).toBe(0);
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    // After the load: new tokens carry the new kid, and everything still decrypts.
    const after = await api('POST', '/api/v1/sessions', { externalUserId: 'u2' });
    expect(JSON.parse(Buffer.from(after.token.split('.')[0], 'base64url').toString()).kid).toBe(signing.kid);
    expect(
      (await api('GET', `/api/v1/activations/${activation.activationId}/credentials`)).credentials,
    ).toEqual({ apiKey: 'k' });
  });
});
