import { createHash } from 'node:crypto';
import { randomToken } from '../ids.js';

/** Secret API keys: `sk_` + 32 random bytes; only their SHA-256 is stored (SPEC §8). */
export const SECRET_KEY_PATTERN = /^sk_[A-Za-z0-9_-]{43,}$/;

export function newSecretKey(): string {
  return `sk_${randomToken(32)}`;
}

export function hashSecretKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
