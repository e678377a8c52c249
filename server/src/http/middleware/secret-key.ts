import type { MiddlewareHandler } from 'hono';
import { hashSecretKey, SECRET_KEY_PATTERN } from '../../crypto/secret-keys.js';
import { findApiKeyByHash } from '../../db/orgs.js';
import { AuthError, ForbiddenError } from '../../errors.js';
import type { Portico } from '../../portico.js';
import type { ApiEnv } from '../env.js';

/** Authenticates `Authorization: Bearer sk_…` and puts the key's org and environment on the context. */
export function secretKeyAuth(p: Portico): MiddlewareHandler<ApiEnv> {
  return async function secretKeyAuth(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AuthError('Send your secret key as "Authorization: Bearer sk_…"');
    const key = match[1]!;
    if (!SECRET_KEY_PATTERN.test(key)) throw new AuthError('Invalid secret key');
    const found = await findApiKeyByHash(p.db, hashSecretKey(key));
    if (!found) throw new AuthError('Invalid secret key');
    c.set('auth', {
      actor: { type: 'key', id: found.id },
      orgId: found.orgId,
      environmentId: found.environmentId,
      scopes: found.scopes,
    });
    await next();
  };
}

export function requireScope(scope: string): MiddlewareHandler<ApiEnv> {
  return async function requireScope(c, next) {
    if (!c.get('auth').scopes.includes(scope)) {
      throw new ForbiddenError(`This key lacks the "${scope}" scope`, 'insufficient_scope');
    }
    await next();
  };
}
