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
  // Each page's commit rewrites a few hundred index pages into the WAL; at SQLite's default a
  // checkpoint (with its fsyncs) ran every few pages and took most of a long sync's time on disk.
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

/** Runs one walk to its end, committing each page with the walk's new position. */
async function runWalk(options: SyncOptions, walk: Walk, result: SyncResult): Promise<void> {
  const { db, profile, provider, client, signal } = options;
  const pages = walkPages({ provider, client, from: walk.next, floor: walk.floor ?? undefined, signal });
  const commit = db.transaction((rows: EventRow[], next: Walk['next'] | null, oldest: number, total?: number) => {
    const changes = upsertEvents(db, profile, rows);
    walk.pages += 1;
    walk.fetched += rows.length;
    if (rows.length > 0) walk.reached = Math.min(walk.reached ?? Infinity, oldest);
    if (next) {
      walk.next = next;
      saveWalkProgress(db, walk);
    } else {
      // The walk reached its lower end: (floor, upper] is now held completely.
      addCoverage(db, profile, { lo: walk.floor, hi: walk.upper });
      deleteWalk(db, walk.walkId);
    }
    if (total !== undefined) updateMeta(db, profile, provider.name, { remoteTotal: total });
    return changes;
  });
  try {
    for await (const page of resumable(options, walk, pages)) {
      const changes = commit.immediate(page.rows, page.next, page.oldest, page.total);
      result.pages += 1;
      result.fetched += page.rows.length;
      for (const c of changes) {
        if (c === 'new') result.inserted += 1;
        else if (c === 'updated') result.updated += 1;
      }
      options.onRows?.(page.rows, changes);
      options.onProgress?.({
        pages: result.pages,
        fetched: result.fetched,
        walk: { kind: walk.kind, reached: walk.reached, floor: walk.floor },
      });
    }
  } finally {
    if (signal?.aborted) await pages.return(undefined);
  }
}

/**
 * The walk's pages; if a saved position is refused by the provider (an expired cursor), the walk
 * starts again just below the oldest event it had stored, rather than from the top.
 */
async function* resumable(options: SyncOptions, walk: Walk, pages: AsyncGenerator<WalkPage>): AsyncGenerator<WalkPage> {
  const { db, profile, provider, client, signal } = options;
  try {
    for await (const page of pages) yield page;
  } catch (err) {
    const refused = err instanceof ProviderError && err.status !== undefined && err.status >= 400 && err.status < 500;
    if (!refused || walk.pages === 0 || walk.reached === null) throw err;
    const below = provider.ordered === false ? undefined : oldestAtOrAfter(db, profile, walk.reached);
    const from = provider.firstRequest({ now: walk.upper, floor: walk.floor ?? undefined, below });
    const again = walkPages({ provider, client, from, floor: walk.floor ?? undefined, signal });
    for await (const page of again) yield page;
  }
}
