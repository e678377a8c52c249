import { hashSecretKey, newSecretKey } from '../crypto/secret-keys.js';
import { insertAudit } from '../db/audit.js';
import { insertOrg } from '../db/orgs.js';
import { newId } from '../ids.js';
import type { Portico } from '../portico.js';
import { auditEntry, type Actor } from './audit.js';

export const DEFAULT_ENVIRONMENTS = ['production', 'development'] as const;
export const DEFAULT_KEY_SCOPES = ['credentials:read'];

export interface CreatedOrg {
  orgId: string;
  environments: { id: string; name: string; secretKey: string }[];
}

/**
 * Creates an org with `production` and `development`, each with one secret key. The keys are
 * returned here once; only their hashes are stored.
 */
export async function createOrg(
  p: Portico,
  input: { name: string; origins?: string[] },
  actor: Actor,
): Promise<CreatedOrg> {
  const now = Date.now();
  const orgId = newId('org');
  const envs = DEFAULT_ENVIRONMENTS.map((name) => ({ id: newId('env'), name, secretKey: newSecretKey() }));
  await insertOrg(p.db, {
    org: { id: orgId, name: input.name, createdAt: now },
    environments: envs.map((e) => ({
      id: e.id,
      orgId,
      name: e.name,
      allowedOrigins: [...new Set(input.origins ?? [])],
      createdAt: now,
    })),
    keys: envs.map((e) => ({
      id: newId('key'),
      orgId,
      environmentId: e.id,
      hash: hashSecretKey(e.secretKey),
      hint: e.secretKey.slice(0, 7),
      scopes: DEFAULT_KEY_SCOPES,
      createdAt: now,
    })),
  });
  await insertAudit(
    p.db,
    auditEntry({ orgId, environmentId: null }, actor, 'org.created', { type: 'org', id: orgId }),
  );
  return { orgId, environments: envs };
}
