// The settings every connection to the mirror takes: the one the CLI opens (open.ts) and
// the sync's writer thread's (writer-thread.ts). They hold per connection, so both must set them.
import type Database from 'better-sqlite3';

/** Sets the per-connection pragmas of a connection to the mirror (WAL is set on the file). */
export function connectionPragmas(db: Database.Database): void {
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
}

/**
 * Each commit rewrites hundreds of index pages into the WAL; at SQLite's default a checkpoint
 * (with its fsyncs) ran every few commits and took most of a long sync's time on disk. Every
 * 10,000 WAL pages (about 40 MB) is enough to make checkpoints rare during a sync.
 */
export function rareCheckpoints(db: Database.Database): void {
  db.pragma('wal_autocheckpoint = 10000');
}
