import type { Db } from './client.js';
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
