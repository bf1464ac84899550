// Types of test-tools.mjs.
export interface Where {
  /** Re-roots /usr/lib/postgresql and /usr/sbin (default `/`). */
  root?: string;
  PATH?: string;
}
/** The directory holding initdb and pg_ctl, newest major first. */
export function findPostgresBinDir(where?: Where): string | undefined;
/** The pgbouncer binary (PATH, then /usr/sbin). */
export function findPgbouncer(where?: Where): string | undefined;
/** The tmux binary in PATH. */
export function findTmux(where?: Pick<Where, 'PATH'>): string | undefined;
export function findBinary(name: string, dirs: string[]): string | undefined;
