// The store contract, part 2: walks, coverage, and commitPages saving a walk's pages with its
// position atomically. Every case runs on both engines, each on a fresh mirror.
import { describe, expect, it } from 'vitest';
import type { ApiRequest, EventRow, JsonObject } from '../../src/providers/types.js';
import type { PageCommit, Range, Store, Walk } from '../../src/store/contract.js';
import { ENGINES } from '../support/engines.js';
import { filter, newWalk, row, stored, T0, useMirrors } from './contract-support.js';

/** Coverage in a fixed order (the contract promises the set, merged; not an order). */
const covered = async (store: Store, profile: string): Promise<Range[]> =>
  [...(await store.coverage(profile))].sort((a, b) => b.hi - a.hi);

const byId = (walks: Walk[]) => [...walks].sort((a, b) => a.walkId - b.walkId);

/** A resume position with everything an ApiRequest may carry (arrays, a body, provider state). */
const awkwardNext: ApiRequest = {
  method: 'POST',
  path: '/api/v1/event/',
  query: { cursor: 'c_ü/+=', limit: 100, flag: true, types: ['a.b', "it's"], skip: undefined },
  body: { filter: { since: '2026-01-01T00:00:00Z', n: [1, 2.5, null] } },
  state: { window: { from: T0, to: T0 + 60_000 }, offset: 300, note: 'say "hi"\n' },
};

describe.each(ENGINES)('store contract on %s: walks and pages', (engine) => {
  const m = useMirrors(engine);

  it('creates walks, lists the pending ones of a profile and deletes them', async () => {
    const { store } = await m.fresh();
    expect(await store.pendingWalks('p')).toEqual([]);
    const head = await store.createWalk('p', newWalk({ kind: 'head', upper: T0 + 500, floor: T0 + 200, next: awkwardNext }));
    const back = await store.createWalk('p', newWalk({ kind: 'backfill', upper: T0 + 200, floor: null, reached: T0 + 250, pages: 3, fetched: 7 }));
    const other = await store.createWalk('q', newWalk());
    expect(head).toEqual({ ...newWalk({ kind: 'head', upper: T0 + 500, floor: T0 + 200, next: awkwardNext }), walkId: head.walkId });
    expect(new Set([head.walkId, back.walkId, other.walkId]).size).toBe(3);
    // The saved position survives as JSON would carry it (an undefined query value is dropped).
    const next = JSON.parse(JSON.stringify(awkwardNext)) as ApiRequest;
    expect(byId(await store.pendingWalks('p'))).toEqual(byId([{ ...head, next }, back]));
    // Some of them: only the profile's walks of those ids (a sync drops the ones it left empty).
    const later = await store.createWalk('p', newWalk({ kind: 'head', upper: T0 + 600, floor: T0 + 500 }));
    await store.deleteWalks('p', []);
    await store.deleteWalks('p', [later.walkId, other.walkId]);
    expect(byId(await store.pendingWalks('p'))).toEqual(byId([{ ...head, next }, back]));
    expect(await store.pendingWalks('q')).toEqual([other]);
    await store.deleteWalks('p');
    expect(await store.pendingWalks('p')).toEqual([]);
    expect(await store.pendingWalks('q')).toEqual([other]);
  });

  it('commits the rows of several pages with the walk position they reached', async () => {
    const { store } = await m.fresh();
    const walk = await store.createWalk('p', newWalk());
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((id, i) => row(id, { time: T0 + 100 - i, raw: { id, i } }));
    const first: Walk = { ...walk, next: awkwardNext, reached: T0 + 98, pages: 2, fetched: 3 };
    expect(await store.commitPages({ profile: 'p', provider: 'close', walk: first, pages: [{ rows: [a!, b!] }, { rows: [c!] }], done: false })).toEqual([
      ['new', 'new'],
      ['new'],
    ]);
    expect(await store.pendingWalks('p')).toEqual([{ ...first, next: JSON.parse(JSON.stringify(awkwardNext)) }]);
    expect(await store.countEvents('p')).toBe(3);
    expect(await store.coverage('p')).toEqual([]);
    expect(await store.headRevision('p')).toBe(3);

    // A page with no events still moves the walk on.
    const second: Walk = { ...first, next: { method: 'GET', path: '/api/v1/event/', query: { cursor: 'c2' } }, pages: 3 };
    expect(await store.commitPages({ profile: 'p', provider: 'close', walk: second, pages: [{ rows: [] }], done: false })).toEqual([[]]);
    expect(await store.pendingWalks('p')).toEqual([second]);

    const third: Walk = { ...second, next: { method: 'GET', path: '/api/v1/event/', query: { cursor: 'c3' } }, reached: T0 + 97, pages: 4, fetched: 4 };
    expect(await store.commitPages({ profile: 'p', provider: 'close', walk: third, pages: [{ rows: [d!] }], done: false })).toEqual([['new']]);
    expect(await store.pendingWalks('p')).toEqual([third]);
    expect((await store.query(filter('p'))).map((e) => e.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  /** Coverage already held, the walk that finishes, and the coverage after it. */
  const finishing: Array<{ name: string; before: Range[]; walk: { floor: number | null; upper: number }; after: Range[] }> = [
    { name: 'a first walk to the end of history', before: [], walk: { floor: null, upper: T0 + 100 }, after: [{ lo: null, hi: T0 + 100 }] },
    { name: 'a head walk overlapping the range below', before: [{ lo: null, hi: T0 + 100 }], walk: { floor: T0 + 95, upper: T0 + 200 }, after: [{ lo: null, hi: T0 + 200 }] },
    { name: 'a walk that touches a range at its end', before: [{ lo: T0 + 100, hi: T0 + 200 }], walk: { floor: T0 + 50, upper: T0 + 100 }, after: [{ lo: T0 + 50, hi: T0 + 200 }] },
    {
      name: 'a walk above a gap',
      before: [{ lo: T0 + 10, hi: T0 + 20 }],
      walk: { floor: T0 + 60, upper: T0 + 100 },
      after: [{ lo: T0 + 60, hi: T0 + 100 }, { lo: T0 + 10, hi: T0 + 20 }],
    },
    {
      name: 'a walk that fills a gap between two ranges',
      before: [{ lo: T0 + 10, hi: T0 + 20 }, { lo: T0 + 60, hi: T0 + 100 }],
      walk: { floor: T0 + 20, upper: T0 + 60 },
      after: [{ lo: T0 + 10, hi: T0 + 100 }],
    },
    { name: 'a walk inside a range already held', before: [{ lo: null, hi: T0 + 500 }], walk: { floor: T0 + 50, upper: T0 + 100 }, after: [{ lo: null, hi: T0 + 500 }] },
  ];

  it.each(finishing)('a finished walk covers (floor, upper], merged, and is deleted: $name', async ({ before, walk, after }) => {
    const { store } = await m.fresh();
    for (const r of before) await store.addCoverage('p', r);
    const stays = await store.createWalk('p', newWalk({ upper: T0 + 5, floor: T0 }));
    const w = await store.createWalk('p', newWalk(walk));
    const changes = await store.commitPages({
      profile: 'p',
      provider: 'seam',
      walk: { ...w, reached: walk.floor, pages: w.pages + 1, fetched: 1 },
      pages: [{ rows: [row('last')] }],
      done: true,
    });
    expect(changes).toEqual([['new']]);
    expect(await covered(store, 'p')).toEqual(after);
    expect(await store.pendingWalks('p')).toEqual([stays]);
    expect(await store.coverage('q')).toEqual([]);
    expect(await store.getEvent('p', 'last')).toEqual(stored(row('last')));
  });

  it('merges coverage added directly, per profile', async () => {
    const { store } = await m.fresh();
    await store.addCoverage('p', { lo: null, hi: T0 + 100 });
    await store.addCoverage('p', { lo: T0 + 300, hi: T0 + 400 });
    await store.addCoverage('q', { lo: T0 + 1, hi: T0 + 2 });
    expect(await covered(store, 'p')).toEqual([{ lo: T0 + 300, hi: T0 + 400 }, { lo: null, hi: T0 + 100 }]);
    await store.addCoverage('p', { lo: T0 + 95, hi: T0 + 300 });
    expect(await covered(store, 'p')).toEqual([{ lo: null, hi: T0 + 400 }]);
    expect(await covered(store, 'q')).toEqual([{ lo: T0 + 1, hi: T0 + 2 }]);
  });

  it('records the count the provider reported, and keeps it until another comes', async () => {
    const { store } = await m.fresh();
    const w = await store.createWalk('p', newWalk());
    await store.commitPages({ profile: 'p', provider: 'bem', walk: { ...w, pages: 1, fetched: 1 }, pages: [{ rows: [row('a')] }], done: false, remoteTotal: 1_234 });
    expect(await store.readMeta('p')).toEqual([expect.objectContaining({ profile: 'p', provider: 'bem', remoteTotal: 1_234 })]);
    await store.commitPages({ profile: 'p', provider: 'bem', walk: { ...w, pages: 2, fetched: 2 }, pages: [{ rows: [row('b')] }], done: false });
    expect((await store.readMeta('p'))[0]?.remoteTotal).toBe(1_234);
    await store.commitPages({ profile: 'p', provider: 'bem', walk: { ...w, pages: 3, fetched: 2 }, pages: [{ rows: [] }], done: true, remoteTotal: 0 });
    expect((await store.readMeta('p'))[0]?.remoteTotal).toBe(0);
  });

  /**
   * Commits that cannot be saved whole. The contract's promise: the pages' rows, the walk's
   * position (or its coverage) and the revisions land together or not at all.
   */
  const invalid: Array<{ name: string; make: (walk: Walk, store: Store) => Promise<PageCommit> }> = [
    {
      name: 'a row on a later page without its JSON text',
      make: async (walk) => commitOf(walk, [[...goodRows()], [{ ...row('bad'), text: undefined as unknown as string }]]),
    },
    {
      name: 'a finishing commit with a row without its JSON text',
      make: async (walk) => ({ ...commitOf(walk, [goodRows(), [{ ...row('bad'), text: null as unknown as string }]]), done: true }),
    },
    {
      name: 'a walk position that cannot be serialised',
      make: async (walk) => commitOf({ ...walk, next: { method: 'GET', path: '/e', state: { n: 10n } as unknown as JsonObject } }, [goodRows()]),
    },
    {
      name: 'a walk that is no longer pending (deleted by another sync)',
      make: async (walk, store) => {
        await store.deleteWalks('p');
        await store.createWalk('p', newWalk({ upper: T0 + 1 })); // another walk exists; this one does not
        return commitOf(walk, [goodRows()]);
      },
    },
    {
      name: 'a finishing commit of a walk that does not exist',
      make: async (walk) => ({ ...commitOf({ ...walk, walkId: walk.walkId + 1_000_000 }, [goodRows()]), done: true }),
    },
  ];

  it.each(invalid)('refuses, writing nothing: $name', async ({ make }) => {
    const { store } = await m.fresh();
    await store.addCoverage('p', { lo: T0 - 100, hi: T0 - 50 });
    const walk = await store.createWalk('p', newWalk());
    const base = { ...walk, reached: T0 + 9, pages: 1, fetched: 2 };
    await store.commitPages({ profile: 'p', provider: 'bem', walk: base, pages: [{ rows: [row('a', { raw: { id: 'a', v: 1 } }), row('b')] }], done: false, remoteTotal: 5 });
    const bad = await make(base, store);
    const before = await snapshot(store);

    await expect(store.commitPages(bad)).rejects.toThrow();

    expect(await snapshot(store)).toEqual(before);
    // The store is still usable: the next good commit lands whole.
    const [live] = await store.pendingWalks('p');
    const good = await store.commitPages({ ...commitOf(live!, [goodRows()]), done: false });
    expect(good).toEqual([['updated', 'new']]);
    expect(await store.countEvents('p')).toBe(3);
  });
});

/** A row that updates `a` and a new row `c`: what an invalid commit must not leave behind. */
function goodRows(): EventRow[] {
  return [row('a', { updated: T0 + 1, raw: { id: 'a', v: 2 } }), row('c')];
}

function commitOf(walk: Walk, pages: EventRow[][]): PageCommit {
  const fetched = pages.reduce((n, p) => n + p.length, 0);
  return {
    profile: 'p',
    provider: 'bem',
    walk: { ...walk, pages: walk.pages + pages.length, fetched: walk.fetched + fetched },
    pages: pages.map((rows) => ({ rows })),
    done: false,
    remoteTotal: 99,
  };
}

/** Everything a commit may touch, for before/after comparison. */
async function snapshot(store: Store) {
  return {
    events: await store.query(filter('p')),
    count: await store.countEvents('p'),
    head: await store.headRevision('p'),
    changes: await store.changesSince('p', 0, 100),
    versions: await store.versions('p', 'a'),
    walks: byId(await store.pendingWalks('p')),
    coverage: await covered(store, 'p'),
    meta: await store.readMeta('p'),
  };
}
