import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { findEnvironment } from '../../db/orgs.js';
import {
  AdminAuthError,
  csrfTokenMatches,
  findSignedInAdmin,
  type SignedInAdmin,
} from '../../domain/admins.js';
import { AuthError, NotFoundError, ValidationError } from '../../errors.js';
import type { Portico } from '../../portico.js';
import type { ApiEnv } from '../env.js';

/** The console's session cookie: a random id whose SHA-256 is the `admin_sessions` key. */
export const ADMIN_COOKIE = 'portico_admin';
export const ENVIRONMENT_HEADER = 'x-portico-environment';
export const CSRF_HEADER = 'x-csrf-token';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface AdminEnv {
  Variables: { admin: SignedInAdmin };
  Bindings: ApiEnv['Bindings'];
}

/**
 * Refuses a cross-site request: an unsafe method must carry the session's CSRF token in
 * `X-CSRF-Token` (a header other sites cannot set without a CORS grant Portico never gives), and
 * an `Origin`, when the browser sends one, must be Portico's own.
 */
export function checkSameOrigin(c: Context, ownOrigin: string): void {
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== ownOrigin) {
    throw new AdminAuthError(
      403,
      'csrf_failed',
      `Cross-origin request refused: use the console at ${ownOrigin}/admin (PORTICO_PUBLIC_URL)`,
    );
  }
}

async function authenticate(p: Portico, c: Context, ownOrigin: string): Promise<SignedInAdmin> {
  const sessionId = getCookie(c, ADMIN_COOKIE);
  const signedIn = sessionId ? await findSignedInAdmin(p, sessionId) : undefined;
  if (!signedIn) throw new AuthError('Sign in to the admin console first');
  if (UNSAFE_METHODS.has(c.req.method)) {
    checkSameOrigin(c, ownOrigin);
    if (!csrfTokenMatches(c.req.header(CSRF_HEADER), signedIn.csrfToken)) {
      throw new AdminAuthError(403, 'csrf_failed', 'Missing or wrong X-CSRF-Token header');
    }
  }
  return signedIn;
}

/** The console's cookie session, plus the CSRF checks on unsafe methods; sets `admin`. */
export function adminSession(p: Portico): MiddlewareHandler<AdminEnv> {
  const ownOrigin = new URL(p.config.publicUrl).origin;
  return async function adminSession(c, next) {
    c.set('admin', await authenticate(p, c, ownOrigin));
    await next();
  };
}

/**
 * Authenticates the console for the management API: the cookie session and CSRF checks, then the
 * environment named by `X-Portico-Environment`, which must belong to the admin's org (404 as if
 * it did not exist otherwise). Sets `auth` like a secret key of that environment, acting as the admin.
 */
export function adminAuth(p: Portico): MiddlewareHandler<ApiEnv> {
  const ownOrigin = new URL(p.config.publicUrl).origin;
  return async function adminAuth(c, next) {
    const signedIn = await authenticate(p, c, ownOrigin);
    const environmentId = c.req.header(ENVIRONMENT_HEADER);
    if (!environmentId) {
      throw new ValidationError('Name the environment in the X-Portico-Environment header');
    }
    const environment = environmentId.length <= 64 ? await findEnvironment(p.db, environmentId) : undefined;
    if (!environment || environment.orgId !== signedIn.org.id) throw new NotFoundError('Environment');
    c.set('auth', {
      actor: { type: 'admin', id: signedIn.admin.id },
      orgId: signedIn.org.id,
      environmentId: environment.id,
      scopes: ['credentials:read'],
    });
    await next();
  };
}
