// The filtered queries (list, tail's replay, export) in PostgreSQL, with the SQLite engine's
// semantics. Every user value is a bound parameter. `--where PATH=VALUE` compares the value at the
// path as text: strings unquoted, true/false for booleans, numbers as the provider wrote them
// (PostgreSQL's json keeps `1.50` where SQLite prints `1.5`), JSON null never matches. A numeric
// path segment also indexes an array here (SQLite reads it as an object key only).
import type { EventFilter, StatKey, StatRow, StoredEvent, StreamOrder } from '../contract.js';
import { parseSearch } from '../search.js';
import { searchSource, tsquery, type SearchPart } from './search.js';
import type { Session } from './session.js';

const COLUMNS = 'id, type, time, updated, object, raw';
const BATCH = 1000;

/** The events matching `filter`, newest first (ties in arrival order), at most `limit`. */
export async function queryEvents(session: Session, filter: EventFilter, limit?: number): Promise<StoredEvent[]> {
  const rows = await session.query<StoredEvent & { seq: number }>(...(await ordered(session, filter, 'newest-first', limit)));
  return rows.map(({ seq: _seq, ...event }) => event);
}

/**
 * One SELECT of the filter's events in `order`, at most `limit`, past the keyset `after`. Several
 * types (a `prefix.*`) are a branch each, a seek on (profile, type, time) stopped at `limit`, then
 * merged: a range over the types came out of the index in type order and was sorted whole. So are
 * a search's two parts (searchSource), so a common word walks the time index to the limit.
 */
async function ordered(session: Session, filter: EventFilter, order: StreamOrder, limit: number | undefined, after?: { time: number; seq: number }): Promise<[string, unknown[]]> {
  const newest = order === 'newest-first';
  const types = await exactTypes(session, filter);
  const indexed = await searchIndexed(session, filter);
  const params: unknown[] = [];
  const one = (only: string[] | undefined, part: SearchPart) => {
    const from = source(filter, params, indexed, part);
    let where = whereClause(filter, params, only);
    if (after) {
      // time <= t on its own, so the (profile, time DESC, seq) index starts the scan there
      // instead of reading past every newer row again on each batch.
      const t = params.push(after.time);
      const s = params.push(after.seq);
      where += newest ? ` AND time <= $${t} AND (time < $${t} OR seq > $${s})` : ` AND time >= $${t} AND (time > $${t} OR seq < $${s})`;
    }
    const tail = limit === undefined ? '' : ` LIMIT $${params.push(limit)}`;
    return `SELECT seq, ${COLUMNS} FROM ${from} WHERE ${where} ORDER BY ${newest ? 'time DESC, seq' : 'time ASC, seq DESC'}${tail}`;
  };
  const typed = !(types === undefined || types.length < 2 || types.length > MAX_BRANCHES);
  if (limit === undefined || (!typed && filter.search === undefined)) return [one(types, 'both'), params];
  const parts: SearchPart[] = filter.search === undefined ? ['both'] : ['indexed', 'unindexed'];
  const branches = parts.flatMap((part) => (typed ? types!.map((t) => `(${one([t], part)})`) : [`(${one(types, part)})`])).join(' UNION ALL ');
  return [`${branches} ORDER BY ${newest ? 'time DESC, seq' : 'time ASC, seq DESC'} LIMIT $${params.push(limit)}`, params];
}

/** Past this many types a pattern is one list, sorted, rather than a branch per type. */
const MAX_BRANCHES = 64;

/** The exact types the filter's patterns stand for in the profile (type_counts lists them); undefined: every type. */
async function exactTypes(session: Session, filter: EventFilter): Promise<string[] | undefined> {
  if (filter.types.length === 0 || filter.types.includes('*')) return undefined;
  const prefixes = filter.types.filter((t) => t.endsWith('*')).map((t) => t.slice(0, -1));
  const exact = filter.types.filter((t) => !t.endsWith('*'));
  if (prefixes.length === 0) return exact;
  const found = await session.query<{ type: string }>(
    `SELECT type FROM type_counts WHERE ${PROFILE_ID(1)} AND n > 0
        AND EXISTS (SELECT 1 FROM unnest($2::text[]) AS p(prefix) WHERE starts_with(type, p.prefix))`,
    [filter.profile, prefixes],
  );
  return [...new Set([...exact, ...found.map((r) => r.type)])];
}

/**
 * The same, in batches walked by keyset (time, seq): each batch is its own short statement, so
 * memory stays flat over millions of rows and no transaction stays open while a reader is slow.
 * `oldest-first` walks the same keyset backwards.
 */
export async function* eventBatches(session: Session, filter: EventFilter, order: StreamOrder = 'newest-first'): AsyncGenerator<StoredEvent[]> {
  const newest = order === 'newest-first';
  let after: { time: number; seq: number } | undefined;
  for (;;) {
    // After the first batch the cursor bounds the rest, tighter than the filter's own bound on
    // that side (--until, or --since oldest first), which is left out as in the SQLite engine.
    const f = after === undefined ? filter : newest ? { ...filter, until: undefined } : { ...filter, since: undefined };
    const rows = await session.query<StoredEvent & { seq: number }>(...(await ordered(session, f, order, BATCH, after)));
    if (rows.length === 0) return;
    const last = rows[rows.length - 1]!;
    after = { time: last.time, seq: last.seq };
    yield rows.map(({ seq: _seq, ...event }) => event);
    if (rows.length < BATCH) return;
  }
}

/**
 * How many match, counting no further than `atMost` (a bounded subquery stops the scan early).
 * A bounded count with --where (and no --search) walks the profile in time order instead: the
 * planner cannot estimate a JSON path's matches, guessed a handful, and read the whole profile
 * (a bitmap of it, or a scan and a sort) to count ten thousand: a cost that grew with the mirror.
 */
export async function countMatching(session: Session, filter: EventFilter, atMost?: number): Promise<number> {
  const types = await exactTypes(session, filter);
  if (atMost !== undefined && filter.search === undefined) {
    if (filter.where.length > 0) return countInTimeOrder(session, filter, types, atMost);
    return countNewestFirst(session, filter, types, atMost);
  }
  const params: unknown[] = [];
  const indexed = await searchIndexed(session, filter);
  // Bounded, a search counts its two parts apart (in one statement), each its own way (see ordered).
  const count = (part: SearchPart) => {
    const from = source(filter, params, indexed, part);
    const where = whereClause(filter, params, types);
    return atMost === undefined
      ? `(SELECT count(*) FROM ${from} WHERE ${where})`
      : `(SELECT count(*) FROM (SELECT 1 FROM ${from} WHERE ${where} LIMIT $${params.push(atMost)}) AS bounded)`;
  };
  const sql = `SELECT ${atMost === undefined ? count('both') : `${count('indexed')} + ${count('unindexed')}`} AS n`;
  const n = Number((await session.one<{ n: string | number }>(sql, params)).n);
  return atMost === undefined ? n : Math.min(n, atMost);
}

/**
 * A bounded count that walks the index the page reads, newest first (a branch per type, merged),
 * and stops at the bound. Left to itself the planner read the table from its start until it had
 * counted enough: cheap when a profile's rows are spread evenly, every other profile's rows first
 * when they are not, and from the oldest row to the middle of the history for a time range.
 */
async function countNewestFirst(session: Session, filter: EventFilter, types: string[] | undefined, atMost: number): Promise<number> {
  const params: unknown[] = [];
  const one = (only: string[] | undefined) => `SELECT time FROM events WHERE ${whereClause(filter, params, only)} ORDER BY time DESC`;
  const inner =
    types === undefined || types.length < 2 || types.length > MAX_BRANCHES
      ? one(types)
      : `${types.map((t) => `(${one([t])} LIMIT $${params.push(atMost)})`).join(' UNION ALL ')} ORDER BY time DESC`;
  const sql = `SELECT count(*) AS n FROM (${inner} LIMIT $${params.push(atMost)}) AS bounded`;
  return (await session.one<{ n: number }>(sql, params)).n;
}

/** Counts --where matches in chunks of the profile read newest first, each chunk an index range. */
async function countInTimeOrder(session: Session, filter: EventFilter, types: string[] | undefined, atMost: number): Promise<number> {
  let n = 0;
  let after: { time: number; seq: number } | undefined;
  for (;;) {
    const params: unknown[] = [];
    let where = whereClause({ ...filter, where: [] }, params, types);
    const hit = pathTests(filter.where, params).join(' AND ');
    if (after) {
      const t = params.push(after.time);
      where += ` AND time <= $${t} AND (time < $${t} OR seq > $${params.push(after.seq)})`;
    }
    const rows = await session.query<{ time: number; seq: number; hit: boolean }>(
      `SELECT time, seq, coalesce(${hit}, false) AS hit FROM events WHERE ${where} ORDER BY time DESC, seq LIMIT $${params.push(BATCH)}`,
      params,
    );
    n += rows.filter((r) => r.hit).length;
    if (n >= atMost) return atMost;
    if (rows.length < BATCH) return n;
    after = rows[rows.length - 1]!;
  }
}

/** The profile's key, or a value no profile has (an unknown profile matches nothing). */
const PROFILE_KEY = (n: number) => `coalesce((SELECT profile_id FROM profiles WHERE profile = $${n}), -1)`;
export const PROFILE_ID = (n: number) => `profile_id = ${PROFILE_KEY(n)}`;

/**
 * For a search, the revision up to which the profile's events have their search entries, read
 * before the query (a bound value, so the planner sees how few events lie above it). It only
 * grows, so the query's own later snapshot has at least these entries.
 */
async function searchIndexed(session: Session, filter: EventFilter): Promise<number | undefined> {
  if (filter.search === undefined) return undefined;
  const row = await session.one<{ rev: string }>(
    `SELECT coalesce((SELECT s.indexed_rev FROM search_state s JOIN profiles p USING (profile_id) WHERE p.profile = $1), 0) AS rev`,
    [filter.profile],
  );
  return Number(row.rev);
}

/** What the filter reads: the events, or for a search the events it finds (`indexed` from searchIndexed). */
function source(filter: EventFilter, params: unknown[], indexed: number | undefined, part: SearchPart = 'both'): string {
  if (filter.search === undefined) return 'events';
  const pid = PROFILE_KEY(params.push(filter.profile));
  return searchSource(pid, `$${params.push(indexed ?? 0)}::bigint`, tsquery(parseSearch(filter.search), params), part);
}

/** The filter but its search as SQL, its types given as the exact list they stand for (undefined: every type). */
function whereClause(filter: EventFilter, params: unknown[], types: string[] | undefined): string {
  const clauses = [PROFILE_ID(params.push(filter.profile))];
  if (types !== undefined) clauses.push(types.length === 1 ? `type = $${params.push(types[0])}` : `type = ANY($${params.push(types)}::text[])`);
  if (filter.since !== undefined) clauses.push(`time >= $${params.push(filter.since)}`);
  if (filter.until !== undefined) clauses.push(`time <= $${params.push(filter.until)}`);
  if (filter.object !== undefined) clauses.push(`object = $${params.push(filter.object)}`);
  clauses.push(...pathTests(filter.where, params));
  return clauses.join(' AND ');
}

/** Each `--where PATH=VALUE` as SQL. */
function pathTests(where: EventFilter['where'], params: unknown[]): string[] {
  return where.map(({ path, value }) => {
    const p = params.push(path.split('.'));
    // #>> on json re-reads the raw text and fails on a \u0000 or a lone surrogate escape anywhere
    // in it; rows flagged awkward at insert take the tolerant function instead.
    return `(CASE WHEN awkward THEN tolerant_path(raw, $${p}::text[]) ELSE raw #>> $${p}::text[] END) = $${params.push(value)}`;
  });
}

const KEY_SQL: Record<StatKey, string> = {
  type: 'type',
  object: 'object',
  day: '(time - time % 86400000)',
  hour: '(time - time % 3600000)',
};

/** Counts per group of `by`, with each group's first and last time. */
export async function statsRows(session: Session, filter: EventFilter, by: StatKey[]): Promise<StatRow[]> {
  const params: unknown[] = [];
  const types = await exactTypes(session, filter);
  const whole = filter.since === undefined && filter.until === undefined && filter.object === undefined && filter.where.length === 0 && filter.search === undefined;
  if (whole && by.length === 1 && by[0] === 'type') {
    // Per type over all of a profile's time: type_counts has the counts, two seeks per type the times.
    const seek = (fn: string) => `(SELECT ${fn}(time) FROM events e WHERE e.profile_id = c.profile_id AND e.type = c.type)`;
    const only = types === undefined ? '' : ` AND c.type = ANY($${params.push(types)}::text[])`;
    const rows = await session.query<{ k0: string; n: string; first: number; last: number }>(
      `SELECT c.type AS k0, c.n, ${seek('min')} AS first, ${seek('max')} AS last FROM type_counts c WHERE c.${PROFILE_ID(params.push(filter.profile))} AND c.n > 0${only}`,
      params,
    );
    return rows.map((r) => ({ keys: [r.k0], count: Number(r.n), first: Number(r.first), last: Number(r.last) }));
  }
  const from = source(filter, params, await searchIndexed(session, filter));
  const where = whereClause(filter, params, types);
  const keys = by.map((k, i) => `${KEY_SQL[k]} AS k${i}`);
  const group = by.map((_, i) => `k${i}`).join(', ');
  const rows = await session.query<Record<string, string | number | null>>(
    `SELECT ${[...keys, 'count(*) AS n', 'min(time) AS first', 'max(time) AS last'].join(', ')} FROM ${from} WHERE ${where}${group ? ` GROUP BY ${group}` : ''}`,
    params,
  );
  const num = (k: StatKey, v: string | number | null) => (v !== null && (k === 'day' || k === 'hour') ? Number(v) : v);
  return rows
    .map((r) => ({ keys: by.map((k, i) => num(k, r[`k${i}`] ?? null)), count: Number(r.n), first: Number(r.first), last: Number(r.last) }))
    .filter((r) => r.count > 0);
}
