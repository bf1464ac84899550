// The sync engine: it fills the gaps in what the mirror covers (design.md, "The mirror and the
// five-minute overlap").
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
import type { Db } from '../store/db.js';
import { oldestAtOrAfter, upsertEvents, type Change } from '../store/events.js';
import {
  addCoverage,
  coverage,
  createWalk,
  deleteWalk,
  deleteWalks,
  pendingWalks,
  saveWalkProgress,
  updateMeta,
  type Walk,
} from '../store/sync-state.js';
import type { EventRow } from '../providers/types.js';

export const DEFAULT_OVERLAP_MS = 5 * 60_000;

export interface SyncProgress {
  pages: number;
  fetched: number;
  /** The walk under way: its kind and how far down it has reached. */
  walk: { kind: Walk['kind']; reached: number | null; floor: number | null };
}

export interface SyncOptions {
  db: Db;
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
}

export interface SyncResult {
  pages: number;
  fetched: number;
  inserted: number;
  updated: number;
  ms: number;
  /** True when this was the profile's first sync. */
  first: boolean;
}

/** Brings one profile's mirror up to date. Throws (keeping every committed page) on failure. */
export async function syncProfile(options: SyncOptions): Promise<SyncResult> {
  const { db, profile, provider } = options;
  const now = (options.now ?? Date.now)();
  const result: SyncResult = { pages: 0, fetched: 0, inserted: 0, updated: 0, ms: 0, first: false };
  // Each commit rewrites hundreds of index pages into the WAL; at SQLite's default a checkpoint
  // (with its fsyncs) ran every few commits and took most of a long sync's time on disk.
  // Every 10,000 WAL pages (about 40 MB) is enough to make checkpoints rare during a sync.
  db.pragma('wal_autocheckpoint = 10000');
  const walks = db.transaction(() => planWalks(options, now, result)).immediate();
  updateMeta(db, profile, provider.name, {});
  try {
    for (const walk of walks) await runWalk(options, walk, result);
    updateMeta(db, profile, provider.name, { lastSync: Date.now(), lastOk: Date.now(), lastError: '' });
  } catch (err) {
    updateMeta(db, profile, provider.name, { lastSync: Date.now(), lastError: (err as Error).message });
    throw err;
  } finally {
    result.ms = Date.now() - now;
  }
  return result;
}

/** Decides which walks this run makes, saving the new ones; returns them newest first. */
function planWalks(options: SyncOptions, now: number, result: SyncResult): Walk[] {
  const { db, profile, provider, since } = options;
  const overlap = options.overlapMs ?? DEFAULT_OVERLAP_MS;
  const ranges = coverage(db, profile);
  const pending = pendingWalks(db, profile);
  const start = (kind: Walk['kind'], upper: number, floor: number | null, below?: ReturnType<typeof oldestAtOrAfter>) =>
    createWalk(db, profile, {
      kind,
      upper,
      floor,
      next: provider.firstRequest({ now, floor: floor ?? undefined, below }),
      reached: null,
      pages: 0,
      fetched: 0,
      started: now,
    });

  if (options.full) {
    deleteWalks(db, profile);
    return [start('backfill', now, since ?? null)];
  }
  const tops = [...ranges.map((r) => r.hi), ...pending.map((w) => w.upper)];
  if (tops.length === 0) {
    result.first = true;
    return [start('backfill', now, since ?? null)];
  }
  const walks = [start('head', now, Math.max(...tops) - overlap), ...pending];
  // A --since older than anything the mirror covers or is walking: walk the history below it.
  const lowest = Math.min(...ranges.map((r) => r.lo ?? -Infinity), ...pending.map((w) => w.floor ?? -Infinity));
  if (since !== undefined && since < lowest) {
    walks.push(start('backfill', lowest, since, oldestAtOrAfter(db, profile, lowest)));
  }
  return walks;
}

/**
 * Pages are committed in batches: every BATCH_MS, at the end of a walk, and before any error
 * leaves (a failure, Ctrl-C), each batch in one transaction with the position of its last page.
 * A transaction per page spent most of a sync rewriting the same index pages into the WAL; a
 * kill -9 loses at most the last BATCH_MS of fetching, which the next run fetches again.
 */
const BATCH_MS = 250;
const BATCH_ROWS = 3_000;

/** Runs one walk to its end, committing its pages with the walk's new position. */
async function runWalk(options: SyncOptions, walk: Walk, result: SyncResult): Promise<void> {
  const { db, profile, provider, client, signal } = options;
  const commit = db.transaction((batch: WalkPage[]) => {
    const changes = batch.map((page) => {
      walk.pages += 1;
      walk.fetched += page.rows.length;
      if (page.rows.length > 0) walk.reached = Math.min(walk.reached ?? Infinity, page.oldest);
      if (page.total !== undefined) updateMeta(db, profile, provider.name, { remoteTotal: page.total });
      return upsertEvents(db, profile, page.rows);
    });
    const next = batch[batch.length - 1]!.next;
    if (next) {
      walk.next = next;
      saveWalkProgress(db, walk);
    } else {
      // The walk reached its lower end: (floor, upper] is now held completely.
      addCoverage(db, profile, { lo: walk.floor, hi: walk.upper });
      deleteWalk(db, walk.walkId);
    }
    return changes;
  });
  const pending: WalkPage[] = [];
  let pendingRows = 0;
  let lastCommit = Date.now();
  const flush = () => {
    if (pending.length === 0) return;
    const batch = pending.splice(0);
    pendingRows = 0;
    lastCommit = Date.now();
    const changes = commit.immediate(batch);
    batch.forEach((page, i) => {
      for (const c of changes[i]!) {
        if (c === 'new') result.inserted += 1;
        else if (c === 'updated') result.updated += 1;
      }
      options.onRows?.(page.rows, changes[i]!);
    });
  };

  let from = walk.next;
  let restarted = false;
  for (;;) {
    try {
      for await (const page of walkPages({ provider, client, from, floor: walk.floor ?? undefined, signal })) {
        pending.push(page);
        pendingRows += page.rows.length;
        result.pages += 1;
        result.fetched += page.rows.length;
        if (!page.next || Date.now() - lastCommit >= BATCH_MS || pendingRows >= BATCH_ROWS) flush();
        options.onProgress?.({
          pages: result.pages,
          fetched: result.fetched,
          walk: { kind: walk.kind, reached: walk.reached, floor: walk.floor },
        });
      }
      return;
    } catch (err) {
      flush(); // what was fetched is kept, whatever stopped the walk
      // A saved position the provider refuses (an expired cursor): start again just below the
      // oldest event the walk stored, rather than from the top — or, when pages come in no
      // particular order (Seam), over the walk's whole range, deduplicated by the upsert.
      const refused = err instanceof ProviderError && err.status !== undefined && err.status >= 400 && err.status < 500;
      if (!refused || restarted || walk.pages === 0 || walk.reached === null) throw err;
      restarted = true;
      const below = provider.ordered === false ? undefined : oldestAtOrAfter(db, profile, walk.reached);
      from = provider.firstRequest({ now: walk.upper, floor: walk.floor ?? undefined, below });
    }
  }
}
