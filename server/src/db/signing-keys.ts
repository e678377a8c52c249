import { desc, eq, gt, isNull, lt, or } from 'drizzle-orm';
import type { Db } from './client.js';
import { signingKeys } from './schema.js';

export type SigningKeyRow = typeof signingKeys.$inferSelect;

export async function insertSigningKey(
  db: Db,
  row: typeof signingKeys.$inferInsert,
  supersede: { at: number; retireAfter: number } | undefined,
): Promise<void> {
  db.transaction((tx) => {
    if (supersede) {
      tx.update(signingKeys)
        .set({ supersededAt: supersede.at, retireAfter: supersede.retireAfter })
        .where(isNull(signingKeys.supersededAt))
        .run();
    }
    tx.insert(signingKeys).values(row).run();
  });
}

/** The key that signs new tokens: the newest one not superseded. */
export async function currentSigningKey(db: Db): Promise<SigningKeyRow | undefined> {
  return db
    .select()
    .from(signingKeys)
    .where(isNull(signingKeys.supersededAt))
    .orderBy(desc(signingKeys.createdAt))
    .limit(1)
    .get();
}

/** Keys that still verify: current ones and superseded ones whose tokens may not have expired. */
export async function liveSigningKeys(db: Db, now: number): Promise<SigningKeyRow[]> {
  return db
    .select()
    .from(signingKeys)
    .where(or(isNull(signingKeys.retireAfter), gt(signingKeys.retireAfter, now)))
    .orderBy(desc(signingKeys.createdAt))
    .all();
}

export async function findSigningKey(db: Db, kid: string): Promise<SigningKeyRow | undefined> {
  return db.select().from(signingKeys).where(eq(signingKeys.kid, kid)).get();
}

/** Removes keys past retirement: their tokens have all expired, so nothing can need them. */
export async function deleteRetiredSigningKeys(db: Db, now: number): Promise<number> {
  return db.delete(signingKeys).where(lt(signingKeys.retireAfter, now)).run().changes;
}
