// Opening a mirror: the first engine that takes the --db value opens it (a postgres:// or
// postgresql:// URL the shared PostgreSQL engine, anything else a file of the embedded SQLite
// one). Each engine's folder is imported only when chosen, so a SQLite command never loads `pg`
// and `--help` loads neither. A new engine is its folder and one line in ENGINES.
import type { Store } from './contract.js';

export interface OpenOptions {
  /** Readers do not create or migrate the mirror (a missing one is an error that says to sync). */
  readonly?: boolean | undefined;
  /** The environment (libpq's PG* variables, HOME for ~/.pgpass); process.env when absent. */
  env?: Record<string, string | undefined> | undefined;
  /** How long a SQLite statement waits for another process's lock before failing (15 s when absent). */
  busyTimeoutMs?: number | undefined;
  /** Told, before it starts, that an existing mirror is being upgraded (a large one takes minutes). */
  onUpgrade?: ((line: string) => void) | undefined;
}

/** Whether `location` names a PostgreSQL mirror rather than a file. */
function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

interface Engine {
  takes(location: string): boolean;
  open(location: string, options: OpenOptions): Promise<Store>;
}

/** The engines, in the order they are asked; the last takes any location. */
const ENGINES: Engine[] = [
  { takes: isPostgresUrl, open: async (location, options) => (await import('./postgres/open.js')).openPostgres(location, options) },
  { takes: () => true, open: async (location, options) => (await import('./sqlite/open.js')).openSqlite(location, options) },
];

/** Opens (creating and migrating unless readonly) the mirror at `location`. */
export async function openStore(location: string, options: OpenOptions = {}): Promise<Store> {
  return ENGINES.find((engine) => engine.takes(location))!.open(location, options);
}
