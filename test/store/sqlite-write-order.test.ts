// A commit's rows are written oldest first in the SQLite engine, so a sync that walks its history
// newest first keeps its indexes as packed as a mirror built oldest first, while revisions, ties
// in time and an id repeated in one commit behave as if written in the order they came.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/contract.js';
import { T0, filter, ids, newWalk, row, useMirrors } from './contract-support.js';

/** Bytes an entry of each index of events takes in the file at `file`. */
function indexBytes(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare("SELECT name, sum(pgsize) AS bytes FROM dbstat WHERE name LIKE 'events_by_%' OR name = 'sqlite_autoindex_events_1' GROUP BY name").all() as Array<{ name: string; bytes: number }>;
    const n = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    return Object.fromEntries(rows.map((r) => [r.name, r.bytes / n]));
  } finally {
    db.close();
  }
}

/** Commits `pages` in one transaction of a new walk; what each row of each page did. */
async function commit(store: Store, pages: Array<ReturnType<typeof row>[]>) {
  const walk = await store.createWalk('p', newWalk());
  return store.commitPages({ profile: 'p', provider: 'close', walk: { ...walk, pages: pages.length, fetched: 0 }, pages: pages.map((rows) => ({ rows })), done: false });
}

describe('the SQLite engine\'s write order', () => {
  const m = useMirrors('sqlite');

  it('writes the rows of a commit oldest first: revisions ascend with time, each page gets its own changes back', async () => {
    const { store } = await m.fresh();
    await store.putEvents('p', 'close', [row('kept', { time: T0 + 4 })]);
    // Newest first, as a sync walks: ties in time (t1, t2 at T0 + 2) and an id on two pages.
    const c = row('c', { time: T0 + 3 });
    const t1 = row('t1', { time: T0 + 2 });
    const t2 = row('t2', { time: T0 + 2 });
    const a = row('a', { time: T0 });
    const a2 = row('a', { time: T0, updated: T0 + 9, raw: { id: 'a', v: 2 } });
    const changes = await commit(store, [[c, row('kept', { time: T0 + 4 }), t1], [t2, a], [a2]]);
    expect(changes).toEqual([['new', 'same', 'new'], ['new', 'new'], ['updated']]);
    const log = await store.changesSince('p', 1, 100);
    expect(log.map((e) => [e.id, e.rev])).toEqual([
      ['a', 3],
      ['t1', 4],
      ['t2', 5],
      ['c', 6],
    ]);
    // a's two rows kept their order: the second replaced the first.
    expect((await store.versions('p', 'a')).map((v) => [v.rev, v.updated])).toEqual([
      [2, T0],
      [3, T0 + 9],
    ]);
    // Rows of equal time keep the order they came in (newest-first lists show ties in arrival order).
    expect(ids(await store.query(filter('p')))).toEqual(['kept', 'c', 't1', 't2', 'a']);
  });

  it('keeps its indexes as packed when a sync writes newest first as when a mirror is built oldest first', async () => {
    const N = 20_000;
    const BATCH = 2_000;
    const types = ['lead.created', 'lead.updated', 'call.created', 'note.created'];
    const rows = Array.from({ length: N }, (_, n) => row(`ev_${n.toString(36).padStart(8, '0')}`, { time: T0 + n * 1000, type: types[n % 4], object: `lead_${n % 97}` }));
    const build = async (order: typeof rows) => {
      const { store, location } = await m.fresh();
      for (let i = 0; i < N; i += BATCH) await store.putEvents('p', 'close', order.slice(i, i + BATCH));
      await m.close(store);
      return indexBytes(location);
    };
    const oldest = await build(rows);
    const synced = await build([...rows].reverse());
    expect(Object.keys(oldest).sort()).toEqual(['events_by_object', 'events_by_rev', 'events_by_time', 'events_by_type', 'sqlite_autoindex_events_1']);
    // Written newest first, entry by entry, they took 1.7 times as much (pages split in half).
    const grown = Object.keys(oldest).filter((name) => synced[name]! > oldest[name]! * 1.25);
    expect({ grown, oldest, synced }).toMatchObject({ grown: [] });
  });
});
