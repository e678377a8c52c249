import { Hono } from 'hono';
import { exchangeToken, OAuthError } from '../../domain/token-exchange.js';
import { RateLimitedError } from '../../errors.js';
import type { Portico } from '../../portico.js';
import { rateLimit } from '../middleware/rate-limit.js';

/**
 * `POST /connect/token` (RFC 8693 token exchange). An OAuth protocol endpoint: it takes a form
 * body and answers errors in RFC 6749 form, `{"error", "error_description"}`.
 */
export function tokenRoutes(p: Portico) {
  const app = new Hono();
  const limited = rateLimit(
    { name: 'token-exchange', ...p.config.limits.tokenExchange, windowMs: 60_000 },
    {
      enabled: p.config.rateLimits,
      trustProxy: p.config.trustProxy,
      // The environment is the assertion's (unverified) issuer: enough to count per environment.
      environmentOf: async (c) => {
        const token = new URLSearchParams(await c.req.text()).get('subject_token') ?? '';
        try {
          const iss = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).iss;
          return typeof iss === 'string' ? iss.slice(0, 64) : undefined;
        } catch {
          return undefined;
        }
      },
    },
  );
  app.post('/connect/token', async (c, next) => {
    try {
      return await limited(c, next);
    } catch (err) {
      if (err instanceof RateLimitedError) {
        c.header('Retry-After', String(err.retryAfterSeconds));
        return c.json({ error: 'slow_down', error_description: err.message }, 429);
      }
      throw err;
    }
  });
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
