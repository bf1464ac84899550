// The SQLite engine commits a sync's pages on a writer thread: the main thread's event loop runs
// on while a commit is written, the thread's errors arrive as the main thread's would have
// (a MirrorError as a MirrorError, SQLite's with its code), and close() waits for a commit in flight.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MirrorError } from '../../src/errors.js';
import type { PageCommit, Store } from '../../src/store/contract.js';
import { T0, filter, newWalk, row, useMirrors } from './contract-support.js';

/** A commit of `n` rows, in pages of 100, on a new walk of profile p. */
async function bigCommit(store: Store, n: number, prefix = 'e'): Promise<PageCommit> {
  const walk = await store.createWalk('p', newWalk());
  const pages = Array.from({ length: n / 100 }, (_, p) => ({
    rows: Array.from({ length: 100 }, (_, i) => row(`${prefix}${p * 100 + i}`, { time: T0 - p * 100 - i, raw: { id: `${prefix}${p * 100 + i}`, note: `words for the search index ${p} ${i}` } })),
  }));
  return { profile: 'p', provider: 'close', walk: { ...walk, pages: pages.length, fetched: n }, pages, done: false };
}

/** How many turns the event loop takes while `work` is awaited. */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let running = true;
  const spin = () => {
    if (!running) return;
    turns += 1;
    setImmediate(spin);
  };
  setImmediate(spin);
  const result = await work();
  running = false;
  return { result, turns };
}

describe("the SQLite engine's writer thread", () => {
  const m = useMirrors('sqlite');

  it("writes a sync's commit off the main thread: the event loop keeps turning during it", async () => {
    const { store } = await m.fresh();
    const commit = await bigCommit(store, 20_000);
    const { result, turns } = await turnsDuring(() => store.commitPages(commit));
    expect(result.flat().filter((c) => c === 'new')).toHaveLength(20_000);
    // On the main thread the whole transaction would run inside the call: not one turn.
    expect(turns).toBeGreaterThan(10);
    // The main connection sees the commit as soon as its promise resolves.
    expect(await store.countEvents('p')).toBe(20_000);
    expect((await store.query(filter('p', { search: 'index' }), 1)).length).toBe(1);
    // A putEvents (the main connection) writes in the same file, between the thread's commits.
    await store.putEvents('p', 'close', [row('by-main')]);
    const again = await bigCommit(store, 100, 'f');
    expect((await store.commitPages(again)).flat().every((c) => c === 'new')).toBe(true);
    expect(await store.countEvents('p')).toBe(20_101);
  });

  it("hands back the thread's MirrorError as a MirrorError with its message", async () => {
    const { store } = await m.fresh();
    const commit = await bigCommit(store, 100);
    await store.deleteWalks('p');
    const failed = store.commitPages(commit);
    await expect(failed).rejects.toBeInstanceOf(MirrorError);
    await expect(failed).rejects.toThrow(/^the backfill walk of "p" is no longer in the mirror/);
    expect(await store.countEvents('p')).toBe(0);
    // The thread goes on with the next commit.
    expect((await store.commitPages(await bigCommit(store, 100))).flat()).toHaveLength(100);
  });

  it("hands back SQLite's errors with their code: a busy mirror is SQLITE_BUSY", async () => {
    const where = await m.location();
    const store = await m.open(where, { busyTimeoutMs: 50 });
    const commit = await bigCommit(store, 100);
    const other = new Database(where);
    try {
      other.prepare('BEGIN IMMEDIATE').run();
      const failed = store.commitPages(commit);
      await expect(failed).rejects.toBeInstanceOf(Database.SqliteError);
      await expect(failed).rejects.toMatchObject({ code: 'SQLITE_BUSY', message: 'database is locked' });
      other.prepare('ROLLBACK').run();
    } finally {
      other.close();
    }
    expect((await store.commitPages(commit)).flat()).toHaveLength(100);
  });

  it('lets close() wait for the commit in flight', async () => {
    const where = await m.location();
    const store = await m.open(where);
    const committed = store.commitPages(await bigCommit(store, 5_000));
    await m.close(store);
    expect((await committed).flat()).toHaveLength(5_000);
    const reopened = await m.open(where, { readonly: true });
    expect(await reopened.countEvents('p')).toBe(5_000);
  });
});
