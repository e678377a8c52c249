import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from './client.js';
import { webhookAttempts, webhookOutbox } from './schema.js';

export type OutboxRow = typeof webhookOutbox.$inferSelect;
export type AttemptRow = typeof webhookAttempts.$inferSelect;

/**
 * Claims up to `limit` due deliveries by setting a lease in one statement, so several server
 * processes never deliver the same row at once. A crashed holder's lease just expires.
 */
export async function claimDueDeliveries(
  db: Db,
  now: number,
  leaseMs: number,
  limit: number,
): Promise<OutboxRow[]> {
  const rows = db.$client
    .prepare(
      `UPDATE webhook_outbox SET lease_until = ?
       WHERE id IN (
         SELECT id FROM webhook_outbox
         WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)
         ORDER BY next_attempt_at LIMIT ?)
       RETURNING id`,
    )
    .all(now + leaseMs, now, now, limit) as { id: string }[];
  if (rows.length === 0) return [];
  return rows.map((r) => db.select().from(webhookOutbox).where(eq(webhookOutbox.id, r.id)).get()!);
}

/** Records one attempt and its outcome together. */
export async function recordAttempt(
  db: Db,
  attempt: typeof webhookAttempts.$inferInsert,
  next: Pick<OutboxRow, 'status' | 'attempts' | 'nextAttemptAt' | 'deliveredAt'>,
): Promise<void> {
  db.transaction((tx) => {
    tx.insert(webhookAttempts).values(attempt).run();
    tx.update(webhookOutbox)
      .set({ ...next, leaseUntil: null })
      .where(eq(webhookOutbox.id, attempt.outboxId))
      .run();
  });
}

export async function listDeliveries(
  db: Db,
  environmentId: string,
  page: { before?: string; limit: number; status?: OutboxRow['status'] },
): Promise<OutboxRow[]> {
  return db
    .select()
    .from(webhookOutbox)
    .where(
      and(
        eq(webhookOutbox.environmentId, environmentId),
        page.before ? lt(webhookOutbox.createdAt, Number(page.before)) : undefined,
        page.status ? eq(webhookOutbox.status, page.status) : undefined,
      ),
    )
    .orderBy(desc(webhookOutbox.createdAt))
    .limit(page.limit)
    .all();
}

export async function findDelivery(
  db: Db,
  environmentId: string,
  id: string,
): Promise<OutboxRow | undefined> {
  return db
    .select()
    .from(webhookOutbox)
    .where(and(eq(webhookOutbox.id, id), eq(webhookOutbox.environmentId, environmentId)))
    .get();
}

export async function listAttempts(db: Db, outboxIds: string[]): Promise<AttemptRow[]> {
  if (outboxIds.length === 0) return [];
  const placeholders = outboxIds.map(() => '?').join(',');
  return db.$client
    .prepare(
      `SELECT id, outbox_id AS outboxId, attempt, status_code AS statusCode, error, duration_ms AS durationMs, created_at AS createdAt
       FROM webhook_attempts WHERE outbox_id IN (${placeholders}) ORDER BY id`,
    )
    .all(...outboxIds) as AttemptRow[];
}

/** Queues a delivery again now (manual redelivery), whatever its state. */
export async function requeueDelivery(
  db: Db,
  environmentId: string,
  id: string,
  now: number,
): Promise<boolean> {
  const result = db
    .update(webhookOutbox)
    .set({ status: 'pending', nextAttemptAt: now, leaseUntil: null })
    .where(and(eq(webhookOutbox.id, id), eq(webhookOutbox.environmentId, environmentId)))
    .run();
  return result.changes === 1;
}
