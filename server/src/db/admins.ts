import { and, eq, gt, lte } from 'drizzle-orm';
import type { Db } from './client.js';
import { writeSideEffects, type AuditInsert } from './effects.js';
import { adminSessions, admins, orgs } from './schema.js';

export type AdminRow = typeof admins.$inferSelect;
export type AdminSessionRow = typeof adminSessions.$inferSelect;

/** Creates an admin and its audit entry in one transaction. */
export async function insertAdmin(
  db: Db,
  row: typeof admins.$inferInsert,
  audit: AuditInsert,
): Promise<void> {
  db.transaction((tx) => {
    tx.insert(admins).values(row).run();
    writeSideEffects(tx, { audit: [audit] });
  });
}

export async function findAdminByEmail(db: Db, email: string): Promise<AdminRow | undefined> {
  return db.select().from(admins).where(eq(admins.email, email)).get();
}

export async function insertAdminSession(db: Db, row: typeof adminSessions.$inferInsert): Promise<void> {
  db.insert(adminSessions).values(row).run();
}

/** The unexpired session with this id hash, with its admin and the admin's org. */
export async function findLiveAdminSession(db: Db, idHash: string, now: number) {
  return db
    .select({ session: adminSessions, admin: admins, org: orgs })
    .from(adminSessions)
    .innerJoin(admins, eq(admins.id, adminSessions.adminId))
    .innerJoin(orgs, eq(orgs.id, admins.orgId))
    .where(and(eq(adminSessions.idHash, idHash), gt(adminSessions.expiresAt, now)))
    .get();
}

export async function deleteAdminSession(db: Db, idHash: string): Promise<AdminSessionRow | undefined> {
  return db.delete(adminSessions).where(eq(adminSessions.idHash, idHash)).returning().get();
}

/** Drops expired sessions; called on sign-in so the table does not grow without bound. */
export async function deleteExpiredAdminSessions(db: Db, now: number): Promise<void> {
  db.delete(adminSessions).where(lte(adminSessions.expiresAt, now)).run();
}
