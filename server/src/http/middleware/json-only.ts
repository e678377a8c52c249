import type { MiddlewareHandler } from 'hono';
import { PorticoError } from '../../errors.js';
import { hasBody } from './body.js';

/** Requests that carry a body must say it is JSON; anything else is refused before parsing. */
export function jsonOnly(): MiddlewareHandler {
  return async function jsonOnly(c, next) {
    const method = c.req.method;
    if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json' && hasBody(c)) {
        throw new PorticoError(415, 'unsupported_media_type', 'Send the request body as application/json');
      }
    }
    await next();
  };
}
