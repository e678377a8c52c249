import { insertAudit } from '../db/audit.js';
import {
  findDelivery,
  listAttempts,
  listDeliveries,
  requeueDelivery,
  type AttemptRow,
  type OutboxRow,
} from '../db/webhooks.js';
import { NotFoundError } from '../errors.js';
import type { Portico } from '../portico.js';
import { auditEntry, type Actor } from './audit.js';
import type { EnvScope } from './environments.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function deliveryView(row: OutboxRow, attempts: AttemptRow[]) {
  return {
    id: row.id,
    eventType: row.eventType,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? iso(row.nextAttemptAt) : null,
    createdAt: iso(row.createdAt)!,
    deliveredAt: iso(row.deliveredAt),
    payload: row.payload,
    attemptLog: attempts
      .filter((a) => a.outboxId === row.id)
      .map((a) => ({
        attempt: a.attempt,
        statusCode: a.statusCode,
        error: a.error,
        durationMs: a.durationMs,
        at: iso(a.createdAt)!,
      })),
  };
}

export async function deliveries(
  p: Portico,
  scope: EnvScope,
  page: { limit: number; cursor?: string | undefined; status?: OutboxRow['status'] | undefined },
) {
  const rows = await listDeliveries(p.db, scope.environmentId, {
    limit: page.limit,
    ...(page.cursor ? { before: page.cursor } : {}),
    ...(page.status ? { status: page.status } : {}),
  });
  const attempts = await listAttempts(
    p.db,
    rows.map((r) => r.id),
  );
  return {
    data: rows.map((r) => deliveryView(r, attempts)),
    nextCursor:
      rows.length === page.limit && rows.length > 0 ? String(rows[rows.length - 1]!.createdAt) : null,
  };
}

export async function delivery(p: Portico, scope: EnvScope, id: string) {
  const row = await findDelivery(p.db, scope.environmentId, id);
  if (!row) throw new NotFoundError('Webhook delivery');
  return deliveryView(row, await listAttempts(p.db, [id]));
}

export async function redeliver(p: Portico, scope: EnvScope, id: string, actor: Actor) {
  if (!(await requeueDelivery(p.db, scope.environmentId, id, Date.now())))
    throw new NotFoundError('Webhook delivery');
  await insertAudit(
    p.db,
    auditEntry(scope, actor, 'webhook.redelivery_requested', { type: 'webhook_delivery', id }),
  );
  return delivery(p, scope, id);
}
