// Writing and reading single events in the SQLite mirror. Rows are keyed by (profile, id); an
// upsert keeps the version with the newer `updated` time, so a consolidated Close event replaces
// its older self and a stale copy never overwrites a fresh one. Every insert or change takes the
// profile's next revision, and the version a change replaces moves to `versions`.
import { searchable } from '../../providers/event-text.js';
import { stringValues } from '../../providers/json-values.js';
import type { EventRow, Json } from '../../providers/types.js';
import type { Change, EventVersion, StoredEvent } from '../contract.js';
import type { Db } from './open.js';
import { statement } from './statements.js';

/** A key that no profile has: queries for an unknown profile match nothing. */
export const NO_PROFILE = -1;

/** The profile's key in the events table; with `create`, a new profile gets one. */
export function profileKey(db: Db, profile: string, options: { create?: boolean } = {}): number {
  const found = statement<[string], { key: number }>(db, 'SELECT profile_id AS key FROM profiles WHERE profile = ?').get(profile);
  if (found) return found.key;
  if (!options.create) return NO_PROFILE;
  return Number(statement(db, 'INSERT INTO profiles (profile) VALUES (?)').run(profile).lastInsertRowid);
}

/** A row to upsert: its columns, the raw JSON text, and when the mirror saw it. */
export interface RowToStore extends Omit<EventRow, 'raw' | 'text'> {
  raw: string;
  seen: number;
  /** The event as an object, when the caller has it parsed already (the search index reads it). */
  parsed?: Json | undefined;
}


const FIND_MANY = `SELECT seq, id, type, updated, raw, rev, seen FROM events
  WHERE profile_id = ? AND id IN (SELECT value FROM json_each(?))`;
// New events and changed ones take separate statements: a plain INSERT needs no statement
// journal, where an INSERT ... ON CONFLICT DO UPDATE ... RETURNING opened one per row and cost
// three times as much on a sync's inserts. An update keeps the event's seq (its index entry's rowid).
const INSERT = 'INSERT INTO events (profile_id, id, type, time, updated, object, raw, rev, seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
const UPDATE = 'UPDATE events SET type = ?, time = ?, updated = ?, object = ?, raw = ?, rev = ?, seen = ? WHERE seq = ?';
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
  const changes = pages.map((rows) => {
    if (rows.length === 0) return [];
    // One lookup per page rather than one per row.
    for (const r of found.all(key, JSON.stringify(rows.filter((row) => !stored.has(row.id)).map((row) => row.id)))) stored.set(r.id, r);
    return rows.map((row): Change => {
      const before = stored.get(row.id);
      if (before && (before.updated > row.updated || before.raw === row.raw)) return 'same';
      rev += 1;
      let seq: number;
      if (before) {
        keep.run(key, row.id, before.rev, before.updated, before.seen, before.raw);
        update.run(row.type, row.time, row.updated, row.object, row.raw, rev, row.seen, before.seq);
        seq = before.seq;
      } else {
        seq = Number(insert.run(key, row.id, row.type, row.time, row.updated, row.object, row.raw, rev, row.seen).lastInsertRowid);
      }
      if (before?.type !== row.type) {
        // The profile's count per type (migration 5), added up here and written once per type.
        counts.set(row.type, (counts.get(row.type) ?? 0) + 1);
        if (before) counts.set(before.type, (counts.get(before.type) ?? 0) - 1);
      }
      // What the search index holds of an event: its string values, never its keys; nothing for
      // an event too large to index (event-text.ts, the same rule as the PostgreSQL engine's).
      const text = searchable(row.raw) ? stringValues(row.parsed ?? (JSON.parse(row.raw) as Json)).join(' ') : undefined;
      search.set(seq, { text, replaces: search.get(seq)?.replaces ?? before !== undefined });
      stored.set(row.id, { seq, type: row.type, updated: row.updated, raw: row.raw, rev, seen: row.seen });
      return before ? 'updated' : 'new';
    });
  });
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

/** One event by id, or undefined. */
export function getEvent(db: Db, profile: string, id: string): StoredEvent | undefined {
  return statement<[number, string], StoredEvent>(
    db,
    'SELECT id, type, time, updated, object, raw FROM events WHERE profile_id = ? AND id = ?',
  ).get(profileKey(db, profile), id);
}

/** Every version of an event, oldest first: the replaced ones, then the current one. */
export function eventVersions(db: Db, profile: string, id: string): EventVersion[] {
  const key = profileKey(db, profile);
  return statement<[number, string, number, string], EventVersion>(
    db,
    `SELECT rev, updated, seen, raw FROM versions WHERE profile_id = ? AND id = ?
     UNION ALL SELECT rev, updated, seen, raw FROM events WHERE profile_id = ? AND id = ? ORDER BY rev`,
  ).all(key, id, key, id);
}

/**
 * The oldest mirrored event whose updated time is at or after `time` (a walk's resume boundary).
 * No index serves it: it runs once when a walk must restart, not on every page.
 */
export function oldestAtOrAfter(db: Db, profile: string, time: number): { id: string; time: number; updated: number } | undefined {
  return statement<[number, number], { id: string; time: number; updated: number }>(
    db,
    'SELECT id, time, updated FROM events WHERE profile_id = ? AND updated >= ? ORDER BY updated ASC, id ASC LIMIT 1',
  ).get(profileKey(db, profile), time);
}

/** How many events the mirror holds for a profile: the sum of its per-type counts (migration 5). */
export function countEvents(db: Db, profile: string): number {
  return statement<[number], { n: number }>(db, 'SELECT coalesce(sum(n), 0) AS n FROM type_counts WHERE profile_id = ?').get(profileKey(db, profile))!.n;
}
