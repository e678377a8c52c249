import { insertAudit } from '../db/audit.js';
import { keyIdsInUse, listSealedNotUnder, replaceSealed, SEALED_COLUMNS } from '../db/sealed-columns.js';
import { DecryptionError } from '../crypto/secret-box.js';
import type { Portico } from '../portico.js';
import { auditEntry, type Actor } from './audit.js';

const PAGE = 200;

export interface MasterRotation {
  keyId: string;
  resealed: number;
  prunedKeyIds: string[];
}

/**
 * Re-encrypts every sealed value under a new master key while servers keep running.
 *
 * With a key file: the new key is added and made current first; running processes notice the
 * file within a second and start sealing with it, which is what `settleMs` waits for. Then every
 * value under an older key is re-sealed with compare-and-set (a value changed meanwhile is left
 * to the next pass, already under the new key). Finally, old keys that nothing uses any more are
 * removed from the file.
 *
 * With PORTICO_MASTER_KEY: the operator deploys "new,old" first; this re-seals everything under
 * the first key, after which the old one can be dropped from the variable.
 */
export async function rotateMasterKey(p: Portico, actor: Actor, settleMs = 2500): Promise<MasterRotation> {
  const key = p.keyring.usesKeyFile ? p.keyring.addKeyToFile() : p.keyring.current();
  if (p.keyring.usesKeyFile && settleMs > 0) await new Promise((r) => setTimeout(r, settleMs));

  let resealed = 0;
  for (let pass = 0; pass < 5; pass++) {
    let changedThisPass = 0;
    let pending = 0;
    for (const col of SEALED_COLUMNS) {
      let after = '';
      for (;;) {
        const rows = await listSealedNotUnder(p.db, col, key.id, after, PAGE);
        for (const row of rows) {
          const ctx = { purpose: col.purpose, rowId: row.id, orgId: row.orgId };
          let next: string;
          try {
            next = p.box.reseal(row.sealed, ctx);
          } catch (err) {
            if (err instanceof DecryptionError)
              throw new Error(`${err.message}: is an old master key missing?`);
            throw err;
          }
          if (await replaceSealed(p.db, col, row.id, row.sealed, next)) changedThisPass++;
          else pending++;
        }
        if (rows.length < PAGE) break;
        after = rows[rows.length - 1]!.id;
      }
    }
    resealed += changedThisPass;
    if (pending === 0) break;
  }

  const prunedKeyIds = p.keyring.usesKeyFile ? p.keyring.pruneFromFile(await keyIdsInUse(p.db)) : [];
  await insertAudit(
    p.db,
    auditEntry(
      { orgId: 'system', environmentId: null },
      actor,
      'keys.master_rotated',
      { type: 'master_key', id: key.id },
      {
        resealed,
        prunedKeyIds,
      },
    ),
  );
  return { keyId: key.id, resealed, prunedKeyIds };
}

export async function rotateSigningKey(p: Portico, actor: Actor): Promise<string> {
  const kid = await p.signingKeys.rotate();
  await insertAudit(
    p.db,
    auditEntry({ orgId: 'system', environmentId: null }, actor, 'keys.signing_rotated', {
      type: 'signing_key',
      id: kid,
    }),
  );
  return kid;
}
