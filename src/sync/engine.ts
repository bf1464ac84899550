// The sync engine: it fills the gaps in what the mirror covers (docs/architecture.md, "Sync:
// coverage, walks and holes").
//  - the head gap, from (newest covered time − overlap) to now, walked newest first, so events that
//    became visible late inside the overlap, and Close events consolidated there, are fetched again;
//  - walks left unfinished by an earlier run (a kill, a failure), resumed from their saved request;
//  - on the first run (or --full, or a --since older than the mirror), the history below.
// Each page is written in one transaction together with the walk's new position, so a kill at any
// moment loses nothing committed, and a range is marked covered only when its walk reached its end.
import { ProviderError } from '../errors.js';
import type { ApiClient } from '../http/client.js';
import type { Provider } from '../providers/types.js';
import { walkPages, type WalkPage } from '../providers/walk.js';
import { collectEvery } from '../memory.js';
import type { Change, Store, Walk } from '../store/contract.js';
import type { EventRow } from '../providers/types.js';
import { planWalks } from './plan.js';

export { DEFAULT_OVERLAP_MS } from './plan.js';

/** A full collection per 5,000 rows committed: flat memory over a million-event sync (src/memory.ts). */
const collectNowAndThen = collectEvery(5_000);

export interface SyncProgress {
  pages: number;
  fetched: number;
  /** The walk under way: its kind and how far down it has reached. */
  walk: { kind: Walk['kind']; reached: number | null; floor: number | null };
}

export interface SyncOptions {
  /** The mirror; the caller holds the profile's sync lock. */
  store: Store;
  profile: string;
  provider: Provider;
  client: ApiClient;
  overlapMs?: number | undefined;
  /** Walk the whole history again. */
  full?: boolean | undefined;
  /** Make sure the mirror covers at least back to this time (epoch ms). */
  since?: number | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: SyncProgress) => void) | undefined;
  /** Each committed page's rows and what the upsert did to them (tail shows new and updated). */
  onRows?: ((rows: EventRow[], changes: Change[]) => void) | undefined;
  now?: () => number;
  /** Hears of events stored with less than usual, or not stored (src/providers/event-text.ts). */
  warn?: ((line: string) => void) | undefined;
}

export interface SyncResult {
  pages: number;
  fetched: number;
  inserted: number;
  updated: number;
  ms: number;
  /** True when this was the profile's first sync. */
  first: boolean;
  /** How far the provider's clock ran ahead of this machine's (ms; negative: behind), if it said. */
  skewMs?: number | undefined;
}

/** Below this, a skew is the Date header's one-second grain and the round trip, not a wrong clock. */
const SKEW_TOLERANCE_MS = 2_000;

/** Brings one profile's mirror up to date. Throws (keeping every committed page) on failure. */
export async function syncProfile(options: SyncOptions): Promise<SyncResult> {
  const { store, profile, provider, signal } = options;
  const now = (options.now ?? Date.now)();
  const result: SyncResult = { pages: 0, fetched: 0, inserted: 0, updated: 0, ms: 0, first: false };
  await store.updateMeta(profile, provider.name, {});
  // The walks this run starts: one that committed nothing before a failure is deleted (resuming it is starting it again).
  const started: Walk[] = [];
  const walks = await planWalks(options, now, result, started);
  try {
    for (const walk of walks) await runWalk(options, walk, result);
    result.skewMs = options.client.skewMs;
    // Walks are planned in this machine's time and then take the provider's (runWalk). A window
    // frozen at planning (Seam) stops at this machine's now: if the provider's clock is ahead, walk
    // the gap above it once more, now in the provider's time, so this sync is as fresh as its API.
    const skew = result.skewMs ?? 0;
    if (provider.ordered === false && skew > SKEW_TOLERANCE_MS && !signal?.aborted) {
      // A little past the provider's now (the skew is good to about a second): a window reaching
      // into its future costs nothing, and coverage still ends at its clock (runWalk).
      const later = Date.now() + skew + SKEW_TOLERANCE_MS;
      for (const walk of await planWalks({ ...options, full: false, since: undefined }, later, result, started)) await runWalk(options, walk, result);
    }
    // The skew is kept for `status` (null: the provider sent no Date header this time).
    await store.updateMeta(profile, provider.name, { lastSync: Date.now(), lastOk: Date.now(), lastError: '', skewMs: result.skewMs ?? null });
  } catch (err) {
    await store.deleteWalks(profile, started.filter((w) => w.pages === 0).map((w) => w.walkId)).catch(() => undefined);
    // A failed sync may still have measured the clock; if not, the last measurement stays.
    await store.updateMeta(profile, provider.name, { lastSync: Date.now(), lastError: (err as Error).message, skewMs: options.client.skewMs });
    throw err;
  } finally {
    result.ms = Date.now() - now;
  }
  return result;
}

/**
 * Pages are committed in batches: every BATCH_MS or the store's batchRows, at the end of a walk,
 * and before any error leaves (a failure, Ctrl-C), each batch in one transaction with the position
 * of its last page.
 * A transaction per page spent most of a sync rewriting the same index pages into the WAL; a
 * kill -9 loses at most the last BATCH_MS of fetching, which the next run fetches again.
 *
 * The sync is pipelined: the next page's request is sent before a page is handed over (walk.ts,
 * `prefetch`), and a batch's commit is not awaited before fetching on; at most one commit is in
 * flight, and each waits for the one before it, so batches land in order and each carries the
 * position of its own last page. better-sqlite3's calls are synchronous, so the SQLite store runs
 * the commit on a writer thread of its own (store/sqlite/writer.ts): the fetching and parsing of
 * the next pages go on beside it, as they do beside PostgreSQL's server.
 */
const BATCH_MS = 250;

/** Runs one walk to its end, committing its pages with the walk's new position. */
async function runWalk(options: SyncOptions, walk: Walk, result: SyncResult): Promise<void> {
  const { store, profile, provider, client, signal } = options;
  // Coverage is kept in the provider's time (its clocks may disagree with this machine's by more
  // than the overlap): a walk's upper end becomes the provider's clock at the walk's first page.
  // A walk planned now from the newest event down (head, first backfill) has seen everything up to
  // that moment; a walk whose top was fixed otherwise (a Seam window, a resumed walk) keeps its top
  // unless the provider's clock is behind it.
  const fromTheTop = walk.upper === walk.started && walk.pages === 0 && provider.ordered !== false;
  let clocked = false;
  const takeClock = (date: number | undefined) => {
    if (clocked || date === undefined) return;
    clocked = true;
    walk.upper = fromTheTop ? date : Math.min(walk.upper, date);
  };
  const pending: WalkPage[] = [];
  let pendingRows = 0;
  let lastCommit = Date.now();
  /** The commit under way (resolved when none is); a failed one rejects here. */
  let inflight: Promise<void> = Promise.resolve();
  const commit = async (batch: WalkPage[]) => {
    let remoteTotal: number | undefined;
    for (const page of batch) {
      walk.pages += 1;
      walk.fetched += page.rows.length;
      if (page.rows.length > 0) walk.reached = Math.min(walk.reached ?? Infinity, page.oldest);
      if (page.total !== undefined) remoteTotal = page.total;
    }
    const next = batch[batch.length - 1]!.next;
    if (next) walk.next = next;
    const changes = await store.commitPages({ profile, provider: provider.name, walk, pages: batch, done: !next, remoteTotal, warn: options.warn });
    batch.forEach((page, i) => {
      for (const c of changes[i]!) {
        if (c === 'new') result.inserted += 1;
        else if (c === 'updated') result.updated += 1;
      }
      options.onRows?.(page.rows, changes[i]!);
    });
  };
  /** Starts committing what is pending once the commit before it has landed; does not wait for it. */
  const flush = async () => {
    await inflight;
    if (pending.length === 0) return;
    const batch = pending.splice(0);
    const rows = pendingRows;
    pendingRows = 0;
    lastCommit = Date.now();
    // The collection waits for the commit's last step (its rows counted and handed on): then the
    // batch is garbage, where a collection right after the transaction marked and moved all of it.
    inflight = commit(batch).then(() => collectNowAndThen(rows));
    inflight.catch(() => {}); // awaited by the next flush or at the end; never unhandled meanwhile
  };

  let from = walk.next;
  let restarted = false;
  for (;;) {
    let committing = false;
    try {
      for await (const page of walkPages({ provider, client, from, floor: walk.floor ?? undefined, signal, prefetch: true, warn: options.warn })) {
        takeClock(page.date);
        pending.push(page);
        pendingRows += page.rows.length;
        result.pages += 1;
        result.fetched += page.rows.length;
        if (!page.next || Date.now() - lastCommit >= BATCH_MS || pendingRows >= store.capabilities.batchRows) {
          committing = true;
          await flush();
          committing = false;
        }
        options.onProgress?.({
          pages: result.pages,
          fetched: result.fetched,
          walk: { kind: walk.kind, reached: walk.reached, floor: walk.floor },
        });
      }
      committing = true;
      await flush();
      await inflight;
      return;
    } catch (err) {
      // A failed commit leaves the walk as the mirror holds it: nothing more may be written.
      if (committing) throw err;
      await flush(); // what was fetched is kept, whatever stopped the walk
      await inflight;
      // A saved position the provider refuses (an expired cursor): start again just below the
      // oldest event the walk stored, rather than from the top — or, when pages come in no
      // particular order (Seam), over the walk's whole range, deduplicated by the upsert.
      const refused = err instanceof ProviderError && err.status !== undefined && err.status >= 400 && err.status < 500;
      if (!refused || restarted || walk.pages === 0 || walk.reached === null) throw err;
      restarted = true;
      const below = provider.ordered === false ? undefined : await store.oldestAtOrAfter(profile, walk.reached);
      from = provider.firstRequest({ now: walk.upper, floor: walk.floor ?? undefined, below });
    }
  }
}
