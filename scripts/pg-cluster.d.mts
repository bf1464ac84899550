// Types of pg-cluster.mjs.
export interface PgServer {
  /** postgres://postgres@127.0.0.1:PORT/postgres: superuser, trust. */
  url: string;
  /** false for $EVENTS_TEST_PG: its roles and pg_hba are not ours to assume. */
  managed: boolean;
  stop(): Promise<void>;
  /** Stops the server (fast: sessions are cut), runs `whileDown`, starts it again on the same port. */
  restart?(whileDown?: () => Promise<void>): Promise<void>;
}

/** A role that must give a password over TCP, for the "wrong password" tests. */
export const SECRETIVE_ROLE: string;
export const SECRETIVE_PASSWORD: string;

/** A new cluster (or $EVENTS_TEST_PG unless `own`); `durable` keeps fsync on (benchmarks). */
export function startPostgres(options?: { own?: boolean; durable?: boolean }): Promise<PgServer>;
