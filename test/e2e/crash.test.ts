import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, portico, startServerProcess, type ServerProcess } from './processes.js';

/**
 * A server under concurrent activation load is killed with SIGKILL while a webhook delivery is
 * in flight. After a restart: every activation that was acknowledged with 2xx is there and
 * decrypts, the database passes integrity_check, and the outbox delivers what was pending.
 */
let dir: string;
let env: Record<string, string>;
let server: ServerProcess | undefined;
let receiver: Server;
const received: { id: string; body: { type: string; data: { activationId: string } } }[] = [];
let hang = true;
let hungDeliveries = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portico-crash-'));
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      // While `hang` is set, deliveries never get an answer: the kill lands mid-delivery.
      if (hang) {
        hungDeliveries++;
        return;
      }
      received.push({ id: String(req.headers['webhook-id']), body: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const port = await freePort();
  env = {
    PORTICO_DATA_DIR: join(dir, 'data'),
    PORT: String(port),
    HOST: '127.0.0.1',
    PORTICO_PUBLIC_URL: `http://127.0.0.1:${port}`,
    PORTICO_RATE_LIMITS: 'off',
    PORTICO_LOG_LEVEL: 'warn',
    PORTICO_WEBHOOK_RETRY_BASE_MS: '200',
    PORTICO_WEBHOOK_RETRY_MAX_MS: '500',
    PORTICO_WEBHOOK_TIMEOUT_MS: '2000',
  };
});
afterAll(async () => {
  await server?.stop('SIGKILL');
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('crash safety', () => {
  it('loses nothing acknowledged when killed with SIGKILL under load', async () => {
    const org = JSON.parse(
      (await portico(['org', 'create', '--name', 'Crash', '--origin', 'https://app.test', '--json'], env))
        .stdout,
    );
    const key = org.environments[0].secretKey as string;
    server = await startServerProcess('node', ['bin/portico.js', 'serve'], env, Number(env.PORT));
    const base = server.url;
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: res.status === 204 ? undefined : await res.json() };
    };
    await api('PATCH', '/api/v1/environment', {
      webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
    });
    const connector = await api('POST', '/api/v1/connectors', {
      name: 'Target',
      baseUrl: 'https://target.test',
      authMethods: [{ name: 'Key', type: 'api-key', config: { name: 'X-Key' } }],
    });
    const connection = await api('POST', '/api/v1/connections', {
      connectorId: connector.body.id,
      authMethodId: connector.body.authMethods[0].id,
      name: 'Users',
      embedded: true,
    });
    await api('PUT', `/api/v1/bindings/${connector.body.id}`, { connectionId: connection.body.id });
    const users = 400;
    const tokens = await Promise.all(
      Array.from(
        { length: users },
        async (_, i) =>
          (await api('POST', '/api/v1/sessions', { externalUserId: `cus_${i}` })).body.token as string,
      ),
    );

    // Load: 8 workers submit credentials; the server is killed mid-way.
    const acknowledged = new Map<string, string>();
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < users && !killed) {
        const i = next++;
        try {
          const res = await fetch(`${base}/connect/activations`, {
            method: 'POST',
            headers: { authorization: `Bearer ${tokens[i]}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              connectionId: connection.body.id,
              credentials: { apiKey: `key-of-cus_${i}` },
            }),
          });
          if (res.status === 201) acknowledged.set((await res.json()).activationId, `key-of-cus_${i}`);
        } catch {
          // The connection died with the server: not acknowledged, so nothing is owed.
        }
        // Kill under load, once some activations are acknowledged and a delivery is in flight.
        if (acknowledged.size >= 40 && hungDeliveries > 0 && !killed) {
          killed = true;
          await server!.stop('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    if (!killed) {
      // The load finished first (a fast machine): still kill mid-delivery.
      for (let i = 0; i < 100 && hungDeliveries === 0; i++) await new Promise((r) => setTimeout(r, 100));
      killed = true;
      await server!.stop('SIGKILL');
    }
    expect(killed).toBe(true);
    // At least one delivery was in flight (left hanging by the receiver) when the server died.
    expect(hungDeliveries).toBeGreaterThan(0);
    expect(acknowledged.size).toBeGreaterThanOrEqual(40);

    // The database file is sound.
    const db = new Database(join(env.PORTICO_DATA_DIR!, 'portico.db'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    // Restart: every acknowledged activation is there and decrypts to what was sent.
    hang = false;
    server = await startServerProcess('node', ['bin/portico.js', 'serve'], env, Number(env.PORT));
    for (const [activationId, apiKey] of acknowledged) {
      const read = await fetch(`${server.url}/api/v1/activations/${activationId}/credentials`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(read.status, activationId).toBe(200);
      expect((await read.json()).credentials).toEqual({ apiKey });
    }
    // The outbox delivers every pending event, including the one cut off mid-delivery.
    const deadline = Date.now() + 45_000;
    const createdFor = () =>
      new Set(
        received.filter((r) => r.body.type === 'activation.created').map((r) => r.body.data.activationId),
      );
    while ([...acknowledged.keys()].some((id) => !createdFor().has(id)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const id of acknowledged.keys()) expect(createdFor().has(id), id).toBe(true);
  });
});
