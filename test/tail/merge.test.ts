// Several profiles' follow loops as one tail (src/tail/merge.ts), without a Session: two real
// `tail --offline` loops over one real SQLite mirror that a second connection writes, as other
// processes' syncs would, merged into one view or printed as one pipe; and loops that fail (the
// provider refuses the key) next to one that goes on.
import { describe, expect, it } from 'vitest';
import { AuthError } from '../../src/errors.js';
import type { Store } from '../../src/store/contract.js';
import { inBatches } from '../../src/store/stream.js';
import { follow } from '../../src/tail/follow.js';
import { followMirror } from '../../src/tail/follow-mirror.js';
import { followAll, worst, type ProfileLoop } from '../../src/tail/merge.js';
import type { TailEvent, TailUpdate } from '../../src/tail/types.js';
import { filter, row, T0, useMirrors, waitUntil } from '../store/contract-support.js';

const START = T0 + 3_600_000;
const mirrors = useMirrors('sqlite');

async function twoConnections() {
  const location = await mirrors.location();
  return { store: await mirrors.open(location), writer: await mirrors.open(location) };
}

/** `tail --offline` of one profile of `store`. */
function mirrorLoop(store: Store, profile: string, signal: AbortSignal): ProfileLoop {
  return {
    tag: profile,
    run: (emit) =>
      followMirror({
        store,
        profile,
        replay: (since) => inBatches(store.stream(filter(profile, { since }), 'oldest-first'), 10),
        matches: () => true,
        summarize: (raw) => `summary of ${String(raw.id)}`,
        overlapMs: 60_000,
        start: START,
        signal,
        emit,
        now: () => START,
      }),
  };
}

/** The online loop of a profile whose key the provider refuses: its first poll fails. */
function refusedLoop(tag: string, signal: AbortSignal): ProfileLoop {
  return {
    tag,
    run: (emit) =>
      follow({
        poll: async () => {
          throw new AuthError(`the ${tag} key was refused`);
        },
        stored: async () => [],
        replay: async function* () {},
        matches: () => true,
        intervalMs: 100,
        overlapMs: 60_000,
        start: START,
        signal,
        emit,
      }),
  };
}

function sink() {
  const text = { out: '', err: '' };
  return { text, out: { write: (s: string) => (text.out += s) }, err: { write: (s: string) => (text.err += s) } };
}

describe('followAll', () => {
  it('merges two profiles into one view: events tagged with their profile, one header state, a note with each state', async () => {
    const { store, writer } = await twoConnections();
    const stop = new AbortController();
    const updates: TailUpdate[] = [];
    const { out, err } = sink();
    const loops = ['sales', 'ops'].map((p) => mirrorLoop(store, p, stop.signal));
    const done = followAll(loops, { several: true, view: (u) => updates.push(u), out, err, intervalMs: 100, signal: stop.signal });
    const note = () => updates.filter((u) => u.kind === 'note').map((u) => (u.kind === 'note' ? u.text : '')).at(-1);
    await waitUntil(() => note() === 'sales: live · ops: live', 5000, 'both live');
    await writer.putEvents('sales', 'close', [row('s1', { time: START + 1 })]);
    await writer.putEvents('ops', 'close', [row('o1', { time: START + 2 })]);
    const events = () => updates.flatMap((u) => (u.kind === 'events' ? u.events : [])) as TailEvent[];
    await waitUntil(() => events().length === 2, 10_000, 'one event of each profile');
    stop.abort();
    await done;
    expect(events().map((e) => [e.id, e.summary]).sort()).toEqual([['o1', 'ops · summary of o1'], ['s1', 'sales · summary of s1']]);
    expect(updates.filter((u) => u.kind === 'state').at(-1)).toEqual({ kind: 'state', state: { kind: 'live', lastPoll: START, offline: true } });
  });

  it('in a pipe, prints every profile\'s events and names the profile on each stderr line; a refused one stops alone', async () => {
    const { store, writer } = await twoConnections();
    const stop = new AbortController();
    const { text, out, err } = sink();
    const loops = [mirrorLoop(store, 'sales', stop.signal), refusedLoop('ops', stop.signal)];
    const done = followAll(loops, { several: true, out, err, intervalMs: 100, signal: stop.signal });
    await waitUntil(() => text.err.includes('tail: ops: stopped: the ops key was refused\n'), 5000, 'ops stopped');
    await waitUntil(() => text.err.includes('tail: sales: live, following the mirror\n'), 5000, 'sales live');
    await writer.putEvents('sales', 'close', [row('s1', { time: START + 1 })]);
    await waitUntil(() => text.out.includes('"id":"s1"'), 10_000, 'the sales event');
    stop.abort();
    // Stopped by the user: the refused key was said already, and is not the way tail ends.
    await expect(done).resolves.toBeUndefined();
    expect(text.out.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['s1']);
  });

  it('on a terminal, a refused profile shows as stopped in the note while the header follows the other', async () => {
    const { store } = await twoConnections();
    const stop = new AbortController();
    const updates: TailUpdate[] = [];
    const { out, err } = sink();
    const loops = [mirrorLoop(store, 'sales', stop.signal), refusedLoop('ops', stop.signal)];
    const done = followAll(loops, { several: true, view: (u) => updates.push(u), out, err, intervalMs: 100, signal: stop.signal });
    const noted = (text: string) => updates.some((u) => u.kind === 'note' && u.text === text);
    await waitUntil(() => noted('sales: live · ops: stopped: the ops key was refused'), 5000, 'ops stopped, sales live');
    stop.abort();
    await done;
    expect(updates.filter((u) => u.kind === 'state').at(-1)).toEqual({ kind: 'state', state: { kind: 'live', lastPoll: START, offline: true } });
  });

  it('ends with the first failure once every profile has failed; one profile alone fails as itself', async () => {
    const stop = new AbortController();
    const { out, err } = sink();
    const both = followAll([refusedLoop('a', stop.signal), refusedLoop('b', stop.signal)], { several: true, out, err, intervalMs: 100, signal: stop.signal });
    await expect(both).rejects.toThrow('the a key was refused');
    const one = followAll([refusedLoop('a', stop.signal)], { several: false, out, err, intervalMs: 100, signal: stop.signal });
    await expect(one).rejects.toBeInstanceOf(AuthError);
  });

  it('heads the view with the state that needs attention most; all live, the oldest poll', () => {
    const live = (lastPoll: number) => ({ kind: 'live' as const, lastPoll });
    expect(worst([live(5), { kind: 'failing', error: 'x', retryAt: 1 }, { kind: 'catching-up', pages: 1 }])).toEqual({ kind: 'failing', error: 'x', retryAt: 1 });
    expect(worst([live(5), live(3), live(9)])).toEqual(live(3));
    expect(worst([{ kind: 'starting' }, { kind: 'rate-limited', reason: '429', retryAt: 2 }])).toEqual({ kind: 'rate-limited', reason: '429', retryAt: 2 });
  });
});
