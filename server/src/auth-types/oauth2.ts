import { z } from '@hono/zod-openapi';
import { httpUrl, secretValue } from './fields.js';
import { clientCredentialsToken } from './oauth2-client.js';
import type { AuthType } from './types.js';

const config = z
  .strictObject({
    grantType: z.enum(['authorization_code', 'client_credentials']).default('authorization_code'),
    authorizeUrl: httpUrl.optional(),
    tokenUrl: httpUrl,
    scopes: z
      .array(
        z
          .string()
          .min(1)
          .max(256)
          .regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/),
      )
      .max(100)
      .default([]),
    clientId: z.string().min(1).max(1024).optional(),
    clientSecret: secretValue.optional(),
    pkce: z.boolean().default(true),
    tokenAuth: z.enum(['client_secret_basic', 'client_secret_post']).default('client_secret_basic'),
    authorizeParams: z.record(z.string().min(1).max(128), z.string().max(1024)).optional(),
    /** The authorization server's issuer identifier, checked against the callback's `iss` (RFC 9207). */
    issuer: httpUrl.optional(),
    description: z.string().max(1000).optional(),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.grantType === 'authorization_code') {
      if (!cfg.authorizeUrl)
        ctx.addIssue({ code: 'custom', path: ['authorizeUrl'], message: 'required for authorization_code' });
    }
  })
  .openapi('OAuth2Config');
export type OAuth2Config = z.infer<typeof config>;

const tokenCredentials = z.strictObject({
  accessToken: secretValue,
  refreshToken: secretValue.optional(),
  expiresAt: z.iso.datetime().optional(),
});
const clientCredentials = z.strictObject({
  clientId: z.string().min(1).max(1024),
  clientSecret: secretValue,
});

export const oauth2: AuthType<OAuth2Config> = {
  type: 'oauth2',
  label: 'OAuth2',
  configSchema: config,
  secretConfigKeys: ['clientSecret'],
  standardCredentialsSchema: (cfg) =>
    cfg.grantType === 'client_credentials' ? clientCredentials : tokenCredentials,
  activation: (cfg) =>
    cfg.grantType === 'client_credentials'
      ? {
          kind: 'form',
          fields: [
            { name: 'clientId', label: 'Client ID', type: 'text', required: true, autocomplete: 'off' },
            {
              name: 'clientSecret',
              label: 'Client secret',
              type: 'password',
              required: true,
              autocomplete: 'off',
            },
          ],
        }
      : { kind: 'redirect' },
  activationSchema: () => clientCredentials,
  /** Client credentials: the user's own client id and secret, checked by fetching a token with them. */
  async activate(input, cfg) {
    const clientId = String(input.clientId);
    const clientSecret = String(input.clientSecret);
    const tokens = await clientCredentialsToken(cfg, clientId, clientSecret);
    return {
      credentials: { clientId, clientSecret, ...tokens },
      ...(tokens.expiresAt !== undefined ? { expiresAt: tokens.expiresAt } : {}),
    };
  },
  apply(request, creds) {
    request.headers.set('authorization', `Bearer ${String(creds.accessToken)}`);
  },
};
