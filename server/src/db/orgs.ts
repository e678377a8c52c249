import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from './client.js';
import { parseJson, stmt } from './statements.js';
import { apiKeys, environments, orgs } from './schema.js';

export type EnvironmentRow = typeof environments.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;

export interface NewOrg {
  org: typeof orgs.$inferInsert;
  environments: (typeof environments.$inferInsert)[];
  keys: (typeof apiKeys.$inferInsert)[];
}

/** Creates an org with its environments and keys in one transaction. */
export async function insertOrg(db: Db, value: NewOrg): Promise<void> {
  db.transaction((tx) => {
    tx.insert(orgs).values(value.org).run();
    for (const env of value.environments) tx.insert(environments).values(env).run();
    for (const key of value.keys) tx.insert(apiKeys).values(key).run();
  });
}

export async function findOrg(db: Db, id: string) {
  return db.select().from(orgs).where(eq(orgs.id, id)).get();
}

/** The live key with this hash: what a bearer key authenticates as. */
export async function findApiKeyByHash(
  db: Db,
  hash: string,
): Promise<{ id: string; orgId: string; environmentId: string; scopes: string[] } | undefined> {
  const row = stmt(
    db,
    'SELECT id, org_id AS orgId, environment_id AS environmentId, scopes FROM api_keys WHERE hash = ? AND revoked_at IS NULL',
  ).get(hash) as { id: string; orgId: string; environmentId: string; scopes: string } | undefined;
  return row && { ...row, scopes: parseJson<string[]>(row.scopes) };
}

export async function findEnvironment(db: Db, id: string): Promise<EnvironmentRow | undefined> {
  const row = stmt(
    db,
    `SELECT id, org_id AS orgId, name, allowed_origins AS allowedOrigins, webhook_url AS webhookUrl,
            webhook_secret_sealed AS webhookSecretSealed, created_at AS createdAt
     FROM environments WHERE id = ?`,
  ).get(id) as (Omit<EnvironmentRow, 'allowedOrigins'> & { allowedOrigins: string }) | undefined;
  return row && { ...row, allowedOrigins: parseJson<string[]>(row.allowedOrigins) };
}

export async function listEnvironments(db: Db, orgId: string): Promise<EnvironmentRow[]> {
  return db.select().from(environments).where(eq(environments.orgId, orgId)).all();
}

export async function updateEnvironment(
  db: Db,
  id: string,
  patch: Partial<Pick<EnvironmentRow, 'allowedOrigins' | 'webhookUrl' | 'webhookSecretSealed'>>,
): Promise<void> {
  db.update(environments).set(patch).where(eq(environments.id, id)).run();
}

/** Every origin some environment allows: the CORS preflight answer, which carries no token. */
export async function listAllAllowedOrigins(db: Db): Promise<string[]> {
  const rows = db.select({ allowedOrigins: environments.allowedOrigins }).from(environments).all();
  return [...new Set(rows.flatMap((r) => r.allowedOrigins))];
}

export async function insertApiKey(db: Db, key: typeof apiKeys.$inferInsert): Promise<void> {
  db.insert(apiKeys).values(key).run();
}

export async function listApiKeys(db: Db, environmentId: string): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.environmentId, environmentId)).all();
}

export async function revokeApiKey(db: Db, environmentId: string, id: string, at: number): Promise<boolean> {
  const result = db
    .update(apiKeys)
    .set({ revokedAt: at })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.environmentId, environmentId), isNull(apiKeys.revokedAt)))
    .run();
  return result.changes > 0;
}
