// What the two follow loops (syncs of the provider, and --offline's change log of the mirror)
// share: the options of both, and how an event becomes one to show, once per version.
import type { EventRow, JsonObject } from '../providers/types.js';
import type { StoredEvent } from '../store/contract.js';
import type { SeenIds } from './seen.js';
import type { TailEvent, TailUpdate } from './types.js';

export interface FollowCommon {
  /** --since's replay: the mirror's matching events at or after `since`, in batches, oldest first. */
  replay(since: number): AsyncIterable<StoredEvent[]>;
  /** A few words for the view; none in a pipe, which prints the raw events. */
  summarize?: ((raw: JsonObject) => string) | undefined;
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

/** A fetched row (its text as served) or a stored event (raw is that text), as an event to show. */
export function toTailEvent(
  row: EventRow | StoredEvent,
  summarize: FollowCommon['summarize'],
  change: TailEvent['change'],
  replayed: boolean,
): TailEvent {
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
}

/** The stored events not shown yet (or shown in an older version), each marked seen. */
export function unshown(rows: StoredEvent[], seen: SeenIds, summarize: FollowCommon['summarize'], replayed: boolean): TailEvent[] {
  const out: TailEvent[] = [];
  for (const row of rows) {
    const shown = seen.updatedOf(row.id);
    if (shown !== undefined && shown >= row.updated) continue;
    seen.add(row.id, row.updated, row.time);
    out.push(toTailEvent(row, summarize, shown === undefined ? 'new' : 'updated', replayed));
  }
  return out;
}

/** Oldest first, as a terminal scrolls (a page arrives newest first); ties by id. */
export function oldestFirst(events: TailEvent[]): TailEvent[] {
  return events.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
