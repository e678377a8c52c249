import { randomBytes } from 'node:crypto';

/** Prefixed, unguessable identifiers: the prefix tells a human what kind of object an id names. */
export type IdPrefix =
  'org' | 'env' | 'key' | 'ctr' | 'am' | 'cx' | 'bnd' | 'eu' | 'act' | 'ses' | 'vk' | 'adm' | 'evt' | 'msg';

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
