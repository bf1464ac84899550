// `tail --offline`: follows what other processes' syncs commit to the mirror, through the change
// log, never calling the provider. Shows what the online loop would: new events and newer versions,
// each once, not an old backfill another process happens to be walking.
import { MirrorError } from '../errors.js';
import { sleep } from '../http/backoff.js';
import type { RevisedEvent, StoredEvent, Store } from '../store/contract.js';
import { changeFeed } from './changes.js';
import { SeenIds } from './seen.js';
import { oldestFirst, unshown, type FollowCommon } from './shown.js';

export interface FollowMirrorOptions extends FollowCommon {
  store: Store;
  profile: string;
  /** Whether a changed event passes --type and --where. */
  matches(event: StoredEvent): boolean;
}

export async function followMirror(options: FollowMirrorOptions): Promise<void> {
  const { store, profile, signal, emit } = options;
  const now = options.now ?? Date.now;
  const seen = new SeenIds();
  const floor = (options.since ?? options.start) - options.overlapMs;
  const fresh = (events: StoredEvent[], replayed: boolean) => oldestFirst(unshown(events, seen, options.summarize, replayed));

  emit({ kind: 'state', state: { kind: 'catching-up', pages: 0 } });
  // The head first, then the replay: a commit in between is read twice and shown once.
  const head = await store.headRevision(profile);
  if (options.since !== undefined) {
    // A batch at a time: a long --since into a pipe is printed as it is read, in flat memory.
    for await (const batch of options.replay(options.since)) {
      const replay = fresh(batch, true);
      if (replay.length > 0) emit({ kind: 'events', events: replay });
    }
  }
  emit({ kind: 'state', state: { kind: 'live', lastPoll: now(), offline: true } });
  // A mirror that goes away (a PostgreSQL restart, a network cut) is waited for, not fatal: the
  // feed starts again after the last revision read, so nothing committed meanwhile is missed.
  let after = head;
  let failures = 0;
  while (!signal.aborted) {
    try {
      if (failures > 0) {
        // Back: say so before the next change comes (this read fails again while it is not).
        await store.headRevision(profile);
        emit({ kind: 'state', state: { kind: 'live', lastPoll: now(), offline: true } });
      }
      for await (const batch of changeFeed({ store, profile, after, signal })) {
        after = batch[batch.length - 1]!.rev;
        failures = 0;
        const shown = fresh(
          batch.filter((e: RevisedEvent) => e.time >= floor && options.matches(e)),
          false,
        );
        if (shown.length > 0) emit({ kind: 'events', events: shown });
        emit({ kind: 'state', state: { kind: 'live', lastPoll: now(), offline: true } });
      }
      return;
    } catch (err) {
      if (!(err instanceof MirrorError) || signal.aborted) throw err;
      const waitMs = Math.min(RETRY_CAP_MS, 500 * 2 ** failures++);
      emit({ kind: 'state', state: { kind: 'failing', error: err.message, retryAt: now() + waitMs } });
      try {
        await sleep(waitMs, signal);
      } catch {
        return;
      }
    }
  }
}

/** The longest wait between attempts to reach a mirror that went away. */
const RETRY_CAP_MS = 5_000;
