import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The master keys that seal every secret. Either given by PORTICO_MASTER_KEY (comma-separated,
 * first one current) or kept in `<dataDir>/master.key`, created on first start with mode 0600.
 * There is no unencrypted mode.
 *
 * The key file may change under a running server (`portico keys rotate-master`): the keyring
 * notices by the file's mtime, checked at most once a second, so the server starts sealing with
 * the new key without a restart.
 */
export interface MasterKey {
  id: string;
  key: Buffer;
  /** Retired keys still decrypt (a straggler may have sealed with them) but never encrypt. */
  retiredAt?: number;
}

interface KeyFile {
  version: 1;
  current: string;
  keys: { id: string; key: string; createdAt: number; retiredAt?: number }[];
}

export const KEY_FILE_NAME = 'master.key';

export function masterKeyId(key: Buffer): string {
  return createHash('sha256').update('portico-master-key-id\0').update(key).digest('hex').slice(0, 16);
}

export class Keyring {
  private keys = new Map<string, MasterKey>();
  private currentId = '';
  private fileStamp = '';
  private checkedAt = 0;

  private constructor(private readonly file: string | undefined) {}

  /** Keys from the environment: nothing on disk, rotation is a rolling restart with "new,old". */
  static fromKeys(keys: Buffer[]): Keyring {
    const ring = new Keyring(undefined);
    for (const key of keys) ring.keys.set(masterKeyId(key), { id: masterKeyId(key), key });
    ring.currentId = masterKeyId(keys[0]!);
    return ring;
  }

  /** Keys from `<dataDir>/master.key`, creating it (0600) with one fresh key when absent. */
  static fromDataDir(dataDir: string): Keyring {
    const file = join(dataDir, KEY_FILE_NAME);
    if (!existsSync(file)) {
      const key = randomBytes(32);
      const content: KeyFile = {
        version: 1,
        current: masterKeyId(key),
        keys: [{ id: masterKeyId(key), key: key.toString('base64'), createdAt: Date.now() }],
      };
      // `wx` fails if another process created the file first; then we simply read theirs.
      try {
        writeFileSync(file, JSON.stringify(content, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    const ring = new Keyring(file);
    ring.load();
    return ring;
  }

  get usesKeyFile(): boolean {
    return this.file !== undefined;
  }

  current(): MasterKey {
    this.refresh();
    return this.keys.get(this.currentId)!;
  }

  find(id: string): MasterKey | undefined {
    this.refresh();
    let key = this.keys.get(id);
    if (!key && this.file) {
      // An id we do not know may come from a rotation that happened a moment ago.
      this.checkedAt = 0;
      this.refresh();
      key = this.keys.get(id);
    }
    return key;
  }

  ids(): string[] {
    return [...this.keys.keys()];
  }

  /** Adds a fresh key to the key file and makes it current; older keys become decrypt-only. */
  addKeyToFile(): MasterKey {
    if (!this.file) throw new Error('The master key comes from PORTICO_MASTER_KEY; rotate it there');
    const content = this.readFile();
    const key = randomBytes(32);
    const id = masterKeyId(key);
    const now = Date.now();
    for (const k of content.keys) k.retiredAt ??= now;
    content.keys.push({ id, key: key.toString('base64'), createdAt: now });
    content.current = id;
    this.writeFile(content);
    this.checkedAt = 0;
    this.refresh();
    return this.keys.get(id)!;
  }

  /** Drops retired keys that no sealed value uses any more. */
  pruneFromFile(inUse: Set<string>): string[] {
    if (!this.file) return [];
    const content = this.readFile();
    const dropped = content.keys.filter((k) => k.id !== content.current && !inUse.has(k.id)).map((k) => k.id);
    content.keys = content.keys.filter((k) => !dropped.includes(k.id));
    this.writeFile(content);
    this.checkedAt = 0;
    this.refresh();
    return dropped;
  }

  private refresh(): void {
    if (!this.file) return;
    const now = Date.now();
    if (now - this.checkedAt < 1000) return;
    this.checkedAt = now;
    const st = statSync(this.file);
    const stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    if (stamp !== this.fileStamp) this.load();
  }

  private load(): void {
    const st = statSync(this.file!);
    if ((st.mode & 0o077) !== 0) chmodSync(this.file!, 0o600);
    const content = this.readFile();
    const keys = new Map<string, MasterKey>();
    for (const k of content.keys) {
      const key = Buffer.from(k.key, 'base64');
      if (key.length !== 32 || masterKeyId(key) !== k.id) throw new Error(`master key file: bad key ${k.id}`);
      keys.set(k.id, { id: k.id, key, ...(k.retiredAt ? { retiredAt: k.retiredAt } : {}) });
    }
    if (!keys.has(content.current)) throw new Error('master key file: current key missing');
    this.keys = keys;
    this.currentId = content.current;
    this.fileStamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    this.checkedAt = Date.now();
  }

  private readFile(): KeyFile {
    const content = JSON.parse(readFileSync(this.file!, 'utf8')) as KeyFile;
    if (content.version !== 1 || !Array.isArray(content.keys))
      throw new Error('master key file: unknown format');
    return content;
  }

  /** Write-then-rename, so a reader never sees half a file. */
  private writeFile(content: KeyFile): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(content, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, this.file!);
  }
}
