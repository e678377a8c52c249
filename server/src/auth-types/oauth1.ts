import { z } from '@hono/zod-openapi';
import { httpUrl, secretValue } from './fields.js';
import { authorizationHeader } from './oauth1-signature.js';
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
  /** Signs each request per RFC 5849 with the consumer and the user's token credentials. */
  apply(request, creds, cfg) {
    request.headers.set(
      'authorization',
      authorizationHeader({
        method: request.method,
        url: request.url,
        ...(request.formBody !== undefined ? { formBody: request.formBody } : {}),
        consumerKey: cfg.consumerKey,
        consumerSecret: cfg.consumerSecret,
        token: String(creds.token),
        tokenSecret: String(creds.tokenSecret),
        signatureMethod: cfg.signatureMethod,
      }),
    );
  },
};
