// The store contract, part 7: `prune` deletes a profile's old events with their versions, in
// batches, keeps the coverage (no sync fetches the range again), records when it pruned, keeps
// the counts and the search index in step, and gives the space back (SQLite: the file shrinks).
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { EventRow } from '../../src/providers/types.js';
import { PRUNE_BATCH, type PruneResult } from '../../src/store/contract.js';
import { ENGINES } from '../support/engines.js';
import { collect, filter, ids, row, T0, useMirrors } from './contract-support.js';

const HOUR = 3_600_000;
const at = (id: string, hours: number, extra: Partial<EventRow> = {}): EventRow =>
  row(id, { time: T0 + hours * HOUR, type: hours % 2 ? 'invoice.paid' : 'lead.created', ...extra, raw: { id, note: `word${id}`, ...(extra.raw ?? {}) } });

/** A mirror of `n` events an hour apart (e0 oldest), their text padded so pages fill. */
const many = (n: number, pad = 0): EventRow[] => Array.from({ length: n }, (_, i) => at(`e${i}`, i, { raw: { id: `e${i}`, pad: 'x'.repeat(pad) } }));

describe.each(ENGINES)('store contract on %s: prune', (engine) => {
  const m = useMirrors(engine);

  it('deletes the events before the time with their versions, and nothing else', async () => {
    const { store } = await m.fresh();
    await store.putEvents('p', 'close', [at('a', 0), at('b', 1), at('c', 2), at('d', 3)]);
    // b and c changed once: one kept version each.
    await store.putEvents('p', 'close', [at('b', 1, { updated: T0 + 10 * HOUR, raw: { id: 'b', v: 2 } }), at('c', 2, { updated: T0 + 10 * HOUR, raw: { id: 'c', v: 2 } })]);
    await store.putEvents('q', 'close', [at('a', 0), at('z', 1)]);
    await store.addCoverage('p', { lo: null, hi: T0 + 20 * HOUR });

    expect(await store.prune('p', T0 + 2 * HOUR)).toEqual({ events: 2, versions: 1 });

    expect(ids(await store.query(filter('p')))).toEqual(['d', 'c']);
    expect(ids(await collect(store.stream(filter('p'), 'oldest-first')))).toEqual(['c', 'd']);
    expect(await store.getEvent('p', 'a')).toBeUndefined();
    expect(await store.versions('p', 'b')).toEqual([]);
    expect((await store.versions('p', 'c')).map((v) => JSON.parse(v.raw))).toEqual([{ id: 'c', note: 'wordc' }, { id: 'c', note: 'wordc', v: 2 }]);
    // The counts, the per-type figures and the search index follow.
    expect(await store.countEvents('p')).toBe(2);
    expect(await store.countMatching(filter('p', { types: ['invoice.*'] }))).toBe(1);
    expect((await store.stats(filter('p'), ['type'])).map((r) => [r.keys[0], r.count]).sort()).toEqual([['invoice.paid', 1], ['lead.created', 1]]);
    expect(ids(await store.query(filter('p', { search: 'worda' })))).toEqual([]);
    expect(ids(await store.query(filter('p', { search: 'wordd' })))).toEqual(['d']);
    // The range stays held: a later sync does not walk it again.
    expect(await store.coverage('p')).toEqual([{ lo: null, hi: T0 + 20 * HOUR }]);
    // Another profile keeps all of its events.
    expect(ids(await store.query(filter('q')))).toEqual(['z', 'a']);
    expect(await store.countEvents('q')).toBe(2);
  });

  it('records when it pruned, keeping the later of two prunes', async () => {
    const { store } = await m.fresh();
    await store.putEvents('p', 'close', [at('a', 0), at('b', 5)]);
    expect((await store.readMeta('p'))[0]!.prunedBefore).toBeNull();
    await store.prune('p', T0 + 3 * HOUR);
    expect((await store.readMeta('p'))[0]!.prunedBefore).toBe(T0 + 3 * HOUR);
    expect(await store.prune('p', T0 + HOUR)).toEqual({ events: 0, versions: 0 });
    expect((await store.readMeta('p'))[0]!.prunedBefore).toBe(T0 + 3 * HOUR);
    expect(ids(await store.query(filter('p')))).toEqual(['b']);
    // An event the provider serves again is simply new.
    expect(await store.putEvents('p', 'close', [at('a', 0)])).toEqual(['new']);
    expect(await store.countEvents('p')).toBe(2);
  });

  it('keeps the per-type counts (status, stats) in step when an event changes type, then is pruned', async () => {
    const { store } = await m.fresh();
    await store.putEvents('p', 'close', [at('a', 0), at('b', 2), at('c', 4)]);
    const byType = async () => (await store.stats(filter('p'), ['type'])).map((r) => [r.keys[0], r.count, r.first, r.last]);
    expect(await byType()).toEqual([['lead.created', 3, T0, T0 + 4 * HOUR]]);
    await store.putEvents('p', 'close', [at('b', 2, { type: 'lead.won', updated: T0 + 9 * HOUR, raw: { id: 'b', won: true } })]);
    expect((await byType()).sort()).toEqual([['lead.created', 2, T0, T0 + 4 * HOUR], ['lead.won', 1, T0 + 2 * HOUR, T0 + 2 * HOUR]]);
    expect(await store.countEvents('p')).toBe(3);
    await store.prune('p', T0 + 3 * HOUR);
    expect(await byType()).toEqual([['lead.created', 1, T0 + 4 * HOUR, T0 + 4 * HOUR]]);
    expect(await store.countEvents('p')).toBe(1);
    expect(ids(await store.query(filter('p', { types: ['lead.*'] })))).toEqual(['c']);
  });

  it('leaves a profile it does not know alone', async () => {
    const { store } = await m.fresh();
    expect(await store.prune('nobody', T0)).toEqual({ events: 0, versions: 0 });
    expect(await store.readMeta()).toEqual([]);
  });

  it(`deletes in batches of ${PRUNE_BATCH}, reporting each`, async () => {
    const { store } = await m.fresh();
    const rows = many(2 * PRUNE_BATCH + 500);
    for (let i = 0; i < rows.length; i += 2000) await store.putEvents('p', 'close', rows.slice(i, i + 2000));
    const seen: PruneResult[] = [];
    const keep = 100;
    const result = await store.prune('p', T0 + (rows.length - keep) * HOUR, (done) => seen.push(done));
    expect(result).toEqual({ events: rows.length - keep, versions: 0 });
    expect(seen.map((s) => s.events)).toEqual([PRUNE_BATCH, 2 * PRUNE_BATCH, rows.length - keep]);
    expect(await store.countEvents('p')).toBe(keep);
    expect(await store.countMatching(filter('p'))).toBe(keep);
    expect((await store.query(filter('p'), 1))[0]!.id).toBe(`e${rows.length - 1}`);
  });

  if (engine === 'sqlite') {
    const fileSize = (file: string) => fs.statSync(file).size + (fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0);

    it('gives the space back: the mirror file shrinks', async () => {
      const { store, location } = await m.fresh();
      const rows = many(4000, 400);
      for (let i = 0; i < rows.length; i += 1000) await store.putEvents('p', 'close', rows.slice(i, i + 1000));
      const before = fileSize(location);
      await store.prune('p', T0 + 3000 * HOUR);
      const after = fileSize(location);
      expect(after).toBeLessThan(before * 0.4);
      expect(await store.countEvents('p')).toBe(1000);
    });

    it('converts a mirror made before incremental vacuum at its first prune, then shrinks it', async () => {
      const { store, location } = await m.fresh();
      const rows = many(4000, 400);
      for (let i = 0; i < rows.length; i += 1000) await store.putEvents('p', 'close', rows.slice(i, i + 1000));
      await m.close(store);
      // As a mirror made before migration 5 is: no auto_vacuum.
      const db = new Database(location);
      db.pragma('auto_vacuum = NONE');
      db.exec('VACUUM');
      expect(db.pragma('auto_vacuum', { simple: true })).toBe(0);
      db.close();
      const reopened = await m.open(location);
      const before = fileSize(location);
      expect((await reopened.prune('p', T0 + 3000 * HOUR)).events).toBe(3000);
      expect(fileSize(location)).toBeLessThan(before * 0.4);
      await m.close(reopened);
      const check = new Database(location, { readonly: true });
      expect(check.pragma('auto_vacuum', { simple: true })).toBe(2);
      check.close();
    });
  }
});
