// Following a profile's change log without calling the provider (tail --offline, and later the
// delivery of forward --offline and durable consumers): wake on the mirror's change hint (NOTIFY
// on PostgreSQL, the file on SQLite), read every revision above the last one seen, in order.
// Revisions of a profile grow in commit order (src/store/contract.ts), so reading `rev > last`
// never skips a commit, whichever process made it.
import type { RevisedEvent, Store } from '../store/contract.js';

/** Revisions read per query: a sync's big batch is read in a few round trips, in bounded memory. */
const BATCH = 1000;
/** Even without a hint (a lost connection, a file system that does not report), look this often. */
const FALLBACK_MS = 5_000;

export interface ChangeFeedOptions {
  store: Store;
  profile: string;
  /** Start after this revision (the head when following from now, a consumer's position…). */
  after: number;
  signal: AbortSignal;
  /**
   * Hands over a function that wakes the feed at once: for a sync in this same process, whose
   * commits a SQLite mirror's watch does not report (data_version moves for other connections only).
   */
  onNudge?: (nudge: () => void) => void;
}

/** Batches of changed events, in revision order, until `signal` aborts. */
export async function* changeFeed(options: ChangeFeedOptions): AsyncGenerator<RevisedEvent[]> {
  const { store, profile, signal } = options;
  let after = options.after;
  let wake: (() => void) | undefined;
  let hinted = false;
  const nudge = () => {
    hinted = true;
    wake?.();
  };
  const watcher = await store.watch(nudge);
  options.onNudge?.(nudge);
  signal.addEventListener('abort', nudge, { once: true });
  try {
    while (!signal.aborted) {
      hinted = false;
      for (;;) {
        const batch = await store.changesSince(profile, after, BATCH);
        if (batch.length === 0) break;
        after = batch[batch.length - 1]!.rev;
        yield batch;
        if (batch.length < BATCH || signal.aborted) break;
      }
      if (hinted || signal.aborted) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, FALLBACK_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    signal.removeEventListener('abort', nudge);
    await watcher.close();
  }
}
