// The online side of forward and tail --consumer: one sync before the start, then one every
// interval, each reporting its waits; a sync that runs out of retries is reported and tried again
// at the next interval, anything else (bad credentials) ends the loop by throwing.
import type { Connection } from '../config/connection.js';
import { InterruptedError, RetriesExhaustedError } from '../errors.js';
import { sleep } from '../http/backoff.js';
import type { Session } from './session.js';
import { runSync } from './sync-run.js';

export interface SyncLoopHooks {
  onWait(info: { reason: string; waitMs: number }): void;
  onSynced(): void;
  onFailed(message: string, retryAt: number): void;
}

export function syncLoops(session: Session, conn: Connection, options: { intervalMs: number; overlapMs: number }, hooks: SyncLoopHooks) {
  const once = async () => {
    try {
      await runSync(session, conn, { busy: 'skip', progress: false, overlapMs: options.overlapMs, onWait: hooks.onWait });
      hooks.onSynced();
    } catch (err) {
      if (!(err instanceof RetriesExhaustedError)) throw err;
      hooks.onFailed(err.message, Date.now() + options.intervalMs);
    }
  };
  // `changed`: this process's own commits may go unnoticed by the mirror's watch (SQLite), so the
  // follower is woken after each sync.
  const loop = async (signal: AbortSignal, changed: () => void) => {
    for (;;) {
      try {
        await sleep(options.intervalMs, signal);
        await once();
        changed();
      } catch (err) {
        if (err instanceof InterruptedError || signal.aborted) return;
        throw err;
      }
    }
  };
  return { once, loop };
}
