// Running a sync for a command (sync, list, tail): the profile's lock, the progress line, the
// notes a user should see, and the engine itself.
import type { Connection } from '../config/connection.js';
import { sleep } from '../http/backoff.js';
import type { Change, LockAttempt } from '../store/contract.js';
import type { EventRow } from '../providers/types.js';
import type { SyncResult } from '../sync/engine.js';
import { note } from '../io.js';
import { progressReporter } from './progress.js';
import type { Session } from './session.js';

/**
 * Warnings already given by this process: tail syncs every few seconds over the same overlap, and
 * an event is named once, not at every poll.
 */
const warned = new Set<string>();

/** A skew worth a note: more than the Date header's grain and a slow round trip. */
const LARGE_SKEW_MS = 60_000;

export interface RunSyncOptions {
  full?: boolean | undefined;
  overlapMs?: number | undefined;
  since?: number | undefined;
  /** When another process is syncing the profile: wait for it (sync) or use the mirror as it is (list). */
  busy: 'wait' | 'skip';
  /** Show the live progress line (sync on a terminal); list and tail stay quieter. */
  progress: boolean;
  onRows?: ((rows: EventRow[], changes: Change[]) => void) | undefined;
  onWait?: ((info: { reason: string; waitMs: number; attempt: number }) => void) | undefined;
}

/** Syncs the connection's profile; undefined when it was skipped because another sync runs. */
export async function runSync(session: Session, conn: Connection, options: RunSyncOptions): Promise<SyncResult | undefined> {
  const { io } = session;
  const store = await session.mirror();
  const { syncProfile } = await import('../sync/engine.js');
  const label = `${conn.provider.name} ${conn.profileName ? `"${conn.profileName}"` : '(env)'}`;
  let attempt: LockAttempt = await store.tryLock(`sync:${conn.name}`);
  if (!attempt.ok) {
    if (options.busy === 'skip') {
      note(io, `another sync of ${label} is running (${attempt.holder}); answering from the mirror as it is`);
      return undefined;
    }
    note(io, `waiting for the sync of ${label} in ${attempt.holder}…`);
    while (!attempt.ok) {
      await sleep(250, io.signal);
      attempt = await store.tryLock(`sync:${conn.name}`);
    }
  }
  const { lock } = attempt;
  const verbose = Boolean(session.options.verbose);
  const reporter = progressReporter(io, `sync ${label}`, { live: options.progress, verbose });
  const client = await session.client(conn, (info) => {
    options.onWait?.(info);
    if (verbose || (options.progress && io.stderr.isTTY)) {
      reporter.note(`${conn.provider.name}: ${info.reason}; retry ${info.attempt} in ${(info.waitMs / 1000).toFixed(1)} s`);
    }
  });
  let result: SyncResult | undefined;
  try {
    result = await syncProfile({
      store,
      profile: conn.name,
      provider: conn.provider,
      client,
      overlapMs: options.overlapMs,
      full: options.full,
      since: options.since,
      signal: io.signal,
      onProgress: (p) => reporter.update(p),
      onRows: options.onRows,
      warn: (line) => {
        if (warned.has(line)) return;
        warned.add(line);
        reporter.note(line);
      },
    });
  } finally {
    reporter.done(result);
    await lock.release();
  }
  // A provider clock far off this machine's: the mirror keeps to the provider's time (engine.ts),
  // but times shown as "ago" and --since durations are this machine's, so say it.
  if (result.skewMs !== undefined && Math.abs(result.skewMs) >= LARGE_SKEW_MS) {
    const minutes = Math.round(Math.abs(result.skewMs) / 60_000);
    const amount = minutes >= 1 ? `${minutes} min` : `${Math.round(Math.abs(result.skewMs) / 1000)} s`;
    note(io, `note: ${conn.provider.name}'s clock is ${amount} ${result.skewMs > 0 ? 'ahead of' : 'behind'} this machine's; the mirror keeps to the provider's time`);
  }
  if (result.first && conn.provider.retentionDays) {
    note(io, `note: ${conn.provider.name} keeps only ${conn.provider.retentionDays} days of events; the mirror holds what it still serves, and older events are gone from the API`);
  }
  return result;
}
