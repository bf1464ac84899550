// The store contract, part 4: the change log (revisions per profile, changesSince, versions) and
// copying a mirror (exportVersions → importVersions), also from one engine to the other.
import { describe, expect, it } from 'vitest';
import type { EventRow } from '../../src/providers/types.js';
import type { StoredEvent, Store } from '../../src/store/contract.js';
import { ENGINES } from '../support/engines.js';
import { collect, filter, ids, row, T0, useMirrors, write, WRITERS } from './contract-support.js';

const v = (id: string, n: number, updated: number, extra: Partial<EventRow> = {}) =>
  row(id, { updated, ...extra, raw: { id, v: n } });

/** The revisions of changesSince(profile, 0), as `id@rev`. */
const log = async (store: Store, profile: string) =>
  (await store.changesSince(profile, 0, 10_000)).map((e) => `${e.id}@${e.rev}`);

describe.each(ENGINES)('store contract on %s: change log', (engine) => {
  const m = useMirrors(engine);

  describe.each(WRITERS)('written with %s', (via) => {
    it('gives each new or changed event the next revision of its profile, and same ones none', async () => {
      const { store } = await m.fresh();
      expect(await store.headRevision('p')).toBe(0);
      expect(await store.changesSince('p', 0, 10)).toEqual([]);

      const t0 = Date.now();
      expect(await write(store, via, 'p', [v('a', 1, T0), v('b', 1, T0), v('c', 1, T0)])).toEqual(['new', 'new', 'new']);
      const t1 = Date.now();
      expect(await store.headRevision('p')).toBe(3);
      const changes = await store.changesSince('p', 0, 10);
      expect(changes.map(({ seen: _seen, ...e }) => e)).toEqual(
        [v('a', 1, T0), v('b', 1, T0), v('c', 1, T0)].map((r, i) => ({ id: r.id, type: r.type, time: r.time, updated: r.updated, object: r.object, raw: JSON.stringify(r.raw), rev: i + 1 })),
      );
      for (const c of changes) {
        expect(c.seen).toBeGreaterThanOrEqual(t0 - 1_000);
        expect(c.seen).toBeLessThanOrEqual(t1 + 1_000);
      }

      expect(await write(store, via, 'p', [v('a', 1, T0), v('b', 0, T0 - 1)])).toEqual(['same', 'same']);
      expect(await store.headRevision('p')).toBe(3);
      expect(await log(store, 'p')).toEqual(['a@1', 'b@2', 'c@3']);

      // An update moves the event to its new revision; the log holds each event once.
      expect(await write(store, via, 'p', [v('a', 2, T0 + 1), v('d', 1, T0)])).toEqual(['updated', 'new']);
      expect(await store.headRevision('p')).toBe(5);
      expect(await log(store, 'p')).toEqual(['b@2', 'c@3', 'a@4', 'd@5']);
      expect(ids(await store.changesSince('p', 3, 10))).toEqual(['a', 'd']);
      expect(await store.changesSince('p', 5, 10)).toEqual([]);
      expect((await store.changesSince('p', 3, 1))[0]?.raw).toBe(JSON.stringify({ id: 'a', v: 2 }));

      // Another profile counts its own revisions.
      expect(await write(store, via, 'q', [v('a', 9, T0)])).toEqual(['new']);
      expect(await store.headRevision('q')).toBe(1);
      expect(await log(store, 'q')).toEqual(['a@1']);
      expect(await store.headRevision('p')).toBe(5);
      expect(await store.headRevision('nobody')).toBe(0);
      expect(await store.changesSince('nobody', 0, 10)).toEqual([]);
    });

    it('keeps every replaced version, oldest first, the current one last', async () => {
      const { store } = await m.fresh();
      const t0 = Date.now();
      await write(store, via, 'p', [v('a', 1, T0 + 100), v('b', 1, T0)]);
      await write(store, via, 'p', [v('a', 2, T0 + 200)]);
      await write(store, via, 'p', [v('a', 0, T0 + 150)]); // older: same, no version
      await write(store, via, 'p', [v('a', 2, T0 + 200)]); // identical: same, no version
      await write(store, via, 'p', [v('a', 3, T0 + 200)]); // equal updated, new raw: a version
      await write(store, via, 'q', [v('a', 7, T0)]);
      const t1 = Date.now();

      const versions = await store.versions('p', 'a');
      expect(versions.map(({ seen: _seen, ...rest }) => rest)).toEqual([
        { rev: 1, updated: T0 + 100, raw: JSON.stringify({ id: 'a', v: 1 }) },
        { rev: 3, updated: T0 + 200, raw: JSON.stringify({ id: 'a', v: 2 }) },
        { rev: 4, updated: T0 + 200, raw: JSON.stringify({ id: 'a', v: 3 }) },
      ]);
      for (const x of versions) {
        expect(x.seen).toBeGreaterThanOrEqual(t0 - 1_000);
        expect(x.seen).toBeLessThanOrEqual(t1 + 1_000);
      }
      expect(versions.map((x) => x.seen)).toEqual([...versions.map((x) => x.seen)].sort((a, b) => a - b));
      // The last version is the current event, at its revision in the log.
      const current = (await store.changesSince('p', 0, 10)).find((e) => e.id === 'a')!;
      expect({ rev: current.rev, updated: current.updated, seen: current.seen, raw: current.raw }).toEqual(versions[2]);
      expect((await store.getEvent('p', 'a'))?.raw).toBe(versions[2]!.raw);

      expect(await store.versions('p', 'b')).toEqual([{ rev: 2, updated: T0, seen: expect.any(Number), raw: JSON.stringify({ id: 'b', v: 1 }) }]);
      expect((await store.versions('q', 'a')).map((x) => x.raw)).toEqual([JSON.stringify({ id: 'a', v: 7 })]);
      expect(await store.versions('p', 'nope')).toEqual([]);
      expect(await store.versions('nobody', 'a')).toEqual([]);
    });
  });

  it('numbers revisions in the order of the rows across the pages of one commit', async () => {
    const { store } = await m.fresh();
    const w = await store.createWalk('p', { kind: 'backfill', upper: T0 + 10, floor: null, next: { method: 'GET', path: '/e' }, reached: null, pages: 0, fetched: 0, started: T0 });
    await store.commitPages({
      profile: 'p',
      provider: 'close',
      walk: { ...w, pages: 3, fetched: 5 },
      pages: [{ rows: [v('z', 1, T0), v('m', 1, T0)] }, { rows: [v('a', 1, T0), v('z', 1, T0)] }, { rows: [v('m', 2, T0 + 1)] }],
      done: true,
    });
    expect(await log(store, 'p')).toEqual(['z@1', 'a@3', 'm@4']);
    expect((await store.versions('p', 'm')).map((x) => x.rev)).toEqual([2, 4]);
  });

  it('a reader following the log by revision misses nothing while two instances write at once', async () => {
    const { store: a, location } = await m.fresh();
    const b = await m.open(location);
    const reader = await m.open(location);
    const N = 40;
    const changed: string[] = []; // each 'new' or 'updated', as `id`
    const writes = (store: Store, name: string) =>
      (async () => {
        for (let i = 0; i < N; i++) {
          const rows = [v(`${name}${i}`, 1, T0 + i), row('shared', { updated: T0 + i, raw: { id: 'shared', v: i, by: name } })];
          const changes = await store.putEvents('p', 'close', rows);
          changes.forEach((c, j) => c !== 'same' && changed.push(rows[j]!.id));
        }
      })();
    const done = Promise.all([writes(a, 'a'), writes(b, 'b')]);
    let finished = false;
    void done.then(() => (finished = true), () => (finished = true));

    // What a durable consumer does: read above its watermark, move the watermark to the last rev.
    const delivered = new Map<string, number>();
    let watermark = 0;
    const drain = async () => {
      for (const e of await reader.changesSince('p', watermark, 1_000)) {
        expect(e.rev).toBeGreaterThan(watermark);
        delivered.set(e.id, e.rev);
        watermark = e.rev;
      }
    };
    while (!finished) await drain();
    await done;
    await drain();

    const final = await reader.changesSince('p', 0, 10_000);
    expect(final).toHaveLength(2 * N + 1);
    for (const e of final) expect(delivered.get(e.id), `${e.id} was committed below a revision already read`).toBe(e.rev);
    // Every change took a revision of its own, and kept a version.
    expect(await reader.headRevision('p')).toBe(changed.length);
    expect(await reader.versions('p', 'shared')).toHaveLength(changed.filter((id) => id === 'shared').length);
    expect(changed.filter((id) => id === 'shared').length).toBeGreaterThan(N / 2);
  });

  it('pages through the log with a limit', async () => {
    const { store } = await m.fresh();
    await store.putEvents('p', 'close', Array.from({ length: 25 }, (_, i) => v(`e${String(i).padStart(2, '0')}`, 1, T0 + i)));
    await store.putEvents('p', 'close', [v('e03', 2, T0 + 100), v('e07', 2, T0 + 100)]);
    const pages: string[][] = [];
    for (let after = 0; ; ) {
      const page = await store.changesSince('p', after, 10);
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(10);
      pages.push(page.map((e) => `${e.id}@${e.rev}`));
      after = page[page.length - 1]!.rev;
    }
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(await log(store, 'p'));
    const revs = pages.flat().map((s) => Number(s.split('@')[1]));
    expect(revs).toEqual([...revs].sort((a, b) => a - b));
    expect(new Set(revs).size).toBe(25);
    expect(pages.flat().slice(-2)).toEqual(['e03@26', 'e07@27']);
    expect(await store.headRevision('p')).toBe(27);
  });
});

/** A source mirror with history: updates, an equal-updated rewrite, several profiles, awkward raw text. */
async function fillSource(store: Store): Promise<void> {
  await store.putEvents('p', 'close', [v('a', 1, T0 + 100, { object: 'lead_1' }), v('b', 1, T0 + 100), v('c', 1, T0 + 100)]);
  await store.putEvents('p', 'close', [v('a', 2, T0 + 200, { object: 'lead_1' }), v('b', 1, T0 + 100)]);
  await store.putEvents('q', 'close', [v('a', 9, T0)]);
  await store.putEvents('p', 'close', [v('c', 2, T0 + 300), row('u', { raw: { id: 'u', s: 'é 🎉 "q" \\ \u2028', n: [1.5, 1e-7] } })]);
  await store.putEvents('p', 'close', [v('a', 3, T0 + 400, { object: 'lead_1' }), v('d', 1, T0 + 50)]);
  // Text that JSON.stringify would never write: a copy must keep it as it is.
  await store.importVersions('p', 'close', [
    { id: 'txt', type: 'thing.happened', time: T0, updated: T0, object: null, raw: '{ "id" : "txt",\n  "amount": 1.50, "e": 1E+2, "u": "\\u00e9" }', seen: T0 + 5 },
  ]);
}

type Exported = StoredEvent & { rev: number; seen: number };

describe.each(ENGINES)('store contract: copying a mirror from %s', (from) => {
  const m = useMirrors(from);

  it('exports every version of a profile in revision order', async () => {
    const { store } = await m.fresh();
    await fillSource(store);
    const batches = await collect(store.exportVersions('p'));
    for (const b of batches) expect(b.length).toBeGreaterThan(0);
    const all = batches.flat();
    expect(all.map((x) => `${x.id}@${x.rev}`)).toEqual(['a@1', 'b@2', 'c@3', 'a@4', 'c@5', 'u@6', 'a@7', 'd@8', 'txt@9']);
    expect(all.find((x) => x.id === 'txt')).toMatchObject({ raw: '{ "id" : "txt",\n  "amount": 1.50, "e": 1E+2, "u": "\\u00e9" }', seen: T0 + 5 });
    for (const x of all) {
      const versions = await store.versions('p', x.id);
      expect(versions).toContainEqual({ rev: x.rev, updated: x.updated, seen: x.seen, raw: x.raw });
    }
    expect((await collect(store.exportVersions('q'))).flat().map((x) => x.raw)).toEqual([JSON.stringify({ id: 'a', v: 9 })]);
    expect((await collect(store.exportVersions('nobody'))).flat()).toEqual([]);
  });

  it('exports thousands of versions in bounded batches', async () => {
    const { store } = await m.fresh();
    const rows = Array.from({ length: 1_300 }, (_, i) => v(`e${i}`, 1, T0 + i));
    await store.putEvents('p', 'close', rows);
    await store.putEvents('p', 'close', rows.map((r, i) => v(r.id, 2, T0 + i + 1)));
    const batches = await collect(store.exportVersions('p'));
    expect(batches.length).toBeGreaterThan(1);
    const all = batches.flat();
    expect(all).toHaveLength(2_600);
    expect(all.map((x) => x.rev)).toEqual(Array.from({ length: 2_600 }, (_, i) => i + 1));
  });

  describe.each(ENGINES)('into %s', (to) => {
    it('rebuilds the same events and history; importing again changes nothing', async () => {
      const { store: source } = await m.fresh(from);
      await fillSource(source);
      const { store: target } = await m.fresh(to);
      const exported: Exported[] = (await collect(source.exportVersions('p'))).flat();

      const changes = await target.importVersions('p', 'close', exported.map(({ rev: _rev, ...rest }) => rest));
      const firstSeen = new Set<string>();
      expect(changes).toEqual(exported.map((x) => (firstSeen.has(x.id) ? 'updated' : (firstSeen.add(x.id), 'new'))));

      expect(await target.query(filter('p'))).toEqual(await source.query(filter('p')));
      expect(await target.changesSince('p', 0, 100)).toEqual(await source.changesSince('p', 0, 100));
      expect(await target.headRevision('p')).toBe(await source.headRevision('p'));
      for (const id of ['a', 'b', 'c', 'd', 'u', 'txt']) expect(await target.versions('p', id), id).toEqual(await source.versions('p', id));
      expect((await collect(target.exportVersions('p'))).flat()).toEqual(exported);
      expect(await target.countEvents('q')).toBe(0);

      const again = await target.importVersions('p', 'close', exported.map(({ rev: _rev, ...rest }) => rest));
      expect(again).toEqual(exported.map(() => 'same'));
      expect((await collect(target.exportVersions('p'))).flat()).toEqual(exported);
      expect(await target.headRevision('p')).toBe(await source.headRevision('p'));
    });
  });
});
