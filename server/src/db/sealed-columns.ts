import type { Db } from './client.js';

/**
 * Every column that holds a sealed envelope, with what its additional authenticated data is
 * made of. Master-key rotation walks this list; a new sealed column must be added here.
 */
export interface SealedColumn {
  table: string;
  idColumn: string;
  column: string;
  /** SQL expression for the owning org id (`'system'` for Portico's own keys). */
  orgExpr: string;
  purpose: string;
}

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  {
    table: 'environments',
    idColumn: 'id',
    column: 'webhook_secret_sealed',
    orgExpr: 'org_id',
    purpose: 'webhook-secret',
  },
  {
    table: 'auth_methods',
    idColumn: 'id',
    column: 'secrets_sealed',
    orgExpr: 'org_id',
    purpose: 'auth-method-secrets',
  },
  {
    table: 'connections',
    idColumn: 'id',
    column: 'credentials_sealed',
    orgExpr: 'org_id',
    purpose: 'connection-credentials',
  },
  {
    table: 'activations',
    idColumn: 'id',
    column: 'credentials_sealed',
    orgExpr: 'org_id',
    purpose: 'activation-credentials',
  },
  {
    table: 'oauth_flows',
    idColumn: 'state_hash',
    column: 'secrets_sealed',
    orgExpr: 'org_id',
    purpose: 'oauth-flow',
  },
  {
    table: 'signing_keys',
    idColumn: 'kid',
    column: 'private_key_sealed',
    orgExpr: "'system'",
    purpose: 'signing-key',
  },
];

export interface SealedValue {
  id: string;
  orgId: string;
  sealed: string;
}

/** Sealed values of one column whose key id is not `keyId`, a page at a time. */
export async function listSealedNotUnder(
  db: Db,
  col: SealedColumn,
  keyId: string,
  afterId: string,
  limit: number,
): Promise<SealedValue[]> {
  return db.$client
    .prepare(
      `SELECT ${col.idColumn} AS id, ${col.orgExpr} AS orgId, ${col.column} AS sealed FROM ${col.table}
       WHERE ${col.column} IS NOT NULL AND ${col.column} NOT LIKE ? AND ${col.idColumn} > ?
       ORDER BY ${col.idColumn} LIMIT ?`,
    )
    .all(`v1.${keyId}.%`, afterId, limit) as SealedValue[];
}

/** Replaces a sealed value only if nobody changed it meanwhile (compare-and-set). */
export async function replaceSealed(
  db: Db,
  col: SealedColumn,
  id: string,
  from: string,
  to: string,
): Promise<boolean> {
  const result = db.$client
    .prepare(`UPDATE ${col.table} SET ${col.column} = ? WHERE ${col.idColumn} = ? AND ${col.column} = ?`)
    .run(to, id, from);
  return result.changes === 1;
}

/** The master-key ids that some sealed value still uses. */
export async function keyIdsInUse(db: Db): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const col of SEALED_COLUMNS) {
    const rows = db.$client
      .prepare(
        `SELECT DISTINCT substr(${col.column}, 4, 16) AS kid FROM ${col.table} WHERE ${col.column} IS NOT NULL`,
      )
      .all() as { kid: string }[];
    for (const r of rows) ids.add(r.kid);
  }
  return ids;
}
