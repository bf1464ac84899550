// One database session (a pg.Client) with the rules the mirror needs: an error event never crashes
// the process but fails the next call; errors come back as one-line MirrorErrors; and the backend
// pid is checked where it matters, because a transaction pooler would swap sessions under us.
import type { Client } from 'pg';
import { MirrorError } from '../../errors.js';
import { lostConnection, poolerMessage, queryFailure } from './failure.js';
import { quoteIdent } from './sql.js';
import type { Target } from './target.js';

/** admin_shutdown, crash_shutdown, cannot_connect_now: the session is over, the statement never ran. */
const TERMINATED = new Set(['57P01', '57P02', '57P03']);

export class Session {
  /** The server process behind this session, read when it opened. */
  pid = 0;
  /**
   * Advisory locks this session holds (kept by Locks). A session that holds one is never
   * replaced: its lock died with it, and a sync must stop rather than write without it.
   */
  locksHeld = 0;
  /** How to open a new connection when this one is lost (readers reconnect; see query()). */
  reopen: (() => Promise<Client>) | undefined;
  private lost: unknown;
  private ended = false;

  constructor(
    public client: Client,
    readonly target: Target,
  ) {
    this.adopt(client);
  }

  private adopt(client: Client): void {
    this.client = client;
    this.lost = undefined;
    client.removeAllListeners('error');
    client.on('error', (err) => {
      if (this.client === client) this.lost ??= err;
    });
    client.on('end', () => {
      if (this.client === client) this.lost ??= new Error('the server closed the connection');
    });
  }

  /**
   * A lost session that holds no lock is replaced before the next statement: a reader (`tail
   * --offline`, `list`) carries on after a server restart, failover or idle timeout. The statement
   * that met the loss is not retried (it may have been a write); the caller sees that failure.
   */
  private async revive(): Promise<void> {
    const lost = this.lost;
    if (this.locksHeld > 0 || this.ended || !this.reopen) throw lostConnection(lost, this.target);
    const old = this.client;
    old.end().catch(() => {});
    this.adopt(await this.reopen());
    await this.start();
  }

  /** Points the session at the mirror's schema and learns its server pid. */
  async start(): Promise<void> {
    const row = await this.one<{ pid: number }>(`SELECT set_config('search_path', $1, false), pg_backend_pid() AS pid`, [quoteIdent(this.target.schema)]);
    this.pid = row.pid;
  }

  /** Runs one statement; its rows. No parameters: the simple protocol, several statements allowed. */
  async query<R>(sql: string, params?: unknown[], retried = false): Promise<R[]> {
    if (this.lost !== undefined) await this.revive();
    try {
      const result = await this.client.query(sql, params);
      return result.rows as R[];
    } catch (err) {
      // The server ended the session (a restart, pg_terminate_backend) before running this
      // statement: nothing of it happened, so a reader replaces the session and runs it again.
      if (!retried && TERMINATED.has((err as { code?: string }).code ?? '') && this.locksHeld === 0 && this.reopen && !this.ended) {
        this.lost ??= err;
        await this.revive();
        return this.query<R>(sql, params, true);
      }
      if (this.lost !== undefined) throw lostConnection(this.lost, this.target);
      throw queryFailure(err, this.target);
    }
  }

  /** The first row of a statement (which must return one). */
  async one<R>(sql: string, params?: unknown[]): Promise<R> {
    const rows = await this.query<R>(sql, params);
    return rows[0]!;
  }

  /** Refuses to go on when a statement ran on another server process: a transaction pooler. */
  checkPid(pid: number): void {
    if (pid !== this.pid) throw new MirrorError(poolerMessage(this.target, 'the server session changed between statements'));
  }

  /** Ends the session; the server then drops its advisory locks and LISTENs. Safe to call twice. */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    // A session whose socket is already gone may never answer the goodbye: don't wait on it.
    const done = this.client.end().catch(() => {});
    await Promise.race([done, new Promise((r) => setTimeout(r, 2000).unref())]);
  }
}
