// The poll loop of `events tail`, independent of how it is shown: every interval it runs one sync
// (through `poll`), and turns what the upserts did into events to show once, plus state changes.
import { InterruptedError, RetriesExhaustedError } from '../errors.js';
import { sleep } from '../http/backoff.js';
import type { EventRow } from '../providers/types.js';
import type { Change, StoredEvent } from '../store/contract.js';
import { SeenIds } from './seen.js';
import { oldestFirst, toTailEvent, unshown, type FollowCommon } from './shown.js';
import type { TailEvent, TailState } from './types.js';

/** What one poll may report while it runs. */
export interface PollHooks {
  onRows(rows: EventRow[], changes: Change[]): void;
  onWait(info: { reason: string; waitMs: number }): void;
}

export interface FollowOptions extends FollowCommon {
  /** Runs one sync (the first with `first`); 'skipped' when another process holds the lock. */
  poll(hooks: PollHooks, first: boolean): Promise<'synced' | 'skipped'>;
  /** The mirror's matching events at or after `since` (any order): what a skipped poll missed. */
  stored(since: number): Promise<StoredEvent[]>;
  /** Whether a fetched row passes --type and --where (stored() applies them itself). */
  matches(row: EventRow): boolean;
  intervalMs: number;
}

/**
 * Polls until `signal` aborts. A sync that runs out of retries shows as `failing` and is tried
 * again at the next interval; any other error (bad credentials, a bug) ends the loop by throwing.
 */
export async function follow(options: FollowOptions): Promise<void> {
  const { signal, emit, intervalMs } = options;
  const now = options.now ?? Date.now;
  const floor = options.since ?? options.start;
  const seen = new SeenIds();
  let state: TailState = { kind: 'starting' };
  const setState = (next: TailState) => {
    state = next;
    emit({ kind: 'state', state });
  };
  const emitEvents = (events: TailEvent[]) => {
    if (events.length > 0) emit({ kind: 'events', events: oldestFirst(events) });
  };

  setState({ kind: 'starting' });
  for (let round = 0; !signal.aborted; round++) {
    const first = round === 0;
    const found: TailEvent[] = [];
    let pages = 0;
    let askedWaitMs = 0;
    let failure: RetriesExhaustedError | undefined;
    let outcome: 'synced' | 'skipped' | undefined;
    if (first) setState({ kind: 'catching-up', pages: 0 });
    try {
      outcome = await options.poll(
        {
          onRows(rows, changes) {
            pages += 1;
            // A poll is one page when all is well; more means a first sync or a gap after failures.
            if (first || pages > 1 || state.kind !== 'live') setState({ kind: 'catching-up', pages });
            rows.forEach((row, i) => {
              const change = changes[i];
              if (change === undefined || change === 'same' || !options.matches(row)) return;
              // The first sync catches up on what tail should not show: only what is newer than the
              // start. Later syncs show all they add, down to late events inside the overlap, but not
              // an old backfill resumed from an earlier run.
              if (first && options.since !== undefined) return;
              if (row.time < (first ? options.start : floor - options.overlapMs)) return;
              seen.add(row.id, row.updated, row.time);
              found.push(toTailEvent(row, options.summarize, change, false));
            });
          },
          onWait(info) {
            const retryAt = now() + info.waitMs;
            if (info.reason.startsWith('429')) {
              askedWaitMs = Math.max(askedWaitMs, info.waitMs);
              setState({ kind: 'rate-limited', reason: info.reason, retryAt });
            } else {
              setState({ kind: 'failing', error: info.reason, retryAt });
            }
          },
        },
        first,
      );
    } catch (err) {
      if (err instanceof InterruptedError || signal.aborted) {
        emitEvents(found);
        return;
      }
      if (!(err instanceof RetriesExhaustedError)) throw err;
      failure = err;
    }
    emitEvents(found);
    if (first && options.since !== undefined) {
      // A batch at a time: a long --since into a pipe is printed as it is read, in flat memory.
      for await (const batch of options.replay(options.since)) emitEvents(unshown(batch, seen, options.summarize, true));
    }
    else if (outcome === 'skipped') {
      // Another process synced instead: what it stored is in the mirror, and our own next sync
      // would find it unchanged, so look there for what we have not shown yet.
      const recent = await options.stored(Math.max(floor, seen.newestTime() - options.overlapMs));
      emitEvents(unshown(recent, seen, options.summarize, false));
    }
    // After a 429, wait at least as long as the provider asked before polling again.
    const delay = Math.max(intervalMs, askedWaitMs);
    if (failure) setState({ kind: 'failing', error: failure.message, retryAt: now() + delay });
    else setState({ kind: 'live', lastPoll: now(), ...(outcome === 'skipped' ? { skipped: true } : {}) });
    try {
      await sleep(delay, signal);
    } catch {
      return;
    }
  }
}
