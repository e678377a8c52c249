import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg, startTestPortico, type Reply, type TestOrg, type TestPortico } from '../helpers/portico.js';

/**
 * Writes one recognisable secret through every route that accepts one, then looks for it
 * everywhere it must not be: the database file and its WAL, the logs, and every response.
 */
const CANARY = 'CANARY-7f3c9d2e-never-store-me';

let t: TestPortico;
let org: TestOrg;
const replies: Reply[] = [];
/** Secrets Portico generated and answered once: they must not be stored in the clear either. */
const generatedSecrets: string[] = [];

beforeAll(async () => {
  t = await startTestPortico();
  org = await seedOrg(t);
  const call = async (...args: Parameters<TestPortico['call']>) => {
    const reply = await t.call(...args);
    replies.push(reply);
    return reply;
  };
  const connector = await call('POST', '/api/v1/connectors', {
    key: org.prodKey,
    body: {
      name: 'Canary',
      baseUrl: 'https://canary.test',
      authMethods: [
        { name: 'Key', type: 'api-key', config: { name: 'X-Key' } },
        { name: 'Basic', type: 'basic' },
        {
          name: 'OAuth2',
          type: 'oauth2',
          config: {
            authorizeUrl: 'https://c.test/a',
            tokenUrl: 'https://c.test/t',
            clientId: 'id',
            clientSecret: `${CANARY}-cs`,
          },
        },
        {
          name: 'OAuth1',
          type: 'oauth1',
          config: {
            requestTokenUrl: 'https://c.test/1',
            authorizeUrl: 'https://c.test/2',
            accessTokenUrl: 'https://c.test/3',
            consumerKey: 'ck',
            consumerSecret: `${CANARY}-consumer`,
          },
        },
        {
          name: 'M2M',
          type: 'oauth2',
          config: { grantType: 'client_credentials', tokenUrl: 'https://c.test/t' },
        },
        { name: 'Hooks', type: 'hmac' },
      ],
    },
  });
  const m = Object.fromEntries(
    connector.body.authMethods.map((x: { name: string; id: string }) => [x.name, x.id]),
  );
  await call('POST', `/api/v1/connectors/${connector.body.id}/auth-methods`, {
    key: org.prodKey,
    body: {
      name: 'OAuth2 again',
      type: 'oauth2',
      config: {
        authorizeUrl: 'https://c.test/a',
        tokenUrl: 'https://c.test/t',
        clientId: 'x',
        clientSecret: `${CANARY}-am`,
      },
    },
  });
  const standard = (authMethodId: string, credentials: Record<string, string>) =>
    call('POST', '/api/v1/connections', {
      key: org.prodKey,
      body: { connectorId: connector.body.id, authMethodId, name: 'Std', embedded: false, credentials },
    });
  const key = await standard(m.Key, { apiKey: `${CANARY}-apikey` });
  await standard(m.Basic, { username: 'user', password: `${CANARY}-password` });
  await standard(m.OAuth2, { accessToken: `${CANARY}-access`, refreshToken: `${CANARY}-refresh` });
  await standard(m.OAuth1, { token: 'tok', tokenSecret: `${CANARY}-tokensecret` });
  await standard(m.M2M, { clientId: 'cid', clientSecret: `${CANARY}-m2m` });
  await standard(m.Hooks, { secret: `${CANARY}-hmac` });
  await call('PATCH', `/api/v1/connections/${key.body.id}`, {
    key: org.prodKey,
    body: { credentials: { apiKey: `${CANARY}-patched` } },
  });
  // Rejected attempts must not leave the canary anywhere either.
  await call('POST', '/api/v1/connections', {
    key: org.prodKey,
    body: {
      connectorId: connector.body.id,
      authMethodId: m.Key,
      name: 'Bad',
      embedded: true,
      credentials: { apiKey: `${CANARY}-rejected` },
    },
  });
  await call('POST', '/api/v1/connections', {
    key: org.prodKey,
    body: {
      connectorId: connector.body.id,
      authMethodId: m.Basic,
      name: 'Bad',
      embedded: false,
      credentials: { username: `${CANARY}:x`, password: `${CANARY}` },
    },
  });
  // An auth method's secret replaced through PATCH.
  await call('PATCH', `/api/v1/connectors/${connector.body.id}/auth-methods/${m.OAuth2}`, {
    key: org.prodKey,
    body: {
      config: {
        authorizeUrl: 'https://c.test/a',
        tokenUrl: 'https://c.test/t',
        clientId: 'id',
        clientSecret: `${CANARY}-patched-cs`,
      },
    },
  });
  // End users' credentials through the Connect API: an embedded connection per form type, each
  // on a connector of its own (one binding per connector per environment).
  const embedded = async (name: string, authMethods: unknown[]) => {
    const c = await call('POST', '/api/v1/connectors', {
      key: org.prodKey,
      body: { name, baseUrl: 'https://canary.test', authMethods },
    });
    const cx = await call('POST', '/api/v1/connections', {
      key: org.prodKey,
      body: { connectorId: c.body.id, authMethodId: c.body.authMethods[0].id, name, embedded: true },
    });
    await call('PUT', `/api/v1/bindings/${c.body.id}`, {
      key: org.prodKey,
      body: { connectionId: cx.body.id },
    });
    return cx.body.id as string;
  };
  const keyCx = await embedded('User keys', [{ name: 'Key', type: 'api-key', config: { name: 'X-Key' } }]);
  const basicCx = await embedded('User basic', [{ name: 'Basic', type: 'basic' }]);
  const hooksCx = await embedded('User hooks', [{ name: 'Hooks', type: 'hmac' }]);
  const session = await call('POST', '/api/v1/sessions', {
    key: org.prodKey,
    body: { externalUserId: 'cus_canary' },
  });
  const activate = (connectionId: string, credentials: Record<string, string>) =>
    call('POST', '/connect/activations', { token: session.body.token, body: { connectionId, credentials } });
  await activate(keyCx, { apiKey: `${CANARY}-user-apikey` });
  // Re-activation replaces the credentials in place; the old ones must not linger either.
  await activate(keyCx, { apiKey: `${CANARY}-user-apikey-2` });
  await activate(basicCx, { username: 'ada', password: `${CANARY}-user-password` });
  await activate(hooksCx, { secret: `${CANARY}-user-hmac` });
  // A rejected submission (wrong shape) must not leave the canary anywhere.
  await activate(keyCx, { apiKey: `${CANARY}-rejected-user`, extra: CANARY });
  await call('GET', '/connect/session', { token: session.body.token });
  await call('GET', '/api/v1/activations', { key: org.prodKey });
  await call('GET', '/api/v1/users', { key: org.prodKey });
  generatedSecrets.push(session.body.token);
  const env = await call('PATCH', '/api/v1/environment', {
    key: org.prodKey,
    body: { webhookUrl: 'https://hooks.test/x' },
  });
  generatedSecrets.push(env.body.webhookSecret, org.prodKey, org.devKey);
  // Reads of everything.
  await call('GET', '/api/v1/connectors', { key: org.prodKey });
  await call('GET', '/api/v1/connections', { key: org.prodKey });
  await call('GET', '/api/v1/events', { key: org.prodKey });
  // Make sure everything reached the files: checkpoint-free, the WAL must be scanned too.
});
afterAll(() => t.close());

describe('no plaintext secret at rest, in logs or in responses', () => {
  it('the secret-bearing calls succeeded (control)', () => {
    expect(replies.filter((r) => r.status === 201 || r.status === 200).length).toBeGreaterThanOrEqual(20);
  });

  it('is not in the database file or its WAL', () => {
    const files = readdirSync(t.dir).filter((f) => f.startsWith('portico.db'));
    expect(files).toContain('portico.db-wal');
    for (const f of files) {
      const bytes = readFileSync(join(t.dir, f));
      expect(bytes.includes(Buffer.from('CANARY')), f).toBe(false);
      // And not in UTF-16 either.
      expect(bytes.includes(Buffer.from('CANARY', 'utf16le')), f).toBe(false);
      for (const secret of generatedSecrets) expect(bytes.includes(Buffer.from(secret)), f).toBe(false);
    }
  });

  it('is not in the logs', () => {
    expect(t.logs.length).toBeGreaterThan(10);
    const logs = t.logs.join('\n');
    expect(logs).not.toContain('CANARY');
    for (const secret of generatedSecrets) expect(logs).not.toContain(secret);
  });

  it('is not in any response', () => {
    for (const r of replies) expect(r.text).not.toContain('CANARY');
  });

  it('is still there for Portico itself: the sealed values open', async () => {
    const { openAuthMethodConfig } = await import('../../server/src/domain/auth-methods.js');
    const { listConnectors, listAuthMethodsOf } = await import('../../server/src/db/connectors.js');
    const connector = (await listConnectors(t.p.db, org.orgId, { limit: 50 })).find(
      (c) => c.name === 'Canary',
    )!;
    const methods = await listAuthMethodsOf(t.p.db, connector.id);
    const oauth = methods.find((x) => x.name === 'OAuth2')!;
    expect(openAuthMethodConfig(t.p.box, oauth).clientSecret).toBe(`${CANARY}-patched-cs`);
    const rows = t.p.db.$client
      .prepare('SELECT id, org_id AS orgId, credentials_sealed AS s FROM activations')
      .all() as {
      id: string;
      orgId: string;
      s: string;
    }[];
    const opened = rows.map((r) =>
      t.p.box.openJson<Record<string, string>>(r.s, {
        purpose: 'activation-credentials',
        rowId: r.id,
        orgId: r.orgId,
      }),
    );
    expect(opened).toEqual(
      expect.arrayContaining([
        { apiKey: `${CANARY}-user-apikey-2` },
        { username: 'ada', password: `${CANARY}-user-password` },
        { secret: `${CANARY}-user-hmac` },
      ]),
    );
  });
});
