// Opening a mirror: a file path is the embedded SQLite engine, a postgres:// or postgresql:// URL
// the shared PostgreSQL one. Each engine is imported only when chosen, so a SQLite command never
// loads `pg` and `--help` loads neither.
import type { Store } from './contract.js';

export interface OpenOptions {
  /** Readers do not create or migrate the mirror (a missing one is an error that says to sync). */
  readonly?: boolean | undefined;
  /** The environment (libpq's PG* variables, HOME for ~/.pgpass); process.env when absent. */
  env?: Record<string, string | undefined> | undefined;
  /** How long a SQLite statement waits for another process's lock before failing (15 s when absent). */
  busyTimeoutMs?: number | undefined;
}

/** Whether `location` names a PostgreSQL mirror rather than a file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** Opens (creating and migrating unless readonly) the mirror at `location`. */
export async function openStore(location: string, options: OpenOptions = {}): Promise<Store> {
  if (isPostgresUrl(location)) {
    const { openPostgres } = await import('./postgres/open.js');
    return openPostgres(location, options);
  }
  const { openSqlite } = await import('./sqlite/store.js');
  return openSqlite(location, options);
}
