import { randomBytes } from 'node:crypto';

/** Prefixed, unguessable identifiers: the prefix tells a human what kind of object an id names. */
export type IdPrefix =
  'org' | 'env' | 'key' | 'ctr' | 'am' | 'cx' | 'bnd' | 'eu' | 'act' | 'ses' | 'vk' | 'adm' | 'evt' | 'msg';

/**
 * Ids draw from a pool of CSPRNG bytes refilled 4 KiB at a time: one `randomBytes` call per id
 * was a measurable share of a session mint. The bytes are as random; only the syscalls are fewer.
 * (Secrets — keys, tokens, states — still come from their own `randomBytes` call.)
 */
let pool = Buffer.alloc(0);
let offset = 0;

function poolBytes(n: number): Buffer {
  if (offset + n > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  const out = pool.subarray(offset, offset + n);
  offset += n;
  return out;
}

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${poolBytes(12).toString('base64url')}`;
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
