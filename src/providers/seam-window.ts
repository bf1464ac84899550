// Seam's list has no cursor (docs/providers.md §4.6): a walk pages a frozen `between` window with
// `limit` + `unstable_offset`, and when the offset misbehaves (a page repeats ids already seen in
// the window) it splits the window in two instead. This file is that bookkeeping, as pure data
// that rides in ApiRequest.state so a killed walk resumes exactly where it stopped.
import { PagingLoopError } from '../errors.js';
import type { Json, JsonObject } from './types.js';

/** [lo, hi] in epoch ms, exclusive at both ends as Seam's `between` is; hi null = `since` lo. */
export type Window = [number, number | null];

/** Where a walk stands: the window being paged, the windows still to walk, and the offset page. */
export interface Position {
  window: Window;
  offset: number;
  limit: number;
  /** The page size to return to when a window is done (a split may have raised `limit`). */
  base: number;
  /** Windows still to walk, the next first. */
  queue: Array<[number, number]>;
  /** Short hashes of the ids already served in this window, to notice a broken offset. */
  seen: string[];
  /**
   * The longest page the server has sent in this walk (0: none yet). A server that caps `limit`
   * silently sends pages of its cap while more follow, so only a page shorter than this (or an
   * empty one) proves a window exhausted; a page shorter than `limit` proves nothing by itself.
   */
  served: number;
  /** The offset was last stepped past a page shorter than `limit` (see advance). */
  stepped: boolean;
}

/** The largest page we ask for when a single millisecond holds more events than one page. */
export const MAX_LIMIT = 8_000;
/** How many id hashes a position keeps: enough to see the last pages repeat, small to save. */
const SEEN_CAP = 1_000;

/** What the walk does after a page, given the position that fetched it and the page's ids. */
export function advance(pos: Position, ids: string[], pageLength: number): Position | null {
  // Empty: the window is exhausted. Longer than asked: the server ignored `limit` (as
  // fake-seam-connect does) and so returned every match at once. Shorter than a page the server
  // has already sent in full: exhausted too. Shorter than asked but as long as any page so far:
  // perhaps the server's own cap, so the walk steps on (an empty page then ends the window).
  // A window whose `limit` was raised (its offset is known to be broken) cannot step either.
  if (pageLength === 0 || pageLength > pos.limit) return nextWindow(pos);
  const short = pageLength < pos.limit;
  if (short && (pageLength < pos.served || pos.limit > pos.base)) return nextWindow(pos);
  const served = Math.max(pos.served, pageLength);
  const hashes = ids.map(idHash);
  const seen = new Set(pos.seen);
  if (!hashes.some((h) => seen.has(h))) {
    const kept = [...pos.seen, ...hashes].slice(-SEEN_CAP);
    return { ...pos, offset: pos.offset + pageLength, seen: kept, served, stepped: short };
  }
  // Ids seen again right after stepping past a short page: the server ignores the offset, so that
  // short page was the whole window (a server that both caps and ignores the offset cannot be paged).
  if (pos.stepped) return nextWindow({ ...pos, served });
  return split({ ...pos, served });
}

/** The next queued window from offset 0 at the base page size, or null when none is left. */
function nextWindow(pos: Position): Position | null {
  const [head, ...rest] = pos.queue;
  if (!head) return null;
  return { window: head, offset: 0, limit: pos.base, base: pos.base, queue: rest, seen: [], served: pos.served, stepped: false };
}

/**
 * The offset cannot be trusted in this window: walk its newer half, then its older half, from
 * offset 0. The halves share the millisecond at the cut ((lo, mid+1) and (mid, hi)), so events
 * with sub-millisecond times at the edge land in both and none falls between; the upsert dedupes.
 * A window of a single millisecond cannot be cut: ask for a bigger page instead.
 */
function split(pos: Position): Position | null {
  const [lo, hi] = pos.window;
  if (hi === null) {
    // An open `since` window (list --remote) has no upper end to halve; stop rather than loop.
    return nextWindow(pos);
  }
  if (hi - lo >= 3) {
    const mid = Math.floor((lo + hi) / 2);
    return { ...pos, window: [mid, hi], offset: 0, seen: [], stepped: false, queue: [[lo, mid + 1], ...pos.queue] };
  }
  if (pos.limit * 2 <= MAX_LIMIT) return { ...pos, offset: 0, limit: pos.limit * 2, seen: [], stepped: false };
  throw new PagingLoopError(
    `seam: more than ${pos.limit} events share the millisecond ${new Date(lo + 1).toISOString()} and the API ignores unstable_offset; cannot page through them`,
  );
}

/** A short, stable hash of an id (FNV-1a, 32 bits, base 36): collisions only cost a split. */
export function idHash(id: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/** The bookkeeping part of a position, as it is saved in ApiRequest.state. */
export function toState(pos: Position): JsonObject {
  return { base: pos.base, queue: pos.queue, seen: pos.seen, served: pos.served, stepped: pos.stepped };
}

/** Reads the saved bookkeeping back; anything missing means a fresh walk of one window. */
export function fromState(state: JsonObject | undefined): Pick<Position, 'base' | 'queue' | 'seen' | 'served' | 'stepped'> {
  const queue: Array<[number, number]> = [];
  for (const item of asArray(state?.queue)) {
    const pair = asArray(item);
    if (typeof pair[0] === 'number' && typeof pair[1] === 'number') queue.push([pair[0], pair[1]]);
  }
  const seen = asArray(state?.seen).filter((s): s is string => typeof s === 'string');
  const base = typeof state?.base === 'number' ? state.base : 0;
  const served = typeof state?.served === 'number' ? state.served : 0;
  return { base, queue, seen, served, stepped: state?.stepped === true };
}

function asArray(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : [];
}
