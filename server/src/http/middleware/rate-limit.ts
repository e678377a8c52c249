import type { Context, MiddlewareHandler } from 'hono';
import { RateLimitedError } from '../../errors.js';

/**
 * Fixed-window counters in memory: cheap, and enough for one process. (Several processes each
 * count on their own; a shared store can replace `WindowCounter` behind the same interface.)
 */
export class WindowCounter {
  private windows = new Map<string, { start: number; count: number }>();
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one hit; answers the seconds to wait when over the limit, else 0. */
  hit(key: string, now = Date.now()): number {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 50_000) this.sweep(now);
    }
    w.count++;
    return w.count > this.limit ? Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000)) : 0;
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }
}

export interface RateLimitRule {
  name: string;
  perIp: number;
  perEnvironment: number;
  windowMs: number;
}

/** The client's address: the socket's, or the first X-Forwarded-For hop when behind a trusted proxy. */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'local';
}

/**
 * Limits a route per client IP and per environment (429 + Retry-After). `environmentOf` names
 * the environment once it is known (after authentication, or from the request).
 */
export function rateLimit(
  rule: RateLimitRule,
  options: {
    enabled: boolean;
    trustProxy: boolean;
    environmentOf: (c: Context) => string | undefined | Promise<string | undefined>;
  },
): MiddlewareHandler {
  const perIp = new WindowCounter(rule.perIp, rule.windowMs);
  const perEnv = new WindowCounter(rule.perEnvironment, rule.windowMs);
  return async function rateLimited(c, next) {
    if (!options.enabled) return next();
    const ipWait = perIp.hit(`${rule.name}:${clientIp(c, options.trustProxy)}`);
    if (ipWait > 0) throw new RateLimitedError(ipWait);
    const env = await options.environmentOf(c);
    if (env) {
      const envWait = perEnv.hit(`${rule.name}:${env}`);
      if (envWait > 0) throw new RateLimitedError(envWait);
    }
    await next();
  };
}
