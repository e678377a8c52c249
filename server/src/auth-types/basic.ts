import { z } from '@hono/zod-openapi';
import { label } from './fields.js';
import type { AuthType } from './types.js';

const config = z
  .strictObject({
    usernameLabel: label.optional(),
    passwordLabel: label.optional(),
    description: z.string().max(1000).optional(),
  })
  .openapi('BasicConfig');
export type BasicConfig = z.infer<typeof config>;

// RFC 7617: the user-id cannot contain a colon.
const credentials = z.strictObject({
  username: z
    .string()
    .min(1)
    .max(1024)
    .refine((u) => !u.includes(':'), 'must not contain ":"'),
  password: z.string().max(8192),
});

export const basic: AuthType<BasicConfig> = {
  type: 'basic',
  label: 'Basic Auth',
  configSchema: config,
  secretConfigKeys: [],
  standardCredentialsSchema: () => credentials,
  activationSchema: () => credentials,
  activate: async (input) => ({ credentials: { username: input.username, password: input.password } }),
  activation: (cfg) => ({
    kind: 'form',
    fields: [
      {
        name: 'username',
        label: cfg.usernameLabel ?? 'Username',
        type: 'text',
        required: true,
        autocomplete: 'username',
      },
      {
        name: 'password',
        label: cfg.passwordLabel ?? 'Password',
        type: 'password',
        required: true,
        autocomplete: 'current-password',
      },
    ],
  }),
  apply(request, creds) {
    const token = Buffer.from(`${String(creds.username)}:${String(creds.password)}`, 'utf8').toString(
      'base64',
    );
    request.headers.set('authorization', `Basic ${token}`);
  },
};
