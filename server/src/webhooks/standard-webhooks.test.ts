import { describe, expect, it } from 'vitest';
import { signStandardWebhook, verifyStandardWebhook } from './standard-webhooks.js';

describe('Standard Webhooks signature', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const timestamp = 1614265330;
  const payload = '{"test": 2432232314}';

  it("reproduces the spec's reference vector", () => {
    expect(signStandardWebhook(secret, id, timestamp, payload)).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('verifies it, among several signatures, and rejects any change', () => {
    const good = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
    expect(verifyStandardWebhook(secret, id, timestamp, payload, `v1,bm9wZQ== ${good}`)).toBe(true);
    expect(verifyStandardWebhook(secret, id, timestamp + 1, payload, good)).toBe(false);
    expect(verifyStandardWebhook(secret, id, timestamp, payload + ' ', good)).toBe(false);
    expect(verifyStandardWebhook(secret, 'msg_other', timestamp, payload, good)).toBe(false);
  });
});
