import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Keyring, masterKeyId } from './keyring.js';
import { DecryptionError, SecretBox } from './secret-box.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'portico-keys-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const ctx = { purpose: 'connection-credentials', rowId: 'cx_1', orgId: 'org_a' };

describe('SecretBox', () => {
  it('round-trips and never contains the plaintext', () => {
    const box = new SecretBox(Keyring.fromKeys([randomBytes(32)]));
    const sealed = box.seal('hunter2-plaintext', ctx);
    expect(sealed).toMatch(/^v1\.[0-9a-f]{16}\./);
    expect(sealed).not.toContain('hunter2');
    expect(box.open(sealed, ctx).toString()).toBe('hunter2-plaintext');
    // Random IVs: sealing twice gives different envelopes.
    expect(box.seal('hunter2-plaintext', ctx)).not.toBe(sealed);
  });

  it.each([
    ['another row', { ...ctx, rowId: 'cx_2' }],
    ['another org', { ...ctx, orgId: 'org_b' }],
    ['another purpose', { ...ctx, purpose: 'auth-method-secrets' }],
  ])('refuses to open an envelope moved to %s', (_label, other) => {
    const box = new SecretBox(Keyring.fromKeys([randomBytes(32)]));
    expect(() => box.open(box.seal('s', ctx), other)).toThrow(DecryptionError);
  });

  it('refuses tampered envelopes and unknown keys, naming the row but not the content', () => {
    const box = new SecretBox(Keyring.fromKeys([randomBytes(32)]));
    const sealed = box.seal('secret-content', ctx);
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    const tampered = [...parts.slice(0, 3), flipped.toString('base64url'), parts[4]].join('.');
    expect(() => box.open(tampered, ctx)).toThrow(/cx_1/);
    const otherKey = new SecretBox(Keyring.fromKeys([randomBytes(32)]));
    expect(() => otherKey.open(sealed, ctx)).toThrow(DecryptionError);
    try {
      box.open(tampered, ctx);
    } catch (e) {
      expect((e as Error).message).not.toContain('secret-content');
    }
  });

  it('decrypts with older keys given after the current one (rolling rotation by environment variable)', () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const sealedOld = new SecretBox(Keyring.fromKeys([oldKey])).seal('v', ctx);
    const box = new SecretBox(Keyring.fromKeys([newKey, oldKey]));
    expect(box.open(sealedOld, ctx).toString()).toBe('v');
    expect(box.seal('v', ctx).split('.')[1]).toBe(masterKeyId(newKey));
  });
});

describe('Keyring key file', () => {
  it('creates the key file with mode 0600 once and reuses it', () => {
    const dir = tempDir();
    const ring = Keyring.fromDataDir(dir);
    const file = join(dir, 'master.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = Keyring.fromDataDir(dir);
    expect(again.current().id).toBe(ring.current().id);
    expect(readFileSync(file, 'utf8')).toContain(ring.current().id);
  });

  it('adds a key, keeps older ones for decryption, and prunes unused ones', () => {
    const dir = tempDir();
    const ring = Keyring.fromDataDir(dir);
    const box = new SecretBox(ring);
    const before = box.seal('v', ctx);
    const oldId = ring.current().id;
    const added = ring.addKeyToFile();
    expect(ring.current().id).toBe(added.id);
    expect(box.open(before, ctx).toString()).toBe('v');
    // Another process reading the file sees the same current key.
    expect(Keyring.fromDataDir(dir).current().id).toBe(added.id);
    expect(ring.pruneFromFile(new Set([added.id]))).toEqual([oldId]);
    expect(() => box.open(before, ctx)).toThrow(DecryptionError);
  });
});
