// The store contract, part 5: what two store instances on one mirror see of each other (locks,
// watch), durable consumers, and opening: readonly, a missing mirror, the printable location.
import path from 'node:path';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MirrorError } from '../../src/errors.js';
import type { ConsumerState, Store } from '../../src/store/contract.js';
import { openStore } from '../../src/store/open.js';
import { ENGINES } from '../support/engines.js';
import { filter, ids, newWalk, row, stored, T0, useMirrors, waitUntil } from './contract-support.js';

describe.each(ENGINES)('store contract on %s: sessions', (engine) => {
  const m = useMirrors(engine);

  /** Two store instances on one new mirror, as two processes would have. */
  const twoStores = async (): Promise<[Store, Store, string]> => {
    const { store, location } = await m.fresh();
    return [store, await m.open(location), location];
  };

  it('says which engine it is and where, without a password', async () => {
    let location = await m.location();
    if (engine === 'postgres') {
      // Under trust auth a password is ignored, so one can always be put in the URL.
      const u = new URL(location);
      if (!u.password) {
        if (!u.username) u.username = 'postgres';
        u.password = 'hunter2-secret';
      }
      location = u.toString();
    }
    const store = await m.open(location);
    expect(store.engine).toBe(engine);
    if (engine === 'sqlite') expect(store.location).toBe(path.resolve(location));
    else {
      const password = decodeURIComponent(new URL(location).password);
      expect(store.location).not.toContain(password);
      expect(store.location).toContain(new URL(location).hostname);
      expect(store.location).toContain(new URL(location).searchParams.get('schema')!);
    }
  });

  it('holds a lock against a second instance until released; keys are independent', async () => {
    const [a, b] = await twoStores();
    const first = await a.tryLock('sync:p');
    expect(first.ok).toBe(true);

    const busy = await b.tryLock('sync:p');
    expect(busy.ok).toBe(false);
    if (!busy.ok) {
      expect(typeof busy.holder).toBe('string');
      expect(busy.holder.trim().length).toBeGreaterThan(0);
    }
    const other = await b.tryLock('sync:q');
    expect(other.ok).toBe(true);
    const consumer = await b.tryLock('consumer:fwd:p');
    expect(consumer.ok).toBe(true);
    expect((await a.tryLock('consumer:fwd:p')).ok).toBe(false);
    expect((await a.tryLock('sync:q')).ok).toBe(false);

    if (first.ok) {
      await first.lock.release();
      await first.lock.release(); // safe twice
    }
    const taken = await b.tryLock('sync:p');
    expect(taken.ok).toBe(true);
    expect((await a.tryLock('sync:p')).ok).toBe(false);
    if (taken.ok) await taken.lock.release();
    if (other.ok) await other.lock.release();
    const again = await a.tryLock('sync:p');
    expect(again.ok).toBe(true);
    expect((await a.tryLock('sync:q')).ok).toBe(true);
    // Still held: releasing other keys freed nothing else.
    expect((await a.tryLock('consumer:fwd:p')).ok).toBe(false);
  });

  it('frees the locks of an instance that closes', async () => {
    const [a, b] = await twoStores();
    expect((await b.tryLock('sync:p')).ok).toBe(true);
    expect((await a.tryLock('sync:p')).ok).toBe(false);
    await m.close(b);
    // A server may notice a closed session a moment later: poll, with a deadline.
    await waitUntil(async () => {
      const got = await a.tryLock('sync:p');
      return got.ok;
    }, 5_000, 'the closed instance to let go of sync:p');
  });

  it("calls watch()'s onChange soon after another instance commits, and not after close()", async () => {
    const [writer, reader] = await twoStores();
    let calls = 0;
    const watcher = await reader.watch(() => {
      calls += 1;
    });
    await writer.putEvents('p', 'close', [row('a')]);
    await waitUntil(() => calls > 0, 1_000, 'onChange after putEvents');

    const before = calls;
    const walk = await writer.createWalk('p', newWalk());
    await writer.commitPages({ profile: 'p', provider: 'close', walk: { ...walk, pages: 1, fetched: 1 }, pages: [{ rows: [row('b')] }], done: false });
    await waitUntil(() => calls > before, 1_000, 'onChange after commitPages');
    // The hint is followed by a read that sees the change.
    expect(ids(await reader.changesSince('p', 1, 10))).toEqual(['b']);

    await watcher.close();
    const atClose = calls;
    // A second watcher, opened after the first closed, shows when the first would have fired.
    let control = 0;
    const witness = await reader.watch(() => {
      control += 1;
    });
    await writer.putEvents('p', 'close', [row('c')]);
    await waitUntil(() => control > 0, 1_000, 'the witness watcher');
    await writer.putEvents('p', 'close', [row('d')]);
    await waitUntil(() => control > 1, 1_000, 'the witness watcher, again');
    expect(calls).toBe(atClose);
    await witness.close();
  });

  it('saves durable consumers: creates, moves, keeps fields left undefined, lists and removes', async () => {
    const { store } = await m.fresh();
    expect(await store.consumers()).toEqual([]);
    expect(await store.consumer('fwd', 'p')).toBeUndefined();

    const fresh: Omit<ConsumerState, 'name' | 'profile'> = { rev: 0, ackedAt: null, lastDelivery: null, failures: 0, lastError: null };
    await store.saveConsumer({ name: 'fwd', profile: 'p' });
    expect(await store.consumer('fwd', 'p')).toEqual({ name: 'fwd', profile: 'p', ...fresh });

    await store.saveConsumer({ name: 'fwd', profile: 'p', rev: 42, ackedAt: T0 + 1, lastDelivery: T0 + 1 });
    const moved = { name: 'fwd', profile: 'p', ...fresh, rev: 42, ackedAt: T0 + 1, lastDelivery: T0 + 1 };
    expect(await store.consumer('fwd', 'p')).toEqual(moved);

    await store.saveConsumer({ name: 'fwd', profile: 'p', failures: 3, lastError: 'POST https://hooks.example/x: 503', lastDelivery: T0 + 9, rev: undefined });
    const failing = { ...moved, failures: 3, lastError: 'POST https://hooks.example/x: 503', lastDelivery: T0 + 9 };
    expect(await store.consumer('fwd', 'p')).toEqual(failing);

    await store.saveConsumer({ name: 'fwd', profile: 'p', failures: 0, lastError: null });
    expect(await store.consumer('fwd', 'p')).toEqual({ ...failing, failures: 0, lastError: null });

    await store.saveConsumer({ name: 'fwd', profile: 'q', rev: 7 });
    await store.saveConsumer({ name: "o'brien", profile: 'p', rev: 1 });
    expect(await store.consumer('fwd', 'q')).toEqual({ name: 'fwd', profile: 'q', ...fresh, rev: 7 });
    expect(await store.consumer('fwd', 'r')).toBeUndefined();
    expect(await store.consumer('other', 'p')).toBeUndefined();
    const listed = (await store.consumers()).map((c) => `${c.name}/${c.profile}@${c.rev}`).sort();
    expect(listed).toEqual(['fwd/p@42', 'fwd/q@7', "o'brien/p@1"]);

    expect(await store.removeConsumer('fwd')).toBe(2);
    expect(await store.removeConsumer('fwd')).toBe(0);
    expect(await store.removeConsumer('nobody')).toBe(0);
    expect((await store.consumers()).map((c) => c.name)).toEqual(["o'brien"]);
  });

  it('sees consumers saved by another instance', async () => {
    const [a, b] = await twoStores();
    await a.saveConsumer({ name: 'fwd', profile: 'p', rev: 3 });
    expect((await b.consumer('fwd', 'p'))?.rev).toBe(3);
    await b.saveConsumer({ name: 'fwd', profile: 'p', rev: 4 });
    expect((await a.consumer('fwd', 'p'))?.rev).toBe(4);
  });

  it('refuses a readonly open where no mirror is, saying to sync, and creates nothing', async () => {
    let location = await m.location();
    if (engine === 'postgres') {
      const u = new URL(location);
      u.searchParams.set('schema', `missing_${process.pid}_${Date.now()}`);
      location = u.toString();
    }
    const attempt = openStore(location, { readonly: true });
    await expect(attempt).rejects.toBeInstanceOf(MirrorError);
    await expect(openStore(location, { readonly: true })).rejects.toThrow(/sync/);
    if (engine === 'sqlite') expect(fs.existsSync(location)).toBe(false);
  });

  it('reads an existing mirror opened readonly, and sees what a writer commits later', async () => {
    const { store: writer, location } = await m.fresh();
    const a = row('a', { type: 'invoice.paid', raw: { id: 'a', data: { ok: true } } });
    await writer.putEvents('p', 'close', [a]);
    await writer.updateMeta('p', 'close', { lastOk: T0 });
    await writer.addCoverage('p', { lo: null, hi: T0 });
    await writer.saveConsumer({ name: 'fwd', profile: 'p', rev: 1 });

    const reader = await m.open(location, { readonly: true });
    expect(reader.engine).toBe(engine);
    expect(await reader.getEvent('p', 'a')).toEqual(stored(a));
    expect(await reader.query(filter('p', { where: [{ path: 'data.ok', value: 'true' }] }))).toEqual([stored(a)]);
    expect(await reader.countEvents('p')).toBe(1);
    expect(await reader.headRevision('p')).toBe(1);
    expect(ids(await reader.changesSince('p', 0, 10))).toEqual(['a']);
    expect(await reader.coverage('p')).toEqual([{ lo: null, hi: T0 }]);
    expect((await reader.readMeta('p'))[0]?.lastOk).toBe(T0);
    expect((await reader.consumer('fwd', 'p'))?.rev).toBe(1);

    await writer.putEvents('p', 'close', [row('b')]);
    expect(await reader.countEvents('p')).toBe(2);
    expect(ids(await reader.changesSince('p', 1, 10))).toEqual(['b']);
  });
});
