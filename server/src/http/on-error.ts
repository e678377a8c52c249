import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { PorticoError, RateLimitedError, type ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';

/** The one place that turns a thrown error into `{"error": {"code", "message"}}`. */
export function errorHandler(log: Logger) {
  return function onError(err: Error, c: Context): Response {
    if (err instanceof PorticoError) {
      if (err instanceof RateLimitedError) c.header('Retry-After', String(err.retryAfterSeconds));
      if (err.status === 401) c.header('WWW-Authenticate', 'Bearer');
      return errorResponse(c, err.status, err.code, err.message, err.details);
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      const code: ErrorCode =
        status === 413
          ? 'payload_too_large'
          : status === 400 && /json/i.test(err.message)
            ? 'invalid_json'
            : status === 401
              ? 'unauthorized'
              : status === 404
                ? 'not_found'
                : 'invalid_request';
      const message = status === 413 ? 'The request body is too large' : err.message || 'Bad request';
      return errorResponse(c, status, code, message);
    }
    // SQLite constraint failures here mean a concurrent change won a race: report a conflict.
    const sqliteCode = (err as { code?: unknown }).code;
    if (typeof sqliteCode === 'string' && sqliteCode.startsWith('SQLITE_CONSTRAINT')) {
      return errorResponse(c, 409, 'conflict', 'The request conflicts with the current state; retry');
    }
    // Only the error's class and a request id are logged: messages of foreign errors may quote input.
    const requestId = crypto.randomUUID();
    log.error('unhandled error', { requestId, error: err.name, method: c.req.method, path: c.req.path });
    if (process.env.PORTICO_DEBUG_ERRORS === '1') console.error(err);
    return errorResponse(c, 500, 'internal_error', `Internal error (request ${requestId})`);
  };
}

export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  code: ErrorCode | string,
  message: string,
  details?: unknown,
): Response {
  return c.json({ error: { code, message, ...(details !== undefined ? { details } : {}) } }, status);
}
