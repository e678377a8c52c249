import type { MiddlewareHandler } from 'hono';
import { authenticateSession } from '../../domain/sessions.js';
import { AuthError, ForbiddenError } from '../../errors.js';
import type { Portico } from '../../portico.js';
import type { ConnectEnv } from '../env.js';

/**
 * Authenticates a connect session token (`Authorization: Bearer <jwt>`, never a query string)
 * and enforces the session's `origin` on cross-origin requests.
 */
export function sessionAuth(p: Portico): MiddlewareHandler<ConnectEnv> {
  const ownOrigin = new URL(p.config.publicUrl).origin;
  return async function sessionAuth(c, next) {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    if (!match)
      throw new AuthError('Send the session token as "Authorization: Bearer <token>"', 'invalid_token');
    const session = await authenticateSession(p, match[1]!);
    const origin = c.req.header('origin');
    if (origin && origin !== session.origin && origin !== ownOrigin) {
      throw new ForbiddenError('This session cannot be used from this origin', 'origin_not_allowed');
    }
    c.set('session', session);
    await next();
  };
}
