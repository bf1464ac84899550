// Named locks (`sync:PROFILE`, `consumer:NAME:PROFILE`) as session-level advisory locks: held by
// this database session, so the server frees them the moment the session ends, whether we close,
// crash or are killed, and from whichever machine we ran. The key is hashed with the schema, so
// mirrors in different schemas of one database never block each other.
import type { LockAttempt } from '../contract.js';
import type { Session } from './session.js';

const KEY = `hashtextextended($1 || ':' || $2, 0)`;

export class Locks {
  /** Keys this session holds: advisory locks are re-entrant per session, ours are not. */
  private readonly held = new Set<string>();

  constructor(private readonly session: Session) {}

  async tryLock(key: string): Promise<LockAttempt> {
    const { session } = this;
    if (this.held.has(key)) return { ok: false, holder: `this session (pid ${session.pid})` };
    const params = [session.target.schema, key];
    const got = await session.one<{ ok: boolean; pid: number }>(`SELECT pg_try_advisory_lock(${KEY}) AS ok, pg_backend_pid() AS pid`, params);
    if (got.ok) {
      try {
        // A pooler would have taken it on a session we may never see again.
        session.checkPid(got.pid);
      } catch (err) {
        await session.query(`SELECT pg_advisory_unlock(${KEY})`, params).catch(() => {});
        throw err;
      }
      this.held.add(key);
      session.locksHeld = this.held.size;
      return { ok: true, lock: { release: () => this.release(key) } };
    }
    return { ok: false, holder: await this.describeHolder(params) };
  }

  private async release(key: string): Promise<void> {
    if (!this.held.delete(key)) return;
    this.session.locksHeld = this.held.size;
    // A lost session has lost the lock already; nothing to undo.
    await this.session.query(`SELECT pg_advisory_unlock(${KEY})`, [this.session.target.schema, key]).catch(() => {});
  }

  /** `pid 1234 on 10.0.0.5 (events)`, from pg_locks: a bigint key is split over classid and objid. */
  private async describeHolder(params: string[]): Promise<string> {
    const rows = await this.session
      .query<{ pid: number; addr: string | null; port: number | null; app: string | null }>(
        `SELECT l.pid, host(a.client_addr) AS addr, a.client_port AS port, a.application_name AS app
           FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
            AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND ((l.classid::bigint << 32) | l.objid::bigint) = ${KEY}
          LIMIT 1`,
        params,
      )
      .catch(() => []);
    const row = rows[0];
    if (!row) return 'another session';
    // Another role's session shows no address unless we may read all stats: say only what we know.
    const where = row.addr ? ` on ${row.addr}` : row.port === -1 ? ' on a local socket' : '';
    return `pid ${row.pid}${where}${row.app ? ` (${row.app})` : ''}`;
  }
}
