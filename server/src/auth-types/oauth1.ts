import { z } from '@hono/zod-openapi';
import { httpUrl, secretValue } from './fields.js';
import type { AuthType } from './types.js';

const config = z
  .strictObject({
    requestTokenUrl: httpUrl,
    authorizeUrl: httpUrl,
    accessTokenUrl: httpUrl,
    consumerKey: z.string().min(1).max(1024),
    consumerSecret: secretValue,
    signatureMethod: z.enum(['HMAC-SHA1', 'HMAC-SHA256', 'PLAINTEXT']).default('HMAC-SHA1'),
    description: z.string().max(1000).optional(),
  })
  .openapi('OAuth1Config');
export type OAuth1Config = z.infer<typeof config>;

const tokenCredentials = z.strictObject({ token: secretValue, tokenSecret: secretValue });

export const oauth1: AuthType<OAuth1Config> = {
  type: 'oauth1',
  label: 'OAuth1',
  configSchema: config,
  secretConfigKeys: ['consumerSecret'],
  standardCredentialsSchema: () => tokenCredentials,
  activation: () => ({ kind: 'redirect' }),
};
