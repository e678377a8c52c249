import { closeSync, mkdirSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';
import { fromRoot } from '../paths.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const migrationsFolder = fileURLToPath(fromRoot('server/src/db/migrations'));

/**
 * Opens (creating if needed) the SQLite database in `dataDir` and applies pending migrations.
 * WAL lets readers run beside the one writer; `busy_timeout` lets several processes share the
 * file (the CLI beside a running server, two servers in the refresh tests).
 */
export function openDatabase(dataDir: string, file = 'portico.db'): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = resolve(dataDir, file);
  // Create the file owner-only before SQLite does; its -wal and -shm files inherit the mode.
  closeSync(openSync(path, 'a', 0o600));
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema }) as Db;
  migrate(db, { migrationsFolder });
  return db;
}

export function databaseFileFromUrl(databaseUrl: string | undefined): string | undefined {
  if (!databaseUrl) return undefined;
  return databaseUrl.replace(/^(file|sqlite):(\/\/)?/, '');
}
