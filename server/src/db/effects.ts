import type { Db } from './client.js';
import { stmt } from './statements.js';
import { auditEvents, webhookOutbox } from './schema.js';

export type AuditInsert = typeof auditEvents.$inferInsert;
export type OutboxInsert = typeof webhookOutbox.$inferInsert;

/** What a change records beside itself, written in the same transaction so neither is lost alone. */
export interface SideEffects {
  audit?: AuditInsert[];
  outbox?: OutboxInsert[];
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export function writeSideEffects(tx: Tx | Db, effects: SideEffects | undefined): void {
  for (const row of effects?.audit ?? []) tx.insert(auditEvents).values(row).run();
  for (const row of effects?.outbox ?? []) tx.insert(webhookOutbox).values(row).run();
}

/** The same as `writeSideEffects`, with prepared statements: for hot paths inside `immediate()`. */
export function writeEffects(db: Db, effects: SideEffects | undefined): void {
  for (const a of effects?.audit ?? []) {
    stmt(
      db,
      `INSERT INTO audit_events (id, org_id, environment_id, actor_type, actor_id, action, target_type, target_id, data, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      a.id,
      a.orgId,
      a.environmentId ?? null,
      a.actorType,
      a.actorId,
      a.action,
      a.targetType ?? null,
      a.targetId ?? null,
      a.data ? JSON.stringify(a.data) : null,
      a.createdAt,
    );
  }
  for (const o of effects?.outbox ?? []) {
    stmt(
      db,
      `INSERT INTO webhook_outbox (id, org_id, environment_id, event_type, payload, status, attempts, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      o.id,
      o.orgId,
      o.environmentId,
      o.eventType,
      JSON.stringify(o.payload),
      o.status,
      o.attempts ?? 0,
      o.nextAttemptAt,
      o.createdAt,
    );
  }
}
