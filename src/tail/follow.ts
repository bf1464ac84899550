// The poll loop of `events tail`, independent of how it is shown: every interval it runs one sync
// (through `poll`), and turns what the upserts did into events to show once, plus state changes.
import { InterruptedError, RetriesExhaustedError } from '../errors.js';
import { sleep } from '../http/backoff.js';
import type { EventRow, JsonObject } from '../providers/types.js';
import type { Change, StoredEvent } from '../store/contract.js';
import { SeenIds } from './seen.js';
import type { TailEvent, TailState, TailUpdate } from './types.js';

/** What one poll may report while it runs. */
export interface PollHooks {
  onRows(rows: EventRow[], changes: Change[]): void;
  onWait(info: { reason: string; waitMs: number }): void;
}

export interface FollowOptions {
  /** Runs one sync (the first with `first`); 'skipped' when another process holds the lock. */
  poll(hooks: PollHooks, first: boolean): Promise<'synced' | 'skipped'>;
  /** The mirror's matching events at or after `since` (any order): what a skipped poll missed. */
  stored(since: number): Promise<StoredEvent[]>;
  /** --since's replay: the mirror's matching events at or after `since`, in batches, oldest first. */
  replay(since: number): AsyncIterable<StoredEvent[]>;
  /** Whether a fetched row passes --type and --where (stored() applies them itself). */
  matches(row: EventRow): boolean;
  /** A few words for the view; none in a pipe, which prints the raw events. */
  summarize?: ((raw: JsonObject) => string) | undefined;
  intervalMs: number;
  /** The overlap each sync rescans: how far below the newest event late ones may still appear. */
  overlapMs: number;
  /** When tail started: the first sync shows only events at or after it. */
  start: number;
  /** --since: the first sync shows nothing, then the mirror's events since this time. */
  since?: number | undefined;
  signal: AbortSignal;
  emit(update: TailUpdate): void;
  now?: () => number;
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
  const toEvent = (row: EventRow | StoredEvent, change: TailEvent['change'], replayed: boolean): TailEvent => {
    const summarize = options.summarize;
    const summary = summarize ? summarize(typeof row.raw === 'string' ? (JSON.parse(row.raw) as JsonObject) : row.raw) : '';
    return {
      id: row.id,
      type: row.type,
      time: row.time,
      updated: row.updated,
      object: row.object,
      raw: typeof row.raw === 'string' ? row.raw : (row as EventRow).text,
      summary,
      change,
      replayed,
    };
  };
  // Oldest first, as a terminal scrolls; a page arrives newest first.
  const emitEvents = (events: TailEvent[]) => {
    if (events.length === 0) return;
    events.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    emit({ kind: 'events', events });
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
              found.push(toEvent(row, change, false));
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
      for await (const batch of options.replay(options.since)) emitEvents(replay(batch, seen, toEvent, true));
    }
    else if (outcome === 'skipped') {
      // Another process synced instead: what it stored is in the mirror, and our own next sync
      // would find it unchanged, so look there for what we have not shown yet.
      const recent = await options.stored(Math.max(floor, seen.newestTime() - options.overlapMs));
      emitEvents(replay(recent, seen, toEvent, false));
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

/** The stored events not shown yet (or shown in an older version), each marked seen. */
function replay(
  rows: StoredEvent[],
  seen: SeenIds,
  toEvent: (row: StoredEvent, change: TailEvent['change'], replayed: boolean) => TailEvent,
  replayed: boolean,
): TailEvent[] {
  const out: TailEvent[] = [];
  for (const row of rows) {
    const shown = seen.updatedOf(row.id);
    if (shown !== undefined && shown >= row.updated) continue;
    seen.add(row.id, row.updated, row.time);
    out.push(toEvent(row, shown === undefined ? 'new' : 'updated', replayed));
  }
  return out;
}
