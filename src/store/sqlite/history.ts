// The mirror's change log, read by revision: where a profile's log has reached, what changed after
// a revision (consumers, tail --offline), and every kept version in revision order (copy, export).
import type { RevisedEvent, StoredEvent } from '../contract.js';
import { profileKey } from './commit.js';
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
