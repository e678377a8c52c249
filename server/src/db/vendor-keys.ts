import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { vendorKeys } from './schema.js';

export type VendorKeyRow = typeof vendorKeys.$inferSelect;

export async function insertVendorKey(db: Db, row: typeof vendorKeys.$inferInsert): Promise<void> {
  db.insert(vendorKeys).values(row).run();
}

export async function listVendorKeys(db: Db, environmentId: string): Promise<VendorKeyRow[]> {
  return db
    .select()
    .from(vendorKeys)
    .where(eq(vendorKeys.environmentId, environmentId))
    .orderBy(asc(vendorKeys.createdAt))
    .all();
}

export async function deleteVendorKey(db: Db, environmentId: string, id: string): Promise<boolean> {
  return (
    db
      .delete(vendorKeys)
      .where(and(eq(vendorKeys.id, id), eq(vendorKeys.environmentId, environmentId)))
      .run().changes === 1
  );
}
