import type { MiddlewareHandler } from 'hono';
import { PorticoError } from '../../errors.js';

/** Requests that carry a body must say it is JSON; anything else is refused before parsing. */
export function jsonOnly(): MiddlewareHandler {
  return async function jsonOnly(c, next) {
    const method = c.req.method;
    if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      const length = c.req.header('content-length');
      const hasBody =
        (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (hasBody && type !== 'application/json') {
        throw new PorticoError(415, 'unsupported_media_type', 'Send the request body as application/json');
      }
    }
    await next();
  };
}
