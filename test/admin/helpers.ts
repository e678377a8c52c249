import { createAdmin } from '../../server/src/domain/admins.js';
import type { TestOrg, TestPortico } from '../helpers/portico.js';

export const PASSWORD = 'correct horse battery staple';

export interface SignedIn {
  cookie: string;
  csrfToken: string;
  setCookie: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  view: any;
}

export async function seedAdmin(t: TestPortico, org: TestOrg, email = 'admin@acme.test') {
  return createAdmin(t.p, { orgId: org.orgId, email, password: PASSWORD }, { type: 'system', id: 'test' });
}

/** Signs in through POST /admin/login and keeps what a browser would: the cookie and the CSRF token. */
export async function signIn(
  t: TestPortico,
  email = 'admin@acme.test',
  password = PASSWORD,
): Promise<SignedIn> {
  const res = await t.call('POST', '/admin/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${res.text}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return {
    cookie: setCookie.split(';')[0]!,
    csrfToken: res.body.csrfToken,
    setCookie,
    view: res.body,
  };
}

/** A console request: cookie, CSRF token on unsafe methods, and the environment header. */
export function consoleCall(t: TestPortico, s: SignedIn, environmentId?: string) {
  return (
    method: string,
    path: string,
    opts: { body?: unknown; headers?: Record<string, string>; csrf?: boolean } = {},
  ) =>
    t.call(method, path, {
      ...(opts.body !== undefined ? { body: opts.body } : {}),
      headers: {
        cookie: s.cookie,
        ...(opts.csrf !== false && method !== 'GET' ? { 'x-csrf-token': s.csrfToken } : {}),
        ...(environmentId ? { 'x-portico-environment': environmentId } : {}),
        ...opts.headers,
      },
    });
}
