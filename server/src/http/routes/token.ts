import { Hono } from 'hono';
import { exchangeToken, OAuthError } from '../../domain/token-exchange.js';
import type { Portico } from '../../portico.js';

/**
 * `POST /connect/token` (RFC 8693 token exchange). An OAuth protocol endpoint: it takes a form
 * body and answers errors in RFC 6749 form, `{"error", "error_description"}`.
 */
export function tokenRoutes(p: Portico) {
  const app = new Hono();
  app.post('/connect/token', async (c) => {
    c.header('Cache-Control', 'no-store');
    try {
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/x-www-form-urlencoded') {
        throw new OAuthError('invalid_request', 'Send the request as application/x-www-form-urlencoded');
      }
      const text = await c.req.text();
      if (text.length > 32_768) throw new OAuthError('invalid_request', 'The request is too large');
      return c.json(await exchangeToken(p, new URLSearchParams(text)), 200);
    } catch (err) {
      if (err instanceof OAuthError) {
        return c.json({ error: err.error, error_description: err.description }, err.status as 400);
      }
      throw err;
    }
  });
  return app;
}
