import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.js';

/**
 * Seals secrets with AES-256-GCM. The additional authenticated data binds each envelope to the
 * key id, what it is (`purpose`), the row it lives in and the org that owns it, so an envelope
 * copied to another row or tenant fails to open.
 *
 * Envelope: `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts).
 */
export interface SealContext {
  purpose: string;
  rowId: string;
  orgId: string;
}

export class DecryptionError extends Error {
  override readonly name = 'DecryptionError';
  constructor(ctx: SealContext) {
    // Names the row, never the content.
    super(`Cannot open sealed ${ctx.purpose} of ${ctx.rowId}`);
  }
}

export class SecretBox {
  constructor(private readonly keyring: Keyring) {}

  seal(plaintext: string | Buffer, ctx: SealContext): string {
    const { id, key } = this.keyring.current();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aad(id, ctx));
    const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return [
      'v1',
      id,
      iv.toString('base64url'),
      ct.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
    ].join('.');
  }

  open(envelope: string, ctx: SealContext): Buffer {
    const parts = envelope.split('.');
    if (parts.length !== 5 || parts[0] !== 'v1') throw new DecryptionError(ctx);
    const [, id, iv, ct, tag] = parts as [string, string, string, string, string];
    const master = this.keyring.find(id);
    if (!master) throw new DecryptionError(ctx);
    try {
      const decipher = createDecipheriv('aes-256-gcm', master.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(aad(id, ctx));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
    } catch {
      throw new DecryptionError(ctx);
    }
  }

  sealJson(value: unknown, ctx: SealContext): string {
    return this.seal(JSON.stringify(value), ctx);
  }

  openJson<T>(envelope: string, ctx: SealContext): T {
    return JSON.parse(this.open(envelope, ctx).toString('utf8')) as T;
  }

  /** Re-seals under the current key; used by master-key rotation. */
  reseal(envelope: string, ctx: SealContext): string {
    return this.seal(this.open(envelope, ctx), ctx);
  }

  isCurrent(envelope: string): boolean {
    return keyIdOf(envelope) === this.keyring.current().id;
  }
}

export function keyIdOf(envelope: string): string | undefined {
  return envelope.split('.')[1];
}

function aad(keyId: string, ctx: SealContext): Buffer {
  return Buffer.from(`portico/v1|${keyId}|${ctx.purpose}|${ctx.rowId}|${ctx.orgId}`);
}
