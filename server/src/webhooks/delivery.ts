import { claimDueDeliveries, recordAttempt, type OutboxRow } from '../db/webhooks.js';
import { findEnvironment } from '../db/orgs.js';
import type { Portico } from '../portico.js';
import { signStandardWebhook } from './standard-webhooks.js';

export interface DeliveryPolicy {
  /** First retry delay; each next one doubles, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
  timeoutMs: number;
  leaseMs: number;
}

export const DEFAULT_POLICY: DeliveryPolicy = {
  baseDelayMs: 5_000,
  maxDelayMs: 60 * 60_000,
  maxAttempts: 10,
  timeoutMs: 10_000,
  // Just past the timeout: a crashed process's claims come back soon after it dies.
  leaseMs: 15_000,
};

/** Exponential backoff with ±20 % jitter, so a recovering receiver is not hit by a thundering herd. */
export function retryDelay(policy: DeliveryPolicy, attempts: number): number {
  const base = Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * Delivers one outbox row: signs it per Standard Webhooks with the environment's `whsec_`
 * secret, POSTs it, and records the attempt with the next state (delivered, retry, failed).
 */
export async function deliver(p: Portico, row: OutboxRow, policy: DeliveryPolicy): Promise<void> {
  const started = Date.now();
  const attempt = row.attempts + 1;
  const env = await findEnvironment(p.db, row.environmentId);
  let statusCode: number | null = null;
  let error: string | null = null;
  if (!env?.webhookUrl || !env.webhookSecretSealed) {
    error = 'No webhook URL is configured for this environment';
  } else {
    const secret = p.box
      .open(env.webhookSecretSealed, { purpose: 'webhook-secret', rowId: env.id, orgId: env.orgId })
      .toString();
    const body = JSON.stringify(row.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const res = await fetch(env.webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Portico-Webhooks/1',
          'webhook-id': row.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signStandardWebhook(secret, row.id, timestamp, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(policy.timeoutMs),
      });
      statusCode = res.status;
      await res.body?.cancel();
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
    } catch (err) {
      error = (err as Error).name === 'TimeoutError' ? 'Timed out' : 'Could not connect';
    }
  }
  const ok = error === null;
  const now = Date.now();
  await recordAttempt(
    p.db,
    { outboxId: row.id, attempt, statusCode, error, durationMs: now - started, createdAt: now },
    ok
      ? { status: 'delivered', attempts: attempt, nextAttemptAt: row.nextAttemptAt, deliveredAt: now }
      : attempt >= policy.maxAttempts
        ? { status: 'failed', attempts: attempt, nextAttemptAt: row.nextAttemptAt, deliveredAt: null }
        : {
            status: 'pending',
            attempts: attempt,
            nextAttemptAt: now + retryDelay(policy, attempt),
            deliveredAt: null,
          },
  );
}

/**
 * The delivery loop: claims due rows (leased, so several processes can run it) and delivers
 * them, a few at a time. Started by `portico serve`; `stop()` waits for deliveries in flight.
 */
export function startDeliveryWorker(p: Portico, policy: DeliveryPolicy = DEFAULT_POLICY, intervalMs = 500) {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      for (;;) {
        const due = await claimDueDeliveries(p.db, Date.now(), policy.leaseMs, 10);
        if (due.length === 0) break;
        await Promise.all(due.map((row) => deliver(p, row, policy)));
        if (stopped) break;
      }
    } catch (err) {
      p.log.error('webhook delivery failed', { error: (err as Error).name });
    }
  };
  const timer = setInterval(() => {
    running = running.then(tick);
  }, intervalMs);
  timer.unref();
  return {
    /** Runs one pass now (tests, and right after an event is queued). */
    kick: () => (running = running.then(tick)),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

export function policyFromEnv(env: NodeJS.ProcessEnv = process.env): DeliveryPolicy {
  const num = (name: string, fallback: number) => {
    const v = Number(env[name]);
    return Number.isFinite(v) && v > 0 ? v : fallback;
  };
  const timeoutMs = num('PORTICO_WEBHOOK_TIMEOUT_MS', DEFAULT_POLICY.timeoutMs);
  return {
    ...DEFAULT_POLICY,
    timeoutMs,
    leaseMs: timeoutMs + 5_000,
    baseDelayMs: num('PORTICO_WEBHOOK_RETRY_BASE_MS', DEFAULT_POLICY.baseDelayMs),
    maxDelayMs: num('PORTICO_WEBHOOK_RETRY_MAX_MS', DEFAULT_POLICY.maxDelayMs),
    maxAttempts: num('PORTICO_WEBHOOK_MAX_ATTEMPTS', DEFAULT_POLICY.maxAttempts),
  };
}
