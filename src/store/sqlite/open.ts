// Opening the SQLite mirror: one file for every profile, in WAL mode so `list` reads while `sync`
// writes, with a busy timeout so concurrent processes wait instead of failing. A file that is not
// an events mirror is refused with a clear error, never reset.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MirrorError } from '../../errors.js';
import type { Store } from '../contract.js';
import type { OpenOptions } from '../open.js';
import { connectionPragmas } from './pragmas.js';
import { registerPhrases } from './search.js';
import { SqliteStore } from './store.js';
import { check, migrate } from './upgrade.js';

export type Db = Database.Database;

/** Opens (creating and migrating unless readonly) the mirror in `file`. */
export async function openSqlite(file: string, options: OpenOptions = {}): Promise<Store> {
  return new SqliteStore(openMirror(file, options), path.resolve(file));
}

/** Opens (creating if needed) the mirror at `file` and brings its schema up to date. */
function openMirror(file: string, options: OpenOptions): Db {
  if (options.readonly && !fs.existsSync(file)) {
    throw new MirrorError(`no mirror at ${file} yet — run \`events sync\` first`);
  }
  if (!options.readonly) {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
    } catch (err) {
      // A parent that is a file, or a path we may not create: say so, not "a bug in events".
      throw new MirrorError(`cannot create the directory of the mirror ${file}: ${(err as Error).message}`, { cause: err });
    }
  }
  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, timeout: options.busyTimeoutMs ?? 15_000 });
    // Refuse a file that is not ours before anything writes to it: switching to WAL rewrites the
    // header of any SQLite file, so a foreign database would not be left as it was.
    const version = db.pragma('user_version', { simple: true }) as number;
    check(db, file, version);
    // A new mirror gives back the pages `events prune` frees (PRAGMA incremental_vacuum); the mode
    // can only be chosen before the first table, so an older mirror switches at its first prune.
    if (version === 0 && !db.readonly) db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    connectionPragmas(db);
    registerPhrases(db);
    migrate(db, file, options.onUpgrade);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof MirrorError) throw err;
    throw new MirrorError(`cannot open the mirror ${file}: ${reason(err)}`, { cause: err });
  }
}

function reason(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e.code === 'SQLITE_NOTADB') return 'the file is not an SQLite database (pass another --db; the file was left as it is)';
  if (e.code === 'SQLITE_CORRUPT') return 'the database is corrupt (the file was left as it is)';
  if (e.code === 'SQLITE_CANTOPEN') return 'the file cannot be opened (check its directory and permissions)';
  if (e.code === 'SQLITE_READONLY') return 'the file is read-only';
  return e.message ?? String(err);
}
