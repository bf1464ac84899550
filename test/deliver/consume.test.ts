// Following a profile's change log and handing each event on (src/deliver/consume.ts), on a real
// SQLite mirror written by a second connection as another process's sync would: from the head
// without a consumer; with a durable one, a position that moves only over handled events, resumes
// after a stop, records failures, and is never held by two at once.
import { describe, expect, it } from 'vitest';
import { consume, type ConsumeOptions, type Handled } from '../../src/deliver/consume.js';
import type { RevisedEvent, Store } from '../../src/store/contract.js';
import { row, T0, useMirrors, waitUntil } from '../store/contract-support.js';

const P = 'p';
const mirrors = useMirrors('sqlite');

/** A mirror open twice: `store` for the consumer, `writer` standing for another process's sync. */
async function twoConnections() {
  const location = await mirrors.location();
  const store = await mirrors.open(location);
  const writer = await mirrors.open(location);
  let n = 0;
  /** Commits `count` new events through `via` (a consumer sees another connection's commits at once). */
  const add = async (count: number, via: Store = writer) => {
    const rows = Array.from({ length: count }, () => row(`ev_${++n}`, { time: T0 + n }));
    await via.putEvents(P, 'blueai', rows);
    return rows.map((r) => r.id);
  };
  return { store, writer, add };
}

/** Runs consume until stopped, recording what it handed on and noted. */
function start(store: Store, options: Partial<ConsumeOptions> & { outcome?: (e: RevisedEvent) => Handled } = {}) {
  const stop = new AbortController();
  const handled: string[] = [];
  const notes: string[] = [];
  let started = false;
  const done = consume({
    onProgress: () => (started = true),
    store,
    profile: P,
    signal: stop.signal,
    concurrency: 1,
    note: (t) => notes.push(t),
    lockPollMs: 20,
    ...options,
    handle: async (e) => {
      handled.push(e.id);
      return options.outcome ? options.outcome(e) : { ok: true };
    },
  });
  /** Resolves once it has read its starting revision (it reports progress first then). */
  const ready = () => waitUntil(() => started, 5000, 'consume to start');
  return { handled, notes, done, ready, stop: async () => (stop.abort(), done) };
}

describe('consume', () => {
  it('without a consumer, hands on what is committed after it starts, in revision order, and keeps no position', async () => {
    const { store, add } = await twoConnections();
    await add(3);
    const c = start(store);
    await c.ready();
    // Started at the head: the three already there are not handed on.
    const later = [...(await add(2)), ...(await add(1))];
    await waitUntil(() => c.handled.length === 3, 10_000, 'three new events');
    await c.stop();
    expect(c.handled).toEqual(later);
    expect(await store.consumers()).toEqual([]);
  });

  it('with a consumer, resumes after its last acknowledgement with what came while it was down, and nothing twice', async () => {
    const { store, add } = await twoConnections();
    await add(2);
    const first = start(store, { consumer: 'hook' });
    await first.ready();
    const head = await store.headRevision(P);
    expect(first.notes).toEqual([`consumer "hook" is new: it starts after revision ${head} (now)`]);
    const seenLive = await add(2);
    await waitUntil(() => first.handled.length === 2, 10_000, 'two live events');
    await first.stop();
    expect(first.handled).toEqual(seenLive);
    const acked = await store.consumer('hook', P);
    expect(acked!.rev).toBe(await store.headRevision(P));

    const whileDown = await add(3);
    const second = start(store, { consumer: 'hook' });
    await second.ready();
    await waitUntil(() => second.handled.length === 3, 10_000, 'the three synced while down');
    await second.stop();
    expect(second.notes).toEqual([`consumer "hook" resumes after revision ${acked!.rev}`]);
    expect(second.handled).toEqual(whileDown);
    expect((await store.consumer('hook', P))!.rev).toBe(await store.headRevision(P));
  });

  it('records a failed delivery (count and error) and moves past it', async () => {
    const { store, add } = await twoConnections();
    const c = start(store, { consumer: 'hook', outcome: (e) => (e.id === 'ev_2' ? { ok: false, error: '500 Internal Server Error' } : { ok: true }) });
    await c.ready();
    await add(3);
    await waitUntil(() => c.handled.length === 3, 10_000, 'three events');
    await c.stop();
    const state = await store.consumer('hook', P);
    expect(state).toMatchObject({ failures: 1, lastError: 'ev_2: 500 Internal Server Error', rev: await store.headRevision(P) });
  });

  it('never lets two hold one consumer: the second waits, then takes over where the first stopped', async () => {
    const { store, writer, add } = await twoConnections();
    const first = start(store, { consumer: 'hook' });
    await first.ready();
    const second = start(writer, { consumer: 'hook' });
    await waitUntil(() => second.notes.length > 0, 5000, 'the second to notice');
    expect(second.notes[0]).toMatch(/^consumer "hook" is in use by .+; waiting for it to stop$/);
    const ids = await add(2);
    await waitUntil(() => first.handled.length === 2, 10_000, 'the first to deliver');
    expect(second.handled).toEqual([]);
    await first.stop();
    await waitUntil(() => second.notes.includes('consumer "hook" is free: taking over'), 5000, 'the take-over');
    await second.ready();
    const more = await add(1, store);
    await waitUntil(() => second.handled.length === 1, 10_000, 'the second to deliver');
    await second.stop();
    expect(first.handled).toEqual(ids);
    expect(second.handled).toEqual(more);
  });

  it('ends with the sync loop’s error when syncing fails for good', async () => {
    const { store } = await twoConnections();
    const c = start(store, {
      syncLoop: async () => {
        throw new Error('close: 401 Unauthorized');
      },
    });
    await expect(c.done).rejects.toThrow('close: 401 Unauthorized');
  });
});
