// Which walks a sync makes (docs/architecture.md, "Sync: coverage, walks and holes"): the head
// gap down to the newest covered time less the overlap, the walks an earlier run left unfinished,
// and the history below on a first run, --full or a --since older than the mirror.
import type { Store, Walk } from '../store/contract.js';
import type { SyncOptions, SyncResult } from './engine.js';

export const DEFAULT_OVERLAP_MS = 5 * 60_000;

/**
 * Decides which walks this run makes, saving the new ones (added to `started`); returns them newest
 * first. The caller holds the profile's lock, so nobody else plans or walks this profile meanwhile.
 */
export async function planWalks(options: SyncOptions, now: number, result: SyncResult, started: Walk[]): Promise<Walk[]> {
  const { store, profile, provider, since } = options;
  const overlap = options.overlapMs ?? DEFAULT_OVERLAP_MS;
  const ranges = await store.coverage(profile);
  const pending = await store.pendingWalks(profile);
  // Coverage is in the provider's time, which may run ahead of this machine's: never plan below it.
  now = Math.max(now, ...ranges.map((r) => r.hi));
  type Boundary = Awaited<ReturnType<Store['oldestAtOrAfter']>>;
  const start = async (kind: Walk['kind'], upper: number, floor: number | null, below?: Boundary) => {
    const walk = await store.createWalk(profile, {
      kind,
      upper,
      floor,
      next: provider.firstRequest({ now, floor: floor ?? undefined, below }),
      reached: null,
      pages: 0,
      fetched: 0,
      started: now,
    });
    started.push(walk);
    return walk;
  };

  if (options.full) {
    await store.deleteWalks(profile);
    return [await start('backfill', now, since ?? null)];
  }
  const tops = [...ranges.map((r) => r.hi), ...pending.map((w) => w.upper)];
  if (tops.length === 0) {
    result.first = true;
    return [await start('backfill', now, since ?? null)];
  }
  const walks = [await start('head', now, Math.max(...tops) - overlap), ...pending];
  // A --since older than anything the mirror covers or is walking: walk the history below it.
  const lowest = Math.min(...ranges.map((r) => r.lo ?? -Infinity), ...pending.map((w) => w.floor ?? -Infinity));
  if (since !== undefined && since < lowest) {
    walks.push(await start('backfill', lowest, since, await store.oldestAtOrAfter(profile, lowest)));
  }
  return walks;
}
