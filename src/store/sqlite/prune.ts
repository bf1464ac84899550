// `events prune` on the SQLite mirror: old events go in short transactions of PRUNE_BATCH rows
// (a sync waiting for the write lock waits one batch, not the whole prune), their search entries
// and type counts with them (the triggers of migrations 3 and 5), their kept versions alongside.
// Then the freed pages go back to the file system: a mirror made since migration 5 is in
// auto_vacuum=INCREMENTAL mode and gives them back a step at a time; an older one (auto_vacuum
// can only change with a VACUUM) is rewritten once, which converts it, so later prunes are quick.
import fs from 'node:fs';
import { PRUNE_BATCH, type PruneResult } from '../contract.js';
import { profileKey } from './profiles.js';
import type { Db } from './open.js';

/** Pages given back per step of the incremental vacuum (8 MB with 4 KB pages): each step is short. */
const VACUUM_STEP = 2000;

export function pruneEvents(db: Db, profile: string, before: number, onBatch?: (done: PruneResult) => void): PruneResult {
  const key = profileKey(db, profile);
  const done: PruneResult = { events: 0, versions: 0 };
  if (key < 0) return done;
  db.prepare('UPDATE profiles SET pruned_before = max(coalesce(pruned_before, ?), ?) WHERE profile_id = ?').run(before, before, key);
  const oldest = db.prepare<[number, number, number], { seq: number; id: string }>('SELECT seq, id FROM events WHERE profile_id = ? AND time < ? LIMIT ?');
  const dropVersions = db.prepare('DELETE FROM versions WHERE profile_id = ? AND id IN (SELECT value FROM json_each(?))');
  const dropEvents = db.prepare('DELETE FROM events WHERE seq IN (SELECT value FROM json_each(?))');
  const batch = db.transaction(() => {
    const rows = oldest.all(key, before, PRUNE_BATCH);
    if (rows.length === 0) return 0;
    done.versions += dropVersions.run(key, JSON.stringify(rows.map((r) => r.id))).changes;
    done.events += dropEvents.run(JSON.stringify(rows.map((r) => r.seq))).changes;
    return rows.length;
  });
  while (batch.immediate() === PRUNE_BATCH) onBatch?.({ ...done });
  onBatch?.({ ...done });
  if (done.events > 0) giveBack(db);
  return done;
}

/** Returns the free pages to the file system, and empties the WAL they went through. */
function giveBack(db: Db): void {
  if (giveBackFreePages(db)) return;
  db.pragma('auto_vacuum = INCREMENTAL');
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
}

/**
 * Returns the free pages of an auto_vacuum=INCREMENTAL mirror to the file system, a step at a
 * time, and empties the WAL; false (nothing done) for a mirror in another mode.
 */
export function giveBackFreePages(db: Db): boolean {
  if (db.pragma('auto_vacuum', { simple: true }) !== 2) return false;
  while ((db.pragma('freelist_count', { simple: true }) as number) > 0) db.pragma(`incremental_vacuum(${VACUUM_STEP})`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  return true;
}

/** The mirror's size on disk: the file and its WAL, where a prune's freed pages show. */
export function fileBytes(file: string): number {
  const at = (name: string) => (fs.existsSync(name) ? fs.statSync(name).size : 0);
  return at(file) + at(`${file}-wal`);
}
