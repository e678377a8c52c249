import { loadConfig, type Config } from './config.js';
import { Keyring } from './crypto/keyring.js';
import { SecretBox } from './crypto/secret-box.js';
import { databaseFileFromUrl, openDatabase, type Db } from './db/client.js';
import { createLogger, type Logger } from './log.js';
import { SessionTokens } from './tokens/session-token.js';
import { SigningKeyStore } from './tokens/signing-keys.js';

/** Everything a request handler, the CLI or a test needs, built once per process. */
export interface Portico {
  config: Config;
  db: Db;
  keyring: Keyring;
  box: SecretBox;
  signingKeys: SigningKeyStore;
  tokens: SessionTokens;
  log: Logger;
  close(): void;
}

export async function openPortico(config: Config = loadConfig(), log?: Logger): Promise<Portico> {
  const file = databaseFileFromUrl(config.databaseUrl);
  const db = file ? openDatabase(config.dataDir, file) : openDatabase(config.dataDir);
  const keyring =
    config.masterKeys.length > 0 ? Keyring.fromKeys(config.masterKeys) : Keyring.fromDataDir(config.dataDir);
  const box = new SecretBox(keyring);
  const signingKeys = new SigningKeyStore(db, box);
  await signingKeys.ensureKey();
  return {
    config,
    db,
    keyring,
    box,
    signingKeys,
    tokens: new SessionTokens(signingKeys, config.publicUrl),
    log: log ?? createLogger(config.logLevel),
    close: () => db.$client.close(),
  };
}
