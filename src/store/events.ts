// Reading and writing events in the mirror. Rows are keyed by (profile, id); an upsert keeps the
// version with the newer `updated` time, so a consolidated Close event replaces its older self
// and a stale copy never overwrites a fresh one. Callers name profiles; the events table holds
// each profile's small integer key (profileKey), which keeps its indexes small.
import type { EventRow } from '../providers/types.js';
import type { Db } from './db.js';
import { statement } from './statements.js';

/** What an upsert did to one event: new to the mirror, changed, or already there as it is. */
export type Change = 'new' | 'updated' | 'same';

/** One stored event, as queries return it. */
export interface StoredEvent {
  id: string;
  type: string;
  time: number;
  updated: number;
  object: string | null;
  raw: string;
}

/** A key that no profile has: queries for an unknown profile match nothing. */
const NO_PROFILE = -1;

/** The profile's key in the events table; with `create`, a new profile gets one. */
export function profileKey(db: Db, profile: string, options: { create?: boolean } = {}): number {
  const find = statement<[string], { key: number }>(db, 'SELECT profile_id AS key FROM profiles WHERE profile = ?');
  const found = find.get(profile);
  if (found) return found.key;
  if (!options.create) return NO_PROFILE;
  return Number(statement(db, 'INSERT INTO profiles (profile) VALUES (?)').run(profile).lastInsertRowid);
}

const FIND_MANY = 'SELECT id, updated, raw FROM events WHERE profile_id = ? AND id IN (SELECT value FROM json_each(?))';
const UPSERT = `INSERT INTO events (profile_id, id, type, time, updated, object, raw) VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (profile_id, id) DO UPDATE SET
    type = excluded.type, time = excluded.time, updated = excluded.updated,
    object = excluded.object, raw = excluded.raw
  WHERE excluded.updated >= events.updated`;

/** Upserts rows (inside the caller's transaction) and says what happened to each. */
export function upsertEvents(db: Db, profile: string, rows: EventRow[]): Change[] {
  if (rows.length === 0) return [];
  const key = profileKey(db, profile, { create: true });
  // One lookup for the whole page rather than one per row; each write updates the map, so an id
  // that appears twice in `rows` is judged against the copy just written, as row by row it was.
  const stored = new Map<string, { updated: number; raw: string }>();
  const found = statement<[number, string], { id: string; updated: number; raw: string }>(db, FIND_MANY);
  for (const r of found.all(key, JSON.stringify(rows.map((row) => row.id)))) stored.set(r.id, r);
  const insert = statement(db, UPSERT);
  return rows.map((row) => {
    const raw = JSON.stringify(row.raw);
    const before = stored.get(row.id);
    if (before && (before.updated > row.updated || before.raw === raw)) return 'same';
    insert.run(key, row.id, row.type, row.time, row.updated, row.object, raw);
    stored.set(row.id, { updated: row.updated, raw });
    return before ? 'updated' : 'new';
  });
}

/** One event by id, or undefined. */
export function getEvent(db: Db, profile: string, id: string): StoredEvent | undefined {
  return statement<[number, string], StoredEvent>(
    db,
    'SELECT id, type, time, updated, object, raw FROM events WHERE profile_id = ? AND id = ?',
  ).get(profileKey(db, profile), id);
}

/**
 * The oldest mirrored event whose updated time is at or after `time` (a walk's resume boundary).
 * No index serves it: it runs once when a walk must restart, not on every page.
 */
export function oldestAtOrAfter(
  db: Db,
  profile: string,
  time: number,
): { id: string; time: number; updated: number } | undefined {
  return statement<[number, number], { id: string; time: number; updated: number }>(
    db,
    'SELECT id, time, updated FROM events WHERE profile_id = ? AND updated >= ? ORDER BY updated ASC, id ASC LIMIT 1',
  ).get(profileKey(db, profile), time);
}

/** How many events the mirror holds for a profile. */
export function countEvents(db: Db, profile: string): number {
  return statement<[number], { n: number }>(db, 'SELECT count(*) AS n FROM events WHERE profile_id = ?').get(profileKey(db, profile))!.n;
}
