import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliver, DEFAULT_POLICY } from '../../server/src/webhooks/delivery.js';
import { claimDueDeliveries } from '../../server/src/db/webhooks.js';
import { verifyStandardWebhook } from '../../server/src/webhooks/standard-webhooks.js';
import {
  seedOrg,
  startTestPortico,
  type TestOrg,
  type TestPortico,
  embeddedWithSession,
} from '../helpers/portico.js';

let t: TestPortico;
let org: TestOrg;
let receiver: {
  url: string;
  server: Server;
  received: { headers: Record<string, string>; body: string }[];
  failFirst: number;
};

beforeAll(async () => {
  const state = { received: [] as { headers: Record<string, string>; body: string }[], failFirst: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      state.received.push({ headers: req.headers as Record<string, string>, body });
      if (state.failFirst > 0) {
        state.failFirst--;
        res.writeHead(503).end();
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  receiver = Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    server,
  });
});
afterAll(() => new Promise<void>((r) => receiver.server.close(() => r())));
beforeEach(async () => {
  t = await startTestPortico();
  org = await seedOrg(t);
  receiver.received.length = 0;
  receiver.failFirst = 0;
});
afterEach(() => t.close());

const fast = { ...DEFAULT_POLICY, baseDelayMs: 1, maxDelayMs: 1, maxAttempts: 4 };

async function hmacActivation(config: Record<string, unknown>, secret: string) {
  const { connectionId, token } = await embeddedWithSession(t, org.prodKey, {
    name: 'GitHub',
    baseUrl: 'https://api.github.test',
    authMethod: { type: 'hmac', config },
    connectionName: 'Hooks',
  });
  const res = await t.call('POST', '/connect/activations', {
    token,
    body: { connectionId, credentials: { secret } },
  });
  return res.body.activationId as string;
}

/** Runs the delivery loop by hand until nothing is due. */
async function drain(maxRounds = 20) {
  for (let i = 0; i < maxRounds; i++) {
    await new Promise((r) => setTimeout(r, 5));
    const due = await claimDueDeliveries(t.p.db, Date.now(), 60_000, 10);
    if (due.length === 0) return;
    for (const row of due) await deliver(t.p, row, fast);
  }
}

const count = (sql: string) => (t.p.db.$client.prepare(sql).get() as { n: number }).n;

describe('outgoing webhooks', () => {
  it('signs per Standard Webhooks, carries no credentials, retries with backoff and records every attempt', async () => {
    const env = await t.call('PATCH', '/api/v1/environment', {
      key: org.prodKey,
      body: { webhookUrl: receiver.url },
    });
    const secret = env.body.webhookSecret as string;
    receiver.failFirst = 2;
    const activationId = await hmacActivation({}, 'user-secret-value');
    await drain();
    expect(receiver.received).toHaveLength(3);
    const last = receiver.received.at(-1)!;
    expect(
      verifyStandardWebhook(
        secret,
        last.headers['webhook-id']!,
        Number(last.headers['webhook-timestamp']),
        last.body,
        last.headers['webhook-signature']!,
      ),
    ).toBe(true);
    const event = JSON.parse(last.body);
    expect(event).toMatchObject({
      type: 'activation.created',
      data: { activationId, externalUserId: 'cus_1', status: 'active', environmentId: org.prodEnvId },
    });
    expect(last.body).not.toContain('user-secret-value');
    // Same id on every attempt: receivers can deduplicate.
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);

    const list = await t.call('GET', '/api/v1/webhook-deliveries', { key: org.prodKey });
    expect(list.body.data[0]).toMatchObject({
      eventType: 'activation.created',
      status: 'delivered',
      attempts: 3,
    });
    expect(list.body.data[0].attemptLog.map((a: { statusCode: number }) => a.statusCode)).toEqual([
      503, 503, 204,
    ]);
    expect((await t.call('GET', '/api/v1/webhook-deliveries', { key: org.devKey })).body.data).toEqual([]);
  });

  it('gives up after the maximum attempts, and redelivers on request', async () => {
    await t.call('PATCH', '/api/v1/environment', { key: org.prodKey, body: { webhookUrl: receiver.url } });
    receiver.failFirst = 100;
    await hmacActivation({}, 's');
    await drain();
    const [failed] = (await t.call('GET', '/api/v1/webhook-deliveries', { key: org.prodKey })).body.data;
    expect(failed).toMatchObject({ status: 'failed', attempts: 4 });
    receiver.failFirst = 0;
    const again = await t.call('POST', `/api/v1/webhook-deliveries/${failed.id}/redeliver`, {
      key: org.prodKey,
    });
    expect(again.body.status).toBe('pending');
    await drain();
    const delivered = await t.call('GET', `/api/v1/webhook-deliveries/${failed.id}`, { key: org.prodKey });
    expect(delivered.body).toMatchObject({ status: 'delivered', attempts: 5 });
    expect(
      (await t.call('POST', `/api/v1/webhook-deliveries/${failed.id}/redeliver`, { key: org.devKey })).status,
    ).toBe(404);
  });

  it('backs off exponentially', async () => {
    const { retryDelay } = await import('../../server/src/webhooks/delivery.js');
    const policy = { ...DEFAULT_POLICY, baseDelayMs: 1000, maxDelayMs: 10_000 };
    const delays = [1, 2, 3, 4, 5, 6].map((n) => retryDelay(policy, n));
    expect(delays[0]).toBeGreaterThanOrEqual(800);
    expect(delays[0]).toBeLessThanOrEqual(1200);
    expect(delays[3]).toBeGreaterThanOrEqual(6400);
    expect(delays[5]).toBeLessThanOrEqual(12_000);
  });
});

describe('incoming webhooks (hmac)', () => {
  const github = { header: 'X-Hub-Signature-256', prefix: 'sha256=', algorithm: 'sha256', encoding: 'hex' };
  const good = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

  const post = (
    id: string,
    signature: string,
    body = 'Hello, World!',
    headers: Record<string, string> = {},
  ) =>
    t.app.request(`/hooks/${id}`, {
      method: 'POST',
      headers: { 'X-Hub-Signature-256': signature, 'content-type': 'text/plain', ...headers },
      body,
    });

  it("accepts GitHub's documented example and forwards it as webhook.received", async () => {
    await t.call('PATCH', '/api/v1/environment', { key: org.prodKey, body: { webhookUrl: receiver.url } });
    const id = await hmacActivation(github, "It's a Secret to Everybody");
    const res = await post(id, good);
    expect(res.status).toBe(202);
    const event = t.p.db.$client
      .prepare("SELECT payload FROM webhook_outbox WHERE event_type = 'webhook.received'")
      .get() as { payload: string };
    expect(JSON.parse(event.payload)).toMatchObject({
      type: 'webhook.received',
      data: { activationId: id, bodyText: 'Hello, World!' },
    });
  });

  it('rejects any other signature with 401 and records nothing', async () => {
    await t.call('PATCH', '/api/v1/environment', { key: org.prodKey, body: { webhookUrl: receiver.url } });
    const id = await hmacActivation(github, "It's a Secret to Everybody");
    const before = [
      count('SELECT count(*) AS n FROM webhook_outbox'),
      count('SELECT count(*) AS n FROM audit_events'),
    ];
    for (const [signature, body] of [
      ['sha256=' + '0'.repeat(64), 'Hello, World!'],
      [good, 'Hello, World?'],
      [good.replace('sha256=', 'sha1='), 'Hello, World!'],
      [good.slice(0, -2), 'Hello, World!'],
      ['757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17', 'Hello, World!'],
      ['', 'Hello, World!'],
    ] as const) {
      const res = await post(id, signature, body);
      expect(res.status, signature).toBe(401);
    }
    expect([
      count('SELECT count(*) AS n FROM webhook_outbox'),
      count('SELECT count(*) AS n FROM audit_events'),
    ]).toEqual(before);
    expect((await post('act_unknown', good)).status).toBe(404);
  });

  it('checks the timestamp tolerance when configured', async () => {
    const { createHmac } = await import('node:crypto');
    const id = await hmacActivation(
      {
        ...github,
        timestampHeader: 'X-Timestamp',
        toleranceSeconds: 300,
        encoding: 'base64',
        prefix: undefined,
      },
      'ts-secret',
    );
    const sign = (ts: number, body: string) =>
      createHmac('sha256', 'ts-secret').update(`${ts}.${body}`).digest('base64');
    const now = Math.floor(Date.now() / 1000);
    expect((await post(id, sign(now, 'x'), 'x', { 'X-Timestamp': String(now) })).status).toBe(202);
    expect((await post(id, sign(now - 301, 'x'), 'x', { 'X-Timestamp': String(now - 301) })).status).toBe(
      401,
    );
    expect((await post(id, sign(now, 'x'), 'x')).status).toBe(401);
  });
});
