import { z } from '@hono/zod-openapi';
import type { AuthType } from './types.js';

const config = z.strictObject({ description: z.string().max(1000).optional() }).openapi('NoneConfig');
export type NoneConfig = z.infer<typeof config>;

/** Bypass authentication: activation is a confirmation, requests carry no credentials. */
export const none: AuthType<NoneConfig> = {
  type: 'none',
  label: 'None (Bypass Authentication)',
  configSchema: config,
  secretConfigKeys: [],
  standardCredentialsSchema: () => null,
  activationSchema: () => z.strictObject({}),
  activate: async () => ({ credentials: {} }),
  activation: () => ({ kind: 'form', fields: [] }),
  apply() {},
};
