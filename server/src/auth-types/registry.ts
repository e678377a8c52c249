import { apiKey } from './api-key.js';
import { basic } from './basic.js';
import { hmac } from './hmac.js';
import { none } from './none.js';
import { oauth1 } from './oauth1.js';
import { oauth2 } from './oauth2.js';
import type { AuthType, AuthTypeName } from './types.js';

const all = { 'api-key': apiKey, basic, oauth2, oauth1, hmac, none } as unknown as Record<
  AuthTypeName,
  AuthType
>;

export function authType(name: AuthTypeName): AuthType {
  return all[name];
}

export const authTypes: readonly AuthType[] = Object.values(all);
