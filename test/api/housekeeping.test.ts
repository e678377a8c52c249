import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consumeNonce } from '../../server/src/db/sessions.js';
import { housekeeping } from '../../server/src/domain/housekeeping.js';
import { rotateSigningKey } from '../../server/src/domain/key-rotation.js';
import {
  seedEmbedded,
  seedOrg,
  startTestPortico,
  type TestOrg,
  type TestPortico,
} from '../helpers/portico.js';

let t: TestPortico;
let org: TestOrg;
beforeEach(async () => {
  t = await startTestPortico();
  org = await seedOrg(t);
  await seedEmbedded(t, org.prodKey);
});
afterEach(() => t.close());

const count = (table: string) =>
  (t.p.db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('housekeeping', () => {
  it('removes expired sessions, nonces, OAuth flows and retired signing keys, and nothing live', async () => {
    const live = await t.call('POST', '/api/v1/sessions', {
      key: org.prodKey,
      body: { externalUserId: 'u1' },
    });
    await t.call('POST', '/api/v1/sessions', { key: org.prodKey, body: { externalUserId: 'u2' } });
    await consumeNonce(t.p.db, 'assertion:x', 'old', Date.now() - 1000);
    await consumeNonce(t.p.db, 'assertion:x', 'fresh', Date.now() + 60_000);
    await rotateSigningKey(t.p, { type: 'cli', id: 'test' });
    expect(count('sessions')).toBe(2);
    expect(count('signing_keys')).toBe(2);

    // Nothing is due yet: only the expired nonce goes.
    await housekeeping(t.p);
    expect(count('sessions')).toBe(2);
    expect(count('used_nonces')).toBe(1);
    expect(count('signing_keys')).toBe(2);
    expect((await t.call('GET', '/connect/session', { token: live.body.token })).status).toBe(200);

    // Two days later: the sessions and the retired key are gone; the current key stays.
    await housekeeping(t.p, Date.now() + 2 * 86_400_000);
    expect(count('sessions')).toBe(0);
    expect(count('used_nonces')).toBe(0);
    expect(count('signing_keys')).toBe(1);
  });
});
