import { eq, lt } from 'drizzle-orm';
import type { Db } from './client.js';
import { oauthFlows } from './schema.js';

export type OAuthFlowRow = typeof oauthFlows.$inferSelect;

export async function insertOAuthFlow(db: Db, row: typeof oauthFlows.$inferInsert): Promise<void> {
  db.insert(oauthFlows).values(row).run();
}

/**
 * Consumes a pending flow by its state hash, atomically and before anything acts on it: a
 * replayed or concurrent callback with the same state finds nothing. Expired flows are consumed
 * too, and reported as expired by the caller.
 */
export async function consumeOAuthFlow(db: Db, stateHash: string): Promise<OAuthFlowRow | undefined> {
  return db.delete(oauthFlows).where(eq(oauthFlows.stateHash, stateHash)).returning().get();
}

export async function purgeExpiredOAuthFlows(db: Db, now: number): Promise<number> {
  return db.delete(oauthFlows).where(lt(oauthFlows.expiresAt, now)).run().changes;
}
