// The follow loop's rules, with the sync replaced by scripted polls: what is shown from the first
// sync and after, updates, skipped polls answered from the mirror, failures, and 429 pacing.
import { describe, expect, it } from 'vitest';
import { AuthError, RetriesExhaustedError } from '../../src/errors.js';
import type { EventRow } from '../../src/providers/types.js';
import type { Change, StoredEvent } from '../../src/store/contract.js';
import { follow, type PollHooks } from '../../src/tail/follow.js';
import type { TailEvent, TailState, TailUpdate } from '../../src/tail/types.js';
import { withText } from '../support/rows.js';

const START = 1_000_000_000;
const row = (id: string, time: number, updated = time): EventRow => withText({ id, type: 'invoice.paid', time, updated, object: null, raw: { id, v: updated } });
const stored = (r: EventRow): StoredEvent => ({ ...r, raw: JSON.stringify(r.raw) });

type Step = (hooks: PollHooks) => 'synced' | 'skipped' | Error;

/** Runs follow over `steps` (one per poll), stopping after the last; returns what it emitted. */
async function run(steps: Step[], options: { since?: number; mirror?: EventRow[]; intervalMs?: number } = {}) {
  const stop = new AbortController();
  const updates: TailUpdate[] = [];
  const pollStarts: number[] = [];
  let i = 0;
  const done = follow({
    poll: async (hooks) => {
      pollStarts.push(Date.now());
      const step = steps[i++];
      if (!step) {
        stop.abort();
        return 'synced';
      }
      const result = step(hooks);
      if (result instanceof Error) throw result;
      return result;
    },
    stored: async (since) => (options.mirror ?? []).filter((r) => r.time >= since).map(stored),
    // The replay in batches of two, oldest first, as tail.ts streams it from the store.
    replay: async function* (since) {
      const rows = (options.mirror ?? []).filter((r) => r.time >= since).sort((a, b) => a.time - b.time);
      for (let at = 0; at < rows.length; at += 2) yield rows.slice(at, at + 2).map(stored);
    },
    matches: (r) => !r.id.startsWith('skip'),
    summarize: () => '',
    intervalMs: options.intervalMs ?? 1,
    overlapMs: 300_000,
    start: START,
    since: options.since,
    signal: stop.signal,
    emit: (u) => updates.push(u),
  });
  await done;
  const events = updates.flatMap((u) => (u.kind === 'events' ? u.events : [])) as TailEvent[];
  const states = updates.flatMap((u) => (u.kind === 'state' ? [u.state] : [])) as TailState[];
  return { events, states, pollStarts, shown: events.map((e) => `${e.id}:${e.change}`) };
}

const rows = (hooks: PollHooks, list: Array<[EventRow, Change]>): 'synced' => {
  hooks.onRows(list.map(([r]) => r), list.map(([, c]) => c));
  return 'synced';
};

describe('follow', () => {
  it('shows from the first sync only what is newer than the start, then every new, late or updated row once', async () => {
    const { shown, states } = await run([
      (h) => rows(h, [[row('new1', START + 5), 'new'], [row('old', START - 10), 'new'], [row('skip1', START + 6), 'new']]),
      (h) => rows(h, [[row('new2', START + 20), 'new'], [row('new1', START + 5), 'same'], [row('late', START - 60_000), 'new']]),
      (h) => rows(h, [[row('new1', START + 5, START + 30), 'updated'], [row('ancient', START - 3_600_000), 'new']]),
    ]);
    // Oldest first within a poll; 'skip1' fails the filter; 'ancient' is a resumed backfill, not news.
    expect(shown).toEqual(['new1:new', 'late:new', 'new2:new', 'new1:updated']);
    expect(states[0]).toEqual({ kind: 'starting' });
    expect(states).toContainEqual({ kind: 'catching-up', pages: 1 });
    expect(states.at(-1)?.kind).toBe('live');
  });

  it('with --since shows nothing from the first sync but the mirror since then, once', async () => {
    const mirror = [row('a', START - 50_000), row('b', START - 40_000), row('c', START - 999_999)];
    const { shown, events } = await run(
      [(h) => rows(h, [[mirror[0]!, 'new'], [mirror[1]!, 'new']]), (h) => rows(h, [[row('d', START + 1), 'new'], [mirror[0]!, 'same']])],
      { since: START - 60_000, mirror },
    );
    expect(shown).toEqual(['a:new', 'b:new', 'd:new']);
    expect(events.map((e) => e.replayed)).toEqual([true, true, false]);
    expect(events[0]!.raw).toBe(JSON.stringify({ id: 'a', v: START - 50_000 }));
  });

  it('answers a skipped poll (another process synced) from the mirror, without repeating what was shown', async () => {
    const mirror = [row('x', START + 1), row('y', START + 2), row('z', START + 3, START + 9)];
    const { shown, states } = await run(
      [(h) => rows(h, [[row('x', START + 1), 'new'], [row('z', START + 3), 'new']]), () => 'skipped', () => 'skipped'],
      { mirror },
    );
    expect(shown).toEqual(['x:new', 'z:new', 'y:new', 'z:updated']);
    expect(states).toContainEqual(expect.objectContaining({ kind: 'live', skipped: true }));
  });

  it('shows a sync that ran out of retries as failing and goes on; bad credentials end it', async () => {
    const { shown, states } = await run([
      () => new RetriesExhaustedError('blueai: 503 Service Unavailable, still failing after 4 retries'),
      (h) => rows(h, [[row('after', START + 100_000), 'new']]),
    ]);
    expect(states).toContainEqual(expect.objectContaining({ kind: 'failing', error: expect.stringContaining('503') }));
    expect(shown).toEqual(['after:new']);
    await expect(run([() => new AuthError('blueai: 401 Unauthorized')])).rejects.toBeInstanceOf(AuthError);
  });

  it('after a 429 waits at least as long as the provider asked before the next poll', async () => {
    const { pollStarts, states } = await run([
      (h) => {
        h.onWait({ reason: '429 Too Many Requests', waitMs: 150 });
        return 'synced';
      },
      () => 'synced',
    ]);
    expect(states).toContainEqual(expect.objectContaining({ kind: 'rate-limited', reason: '429 Too Many Requests' }));
    expect(pollStarts[1]! - pollStarts[0]!).toBeGreaterThanOrEqual(140);
    expect(pollStarts[2]! - pollStarts[1]!).toBeLessThan(100);
  });
});
