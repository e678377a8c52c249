import { randomBytes } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import { secretValue, tokenName } from './fields.js';
import type { AuthType } from './types.js';

const config = z
  .strictObject({
    header: tokenName.default('X-Signature'),
    algorithm: z.enum(['sha256', 'sha1', 'sha512']).default('sha256'),
    encoding: z.enum(['hex', 'base64']).default('hex'),
    prefix: z.string().max(64).optional(),
    timestampHeader: tokenName.optional(),
    toleranceSeconds: z.number().int().min(1).max(86400).optional(),
    description: z.string().max(1000).optional(),
  })
  .openapi('HmacConfig');
export type HmacConfig = z.infer<typeof config>;

/** HMAC verifies incoming webhooks only (SPEC §2): it has no `apply`. */
export const hmac: AuthType<HmacConfig> = {
  type: 'hmac',
  label: 'HMAC (Webhook Only)',
  configSchema: config,
  secretConfigKeys: [],
  standardCredentialsSchema: () => z.strictObject({ secret: secretValue }),
  // An empty secret asks Portico to generate one; it is revealed to the user once.
  activationSchema: () => z.strictObject({ secret: z.union([z.literal(''), secretValue]).optional() }),
  async activate(input) {
    if (typeof input.secret === 'string' && input.secret.length > 0)
      return { credentials: { secret: input.secret } };
    const secret = randomBytes(32).toString('base64url');
    return { credentials: { secret }, reveal: { secret } };
  },
  activation: () => ({
    kind: 'form',
    fields: [
      {
        name: 'secret',
        label: 'Webhook signing secret',
        type: 'password',
        required: false,
        autocomplete: 'off',
        hint: 'Leave empty and Portico generates one, shown once.',
      },
    ],
  }),
};
