// The filtered queries of the SQLite mirror (list, tail's replay, export). Every user value is a
// bound parameter: quotes, %, _ and SQL in --type, --object or --where are matched literally.
import type { EventFilter, StatKey, StatRow, StoredEvent, StreamOrder } from '../contract.js';
import { fts5Query, parseSearch } from '../search.js';
import { profileKey } from './events.js';
import type { Db } from './open.js';

/** The events matching `filter`, newest first (ties in the order they arrived), at most `limit` (none: all). */
export function queryEvents(db: Db, filter: EventFilter, limit?: number): StoredEvent[] {
  const { sql, params } = whereClause(db, filter);
  const tail = limit === undefined ? '' : ' LIMIT ?';
  const stmt = db.prepare(
    `SELECT id, type, time, updated, object, raw FROM events WHERE ${sql} ORDER BY time DESC, seq${tail}`,
  );
  return (limit === undefined ? stmt.all(...params) : stmt.all(...params, limit)) as StoredEvent[];
}

/**
 * The same query in batches of `size`, walked by keyset (time, seq) so that no statement stays
 * open between batches: a long `--all` never holds a read transaction (and the WAL) open while
 * its reader is slow, and memory stays flat over millions of rows. `oldest-first` walks the same
 * keyset backwards.
 */
export function* eventBatches(db: Db, filter: EventFilter, order: StreamOrder = 'newest-first', size = 1000): Generator<StoredEvent[]> {
  const { sql, params } = whereClause(db, filter);
  const newest = order === 'newest-first';
  const orderBy = newest ? 'time DESC, seq' : 'time ASC, seq DESC';
  const first = db.prepare(`SELECT seq, id, type, time, updated, object, raw FROM events WHERE ${sql} ORDER BY ${orderBy} LIMIT ?`);
  // After the first batch, the last row read bounds the rest: `time <= t` (newest first) gives the
  // (profile, time) index a range to start from. The filter's own bound on that side (--until,
  // or --since oldest first) is left out, since the cursor's is tighter: SQLite takes one bound
  // per side, and took the filter's, so each batch scanned again from it (120 ms a batch, minutes
  // for a million events, where the cursor's bound takes 1 ms).
  const rest = whereClause(db, newest ? { ...filter, until: undefined } : { ...filter, since: undefined });
  const [within, past, tie] = newest ? ['<=', '<', '>'] : ['>=', '>', '<'];
  const next = db.prepare(
    `SELECT seq, id, type, time, updated, object, raw FROM events
      WHERE ${rest.sql} AND time ${within} ? AND (time ${past} ? OR (time = ? AND seq ${tie} ?))
      ORDER BY ${orderBy} LIMIT ?`,
  );
  let rows = first.all(...params, size) as Array<StoredEvent & { seq: number }>;
  while (rows.length > 0) {
    const last = rows[rows.length - 1]!;
    yield rows.map(({ seq: _seq, ...event }) => event);
    if (rows.length < size) return;
    rows = next.all(...rest.params, last.time, last.time, last.time, last.seq, size) as Array<StoredEvent & { seq: number }>;
  }
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
 * The JSON paths a dotted `--where` path may mean: `$."data"."status"`, each segment quoted so
 * brackets, quotes and other punctuation stay literal (SQLite reads a quoted label with JSON's
 * backslash escapes, not SQL's doubled quote). A segment of digits may also index an array
 * (`items.0.sku`), as it does on PostgreSQL: one path per reading, and since a parent is either an
 * array or an object, at most one of them resolves. Past four such segments the rest are keys.
 */
export function jsonPaths(path: string): string[] {
  let paths = ['$'];
  let numeric = 0;
  for (const part of path.split('.')) {
    const key = `.${JSON.stringify(part)}`;
    const indexes = /^\d+$/.test(part) && ++numeric <= 4;
    paths = paths.flatMap((p) => (indexes ? [p + key, `${p}[${part}]`] : [p + key]));
  }
  return paths;
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
    // Compare as text, so `--where amount=100` matches 100 and "100", and true/false match
    // booleans. A number is compared as the provider wrote it (`raw -> path` keeps `1e-7`, where
    // json_extract would turn it into 1.0e-07), which is what PostgreSQL compares too.
    const one = `CASE json_type(raw, ?) WHEN 'text' THEN json_extract(raw, ?) WHEN 'null' THEN NULL ELSE raw -> ? END`;
    const paths = jsonPaths(path);
    // SQLite's JSON functions refuse (as "malformed JSON", failing the whole query) an event
    // nested over 1,000 levels; json_valid says 0 for it instead, so such an event never matches.
    clauses.push(`(CASE WHEN json_valid(raw) THEN ${paths.length === 1 ? one : `COALESCE(${paths.map(() => one).join(', ')})`} END) = ?`);
    for (const p of paths) params.push(p, p, p);
    params.push(value);
  }
  if (filter.search !== undefined) {
    // The index answers the words; the rest of the filter narrows what it found.
    clauses.push('seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)');
    params.push(fts5Query(parseSearch(filter.search)));
  }
  return { sql: clauses.join(' AND '), params };
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const KEY_SQL: Record<StatKey, string> = {
  type: 'type',
  object: 'object',
  day: `(time - time % ${DAY})`,
  hour: `(time - time % ${HOUR})`,
};

/** Counts per group of `by`, with each group's first and last time; with only filters on type and time the (profile, type, time) index answers it alone. */
export function statsRows(db: Db, filter: EventFilter, by: StatKey[]): StatRow[] {
  const { sql, params } = whereClause(db, filter);
  const keys = by.map((k, i) => `${KEY_SQL[k]} AS k${i}`);
  const group = by.map((_, i) => `k${i}`).join(', ');
  const rows = db
    .prepare(`SELECT ${[...keys, 'count(*) AS n', 'min(time) AS first', 'max(time) AS last'].join(', ')} FROM events WHERE ${sql}${group ? ` GROUP BY ${group}` : ''}`)
    .all(...params) as Array<Record<string, string | number | null>>;
  return rows.map((r) => ({ keys: by.map((_, i) => r[`k${i}`] ?? null), count: Number(r.n), first: Number(r.first), last: Number(r.last) })).filter((r) => r.count > 0);
}
