// Writing events to the SQLite mirror: a walk's pages with its position, `get` storing one, a
// copy's versions, each one IMMEDIATE transaction. Rows are keyed by (profile, id); an upsert keeps
// the version with the newer `updated` time, so a consolidated Close event replaces its older self
// and a stale copy never overwrites a fresh one. Every insert or change takes the profile's next
// revision, and the version a change replaces moves to `versions`.
import { searchable } from '../../providers/event-text.js';
import { stringValues } from '../../providers/json-values.js';
import { MirrorError } from '../../errors.js';
import type { EventRow, Json } from '../../providers/types.js';
import type { Change, PageCommit, StoredEvent } from '../contract.js';
import type { Db } from './open.js';
import { profileKey } from './profiles.js';
import { addCoverage, deleteWalk, saveWalkProgress, updateMeta } from './state.js';
import { statement } from './statements.js';

/** A row to upsert: its columns, the raw JSON text, and when the mirror saw it. */
export interface RowToStore extends Omit<EventRow, 'raw' | 'text'> {
  raw: string;
  seen: number;
  /** The event as an object, when the caller has it parsed already (the search index reads it). */
  parsed?: Json | undefined;
  /** What the search index takes of it, when the caller worked that out already (null: nothing). */
  indexed?: string | null | undefined;
}


const FIND_MANY = `SELECT seq, id, type, updated, raw, rev, seen FROM events
  WHERE profile_id = ? AND id IN (SELECT value FROM json_each(?))`;
// New events and changed ones take separate statements: a plain INSERT needs no statement
// journal, where an INSERT ... ON CONFLICT DO UPDATE ... RETURNING opened one per row and cost
// three times as much on a sync's inserts. An update keeps the event's seq (its index entry's rowid).
// The id and type are stored only when raw does not hold them (migration 6): SQLite itself
// compares what it reads at $.id and $.type, so the row reads back the values given; raw it
// cannot read (nested past its depth limit) keeps them stored. updated is stored as its lag
// behind time. An update keeps the id, judged again against the new raw.
const own = (value: string, raw: string, path: string) =>
  `CASE WHEN NOT json_valid(${raw}) THEN ${value} WHEN ${raw} ->> '${path}' IS ${value} THEN NULL ELSE ${value} END`;
const INSERT = `INSERT INTO events (profile_id, stored_id, stored_type, time, updated_lag, object, raw, rev, seen)
  VALUES (@key, ${own('@id', '@raw', '$.id')}, ${own('@type', '@raw', '$.type')}, @time, @updated - @time, @object, @raw, @rev, @seen)`;
const UPDATE = `UPDATE events SET stored_id = ${own('id', '@raw', '$.id')}, stored_type = ${own('@type', '@raw', '$.type')},
  time = @time, updated_lag = @updated - @time, object = @object, raw = @raw, rev = @rev, seen = @seen WHERE seq = @seq`;
const KEEP_VERSION = 'INSERT OR IGNORE INTO versions (profile_id, id, rev, updated, seen, raw) VALUES (?, ?, ?, ?, ?, ?)';
const UNINDEX = 'DELETE FROM events_fts WHERE rowid = ?';
const INDEX = 'INSERT INTO events_fts (rowid, body) VALUES (?, ?)';
const COUNT = 'INSERT INTO type_counts (profile_id, type, n) VALUES (?, ?, ?) ON CONFLICT (profile_id, type) DO UPDATE SET n = n + excluded.n';

interface Stored {
  seq: number;
  type: string;
  updated: number;
  raw: string;
  rev: number;
  seen: number;
}

/**
 * Upserts pages of rows (inside the caller's transaction) and says what happened to each row of
 * each page. Each row is judged against the copy just written, so an id twice in the pages ends
 * as its newest version.
 */
export function upsertPages(db: Db, profile: string, pages: RowToStore[][]): Change[][] {
  const key = profileKey(db, profile, { create: true });
  const lastRev = statement<[number], { rev: number }>(db, 'SELECT last_rev AS rev FROM profiles WHERE profile_id = ?');
  let rev = lastRev.get(key)!.rev;
  const found = statement<[number, string], Stored & { id: string }>(db, FIND_MANY);
  const insert = statement(db, INSERT);
  const update = statement(db, UPDATE);
  const keep = statement(db, KEEP_VERSION);
  // The search index is written last, once per transaction: FTS5 flushes its pending terms to a
  // new segment at every statement savepoint, so entries written between the event upserts made
  // a segment per row and doubled a sync's time. seq -> the text to index, and whether an entry
  // for that seq was in the index before this transaction.
  const search = new Map<number, { text: string | undefined; replaces: boolean }>();
  const stored = new Map<string, Stored>();
  const counts = new Map<string, number>();
  // One lookup for the transaction's ids, before anything is written.
  const ids = [...new Set(pages.flatMap((rows) => rows.map((row) => row.id)))];
  for (const r of found.all(key, JSON.stringify(ids))) stored.set(r.id, r);
  const changes = pages.map((rows) => new Array<Change>(rows.length));
  for (const [page, at] of writeOrder(pages)) changes[page]![at] = upsertRow(pages[page]![at]!);
  function upsertRow(row: RowToStore): Change {
    const before = stored.get(row.id);
    if (before && (before.updated > row.updated || before.raw === row.raw)) return 'same';
    rev += 1;
    let seq: number;
    if (before) {
      keep.run(key, row.id, before.rev, before.updated, before.seen, before.raw);
      update.run({ type: row.type, time: row.time, updated: row.updated, object: row.object, raw: row.raw, rev, seen: row.seen, seq: before.seq });
      seq = before.seq;
    } else {
      const values = { key, id: row.id, type: row.type, time: row.time, updated: row.updated, object: row.object, raw: row.raw, rev, seen: row.seen };
      seq = Number(insert.run(values).lastInsertRowid);
    }
    if (before?.type !== row.type) {
      // The profile's count per type (migration 5), added up here and written once per type.
      counts.set(row.type, (counts.get(row.type) ?? 0) + 1);
      if (before) counts.set(before.type, (counts.get(before.type) ?? 0) - 1);
    }
    const text = row.indexed === undefined ? indexText(row) : (row.indexed ?? undefined);
    search.set(seq, { text, replaces: search.get(seq)?.replaces ?? before !== undefined });
    stored.set(row.id, { seq, type: row.type, updated: row.updated, raw: row.raw, rev, seen: row.seen });
    return before ? 'updated' : 'new';
  }
  statement(db, 'UPDATE profiles SET last_rev = ? WHERE profile_id = ?').run(rev, key);
  const count = statement(db, COUNT);
  for (const [type, n] of counts) if (n !== 0) count.run(key, type, n);
  const unindex = statement(db, UNINDEX);
  const index = statement(db, INDEX);
  for (const [seq, entry] of search) {
    if (entry.replaces) unindex.run(seq);
    if (entry.text !== undefined) index.run(seq, entry.text);
  }
  return changes;
}

/**
 * What the search index holds of an event: its string values, never its keys; nothing for an
 * event too large to index (event-text.ts, the same rule as the PostgreSQL engine's).
 */
export const indexText = (row: Pick<RowToStore, 'raw' | 'parsed'>): string | undefined =>
  searchable(row.raw) ? stringValues(row.parsed ?? (JSON.parse(row.raw) as Json)).join(' ') : undefined;

/**
 * The order the rows of `pages` are written in, as [page, row] positions: oldest first. A sync
 * walks its history newest first, and each index took the entries of a transaction at the front
 * of its range, where every new entry split a page in half (a synced mirror's indexes took 236
 * bytes an event where the same events written oldest first take 157); in key order they fill
 * pages instead. The sort is stable and keys each row by the time of its id's first row, so rows
 * of equal time keep their order (seq breaks ties in time as before) and the rows of one id keep
 * theirs (each is judged against the one before it).
 */
function writeOrder(pages: RowToStore[][]): Array<[number, number]> {
  const first = new Map<string, number>();
  const order: Array<[number, number, number]> = [];
  pages.forEach((rows, page) =>
    rows.forEach((row, at) => {
      let time = first.get(row.id);
      if (time === undefined) first.set(row.id, (time = row.time));
      order.push([time, page, at]);
    }),
  );
  order.sort((a, b) => a[0] - b[0]);
  return order.map(([, page, at]) => [page, at]);
}

/** Commits a walk's pages and position in one transaction; what each row of each page did. */
export function commitPages(db: Db, commit: PageCommit): Change[][] {
  const seen = Date.now();
  return commitRows(db, commit, commit.pages.map((page) => page.rows.map((r) => toRow(r, seen))));
}

/** The same, for pages already made rows (as the sync's writer thread gets them, writer-thread.ts). */
export function commitRows(db: Db, commit: Omit<PageCommit, 'pages' | 'warn'>, pages: RowToStore[][]): Change[][] {
  const { profile, provider, walk } = commit;
  return db
    .transaction(() => {
      // The walk's row first: without it the pages would land outside any walk (a sync that lost
      // its lock to another one), and the whole commit is refused.
      const held = commit.done ? deleteWalk(db, walk.walkId) : saveWalkProgress(db, walk);
      if (!held) throw new MirrorError(`the ${walk.kind} walk of "${profile}" is no longer in the mirror (another sync replaced it); run the sync again`);
      if (commit.done) {
        // The walk reached its lower end: (floor, upper] is now held completely.
        addCoverage(db, profile, { lo: walk.floor, hi: walk.upper });
      }
      const changes = upsertPages(db, profile, pages);
      if (commit.remoteTotal !== undefined) updateMeta(db, profile, provider, { remoteTotal: commit.remoteTotal });
      return changes;
    })
    .immediate();
}

/** Upserts rows outside a walk (`get`): the same rules and change log. */
export function putRows(db: Db, profile: string, provider: string, rows: EventRow[]): Change[] {
  const seen = Date.now();
  return write(db, profile, provider, rows.map((r) => toRow(r, seen)));
}

/** Upserts versions from another mirror, each keeping the time it was first seen. */
export function importRows(db: Db, profile: string, provider: string, versions: Array<StoredEvent & { seen: number }>): Change[] {
  return write(db, profile, provider, versions);
}

/** The row as stored: the event's text as the provider served it, never re-serialised. */
const toRow = (row: EventRow, seen: number): RowToStore => ({
  id: row.id,
  type: row.type,
  time: row.time,
  updated: row.updated,
  object: row.object,
  raw: row.text,
  seen,
  parsed: row.raw,
});

function write(db: Db, profile: string, provider: string, rows: RowToStore[]): Change[] {
  return db
    .transaction(() => {
      statement(db, 'INSERT INTO profiles (profile, provider) VALUES (?, ?) ON CONFLICT (profile) DO NOTHING').run(profile, provider);
      return upsertPages(db, profile, [rows])[0]!;
    })
    .immediate();
}
