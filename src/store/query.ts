// The filtered query behind `list` (and tail's --since replay). Every user value is a bound
// parameter: quotes, %, _ and SQL in --type, --object or --where are matched literally.
import type { Db } from './db.js';
import { profileKey, type StoredEvent } from './events.js';

export interface EventFilter {
  profile: string;
  /** Exact types, or `prefix.*` patterns. */
  types: string[];
  since?: number | undefined;
  until?: number | undefined;
  object?: string | undefined;
  /** Dotted paths into the raw event, each equal to its value. */
  where: Array<{ path: string; value: string }>;
}

/** The events matching `filter`, newest first (ties in the order they arrived), at most `limit` (none: all). */
export function queryEvents(db: Db, filter: EventFilter, limit?: number): StoredEvent[] {
  const { sql, params } = whereClause(db, filter);
  const tail = limit === undefined ? '' : ' LIMIT ?';
  const stmt = db.prepare(
    `SELECT id, type, time, updated, object, raw FROM events WHERE ${sql} ORDER BY time DESC, seq${tail}`,
  );
  return (limit === undefined ? stmt.all(...params) : stmt.all(...params, limit)) as StoredEvent[];
}

/** The same query, iterated lazily (for `--all` over millions of rows without holding them). */
export function iterateEvents(db: Db, filter: EventFilter): IterableIterator<StoredEvent> {
  const { sql, params } = whereClause(db, filter);
  return db
    .prepare(`SELECT id, type, time, updated, object, raw FROM events WHERE ${sql} ORDER BY time DESC, seq`)
    .iterate(...params) as IterableIterator<StoredEvent>;
}

/**
 * How many events match `filter`, counting no further than `atMost` when it is given: a `--where`
 * reads the JSON of every row it counts, seconds for a million, so `list`'s note stops early.
 */
export function countMatching(db: Db, filter: EventFilter, atMost?: number): number {
  const { sql, params } = whereClause(db, filter);
  if (atMost === undefined) {
    return (db.prepare(`SELECT count(*) AS n FROM events WHERE ${sql}`).get(...params) as { n: number }).n;
  }
  const bounded = `SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE ${sql} LIMIT ?)`;
  return (db.prepare(bounded).get(...params, atMost) as { n: number }).n;
}

/** The type patterns as SQL: exact matches, and prefix ranges that use the (profile, type) index. */
function typeClause(types: string[], params: unknown[]): string {
  const parts = types.map((t) => {
    if (t.endsWith('*')) {
      const prefix = t.slice(0, -1);
      if (prefix === '') return '1';
      params.push(prefix, nextString(prefix));
      return '(type >= ? AND type < ?)';
    }
    params.push(t);
    return 'type = ?';
  });
  return `(${parts.join(' OR ')})`;
}

/** The smallest string greater than every string that starts with `prefix`. */
function nextString(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

/**
 * `$."data"."status"`: each segment quoted so brackets, quotes and other punctuation stay literal.
 * SQLite reads a quoted label with JSON's backslash escapes (`"we\"ird"`), not SQL's doubled quote.
 */
export function jsonPath(path: string): string {
  return '$' + path.split('.').map((part) => `.${JSON.stringify(part)}`).join('');
}

function whereClause(db: Db, filter: EventFilter): { sql: string; params: unknown[] } {
  const clauses = ['profile_id = ?'];
  const params: unknown[] = [profileKey(db, filter.profile)];
  if (filter.types.length > 0) clauses.push(typeClause(filter.types, params));
  if (filter.since !== undefined) {
    clauses.push('time >= ?');
    params.push(filter.since);
  }
  if (filter.until !== undefined) {
    clauses.push('time <= ?');
    params.push(filter.until);
  }
  if (filter.object !== undefined) {
    clauses.push('object = ?');
    params.push(filter.object);
  }
  for (const { path, value } of filter.where) {
    // Compare as text, so `--where amount=100` matches 100 and "100", and true/false match booleans.
    clauses.push(
      `(CASE json_type(raw, ?) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(json_extract(raw, ?) AS TEXT) END) = ?`,
    );
    const p = jsonPath(path);
    params.push(p, p, value);
  }
  return { sql: clauses.join(' AND '), params };
}
