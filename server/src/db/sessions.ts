import { and, asc, eq, gt, lt } from 'drizzle-orm';
import type { Db } from './client.js';
import { parseJson, stmt } from './statements.js';
import { flowEvents, sessions, usedNonces } from './schema.js';

export type SessionRow = typeof sessions.$inferSelect;
export type FlowEventRow = typeof flowEvents.$inferSelect;

export async function insertSession(db: Db, row: typeof sessions.$inferInsert): Promise<void> {
  stmt(
    db,
    `INSERT INTO sessions (jti, org_id, environment_id, end_user_id, connection_ids, origin, source, expires_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    row.jti,
    row.orgId,
    row.environmentId,
    row.endUserId,
    JSON.stringify(row.connectionIds),
    row.origin,
    row.source,
    row.expiresAt,
    row.createdAt,
  );
}

export async function findSession(db: Db, jti: string): Promise<SessionRow | undefined> {
  const row = stmt(
    db,
    `SELECT jti, org_id AS orgId, environment_id AS environmentId, end_user_id AS endUserId,
            connection_ids AS connectionIds, origin, source, expires_at AS expiresAt, revoked_at AS revokedAt,
            created_at AS createdAt
     FROM sessions WHERE jti = ?`,
  ).get(jti) as (Omit<SessionRow, 'connectionIds'> & { connectionIds: string }) | undefined;
  return row && { ...row, connectionIds: parseJson<string[]>(row.connectionIds) };
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
  const saved = stmt(
    db,
    `INSERT INTO flow_events (session_jti, type, connection_id, activation_id, flow_id, error, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     RETURNING seq, session_jti AS sessionJti, type, connection_id AS connectionId, activation_id AS activationId,
               flow_id AS flowId, error, created_at AS createdAt`,
  ).get(
    row.sessionJti,
    row.type,
    row.connectionId,
    row.activationId ?? null,
    row.flowId ?? null,
    row.error ? JSON.stringify(row.error) : null,
    row.createdAt,
  ) as Omit<FlowEventRow, 'error'> & { error: string | null };
  return { ...saved, error: saved.error ? parseJson<FlowEventRow['error']>(saved.error) : null };
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
  const row = stmt(db, 'SELECT max(seq) AS seq FROM flow_events WHERE session_jti = ?').get(jti) as {
    seq: number | null;
  };
  return row.seq ?? 0;
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
