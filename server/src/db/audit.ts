import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from './client.js';
import { writeSideEffects, type AuditInsert } from './effects.js';
import { auditEvents } from './schema.js';

export type AuditRow = typeof auditEvents.$inferSelect;

export async function insertAudit(db: Db, row: AuditInsert): Promise<void> {
  writeSideEffects(db, { audit: [row] });
}

/** Newest first; `before` is the `seq` cursor of the previous page. */
export async function listAudit(
  db: Db,
  environmentId: string,
  page: { before?: number; limit: number; targetId?: string },
): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.environmentId, environmentId),
        page.before !== undefined ? lt(auditEvents.seq, page.before) : undefined,
        page.targetId ? eq(auditEvents.targetId, page.targetId) : undefined,
      ),
    )
    .orderBy(desc(auditEvents.seq))
    .limit(page.limit)
    .all();
}
