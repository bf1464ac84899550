// Finding and upgrading the mirror's schema. PRAGMA user_version records how many migrations have
// run; a file from a newer version, or an SQLite file that is not an events mirror, is refused
// untouched. Migrations run in one IMMEDIATE transaction, so two first runs at once are safe: the
// second waits, looks again and finds the work done. Readers never migrate.
import { MirrorError } from '../../errors.js';
import { upgradeNote } from '../upgrade-note.js';
import { MIGRATIONS } from './migrations.js';
import { giveBackFreePages } from './prune.js';
import type { Db } from './open.js';

/** Brings the schema up to date; a reader is told to sync once when it is behind. */
export function migrate(db: Db, file: string, onUpgrade?: (line: string) => void): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === MIGRATIONS.length) return;
  if (db.readonly) throw new MirrorError(`the mirror ${file} needs an upgrade; run \`events sync\` once`);
  if (version > 0) onUpgrade?.(upgradeNote(file, version, MIGRATIONS.length));
  let from = version;
  db.transaction(() => {
    // Read again under the write lock: another process (a second `sync` on a new mirror) may have
    // migrated the file between the read above and this transaction.
    const current = (from = db.pragma('user_version', { simple: true }) as number);
    check(db, file, current);
    for (let v = current; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
  // Migration 6 rewrote the events table: the old one's pages go back to the file system (a mirror
  // older than migration 5's auto_vacuum keeps them for the rows it takes next).
  if (from > 0 && from < 6) giveBackFreePages(db);
}

/** Refuses a mirror from a newer version, or an SQLite file that is not an events mirror. */
export function check(db: Db, file: string, version: number): void {
  if (version > MIGRATIONS.length) {
    throw new MirrorError(`the mirror ${file} was written by a newer version of events (schema ${version}); upgrade events`);
  }
  if (version === 0) {
    const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'`).get() as { n: number };
    if (tables.n > 0) {
      throw new MirrorError(`${file} is an SQLite file but not an events mirror; pass another --db`);
    }
  }
}
