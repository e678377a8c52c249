import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from './client.js';
import { writeEffects, type AuditInsert } from './effects.js';
import { auditEvents } from './schema.js';

export type AuditRow = typeof auditEvents.$inferSelect;

export async function insertAudit(db: Db, row: AuditInsert): Promise<void> {
  writeEffects(db, { audit: [row] });
}

/**
 * An environment's log, newest first: its own events and its org's org-level ones (connectors,
 * connections). `before` is the `seq` cursor of the previous page.
 */
export async function listAudit(
  db: Db,
  scope: { orgId: string; environmentId: string },
  page: { before?: number; limit: number; targetId?: string },
): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditEvents)
    .where(
      and(
        or(
          eq(auditEvents.environmentId, scope.environmentId),
          and(isNull(auditEvents.environmentId), eq(auditEvents.orgId, scope.orgId)),
        ),
        page.before !== undefined ? lt(auditEvents.seq, page.before) : undefined,
        page.targetId ? eq(auditEvents.targetId, page.targetId) : undefined,
      ),
    )
    .orderBy(desc(auditEvents.seq))
    .limit(page.limit)
    .all();
}
