import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rotateMasterKey, rotateSigningKey } from '../../server/src/domain/key-rotation.js';
import { keyIdOf } from '../../server/src/crypto/secret-box.js';
import { SEALED_COLUMNS } from '../../server/src/db/sealed-columns.js';
import { openAuthMethodConfig } from '../../server/src/domain/auth-methods.js';
import {
  decodeJwtPart,
  seedEmbedded,
  seedOrg,
  startTestPortico,
  type TestOrg,
  type TestPortico,
} from '../helpers/portico.js';

let t: TestPortico;
let org: TestOrg;
const actor = { type: 'cli' as const, id: 'test' };

beforeEach(async () => {
  t = await startTestPortico();
  org = await seedOrg(t);
  const connector = await t.call('POST', '/api/v1/connectors', {
    key: org.prodKey,
    body: {
      name: 'C',
      baseUrl: 'https://c.test',
      authMethods: [
        { name: 'Key', type: 'api-key', config: { name: 'X-Key' } },
        {
          name: 'OAuth',
          type: 'oauth2',
          config: {
            authorizeUrl: 'https://c.test/a',
            tokenUrl: 'https://c.test/t',
            clientId: 'id',
            clientSecret: 'client-secret-1',
          },
        },
      ],
    },
  });
  await t.call('POST', '/api/v1/connections', {
    key: org.prodKey,
    body: {
      connectorId: connector.body.id,
      authMethodId: connector.body.authMethods[0].id,
      name: 'S',
      embedded: false,
      credentials: { apiKey: 'key-1' },
    },
  });
  await t.call('PATCH', '/api/v1/environment', {
    key: org.prodKey,
    body: { webhookUrl: 'https://hooks.test' },
  });
});
afterEach(() => {
  vi.useRealTimers();
  t.close();
});

/** Every sealed value in the database with the key id it is sealed under. */
function sealedValues() {
  const out: { table: string; keyId: string | undefined }[] = [];
  for (const col of SEALED_COLUMNS) {
    const rows = t.p.db.$client
      .prepare(`SELECT ${col.column} AS v FROM ${col.table} WHERE ${col.column} IS NOT NULL`)
      .all() as { v: string }[];
    for (const r of rows) out.push({ table: col.table, keyId: keyIdOf(r.v) });
  }
  return out;
}

describe('keys rotate-master', () => {
  it('re-seals every secret under the new key, drops the old key, and everything still decrypts', async () => {
    const oldKeyId = t.p.keyring.current().id;
    const before = sealedValues();
    expect(new Set(before.map((v) => v.table))).toEqual(
      new Set(['environments', 'auth_methods', 'connections', 'signing_keys']),
    );
    expect(before.every((v) => v.keyId === oldKeyId)).toBe(true);

    const result = await rotateMasterKey(t.p, actor, 0);
    expect(result.keyId).not.toBe(oldKeyId);
    expect(result.resealed).toBe(before.length);
    expect(result.prunedKeyIds).toEqual([oldKeyId]);
    expect(sealedValues().every((v) => v.keyId === result.keyId)).toBe(true);
    expect(readFileSync(join(t.dir, 'master.key'), 'utf8')).not.toContain(oldKeyId);

    // Secrets still open.
    const { listConnectors, listAuthMethodsOf } = await import('../../server/src/db/connectors.js');
    const [c] = await listConnectors(t.p.db, org.orgId, { limit: 1 });
    const oauth = (await listAuthMethodsOf(t.p.db, c!.id)).find((m) => m.type === 'oauth2')!;
    expect(openAuthMethodConfig(t.p.box, oauth).clientSecret).toBe('client-secret-1');
    // The signing key (sealed too) still signs: a session can be minted and used.
    await seedEmbedded(t, org.prodKey);
    const s = await t.call('POST', '/api/v1/sessions', { key: org.prodKey, body: { externalUserId: 'u' } });
    expect((await t.call('GET', '/connect/session', { token: s.body.token })).status).toBe(200);
    // A second rotation works the same way.
    const again = await rotateMasterKey(t.p, actor, 0);
    expect(sealedValues().every((v) => v.keyId === again.keyId)).toBe(true);
  });

  it('is audited', async () => {
    await rotateMasterKey(t.p, actor, 0);
    const row = t.p.db.$client
      .prepare("SELECT action FROM audit_events WHERE action = 'keys.master_rotated'")
      .get();
    expect(row).toBeDefined();
  });
});

describe('keys rotate-signing', () => {
  it('new tokens carry the new kid; old tokens verify until they expire; the old key then leaves the JWKS', async () => {
    await seedEmbedded(t, org.prodKey);
    const mint = async (ttlSeconds = 3600) =>
      (
        await t.call('POST', '/api/v1/sessions', {
          key: org.prodKey,
          body: { externalUserId: 'u', ttlSeconds },
        })
      ).body.token as string;
    const oldToken = await mint();
    const oldKid = decodeJwtPart(oldToken, 0).kid;

    const newKid = await rotateSigningKey(t.p, actor);
    expect(newKid).not.toBe(oldKid);
    const newToken = await mint();
    expect(decodeJwtPart(newToken, 0).kid).toBe(newKid);

    const jwks = (await t.call('GET', '/.well-known/jwks.json')).body.keys.map((k: { kid: string }) => k.kid);
    expect(jwks).toEqual(expect.arrayContaining([oldKid, newKid]));
    expect((await t.call('GET', '/connect/session', { token: oldToken })).status).toBe(200);
    expect((await t.call('GET', '/connect/session', { token: newToken })).status).toBe(200);

    // Past the old token's expiry (and the retirement margin), the old key is gone from the JWKS.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 3600_000 + 6 * 60_000);
    const later = (await t.call('GET', '/.well-known/jwks.json')).body.keys.map(
      (k: { kid: string }) => k.kid,
    );
    expect(later).toEqual([newKid]);
    expect((await t.call('GET', '/connect/session', { token: oldToken })).status).toBe(401);
  });

  it('a server process that did not rotate picks up the new key', async () => {
    const { openPortico } = await import('../../server/src/portico.js');
    const { loadConfig } = await import('../../server/src/config.js');
    // A second handle on the same data dir plays the CLI process.
    const cli = await openPortico(
      loadConfig({ PORTICO_DATA_DIR: t.dir, PORTICO_PUBLIC_URL: 'http://portico.test' }),
      {
        debug() {},
        info() {},
        warn() {},
        error() {},
      },
    );
    const kid = await rotateSigningKey(cli, actor);
    cli.close();
    await new Promise((r) => setTimeout(r, 1100));
    await seedEmbedded(t, org.prodKey);
    const token = (
      await t.call('POST', '/api/v1/sessions', { key: org.prodKey, body: { externalUserId: 'u' } })
    ).body.token;
    expect(decodeJwtPart(token, 0).kid).toBe(kid);
  });
});
