// The store contract, part 1: upserts keyed by (profile, id), raw text byte for byte, single-event
// reads and the per-profile status line. Every case runs on both engines, each on a fresh mirror.
import { describe, expect, it } from 'vitest';
import type { EventRow, JsonObject } from '../../src/providers/types.js';
import type { Change } from '../../src/store/contract.js';
import { ENGINES } from '../support/engines.js';
import { collect, filter, row, stored, T0, useMirrors, write, WRITERS } from './contract-support.js';

const A = row('a', { updated: T0 + 100, raw: { id: 'a', v: 1 } });

/** One upsert judged against what the mirror held before it. */
interface UpsertCase {
  name: string;
  before: EventRow[];
  put: EventRow;
  change: Change;
  /** What getEvent returns afterwards. */
  kept: EventRow;
}

const upserts: UpsertCase[] = [
  { name: 'an id the mirror lacks is new', before: [], put: A, change: 'new', kept: A },
  { name: 'the same row again is same', before: [A], put: A, change: 'same', kept: A },
  ((put) => ({ name: 'a newer updated replaces it', before: [A], put, change: 'updated' as const, kept: put }))(
    row('a', { updated: T0 + 200, raw: { id: 'a', v: 2 } }),
  ),
  ((put) => ({ name: 'an equal updated with a different raw replaces it', before: [A], put, change: 'updated' as const, kept: put }))(
    row('a', { updated: T0 + 100, raw: { id: 'a', v: 3 } }),
  ),
  ((put) => ({ name: 'the same keys in another order are a different raw', before: [A], put, change: 'updated' as const, kept: put }))(
    row('a', { updated: T0 + 100, raw: { v: 1, id: 'a' } }),
  ),
  {
    name: 'an older updated is same, whatever its raw',
    before: [A],
    put: row('a', { updated: T0 + 50, raw: { id: 'a', v: 0 } }),
    change: 'same',
    kept: A,
  },
  ((put) => ({ name: 'a newer version replaces type, time and object too', before: [A], put, change: 'updated' as const, kept: put }))(
    row('a', { type: 'thing.changed', time: T0 + 7, updated: T0 + 300, object: 'obj_9', raw: { id: 'a', v: 4 } }),
  ),
  {
    name: 'a newer version over one that was replaced already keeps the newest',
    before: [A, row('a', { updated: T0 + 400, raw: { id: 'a', v: 5 } })],
    put: row('a', { updated: T0 + 300, raw: { id: 'a', v: 4 } }),
    change: 'same',
    kept: row('a', { updated: T0 + 400, raw: { id: 'a', v: 5 } }),
  },
];

/** Raw events whose text must come back exactly as JSON.stringify wrote it. */
const awkwardRaws: Record<string, JsonObject> = {
  'key order': { z: 1, a: 2, m: { y: [3, 2, 1], b: null, a: {} }, e: [] },
  unicode: { s: 'é 日本語 🎉 e\u0301 \u200f עברית', k: { 'ключ': 'значение', '🔑': '✓' } },
  escapes: { q: 'say "hi"', b: 'C:\\path\\', nl: 'a\nb\r\tc', ctl: '\u0001\u001f', ls: '\u2028\u2029', nul: 'x\u0000y' },
  'lone surrogate': { s: 'broken \ud800 pair \udfff' },
  numbers: { i: 100, f: 1.5, neg: -3, small: 1e-7, big: 1e21, third: 0.30000000000000004, max: Number.MAX_SAFE_INTEGER, tiny: 5e-324 },
  'nested arrays': { a: [[1, [2, [3, { b: [true, false, null] }]]]], o: { o: { o: { o: 'deep' } } } },
  long: { text: 'x'.repeat(200_000) },
};

describe.each(ENGINES)('store contract on %s: events', (engine) => {
  const m = useMirrors(engine);

  describe.each(WRITERS)('upserts through %s', (via) => {
    it.each(upserts)('$name', async ({ before, put, change, kept }) => {
      const { store } = await m.fresh();
      for (const r of before) await write(store, via, 'p', [r]);
      expect(await write(store, via, 'p', [put])).toEqual([change]);
      expect(await store.getEvent('p', 'a')).toEqual(stored(kept));
      expect(await store.countEvents('p')).toBe(1);
    });

    it('keeps profiles apart: the same id is a new event in another profile', async () => {
      const { store } = await m.fresh();
      expect(await write(store, via, 'p', [A])).toEqual(['new']);
      expect(await write(store, via, 'q', [A])).toEqual(['new']);
      const newer = row('a', { updated: T0 + 900, raw: { id: 'a', in: 'q' } });
      expect(await write(store, via, 'q', [newer])).toEqual(['updated']);
      expect(await store.getEvent('p', 'a')).toEqual(stored(A));
      expect(await store.getEvent('q', 'a')).toEqual(stored(newer));
      expect(await store.getEvent('r', 'a')).toBeUndefined();
      expect([await store.countEvents('p'), await store.countEvents('q'), await store.countEvents('r')]).toEqual([1, 1, 0]);
    });

    it('judges each row of a batch against the ones before it', async () => {
      const { store } = await m.fresh();
      const b1 = row('b', { updated: T0 + 1, raw: { id: 'b', v: 1 } });
      const b2 = row('b', { updated: T0 + 2, raw: { id: 'b', v: 2 } });
      const b0 = row('b', { updated: T0, raw: { id: 'b', v: 0 } });
      expect(await write(store, via, 'p', [A, b1, A, b2, b0])).toEqual(['new', 'new', 'same', 'updated', 'same']);
      expect(await store.getEvent('p', 'b')).toEqual(stored(b2));
      expect(await store.countEvents('p')).toBe(2);
    });
  });

  it('gives back what each row of each page did, an id repeated across pages included', async () => {
    const { store } = await m.fresh();
    const walk = await store.createWalk('p', { kind: 'head', upper: T0 + 50, floor: null, next: { method: 'GET', path: '/e' }, reached: null, pages: 0, fetched: 0, started: T0 });
    const [a, b, c] = [row('a'), row('b'), row('c')];
    const changes = await store.commitPages({
      profile: 'p',
      provider: 'blueai',
      walk: { ...walk, pages: 3, fetched: 5 },
      // A page boundary that moved while walking: b is on two pages.
      pages: [{ rows: [a, b] }, { rows: [b, c] }, { rows: [] }],
      done: false,
    });
    expect(changes).toEqual([['new', 'new'], ['same', 'new'], []]);
    expect(await store.countEvents('p')).toBe(3);
  });

  describe.each(Object.entries(awkwardRaws))('raw text byte for byte: %s', (_name, raw) => {
    it.each(WRITERS)('written with %s, read by every reader', async (via) => {
      const { store } = await m.fresh();
      const r = row('evt_raw', { raw: { id: 'evt_raw', ...raw } });
      const text = JSON.stringify(r.raw);
      await write(store, via, 'p', [r]);
      expect((await store.getEvent('p', r.id))?.raw).toBe(text);
      expect((await store.query(filter('p'))).map((e) => e.raw)).toEqual([text]);
      expect((await collect(store.stream(filter('p')))).map((e) => e.raw)).toEqual([text]);
      expect((await store.changesSince('p', 0, 10)).map((e) => e.raw)).toEqual([text]);
      expect((await store.versions('p', r.id)).map((v) => v.raw)).toEqual([text]);
      expect((await collect(store.exportVersions('p'))).flat().map((v) => v.raw)).toEqual([text]);
      // The row is still found by its other columns and paths (the awkward text breaks no reader).
      expect((await store.query(filter('p', { where: [{ path: 'id', value: 'evt_raw' }] }))).map((e) => e.id)).toEqual(['evt_raw']);
    });
  });

  it('reads one event by (profile, id), with its columns as written', async () => {
    const { store } = await m.fresh();
    const withObject = row('evt_1', { type: 'invoice.paid', time: T0 + 5, updated: T0 + 9, object: 'inv_1', raw: { id: 'evt_1', n: 1 } });
    const without = row('evt_2', { object: null });
    await store.putEvents('p', 'close', [withObject, without]);
    const got = await store.getEvent('p', 'evt_1');
    expect(got).toEqual(stored(withObject));
    expect(typeof got?.time).toBe('number');
    expect(typeof got?.updated).toBe('number');
    expect(await store.getEvent('p', 'evt_2')).toEqual(stored(without));
    expect((await store.getEvent('p', 'evt_2'))?.object).toBeNull();
    expect(await store.getEvent('p', 'evt_3')).toBeUndefined();
    expect(await store.getEvent('q', 'evt_1')).toBeUndefined();
    expect(await store.getEvent('p', "evt_1' OR '1'='1")).toBeUndefined();
  });

  it('finds the oldest event at or after an updated time', async () => {
    const { store } = await m.fresh();
    await store.putEvents('p', 'close', [
      row('z', { time: T0 + 300, updated: T0 + 300 }),
      row('x', { time: T0 + 100, updated: T0 + 100 }),
      row('y', { time: T0 + 50, updated: T0 + 200 }), // happened early, changed later: updated counts
    ]);
    await store.putEvents('q', 'close', [row('w', { time: T0 + 150, updated: T0 + 150 })]);
    expect(await store.oldestAtOrAfter('p', T0 + 150)).toEqual({ id: 'y', time: T0 + 50, updated: T0 + 200 });
    expect(await store.oldestAtOrAfter('p', T0 + 200)).toEqual({ id: 'y', time: T0 + 50, updated: T0 + 200 });
    expect(await store.oldestAtOrAfter('p', 0)).toEqual({ id: 'x', time: T0 + 100, updated: T0 + 100 });
    expect(await store.oldestAtOrAfter('p', T0 + 201)).toEqual({ id: 'z', time: T0 + 300, updated: T0 + 300 });
    expect(await store.oldestAtOrAfter('p', T0 + 301)).toBeUndefined();
    expect(await store.oldestAtOrAfter('r', 0)).toBeUndefined();
  });

  it('counts the events of each profile, once per id', async () => {
    const { store } = await m.fresh();
    expect(await store.countEvents('p')).toBe(0);
    await store.putEvents('p', 'close', [row('a'), row('b'), row('a')]);
    await store.putEvents('p', 'close', [row('b', { updated: T0 + 1 }), row('c')]);
    await store.putEvents('q', 'close', [row('a')]);
    expect(await store.countEvents('p')).toBe(3);
    expect(await store.countEvents('q')).toBe(1);
    expect(await store.countEvents('nobody')).toBe(0);
  });

  it('keeps a status line per profile; fields left undefined keep their value', async () => {
    const { store } = await m.fresh();
    expect(await store.readMeta('p')).toEqual([]);
    const empty = { lastSync: null, lastOk: null, lastError: null, remoteTotal: null, skewMs: null, prunedBefore: null };
    await store.updateMeta('p', 'bem', { lastSync: T0 + 1 });
    expect(await store.readMeta('p')).toEqual([{ profile: 'p', provider: 'bem', ...empty, lastSync: T0 + 1 }]);
    await store.updateMeta('p', 'bem', { lastOk: T0 + 2, lastError: 'bem: 500 on GET /v2/events — try again' });
    await store.updateMeta('p', 'bem', { remoteTotal: 12_345, lastSync: undefined });
    const p = { profile: 'p', provider: 'bem', lastSync: T0 + 1, lastOk: T0 + 2, lastError: 'bem: 500 on GET /v2/events — try again', remoteTotal: 12_345, skewMs: null, prunedBefore: null };
    expect(await store.readMeta('p')).toEqual([p]);
    // null clears a field; undefined keeps it.
    await store.updateMeta('p', 'bem', { lastError: null, lastOk: undefined });
    expect(await store.readMeta('p')).toEqual([{ ...p, lastError: null }]);
    await store.updateMeta('q', 'close', { lastError: `it's "quoted"; --` });
    const all = await store.readMeta();
    expect([...all].sort((x, y) => x.profile.localeCompare(y.profile))).toEqual([
      { ...p, lastError: null },
      { profile: 'q', provider: 'close', ...empty, lastError: `it's "quoted"; --` },
    ]);
    expect(await store.readMeta('q')).toEqual([{ profile: 'q', provider: 'close', ...empty, lastError: `it's "quoted"; --` }]);
    expect(await store.readMeta('nobody')).toEqual([]);
  });

  it('keeps the provider clock skew of the last sync: ahead, behind, cleared, kept', async () => {
    const { store } = await m.fresh();
    await store.updateMeta('p', 'close', { lastSync: T0 });
    expect((await store.readMeta('p'))[0]!.skewMs).toBeNull();
    // Ten minutes ahead.
    await store.updateMeta('p', 'close', { skewMs: 600_123 });
    expect((await store.readMeta('p'))[0]).toEqual({ profile: 'p', provider: 'close', lastSync: T0, lastOk: null, lastError: null, remoteTotal: null, skewMs: 600_123, prunedBefore: null });
    // Undefined keeps it; other fields leave it alone.
    await store.updateMeta('p', 'close', { skewMs: undefined, lastOk: T0 + 1 });
    expect((await store.readMeta('p'))[0]!.skewMs).toBe(600_123);
    // Behind, and a large value (a day and then some) round-trips as a number.
    await store.updateMeta('p', 'close', { skewMs: -90_061_000 });
    expect((await store.readMeta('p'))[0]!.skewMs).toBe(-90_061_000);
    expect(typeof (await store.readMeta())[0]!.skewMs).toBe('number');
    // null: not measured (no Date header) clears it.
    await store.updateMeta('p', 'close', { skewMs: null });
    expect((await store.readMeta('p'))[0]!.skewMs).toBeNull();
    // A profile created by the skew alone.
    await store.updateMeta('q', 'seam', { skewMs: 0 });
    expect(await store.readMeta('q')).toEqual([{ profile: 'q', provider: 'seam', lastSync: null, lastOk: null, lastError: null, remoteTotal: null, skewMs: 0, prunedBefore: null }]);
  });
});
