import { z } from '@hono/zod-openapi';

/** Shared building blocks for auth-method configuration schemas. */
export const httpUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL without user info');

/** RFC 9110 token characters: what a header, query or cookie name may be made of. */
export const tokenName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid header / parameter name');

export const label = z.string().min(1).max(200);
export const secretValue = z.string().min(1).max(8192);
