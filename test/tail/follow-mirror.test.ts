// `tail --offline` (src/tail/follow-mirror.ts) on a real SQLite mirror that a second connection
// writes, as another process's sync would: what it shows (new events and newer versions, each
// once, filtered, not an old backfill), the --since replay before it, and the states it reports.
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/contract.js';
import { inBatches } from '../../src/store/stream.js';
import { followMirror } from '../../src/tail/follow-mirror.js';
import type { TailEvent, TailUpdate } from '../../src/tail/types.js';
import { filter, row, T0, useMirrors, waitUntil } from '../store/contract-support.js';

const P = 'p';
const OVERLAP = 5 * 60_000;
const START = T0 + 3_600_000;
const mirrors = useMirrors('sqlite');

async function twoConnections() {
  const location = await mirrors.location();
  return { store: await mirrors.open(location), writer: await mirrors.open(location) };
}

function follow(store: Store, options: { since?: number; skip?: string } = {}) {
  const stop = new AbortController();
  const updates: TailUpdate[] = [];
  const done = followMirror({
    store,
    profile: P,
    replay: (since) => inBatches(store.stream(filter(P, { since }), 'oldest-first'), 2),
    matches: (e) => options.skip === undefined || !e.type.startsWith(options.skip),
    summarize: (raw) => `summary of ${String(raw.id)}`,
    overlapMs: OVERLAP,
    start: START,
    since: options.since,
    signal: stop.signal,
    emit: (u) => updates.push(u),
    now: () => START,
  });
  const events = () => updates.flatMap((u) => (u.kind === 'events' ? u.events : [])) as TailEvent[];
  const live = () => updates.some((u) => u.kind === 'state' && u.state.kind === 'live');
  return { updates, events, live, stop: async () => (stop.abort(), done) };
}

describe('followMirror', () => {
  it("shows another connection's commits: new events in time order, newer versions as updates, each version once", async () => {
    const { store, writer } = await twoConnections();
    const f = follow(store);
    await waitUntil(f.live, 5000, 'live');
    await writer.putEvents(P, 'close', [row('b', { time: START + 2 }), row('a', { time: START + 1 })]);
    await waitUntil(() => f.events().length === 2, 10_000, 'two new events');
    await writer.putEvents(P, 'close', [row('a', { time: START + 1, updated: START + 50, raw: { id: 'a', v: 2 } })]);
    await waitUntil(() => f.events().length === 3, 10_000, 'the newer version');
    // The same version again (a rescan upserting it unchanged) is not shown again.
    await writer.putEvents(P, 'close', [row('a', { time: START + 1, updated: START + 50, raw: { id: 'a', v: 2 } }), row('c', { time: START + 3 })]);
    await waitUntil(() => f.events().length === 4, 10_000, 'one more');
    await f.stop();
    expect(f.events().map((e) => [e.id, e.change, e.replayed])).toEqual([
      ['a', 'new', false], ['b', 'new', false], ['a', 'updated', false], ['c', 'new', false],
    ]);
    expect(f.events()[2]!.raw).toBe('{"id":"a","v":2}');
    expect(f.events()[0]!.summary).toBe('summary of a');
  });

  it('leaves out what the filter rejects and an old backfill below start − overlap', async () => {
    const { store, writer } = await twoConnections();
    const f = follow(store, { skip: 'noise.' });
    await waitUntil(f.live, 5000, 'live');
    await writer.putEvents(P, 'close', [
      row('old', { time: START - OVERLAP - 1 }),
      row('late', { time: START - OVERLAP + 1 }),
      row('n', { time: START + 1, type: 'noise.ping' }),
      row('kept', { time: START + 2 }),
    ]);
    await writer.putEvents(P, 'close', [row('last', { time: START + 3 })]);
    await waitUntil(() => f.events().some((e) => e.id === 'last'), 10_000, 'the last event');
    await f.stop();
    expect(f.events().map((e) => e.id)).toEqual(['late', 'kept', 'last']);
  });

  it('with --since, first replays the mirror from then, oldest first, then follows without showing them twice', async () => {
    const { store, writer } = await twoConnections();
    await writer.putEvents(P, 'close', [1, 2, 3, 4, 5].map((i) => row(`r${i}`, { time: START - i * 60_000 })));
    const f = follow(store, { since: START - 3.5 * 60_000 });
    await waitUntil(f.live, 5000, 'live');
    await writer.putEvents(P, 'close', [row('r1', { time: START - 60_000 }), row('new', { time: START + 1 })]);
    await waitUntil(() => f.events().some((e) => e.id === 'new'), 10_000, 'the new event');
    await f.stop();
    expect(f.events().map((e) => [e.id, e.replayed])).toEqual([['r3', true], ['r2', true], ['r1', true], ['new', false]]);
    // Catching up first, then live and offline.
    const states = f.updates.filter((u) => u.kind === 'state').map((u) => (u.kind === 'state' ? u.state : null));
    expect(states[0]).toEqual({ kind: 'catching-up', pages: 0 });
    expect(states[1]).toEqual({ kind: 'live', lastPoll: START, offline: true });
  });
});
