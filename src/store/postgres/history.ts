// Single events and the change log: what changed after a revision, every version of an event,
// and a whole profile's history in revision order for `events copy`.
import type { EventVersion, RevisedEvent, StoredEvent } from '../contract.js';
import { PROFILE_ID } from './query.js';
import type { Session } from './session.js';

/** One event by id, or undefined. */
export async function getEvent(session: Session, profile: string, id: string): Promise<StoredEvent | undefined> {
  const rows = await session.query<StoredEvent>(
    `SELECT id, type, time, updated, object, raw FROM events WHERE ${PROFILE_ID(1)} AND id = $2`,
    [profile, id],
  );
  return rows[0];
}

/** The oldest event whose updated time is at or after `time` (runs once when a walk restarts). */
export async function oldestAtOrAfter(session: Session, profile: string, time: number): Promise<{ id: string; time: number; updated: number } | undefined> {
  const rows = await session.query<{ id: string; time: number; updated: number }>(
    `SELECT id, time, updated FROM events WHERE ${PROFILE_ID(1)} AND updated >= $2 ORDER BY updated, id LIMIT 1`,
    [profile, time],
  );
  return rows[0];
}

/** How many events a profile holds: the sum of its per-type counts (migration 5), not a count of a million rows. */
export async function countEvents(session: Session, profile: string): Promise<number> {
  return Number((await session.one<{ n: string }>(`SELECT coalesce(sum(n), 0) AS n FROM type_counts WHERE ${PROFILE_ID(1)}`, [profile])).n);
}

/** The profile's newest revision, as committed (0 when it has none). */
export async function headRevision(session: Session, profile: string): Promise<number> {
  const rows = await session.query<{ rev: number }>('SELECT last_rev AS rev FROM profiles WHERE profile = $1', [profile]);
  return rows[0]?.rev ?? 0;
}

/**
 * Events whose current revision is above `rev`, in revision order. Revisions are handed out under
 * the profile's row lock, so no commit still in flight can land below what this returns.
 */
export function changesSince(session: Session, profile: string, rev: number, limit: number): Promise<RevisedEvent[]> {
  return session.query<RevisedEvent>(
    `SELECT id, type, time, updated, object, raw, rev, seen FROM events
      WHERE ${PROFILE_ID(1)} AND rev > $2 ORDER BY rev LIMIT $3`,
    [profile, rev, limit],
  );
}

/** Every version of an event, oldest first: the replaced ones, then the current one. */
export function versions(session: Session, profile: string, id: string): Promise<EventVersion[]> {
  return session.query<EventVersion>(
    `WITH p AS (SELECT profile_id FROM profiles WHERE profile = $1)
     SELECT rev, updated, seen, raw FROM versions WHERE profile_id = (SELECT profile_id FROM p) AND id = $2
     UNION ALL
     SELECT rev, updated, seen, raw FROM events WHERE profile_id = (SELECT profile_id FROM p) AND id = $2
     ORDER BY rev`,
    [profile, id],
  );
}

/** How many versions (kept ones plus the current one) each of `ids` has; ids with one are left out. */
export async function versionCounts(session: Session, profile: string, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await session.query<{ id: string; n: number }>(
    `SELECT id, count(*) + 1 AS n FROM versions WHERE ${PROFILE_ID(1)} AND id = ANY($2::text[]) GROUP BY id`,
    [profile, ids],
  );
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

const EXPORT_BATCH = 1000;

/** Every version of every event of a profile, in revision order, in batches walked by revision. */
export async function* exportVersions(session: Session, profile: string): AsyncGenerator<Array<StoredEvent & { rev: number; seen: number }>> {
  for (let after = 0; ; ) {
    const rows = await session.query<StoredEvent & { rev: number; seen: number }>(
      `WITH p AS (SELECT profile_id FROM profiles WHERE profile = $1)
       (SELECT id, type, time, updated, object, raw, rev, seen FROM versions
         WHERE profile_id = (SELECT profile_id FROM p) AND rev > $2 ORDER BY rev LIMIT $3)
       UNION ALL
       (SELECT id, type, time, updated, object, raw, rev, seen FROM events
         WHERE profile_id = (SELECT profile_id FROM p) AND rev > $2 ORDER BY rev LIMIT $3)
       ORDER BY rev LIMIT $3`,
      [profile, after, EXPORT_BATCH],
    );
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.rev;
    if (rows.length < EXPORT_BATCH) return;
  }
}
