// Single events and the change log, read by revision: where a profile's log has reached, what
// changed after a revision (consumers, tail --offline), every version of an event, and every kept
// version in revision order (copy, export).
import type { EventVersion, RevisedEvent, StoredEvent } from '../contract.js';
import { profileKey } from './profiles.js';
import type { Db } from './open.js';
import { statement } from './statements.js';

export function headRevision(db: Db, profile: string): number {
  const row = statement<[string], { rev: number }>(db, 'SELECT last_rev AS rev FROM profiles WHERE profile = ?').get(profile);
  return row?.rev ?? 0;
}

export function changesSince(db: Db, profile: string, rev: number, limit: number): RevisedEvent[] {
  return statement<[number, number, number], RevisedEvent>(
    db,
    `SELECT id, type, time, updated, object, raw, rev, seen FROM events
     WHERE profile_id = ? AND rev > ? ORDER BY rev LIMIT ?`,
  ).all(profileKey(db, profile), rev, limit);
}

export function* exportVersions(db: Db, profile: string): Iterable<Array<StoredEvent & { rev: number; seen: number }>> {
  const key = profileKey(db, profile);
  // Kept versions carry the type, time and object of the event they belong to: those do not
  // change between versions in any provider, and the kept row does not repeat them.
  const page = db.prepare<[number, number, number, number, number], StoredEvent & { rev: number; seen: number }>(
    `SELECT v.id, e.type, e.time, v.updated, e.object, v.raw, v.rev, v.seen
       FROM versions v JOIN events e ON e.profile_id = v.profile_id AND e.id = v.id
      WHERE v.profile_id = ? AND v.rev > ?
     UNION ALL
     SELECT id, type, time, updated, object, raw, rev, seen FROM events WHERE profile_id = ? AND rev > ?
     ORDER BY rev LIMIT ?`,
  );
  for (let after = 0; ; ) {
    const rows = page.all(key, after, key, after, 1000);
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.rev;
  }
}

/** One event by id, or undefined. */
export function getEvent(db: Db, profile: string, id: string): StoredEvent | undefined {
  return statement<[number, string], StoredEvent>(
    db,
    'SELECT id, type, time, updated, object, raw FROM events WHERE profile_id = ? AND id = ?',
  ).get(profileKey(db, profile), id);
}

/** Every version of an event, oldest first: the replaced ones, then the current one. */
export function versions(db: Db, profile: string, id: string): EventVersion[] {
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

/** How many versions (kept ones plus the current one) each of `ids` has; ids with one are left out. */
export function versionCounts(db: Db, profile: string, ids: string[]): Map<string, number> {
  const rows = statement<[number, string], { id: string; n: number }>(
    db,
    'SELECT id, count(*) + 1 AS n FROM versions WHERE profile_id = ? AND id IN (SELECT value FROM json_each(?)) GROUP BY id',
  ).all(profileKey(db, profile), JSON.stringify(ids));
  return new Map(rows.map((r) => [r.id, r.n]));
}
