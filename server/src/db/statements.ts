import type Database from 'better-sqlite3';
import type { Db } from './client.js';

/**
 * Prepared statements for the hot paths, prepared once per connection. Building a query with
 * drizzle and preparing it costs more than running it (see docs/decisions.md, "Hot paths in
 * plain SQL"); these few queries run on every request.
 */
const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function stmt(db: Db, sql: string): Database.Statement {
  let byText = cache.get(db.$client);
  if (!byText) cache.set(db.$client, (byText = new Map()));
  let statement = byText.get(sql);
  if (!statement) byText.set(sql, (statement = db.$client.prepare(sql)));
  return statement;
}

/** Runs `fn` in an IMMEDIATE transaction (takes the write lock up front: no upgrade deadlocks). */
export function immediate<T>(db: Db, fn: () => T): T {
  return db.$client.transaction(fn).immediate();
}

export function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
