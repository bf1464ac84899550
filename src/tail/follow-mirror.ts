// `tail --offline`: follows what other processes' syncs commit to the mirror, through the change
// log, never calling the provider. Shows what the online loop would: new events and newer versions,
// each once, not an old backfill another process happens to be walking.
import type { JsonObject } from '../providers/types.js';
import type { RevisedEvent, StoredEvent, Store } from '../store/contract.js';
import { changeFeed } from './changes.js';
import { SeenIds } from './seen.js';
import type { TailEvent, TailUpdate } from './types.js';

export interface FollowMirrorOptions {
  store: Store;
  profile: string;
  /** The mirror's matching events at or after `since` (--since's replay). */
  stored(since: number): Promise<StoredEvent[]>;
  /** Whether a changed event passes --type and --where. */
  matches(event: StoredEvent): boolean;
  summarize(raw: JsonObject): string;
  overlapMs: number;
  start: number;
  since?: number | undefined;
  signal: AbortSignal;
  emit(update: TailUpdate): void;
  now?: () => number;
}

export async function followMirror(options: FollowMirrorOptions): Promise<void> {
  const { store, profile, signal, emit } = options;
  const now = options.now ?? Date.now;
  const seen = new SeenIds();
  const floor = (options.since ?? options.start) - options.overlapMs;
  const toEvent = (e: StoredEvent, change: TailEvent['change'], replayed: boolean): TailEvent => ({
    id: e.id,
    type: e.type,
    time: e.time,
    updated: e.updated,
    object: e.object,
    raw: e.raw,
    summary: options.summarize(JSON.parse(e.raw) as JsonObject),
    change,
    replayed,
  });
  const fresh = (events: StoredEvent[], replayed: boolean): TailEvent[] => {
    const out: TailEvent[] = [];
    for (const e of events) {
      const shown = seen.updatedOf(e.id);
      if (shown !== undefined && shown >= e.updated) continue;
      seen.add(e.id, e.updated, e.time);
      out.push(toEvent(e, shown === undefined ? 'new' : 'updated', replayed));
    }
    return out.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  };

  emit({ kind: 'state', state: { kind: 'catching-up', pages: 0 } });
  // The head first, then the replay: a commit in between is read twice and shown once.
  const head = await store.headRevision(profile);
  if (options.since !== undefined) {
    const replay = fresh(await options.stored(options.since), true);
    if (replay.length > 0) emit({ kind: 'events', events: replay });
  }
  emit({ kind: 'state', state: { kind: 'live', lastPoll: now(), offline: true } });
  for await (const batch of changeFeed({ store, profile, after: head, signal })) {
    const shown = fresh(
      batch.filter((e: RevisedEvent) => e.time >= floor && options.matches(e)),
      false,
    );
    if (shown.length > 0) emit({ kind: 'events', events: shown });
    emit({ kind: 'state', state: { kind: 'live', lastPoll: now(), offline: true } });
  }
}
