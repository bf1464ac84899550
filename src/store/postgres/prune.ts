// `events prune` on the PostgreSQL mirror: old events and their kept versions go in transactions
// of PRUNE_BATCH rows, each under the profile's row lock (the one commit_page takes, so a page
// commit never updates an event a batch is deleting); their search entries go with them, and
// the type counts by migration 5's trigger. The space is not given back to the file system:
// autovacuum marks the dead rows' pages reusable and later syncs fill them (VACUUM FULL would
// shrink the files, holding an exclusive lock on the tables while it rewrites them).
import { PRUNE_BATCH, type PruneResult } from '../contract.js';
import type { Session } from './session.js';

export async function pruneEvents(session: Session, profile: string, before: number, onBatch?: (done: PruneResult) => void): Promise<PruneResult> {
  const done: PruneResult = { events: 0, versions: 0 };
  const found = await session.query<{ pid: number }>('SELECT profile_id AS pid FROM profiles WHERE profile = $1', [profile]);
  if (found.length === 0) return done;
  const pid = found[0]!.pid;
  await session.query('UPDATE profiles SET pruned_before = greatest(coalesce(pruned_before, $2), $2) WHERE profile_id = $1', [pid, before]);
  for (;;) {
    await session.query('BEGIN');
    try {
      await session.query('SELECT 1 FROM profiles WHERE profile_id = $1 FOR NO KEY UPDATE', [pid]);
      const row = await session.one<{ events: number; versions: number }>(
        `WITH gone AS (
           DELETE FROM events WHERE profile_id = $1
              AND id IN (SELECT id FROM events WHERE profile_id = $1 AND time < $2 LIMIT $3) RETURNING id, rev),
         unindexed AS (DELETE FROM search_index WHERE profile_id = $1 AND rev IN (SELECT rev FROM gone)),
         kept AS (DELETE FROM versions WHERE profile_id = $1 AND id IN (SELECT id FROM gone) RETURNING 1)
         SELECT (SELECT count(*) FROM gone)::int AS events, (SELECT count(*) FROM kept)::int AS versions`,
        [pid, before, PRUNE_BATCH],
      );
      await session.query('COMMIT');
      done.events += row.events;
      done.versions += row.versions;
      onBatch?.({ ...done });
      if (row.events < PRUNE_BATCH) return done;
    } catch (err) {
      await session.query('ROLLBACK').catch(() => {});
      throw err;
    }
  }
}
