// The console's whole view of the server: the management API at /admin/api/v1 (the documented
// API, authenticated by the session cookie instead of a secret key) and a few admin-only routes.

export type AuthTypeName = 'api-key' | 'basic' | 'oauth2' | 'oauth1' | 'hmac' | 'none';

export interface SessionView {
  admin: { id: string; email: string };
  org: { id: string; name: string };
  environments: { id: string; name: string }[];
  csrfToken: string;
}

export interface AuthMethod {
  id: string;
  name: string;
  type: AuthTypeName;
  config: Record<string, unknown>;
  createdAt: string;
}

export interface VerifyRequest {
  method: 'GET' | 'HEAD' | 'POST';
  path: string;
  expectStatus: number[];
}

export interface Connector {
  id: string;
  name: string;
  baseUrl: string;
  authMethods: AuthMethod[];
  verify: VerifyRequest | null;
  createdAt: string;
  updatedAt: string;
}

export interface Connection {
  id: string;
  connectorId: string;
  authMethodId: string;
  authType: AuthTypeName;
  name: string;
  baseUrl: string;
  embedded: boolean;
  status: 'ready' | 'awaiting_users';
  inUse: boolean;
  linkedEnvironments: number;
  activeUsers: number;
  createdAt: string;
}

export interface Binding {
  environmentId: string;
  connectorId: string;
  connectionId: string;
  createdAt: string;
}

export interface Activation {
  id: string;
  connectionId: string;
  externalUserId: string;
  status: 'active' | 'needs_reauth' | 'revoked';
  createdAt: string;
  updatedAt: string;
}

export interface EndUser {
  externalId: string;
  displayName: string | null;
  email: string | null;
  createdAt: string;
  updatedAt: string;
  activations: Activation[];
}

export interface AuditEvent {
  id: string;
  action: string;
  actor: { type: string; id: string };
  target: { type: string; id: string } | null;
  data: Record<string, unknown> | null;
  createdAt: string;
}

export interface Environment {
  id: string;
  name: string;
  allowedOrigins: string[];
  webhookUrl: string | null;
  webhookSecret?: string;
}

export interface Delivery {
  id: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  attemptLog: { attempt: number; statusCode: number | null; error: string | null; at: string }[];
}

export interface SecretKey {
  id: string;
  hint: string;
  scopes: string[];
  createdAt: string;
  revokedAt: string | null;
  secretKey?: string;
}

export interface SigningKey {
  id: string;
  jwk?: Record<string, unknown>;
  jwksUrl?: string;
  createdAt: string;
}

export interface SessionResult {
  token: string;
  expiresAt: string;
  connectUrl: string;
}

export interface ApiError {
  status: number;
  code: string;
  message: string;
}

/** Failures come back as values: every caller shows them, none may forget to catch one. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: ApiError };

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Signs in; the server answers the session view and sets the httpOnly cookie. */
export async function login(email: string, password: string): Promise<Result<SessionView>> {
  return send<SessionView>('POST', '/admin/login', { email, password }, {});
}

/** Who is signed in, or a 401 error when nobody is. */
export async function currentSession(): Promise<Result<SessionView>> {
  return send<SessionView>('GET', '/admin/session', undefined, {});
}

async function send<T>(
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<Result<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { ...headers, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    return {
      ok: false,
      error: {
        status: 0,
        code: 'network_error',
        message: 'The server cannot be reached. Check your connection.',
      },
    };
  }
  const parsed = res.status === 204 ? undefined : await res.json().catch(() => undefined);
  if (res.ok) return { ok: true, data: parsed as T };
  const error = (parsed as { error?: Partial<ApiError> } | undefined)?.error ?? {};
  return {
    ok: false,
    error: {
      status: res.status,
      code: error.code ?? 'server_error',
      message: error.message ?? `The server answered ${res.status}`,
    },
  };
}

/**
 * A client for one signed-in session and one environment. Immutable: switching environments makes a
 * new client, so components that take it as a property reload when it changes.
 */
export class ConsoleApi {
  constructor(
    readonly session: SessionView,
    readonly environmentId: string,
    private readonly onSignedOut: () => void,
  ) {}

  get environment() {
    return this.session.environments.find((e) => e.id === this.environmentId)!;
  }

  /** Any console route: CSRF token on every request, environment header for the scoped ones. */
  async call<T>(method: string, path: string, body?: unknown): Promise<Result<T>> {
    const result = await send<T>(method, path, body, {
      'X-CSRF-Token': this.session.csrfToken,
      'X-Portico-Environment': this.environmentId,
    });
    if (!result.ok && result.error.status === 401) this.onSignedOut();
    return result;
  }

  /** The management API (SPEC §4a), as the signed-in admin in the current environment. */
  v1<T>(method: string, path: string, body?: unknown): Promise<Result<T>> {
    return this.call<T>(method, `/admin/api/v1${path}`, body);
  }

  /** Every item of a paginated list, following `nextCursor`. */
  async all<T>(path: string): Promise<Result<T[]>> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page: Result<Page<T>> = await this.v1<Page<T>>(
        'GET',
        `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      if (!page.ok) return page;
      items.push(...page.data.data);
      cursor = page.data.nextCursor;
    } while (cursor);
    return { ok: true, data: items };
  }

  logout(): Promise<Result<void>> {
    return send<void>('POST', '/admin/logout', undefined, { 'X-CSRF-Token': this.session.csrfToken });
  }
}
