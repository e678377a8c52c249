import type { OutboxInsert } from '../db/effects.js';
import type { EnvironmentRow } from '../db/orgs.js';
import { newId } from '../ids.js';

export type WebhookEventType =
  | 'activation.created'
  | 'activation.updated'
  | 'activation.revoked'
  | 'activation.needs_reauth'
  | 'webhook.received';

/**
 * An outbox row for the environment's webhook endpoint, or nothing when none is configured.
 * Payloads carry ids and metadata, never credentials.
 */
export function outboxEvent(
  env: Pick<EnvironmentRow, 'id' | 'orgId' | 'webhookUrl'>,
  type: WebhookEventType,
  data: Record<string, unknown>,
): OutboxInsert[] {
  if (!env.webhookUrl) return [];
  const now = Date.now();
  const id = newId('msg');
  return [
    {
      id,
      orgId: env.orgId,
      environmentId: env.id,
      eventType: type,
      payload: { type, timestamp: new Date(now).toISOString(), data: { environmentId: env.id, ...data } },
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    },
  ];
}
