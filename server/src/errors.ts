/**
 * One error family per failure, each with a stable `code`. Handlers throw these; `app.onError`
 * turns them into `{"error": {"code", "message"}}`. Messages must never contain secrets.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'invalid_json'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'length_required'
  | 'unauthorized'
  | 'invalid_credentials'
  | 'csrf_failed'
  | 'invalid_token'
  | 'session_expired'
  | 'session_revoked'
  | 'forbidden'
  | 'insufficient_scope'
  | 'origin_not_allowed'
  | 'not_found'
  | 'conflict'
  | 'in_use'
  | 'credentials_rejected'
  | 'needs_reauth'
  | 'activation_revoked'
  | 'rate_limited'
  | 'upstream_error'
  | 'upstream_timeout'
  | 'internal_error';

export class PorticoError extends Error {
  override readonly name: string = 'PorticoError';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 411 | 413 | 415 | 422 | 429 | 500 | 502 | 504,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export class ValidationError extends PorticoError {
  override readonly name = 'ValidationError';
  constructor(message: string, details?: unknown) {
    super(400, 'invalid_request', message, details);
  }
}

export class NotFoundError extends PorticoError {
  override readonly name = 'NotFoundError';
  constructor(what: string) {
    super(404, 'not_found', `${what} not found`);
  }
}

export class ConflictError extends PorticoError {
  override readonly name = 'ConflictError';
  constructor(message: string, code: 'conflict' | 'in_use' = 'conflict') {
    super(409, code, message);
  }
}

export class AuthError extends PorticoError {
  override readonly name = 'AuthError';
  constructor(
    message: string,
    code: 'unauthorized' | 'invalid_token' | 'session_expired' | 'session_revoked' = 'unauthorized',
  ) {
    super(401, code, message);
  }
}

export class ForbiddenError extends PorticoError {
  override readonly name = 'ForbiddenError';
  constructor(
    message: string,
    code: 'forbidden' | 'insufficient_scope' | 'origin_not_allowed' = 'forbidden',
  ) {
    super(403, code, message);
  }
}

export class CredentialsRejectedError extends PorticoError {
  override readonly name = 'CredentialsRejectedError';
  constructor(message = 'The target system rejected these credentials') {
    super(422, 'credentials_rejected', message);
  }
}

export class RateLimitedError extends PorticoError {
  override readonly name = 'RateLimitedError';
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'rate_limited', `Too many requests; retry after ${retryAfterSeconds} s`);
  }
}
