// Finding a transaction pooler behind a URL that does not look like one. A direct session reports
// its own server pid in the startup handshake; a pooler reports a key of its own. Session-mode
// pooling keeps our server session for us and is fine; transaction mode hands it to whichever
// client comes next, which breaks advisory locks and LISTEN. So, only when a pooler answered: a
// second client opens a transaction and we see whose server session it got.
import type { Client } from 'pg';
import { MirrorError } from '../../errors.js';
import { connect } from './connect.js';
import { poolerMessage } from './failure.js';
import type { Session } from './session.js';

type Env = Record<string, string | undefined>;

// A session pooler with every server session busy makes the probe wait: then we cannot tell, and
// go on (the pid checks on locks and commits still stand guard).
const PROBE_MS = 5_000;

/** Throws when `session` runs through a transaction-mode pooler. */
export async function refuseTransactionPooler(session: Session, env: Env): Promise<void> {
  const reported = (session.client as unknown as { processID?: number }).processID;
  if (reported === undefined || reported === null || reported === session.pid) return;
  let probe: Client | undefined;
  try {
    probe = await connect({ ...session.target, connectTimeoutMs: PROBE_MS }, env);
    const within = <T>(p: Promise<T>) => Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('probe timed out')), PROBE_MS).unref())]);
    await within(probe.query('BEGIN'));
    const theirs = (await within(probe.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))).rows[0]!.pid;
    // Our server session went to another client, or we no longer have it.
    const mine = theirs === session.pid ? -1 : (await within(session.one<{ pid: number }>('SELECT pg_backend_pid() AS pid'))).pid;
    if (mine !== session.pid) {
      throw new MirrorError(poolerMessage(session.target, 'a second client was given this session’s server process'));
    }
  } catch (err) {
    if (err instanceof MirrorError && /transaction pooler/.test(err.message)) throw err;
    // Could not tell: leave it to the pid checks.
  } finally {
    probe?.end().catch(() => {});
  }
}
