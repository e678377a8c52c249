import { afterEach, describe, expect, it } from 'vitest';
import { seedEmbedded, seedOrg, startTestPortico, type TestPortico } from '../helpers/portico.js';

let t: TestPortico;
afterEach(() => t.close());

async function setup(env: Record<string, string>) {
  t = await startTestPortico(env);
  const org = await seedOrg(t);
  const { connectionId } = await seedEmbedded(t, org.prodKey);
  return { org, connectionId };
}

const mint = (key: string, headers: Record<string, string> = {}) =>
  t.call('POST', '/api/v1/sessions', { key, body: { externalUserId: 'u' }, headers });

describe('rate limits', () => {
  it('limits session minting per client IP, with 429, Retry-After and the error shape', async () => {
    const { org } = await setup({ PORTICO_RATE_LIMIT_SESSIONS: '3,100', PORTICO_TRUST_PROXY: '1' });
    for (let i = 0; i < 3; i++)
      expect((await mint(org.prodKey, { 'x-forwarded-for': '10.0.0.1' })).status).toBe(201);
    const limited = await mint(org.prodKey, { 'x-forwarded-for': '10.0.0.1' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.error.code).toBe('rate_limited');
    // Another client is not affected.
    expect((await mint(org.prodKey, { 'x-forwarded-for': '10.0.0.2' })).status).toBe(201);
  });

  it('limits session minting per environment across IPs', async () => {
    const { org } = await setup({ PORTICO_RATE_LIMIT_SESSIONS: '100,2', PORTICO_TRUST_PROXY: '1' });
    expect((await mint(org.prodKey, { 'x-forwarded-for': '10.0.0.1' })).status).toBe(201);
    expect((await mint(org.prodKey, { 'x-forwarded-for': '10.0.0.2' })).status).toBe(201);
    expect((await mint(org.prodKey, { 'x-forwarded-for': '10.0.0.3' })).status).toBe(429);
    // The development environment has its own budget.
    expect((await mint(org.devKey, { 'x-forwarded-for': '10.0.0.4' })).status).not.toBe(429);
  });

  it('ignores X-Forwarded-For unless told to trust a proxy', async () => {
    const { org } = await setup({ PORTICO_RATE_LIMIT_SESSIONS: '2,100' });
    expect((await mint(org.prodKey, { 'x-forwarded-for': '10.0.0.1' })).status).toBe(201);
    expect((await mint(org.prodKey, { 'x-forwarded-for': '10.0.0.2' })).status).toBe(201);
    expect((await mint(org.prodKey, { 'x-forwarded-for': '10.0.0.3' })).status).toBe(429);
  });

  it('limits credential submission', async () => {
    const { org, connectionId } = await setup({ PORTICO_RATE_LIMIT_ACTIVATIONS: '2,100' });
    const token = (await mint(org.prodKey)).body.token;
    const submit = () =>
      t.call('POST', '/connect/activations', { token, body: { connectionId, credentials: { apiKey: 'k' } } });
    expect((await submit()).status).toBe(201);
    expect((await submit()).status).toBe(201);
    const limited = await submit();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeTruthy();
  });

  it('limits token exchange, answering in OAuth form', async () => {
    await setup({ PORTICO_RATE_LIMIT_TOKEN_EXCHANGE: '2,100' });
    const form = () =>
      t.call('POST', '/connect/token', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=x.y.z&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt',
      });
    expect((await form()).status).toBe(400);
    expect((await form()).status).toBe(400);
    const limited = await form();
    expect(limited.status).toBe(429);
    expect(limited.body.error).toBe('slow_down');
  });

  it('PORTICO_RATE_LIMITS=off turns them off', async () => {
    const { org } = await setup({ PORTICO_RATE_LIMIT_SESSIONS: '1,1', PORTICO_RATE_LIMITS: 'off' });
    for (let i = 0; i < 5; i++) expect((await mint(org.prodKey)).status).toBe(201);
  });
});
