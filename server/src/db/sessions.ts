import { and, asc, eq, gt, lt, max } from 'drizzle-orm';
import type { Db } from './client.js';
import { flowEvents, sessions, usedNonces } from './schema.js';

export type SessionRow = typeof sessions.$inferSelect;
export type FlowEventRow = typeof flowEvents.$inferSelect;

export async function insertSession(db: Db, row: typeof sessions.$inferInsert): Promise<void> {
  db.insert(sessions).values(row).run();
}

export async function findSession(db: Db, jti: string): Promise<SessionRow | undefined> {
  return db.select().from(sessions).where(eq(sessions.jti, jti)).get();
}

export async function revokeSession(
  db: Db,
  environmentId: string,
  jti: string,
  at: number,
): Promise<boolean> {
  const row = db
    .select({ revokedAt: sessions.revokedAt })
    .from(sessions)
    .where(and(eq(sessions.jti, jti), eq(sessions.environmentId, environmentId)))
    .get();
  if (!row) return false;
  if (row.revokedAt === null) db.update(sessions).set({ revokedAt: at }).where(eq(sessions.jti, jti)).run();
  return true;
}

export async function appendFlowEvent(db: Db, row: typeof flowEvents.$inferInsert): Promise<FlowEventRow> {
  return db.insert(flowEvents).values(row).returning().get();
}

export async function listFlowEvents(
  db: Db,
  jti: string,
  after: number,
  limit: number,
): Promise<FlowEventRow[]> {
  return db
    .select()
    .from(flowEvents)
    .where(and(eq(flowEvents.sessionJti, jti), gt(flowEvents.seq, after)))
    .orderBy(asc(flowEvents.seq))
    .limit(limit)
    .all();
}

export async function lastFlowEventSeq(db: Db, jti: string): Promise<number> {
  const row = db
    .select({ seq: max(flowEvents.seq) })
    .from(flowEvents)
    .where(eq(flowEvents.sessionJti, jti))
    .get();
  return row?.seq ?? 0;
}

/**
 * Consumes a single-use value: true the first time, false on every replay. The primary key
 * makes this atomic across processes.
 */
export async function consumeNonce(
  db: Db,
  scope: string,
  value: string,
  expiresAt: number,
): Promise<boolean> {
  const result = db.insert(usedNonces).values({ scope, value, expiresAt }).onConflictDoNothing().run();
  return result.changes === 1;
}

/** Housekeeping: drop expired sessions' leftovers and nonces that can no longer be replayed. */
export async function purgeExpired(db: Db, now: number): Promise<void> {
  db.delete(usedNonces).where(lt(usedNonces.expiresAt, now)).run();
  // Keep sessions a day past expiry so audit trails and late event polls still resolve.
  db.delete(sessions)
    .where(lt(sessions.expiresAt, now - 24 * 3600_000))
    .run();
}
