import type { Context, MiddlewareHandler } from 'hono';
import { PorticoError } from '../../errors.js';

/**
 * Whether the request carries a body, decided from its headers when it came over HTTP:
 * touching `c.req.raw.body` under @hono/node-server turns the request into a web stream, which
 * costs more than the rest of a small request. In-process requests (tests) have no headers to go by.
 */
export function hasBody(c: Context): boolean {
  const length = c.req.header('content-length');
  if (length !== undefined) return length !== '0';
  if (c.req.header('transfer-encoding') !== undefined) return true;
  const overHttp = (c.env as { incoming?: unknown } | undefined)?.incoming !== undefined;
  return !overHttp && c.req.raw.body !== null;
}

/**
 * Request-body limit for the JSON API: by Content-Length, before anything is read. A body sent
 * without a length (chunked) is refused with 411: the API's bodies are small, and every HTTP
 * client sends a length for them.
 */
export function bodyLimit(maxBytes: number): MiddlewareHandler {
  const tooLarge = () =>
    new PorticoError(413, 'payload_too_large', `Request bodies are limited to ${maxBytes} bytes`);
  return async function limitBody(c, next) {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || !hasBody(c)) return next();
    const length = c.req.header('content-length');
    if (length !== undefined) {
      if (!/^\d{1,15}$/.test(length))
        throw new PorticoError(400, 'invalid_request', 'Invalid Content-Length');
      if (Number(length) > maxBytes) throw tooLarge();
      return next();
    }
    if ((c.env as { incoming?: unknown } | undefined)?.incoming !== undefined) {
      throw new PorticoError(411, 'length_required', 'Send request bodies with a Content-Length');
    }
    // In-process request without a length: measure it (the body is cached for the handler).
    if (Buffer.byteLength(await c.req.text()) > maxBytes) throw tooLarge();
    return next();
  };
}
