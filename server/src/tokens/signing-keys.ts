import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Db } from '../db/client.js';
import {
  currentSigningKey,
  deleteRetiredSigningKeys,
  insertSigningKey,
  liveSigningKeys,
  type SigningKeyRow,
} from '../db/signing-keys.js';

/** Longest a session token can live (SPEC §4: ttlSeconds ≤ 3600) plus clock skew. */
export const MAX_TOKEN_LIFETIME_MS = 3600_000 + 5 * 60_000;
/** How long a process keeps using its cached notion of the current key before asking again. */
const CURRENT_KEY_TTL_MS = 1000;

export interface ActiveKey {
  kid: string;
  privateKey: KeyObject;
}

/**
 * Portico's Ed25519 session-signing keys. The private halves are sealed in the database; every
 * process decrypts each key once and caches the KeyObject by `kid`. Rotation adds a key and
 * supersedes the old one, which stays in the JWKS (and keeps verifying) until its last token
 * has expired.
 */
export class SigningKeyStore {
  private privateKeys = new Map<string, KeyObject>();
  private publicKeys = new Map<string, KeyObject>();
  private current: { key: ActiveKey; checkedAt: number } | undefined;

  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
  ) {}

  /** Creates the first key when there is none. */
  async ensureKey(): Promise<void> {
    if (!(await currentSigningKey(this.db))) await this.addKey(false);
  }

  /** Adds a new key and makes it current; the old one retires after the longest token lifetime. */
  async rotate(): Promise<string> {
    const kid = await this.addKey(true);
    this.current = undefined;
    await deleteRetiredSigningKeys(this.db, Date.now());
    return kid;
  }

  async signingKey(): Promise<ActiveKey> {
    const now = Date.now();
    if (this.current && now - this.current.checkedAt < CURRENT_KEY_TTL_MS) return this.current.key;
    const row = await currentSigningKey(this.db);
    if (!row) throw new Error('No session signing key: the server has not been initialised');
    const key = { kid: row.kid, privateKey: this.privateKeyOf(row) };
    this.current = { key, checkedAt: now };
    return key;
  }

  /** The public key for a `kid`, if that key is still live. Unknown kids are looked up once in the database. */
  async verificationKey(kid: string): Promise<KeyObject | undefined> {
    const cached = this.publicKeys.get(kid);
    if (cached) return cached;
    const row = (await liveSigningKeys(this.db, Date.now())).find((r) => r.kid === kid);
    if (!row) return undefined;
    const key = createPublicKey({ key: row.publicJwk as unknown as JsonWebKey, format: 'jwk' });
    this.publicKeys.set(kid, key);
    return key;
  }

  /** Forgets cached public keys of retired keys, so a retired kid stops verifying in this process. */
  async pruneCache(): Promise<void> {
    const live = new Set((await liveSigningKeys(this.db, Date.now())).map((r) => r.kid));
    for (const kid of this.publicKeys.keys()) if (!live.has(kid)) this.publicKeys.delete(kid);
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    const rows = await liveSigningKeys(this.db, Date.now());
    return { keys: rows.map((r) => r.publicJwk as JWK) };
  }

  private privateKeyOf(row: SigningKeyRow): KeyObject {
    let key = this.privateKeys.get(row.kid);
    if (!key) {
      const pem = this.box.open(row.privateKeySealed, {
        purpose: 'signing-key',
        rowId: row.kid,
        orgId: 'system',
      });
      key = createPrivateKey(pem);
      this.privateKeys.set(row.kid, key);
    }
    return key;
  }

  private async addKey(supersede: boolean): Promise<string> {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const jwk = publicKey.export({ format: 'jwk' }) as JWK;
    const kid = await calculateJwkThumbprint(jwk);
    const now = Date.now();
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' });
    await insertSigningKey(
      this.db,
      {
        kid,
        algorithm: 'EdDSA',
        publicJwk: { ...(jwk as Record<string, string>), kid, alg: 'EdDSA', use: 'sig' },
        privateKeySealed: this.box.seal(pem, { purpose: 'signing-key', rowId: kid, orgId: 'system' }),
        createdAt: now,
      },
      supersede ? { at: now, retireAfter: now + MAX_TOKEN_LIFETIME_MS } : undefined,
    );
    return kid;
  }
}
