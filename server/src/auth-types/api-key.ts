import { z } from '@hono/zod-openapi';
import { label, secretValue, tokenName } from './fields.js';
import type { AuthType } from './types.js';

const config = z
  .strictObject({
    in: z.enum(['header', 'query', 'cookie']).default('header'),
    name: tokenName,
    prefix: z.string().max(64).optional(),
    label: label.optional(),
    description: z.string().max(1000).optional(),
  })
  .openapi('ApiKeyConfig');
export type ApiKeyConfig = z.infer<typeof config>;

const credentials = z.strictObject({ apiKey: secretValue });

export const apiKey: AuthType<ApiKeyConfig> = {
  type: 'api-key',
  label: 'API Key',
  configSchema: config,
  secretConfigKeys: [],
  standardCredentialsSchema: () => credentials,
  activationSchema: () => credentials,
  activate: async (input) => ({ credentials: { apiKey: input.apiKey } }),
  activation: (cfg) => ({
    kind: 'form',
    fields: [
      {
        name: 'apiKey',
        label: cfg.label ?? 'API key',
        type: 'password',
        required: true,
        autocomplete: 'off',
      },
    ],
  }),
  apply(request, creds, cfg) {
    const value = `${cfg.prefix ?? ''}${String(creds.apiKey)}`;
    if (cfg.in === 'header') request.headers.set(cfg.name, value);
    else if (cfg.in === 'query') request.url.searchParams.set(cfg.name, value);
    else appendCookie(request.headers, cfg.name, value);
  },
};

function appendCookie(headers: Headers, name: string, value: string): void {
  const pair = `${name}=${encodeURIComponent(value)}`;
  const existing = headers.get('cookie');
  headers.set('cookie', existing ? `${existing}; ${pair}` : pair);
}
