// The widget's whole view of the Connect API (SPEC §5): three calls, one token header.

/** A failure as the widget reports it: a stable `code` plus a human-readable `message`. */
export interface ApiError {
  code: string;
  message: string;
}

/** One connection of `GET /connect/session`, with this user's activation state. */
export interface SessionConnection {
  id: string;
  name: string;
  connector: { name: string };
  authType: string;
  status: 'active' | 'needs_reauth' | 'inactive';
  activationId?: string;
}

/** `GET /connect/session`. */
export interface Session {
  user: { externalId: string; displayName?: string; email?: string };
  connections: SessionConnection[];
  eventsCursor: number;
}

/** One entry of `GET /connect/session/events`. */
export interface FlowEvent {
  seq: number;
  type: 'activation.succeeded' | 'activation.failed' | 'flow.cancelled';
  connectionId: string;
  activationId?: string;
  flowId?: string;
  error?: ApiError;
  createdAt: string;
}

// Results instead of exceptions: every caller has to branch on failure (401 → new token, poll → retry).
export type Result<T> = { data: T } | { error: ApiError; status: number };

/** Calls the Connect API; the token only ever travels in the Authorization header. */
export async function request<T>(
  base: string,
  path: string,
  token: string,
  method = 'GET',
): Promise<Result<T>> {
  try {
    const res = await fetch(base + path, {
      method,
      headers: { Authorization: `Bearer ${token}` },
      // Polls must reach the server every time, whatever caching headers a proxy adds.
      cache: 'no-store',
    });
    const body = await res.json().catch(() => undefined);
    if (res.ok) return { data: body as T };
    const error: Partial<ApiError> = body?.error ?? {};
    return {
      status: res.status,
      error: {
        code: error.code ?? (res.status === 401 ? 'session_expired' : 'server_error'),
        message: error.message ?? '',
      },
    };
  } catch {
    return { status: 0, error: { code: 'network_error', message: '' } };
  }
}

/**
 * The claims of a JWT, decoded but NOT verified: the widget only needs `iss` (where the server is) and
 * `exp` (when to ask for a new token); the server verifies the signature on every call.
 */
export function claims(token: string): { iss?: string; exp?: number } {
  try {
    // atob yields bytes as Latin-1 characters: non-ASCII claims come out garbled but still valid
    // JSON, and the two claims read here are ASCII.
    return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) || {};
  } catch {
    return {};
  }
}
