// Writing and reading single events in the SQLite mirror. Rows are keyed by (profile, id); an
// upsert keeps the version with the newer `updated` time, so a consolidated Close event replaces
// its older self and a stale copy never overwrites a fresh one. Every insert or change takes the
// profile's next revision, and the version a change replaces moves to `versions`.
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
export interface RowToStore extends Omit<EventRow, 'raw'> {
  raw: string;
  seen: number;
  /** The event as an object, when the caller has it parsed already (the search index reads it). */
  parsed?: Json | undefined;
}

/** What the search index holds of an event: its string values, never its keys. */
export function searchText(value: Json, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) searchText(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) searchText(v, out);
  return out;
}

const FIND_MANY = `SELECT id, updated, raw, rev, seen FROM events
  WHERE profile_id = ? AND id IN (SELECT value FROM json_each(?))`;
const UPSERT = `INSERT INTO events (profile_id, id, type, time, updated, object, raw, rev, seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (profile_id, id) DO UPDATE SET
    type = excluded.type, time = excluded.time, updated = excluded.updated,
    object = excluded.object, raw = excluded.raw, rev = excluded.rev, seen = excluded.seen
  RETURNING seq`;
// An update keeps the event's seq, so its entry is replaced in place.
const INDEX = 'INSERT OR REPLACE INTO events_fts (rowid, body) VALUES (?, ?)';
const KEEP_VERSION = 'INSERT OR IGNORE INTO versions (profile_id, id, rev, updated, seen, raw) VALUES (?, ?, ?, ?, ?, ?)';

/**
 * Upserts rows (inside the caller's transaction) and says what happened to each. Each row is
 * judged against the copy just written, so an id twice in `rows` ends as its newest version.
 */
export function upsertRows(db: Db, profile: string, rows: RowToStore[]): Change[] {
  if (rows.length === 0) return [];
  const key = profileKey(db, profile, { create: true });
  // One lookup for the whole page rather than one per row.
  const stored = new Map<string, { updated: number; raw: string; rev: number; seen: number }>();
  const found = statement<[number, string], { id: string; updated: number; raw: string; rev: number; seen: number }>(db, FIND_MANY);
  for (const r of found.all(key, JSON.stringify(rows.map((row) => row.id)))) stored.set(r.id, r);
  const lastRev = statement<[number], { rev: number }>(db, 'SELECT last_rev AS rev FROM profiles WHERE profile_id = ?');
  let rev = lastRev.get(key)!.rev;
  const upsert = statement<unknown[], { seq: number }>(db, UPSERT);
  const keep = statement(db, KEEP_VERSION);
  const index = statement(db, INDEX);
  const changes = rows.map((row): Change => {
    const before = stored.get(row.id);
    if (before && (before.updated > row.updated || before.raw === row.raw)) return 'same';
    rev += 1;
    if (before) keep.run(key, row.id, before.rev, before.updated, before.seen, before.raw);
    const { seq } = upsert.get(key, row.id, row.type, row.time, row.updated, row.object, row.raw, rev, row.seen)!;
    index.run(seq, searchText(row.parsed ?? (JSON.parse(row.raw) as Json)).join(' '));
    stored.set(row.id, { updated: row.updated, raw: row.raw, rev, seen: row.seen });
    return before ? 'updated' : 'new';
  });
  statement(db, 'UPDATE profiles SET last_rev = ? WHERE profile_id = ?').run(rev, key);
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

/** How many events the mirror holds for a profile. */
export function countEvents(db: Db, profile: string): number {
  return statement<[number], { n: number }>(db, 'SELECT count(*) AS n FROM events WHERE profile_id = ?').get(profileKey(db, profile))!.n;
}
