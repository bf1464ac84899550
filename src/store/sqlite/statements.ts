// Prepared statements, kept per connection. A sync runs the same few statements on every page of
// a walk; preparing them again each time is wasted work, and each discarded statement holds native
// memory until V8 gets round to collecting it.
import type Database from 'better-sqlite3';
import type { Db } from './open.js';

const cache = new WeakMap<Db, Map<string, Database.Statement>>();

/** `sql` prepared on `db`, once per connection. */
export function statement<P extends unknown[] = unknown[], R = unknown>(db: Db, sql: string): Database.Statement<P, R> {
  let statements = cache.get(db);
  if (!statements) {
    statements = new Map();
    cache.set(db, statements);
  }
  let stmt = statements.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    statements.set(sql, stmt);
  }
  return stmt as unknown as Database.Statement<P, R>;
}
