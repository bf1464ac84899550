// The filtered queries of the SQLite mirror (list, tail's replay, export, stats). Every user value
// is a bound parameter: quotes, %, _ and SQL in --type, --object or --where are matched literally.
// The plans keep a page's cost flat as the mirror grows (docs/scale.md): each filter seeks an index
// already in the order asked for, and a count stops at the bound it is given.
import type { EventFilter, StatKey, StatRow, StoredEvent, StreamOrder } from '../contract.js';
import { profileKey } from './profiles.js';
import type { Db } from './open.js';
import { indexQuery, phrasesOf } from './search.js';
import { statement } from './statements.js';

type Row = StoredEvent & { seq: number };
interface Sql {
  sql: string;
  params: unknown[];
}

const COLUMNS = 'seq, id, type, time, updated, object, raw';
const ORDER_BY: Record<StreamOrder, string> = { 'newest-first': 'time DESC, seq', 'oldest-first': 'time ASC, seq DESC' };
/** Past this many types a pattern is one IN list, sorted, rather than a branch per type. */
const MAX_BRANCHES = 64;
/** A search that the index finds in fewer events than this is read from those events (see searchPlan). */
const FEW_MATCHES = 2000;

const strip = (rows: Row[]): StoredEvent[] => rows.map(({ seq: _seq, ...event }) => event);

/** The events matching `filter`, newest first (ties in the order they arrived), at most `limit` (none: all). */
export function queryEvents(db: Db, filter: EventFilter, limit?: number): StoredEvent[] {
  const { sql, params } = ordered(db, filter, 'newest-first', limit);
  return strip(db.prepare(sql).all(...params) as Row[]);
}

/**
 * The same query in batches of `size`, walked by keyset (time, seq) so that no statement stays
 * open between batches: a long `--all` never holds a read transaction (and the WAL) open while
 * its reader is slow, and memory stays flat over millions of rows. `oldest-first` walks the same
 * keyset backwards.
 */
export function* eventBatches(db: Db, filter: EventFilter, order: StreamOrder = 'newest-first', size = 1000): Generator<StoredEvent[]> {
  const newest = order === 'newest-first';
  // After the first batch, the last row read bounds the rest: `time <= t` (newest first) gives the
  // (profile, time) index a range to start from. The filter's own bound on that side (--until,
  // or --since oldest first) is left out, since the cursor's is tighter: SQLite takes one bound
  // per side, and took the filter's, so each batch scanned again from it.
  const rest = newest ? { ...filter, until: undefined } : { ...filter, since: undefined };
  const [within, past, tie] = newest ? ['<=', '<', '>'] : ['>=', '>', '<'];
  const first = ordered(db, filter, order, size);
  let rows = db.prepare(first.sql).all(...first.params) as Row[];
  while (rows.length > 0) {
    const last = rows[rows.length - 1]!;
    yield strip(rows);
    if (rows.length < size) return;
    const cursor = { sql: `time ${within} ? AND (time ${past} ? OR (time = ? AND seq ${tie} ?))`, params: [last.time, last.time, last.time, last.seq] };
    const next = ordered(db, rest, order, size, cursor);
    rows = db.prepare(next.sql).all(...next.params) as Row[];
  }
}

/**
 * How many events match `filter`, counting no further than `atMost` when it is given: a `--where`
 * reads the JSON of every row it counts, seconds for a million, so `list`'s note stops early.
 */
export function countMatching(db: Db, filter: EventFilter, atMost?: number): number {
  // No order to keep: a search counts from the events the index found.
  const { sql, params } = whereClause(db, filter, exactTypes(db, filter), filter.search !== undefined);
  if (atMost === undefined) {
    return (db.prepare(`SELECT count(*) AS n FROM events WHERE ${sql}`).get(...params) as { n: number }).n;
  }
  const bounded = `SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE ${sql} LIMIT ?)`;
  return (db.prepare(bounded).get(...params, atMost) as { n: number }).n;
}

/**
 * One SELECT of the filter's events in `order`, at most `limit`, past `cursor` if given. Several
 * types (a `prefix.*`) are a branch each, every branch a seek on (profile, type, time) already in
 * order and stopped at `limit`, then merged: a range over the types came out of the index in type
 * order and was sorted whole, a cost that grew with the mirror.
 */
function ordered(db: Db, filter: EventFilter, order: StreamOrder, limit: number | undefined, cursor?: Sql): Sql {
  const types = exactTypes(db, filter);
  const fromIndex = filter.search !== undefined && searchIsRare(db, filter.search);
  const orderBy = ORDER_BY[order];
  const one = (only: string[] | undefined): Sql => {
    const w = whereClause(db, filter, only, fromIndex);
    if (cursor) w.sql += ` AND ${cursor.sql}`;
    return { sql: `SELECT ${COLUMNS} FROM events WHERE ${w.sql} ORDER BY ${orderBy}`, params: [...w.params, ...(cursor?.params ?? [])] };
  };
  const tail = (s: Sql): Sql => (limit === undefined ? s : { sql: `${s.sql} LIMIT ?`, params: [...s.params, limit] });
  if (limit === undefined || types === undefined || types.length < 2 || types.length > MAX_BRANCHES) return tail(one(types));
  const branches = types.map((t) => tail(one([t])));
  return tail({
    sql: `${branches.map((b) => `SELECT * FROM (${b.sql})`).join(' UNION ALL ')} ORDER BY ${orderBy}`,
    params: branches.flatMap((b) => b.params),
  });
}

/**
 * The exact types the filter's patterns stand for in this profile (type_counts lists them), or
 * undefined when the filter takes every type.
 */
function exactTypes(db: Db, filter: EventFilter): string[] | undefined {
  if (filter.types.length === 0 || filter.types.includes('*')) return undefined;
  const out = new Set<string>();
  const key = profileKey(db, filter.profile);
  const range = statement<[number, string, string], { type: string }>(db, 'SELECT type FROM type_counts WHERE profile_id = ? AND type >= ? AND type < ? AND n > 0');
  for (const t of filter.types) {
    if (!t.endsWith('*')) out.add(t);
    else for (const r of range.all(key, t.slice(0, -1), nextString(t.slice(0, -1)))) out.add(r.type);
  }
  return [...out];
}

/**
 * Whether the index finds the search's words in few events. Then a page is read from those events
 * and sorted (a rare word over ten million events: a few lookups); otherwise the events are read
 * newest first and the first that the index found are kept (a common word: a page is near).
 */
function searchIsRare(db: Db, search: string): boolean {
  const probe = statement<[string, number], { n: number }>(db, 'SELECT count(*) AS n FROM (SELECT 1 FROM events_fts WHERE events_fts MATCH ? LIMIT ?)');
  return probe.get(indexQuery(search), FEW_MATCHES)!.n < FEW_MATCHES;
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

/**
 * The filter as SQL, its types given as the exact list they stand for (undefined: every type).
 * `fromIndex`: the profile test is kept from the indexes (`+profile_id`), so SQLite reads the
 * events the search index found rather than a whole profile in time order.
 */
function whereClause(db: Db, filter: EventFilter, types: string[] | undefined, fromIndex = false): Sql {
  const clauses = [fromIndex ? '+profile_id = ?' : 'profile_id = ?'];
  const params: unknown[] = [profileKey(db, filter.profile)];
  if (types !== undefined) {
    clauses.push(types.length === 0 ? '0' : types.length === 1 ? 'type = ?' : `type IN (${types.map(() => '?').join(', ')})`);
    params.push(...types);
  }
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
    // The index answers the words; a phrase's order is checked on the events it found.
    clauses.push('seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)');
    params.push(indexQuery(filter.search));
    if (phrasesOf(filter.search).length > 0) {
      clauses.push('events_phrases(raw, ?)');
      params.push(filter.search);
    }
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

/**
 * Counts per group of `by`, with each group's first and last time. Per type over all of a
 * profile's time, type_counts has the counts and two seeks per type the times; otherwise the
 * (profile, type, time) index answers filters on type and time alone.
 */
export function statsRows(db: Db, filter: EventFilter, by: StatKey[]): StatRow[] {
  const types = exactTypes(db, filter);
  const whole = filter.since === undefined && filter.until === undefined && filter.object === undefined && filter.where.length === 0 && filter.search === undefined;
  let rows: Array<Record<string, string | number | null>>;
  if (whole && by.length === 1 && by[0] === 'type') {
    const only = types === undefined ? '' : ` AND c.type IN (SELECT value FROM json_each(?))`;
    const seek = (fn: string) => `(SELECT ${fn}(time) FROM events e WHERE e.profile_id = c.profile_id AND e.type = c.type)`;
    const stmt = db.prepare(`SELECT c.type AS k0, c.n AS n, ${seek('min')} AS first, ${seek('max')} AS last FROM type_counts c WHERE c.profile_id = ? AND c.n > 0${only}`);
    const key = profileKey(db, filter.profile);
    rows = (types === undefined ? stmt.all(key) : stmt.all(key, JSON.stringify(types))) as typeof rows;
  } else {
    const { sql, params } = whereClause(db, filter, types);
    const keys = by.map((k, i) => `${KEY_SQL[k]} AS k${i}`);
    const group = by.map((_, i) => `k${i}`).join(', ');
    rows = db
      .prepare(`SELECT ${[...keys, 'count(*) AS n', 'min(time) AS first', 'max(time) AS last'].join(', ')} FROM events WHERE ${sql}${group ? ` GROUP BY ${group}` : ''}`)
      .all(...params) as typeof rows;
  }
  return rows.map((r) => ({ keys: by.map((_, i) => r[`k${i}`] ?? null), count: Number(r.n), first: Number(r.first), last: Number(r.last) })).filter((r) => r.count > 0);
}
