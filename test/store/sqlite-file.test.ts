// What only the SQLite engine has: a file. Files that are not a mirror are refused and left as they
// were, a mirror from a newer version is refused, a parent path that is a file is reported, a
// version-1 mirror is migrated keeping its events (with revisions), and a lock row left by a dead
// process is taken over. What both engines share is the contract suite (contract-*.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MirrorError } from '../../src/errors.js';
import { openStore } from '../../src/store/open.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import type { Store } from '../../src/store/contract.js';
import { tempHome } from '../support/cli.js';
import { withText } from '../support/rows.js';

describe('the SQLite mirror file', () => {
  const homes: Array<ReturnType<typeof tempHome>> = [];
  const stores: Store[] = [];
  const home = () => {
    const h = tempHome();
    homes.push(h);
    return h;
  };
  const open = async (file: string, options: { readonly?: boolean } = {}) => {
    const store = await openStore(file, options);
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    homes.splice(0).forEach((h) => h.cleanup());
  });

  it('refuses a file that is not an SQLite database, leaving it untouched', async () => {
    const { db } = home();
    fs.writeFileSync(db, 'this is my thesis, not a database');
    for (const readonly of [false, true]) {
      const err = await openStore(db, { readonly }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MirrorError);
      expect((err as Error).message).toMatch(/not an SQLite database/);
    }
    expect(fs.readFileSync(db, 'utf8')).toBe('this is my thesis, not a database');
  });

  it('refuses an SQLite database that is not a mirror, leaving it untouched', async () => {
    const { db } = home();
    const foreign = new Database(db);
    foreign.exec(`CREATE TABLE thesis (chapter TEXT); INSERT INTO thesis VALUES ('one'), ('two');`);
    foreign.close();
    const before = fs.readFileSync(db);
    for (const readonly of [false, true]) {
      const err = await openStore(db, { readonly }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MirrorError);
      expect((err as Error).message).toMatch(/is an SQLite file but not an events mirror/);
    }
    // Not even switched to WAL: the bytes are the same, and there is no journal beside it.
    expect(fs.readFileSync(db).equals(before)).toBe(true);
    expect(fs.existsSync(`${db}-wal`)).toBe(false);
    const check = new Database(db, { readonly: true });
    expect(check.prepare('SELECT chapter FROM thesis ORDER BY chapter').pluck().all()).toEqual(['one', 'two']);
    expect(check.pragma('user_version', { simple: true })).toBe(0);
    check.close();
  });

  it('refuses a mirror written by a newer version of events, leaving its version as it is', async () => {
    const { db } = home();
    await (await openStore(db)).close();
    const newer = new Database(db);
    newer.pragma('user_version = 99');
    newer.close();
    for (const readonly of [false, true]) {
      const err = await openStore(db, { readonly }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MirrorError);
      expect((err as Error).message).toMatch(/newer version of events \(schema 99\)/);
    }
    const check = new Database(db, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(99);
    check.close();
  });

  it('says so when the parent of the mirror path is a file', async () => {
    const { dir } = home();
    const file = path.join(dir, 'not-a-dir');
    fs.writeFileSync(file, 'x');
    const err = await openStore(path.join(file, 'mirror.db')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MirrorError);
    expect((err as Error).message).toMatch(/cannot create the directory of the mirror .*not-a-dir/);
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });

  it('migrates a version-1 mirror to the current version, keeping its events, coverage and status, with revisions', async () => {
    const { db } = home();
    // A mirror as version 1 wrote it: two profiles, events interleaved in arrival order.
    const v1 = new Database(db);
    v1.exec(MIGRATIONS[0]!);
    v1.pragma('user_version = 1');
    v1.prepare(`INSERT INTO profiles (profile_id, profile, provider, last_sync, last_ok, last_error, remote_total) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
      1, 'sales', 'close', 5_000, 5_000, '', null,
    );
    v1.prepare(`INSERT INTO profiles (profile_id, profile, provider, last_sync, last_ok, last_error, remote_total) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
      2, 'ops', 'bem', 6_000, 4_000, 'bem: 503', 7,
    );
    const insert = v1.prepare(`INSERT INTO events (profile_id, id, type, time, updated, object, raw) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    const raw = (id: string, updated: number) => JSON.stringify({ id, updated });
    insert.run(1, 'a', 'lead.created', 1_000, 1_100, 'lead_1', raw('a', 1_100));
    insert.run(2, 'x', 'transform', 1_500, 1_500, null, raw('x', 1_500));
    insert.run(1, 'b', 'lead.updated', 2_000, 2_000, 'lead_1', raw('b', 2_000));
    insert.run(1, 'c', 'call.created', 3_000, 3_000, null, raw('c', 3_000));
    v1.prepare('INSERT INTO coverage (profile, lo, hi) VALUES (?, ?, ?)').run('sales', null, 3_000);
    v1.close();

    const store = await open(db);
    // The events, as they were.
    expect((await store.query({ profile: 'sales', types: [], where: [] })).map((e) => e.id)).toEqual(['c', 'b', 'a']);
    expect(await store.getEvent('sales', 'a')).toEqual({ id: 'a', type: 'lead.created', time: 1_000, updated: 1_100, object: 'lead_1', raw: raw('a', 1_100) });
    expect(await store.countEvents('sales')).toBe(3);
    expect(await store.countEvents('ops')).toBe(1);
    expect(await store.coverage('sales')).toEqual([{ lo: null, hi: 3_000 }]);
    const meta = Object.fromEntries((await store.readMeta()).map((m) => [m.profile, m]));
    expect(meta.sales).toMatchObject({ provider: 'close', lastSync: 5_000, lastOk: 5_000, lastError: '', remoteTotal: null, skewMs: null });
    expect(meta.ops).toMatchObject({ provider: 'bem', lastSync: 6_000, lastOk: 4_000, lastError: 'bem: 503', remoteTotal: 7 });

    // Revisions in arrival order, per profile; seen is the updated time (nothing better is known).
    const head = await store.headRevision('sales');
    const changes = await store.changesSince('sales', 0, 100);
    expect(changes.map((e) => e.id)).toEqual(['a', 'b', 'c']);
    expect(changes.at(-1)!.rev).toBe(head);
    expect(changes.every((e, i) => i === 0 || e.rev > changes[i - 1]!.rev)).toBe(true);
    expect(changes.every((e) => e.rev > 0 && e.seen === e.updated)).toBe(true);
    expect(changes[0]).toMatchObject({ id: 'a', type: 'lead.created', time: 1_000, updated: 1_100, object: 'lead_1', raw: raw('a', 1_100) });
    expect((await store.changesSince('sales', changes[0]!.rev, 100)).map((e) => e.id)).toEqual(['b', 'c']);
    expect(await store.changesSince('sales', head, 100)).toEqual([]);
    const ops = await store.changesSince('ops', 0, 100);
    expect(ops.map((e) => e.id)).toEqual(['x']);
    expect(await store.headRevision('ops')).toBe(ops[0]!.rev);
    expect(await store.versions('sales', 'b')).toEqual([{ rev: changes[1]!.rev, updated: 2_000, seen: 2_000, raw: raw('b', 2_000) }]);

    // The change log goes on from there: an update takes the next revision and keeps the old version.
    expect(await store.putEvents('sales', 'close', [withText({ id: 'a', type: 'lead.created', time: 1_000, updated: 9_000, object: 'lead_1', raw: { id: 'a', updated: 9_000 } })])).toEqual([
      'updated',
    ]);
    expect(await store.headRevision('sales')).toBe(head + 1);
    expect((await store.changesSince('sales', head, 100)).map((e) => [e.id, e.rev, e.updated])).toEqual([['a', head + 1, 9_000]]);
    expect((await store.versions('sales', 'a')).map((v) => [v.rev, v.updated])).toEqual([
      [changes[0]!.rev, 1_100],
      [head + 1, 9_000],
    ]);
    expect(await store.headRevision('ops')).toBe(ops[0]!.rev);
    await store.close();
    stores.splice(stores.indexOf(store), 1);

    // The file is now at the current version, and opens readonly without wanting an upgrade.
    const check = new Database(db, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    check.close();
    const reader = await open(db, { readonly: true });
    expect(await reader.countEvents('sales')).toBe(3);
  });

  it('takes over a lock whose holder process is gone, but not one a live process holds', async () => {
    const { db } = home();
    await (await openStore(db)).close();
    const raw = new Database(db);
    // 2^22 + 12345 is above Linux's pid_max default: no such process.
    raw.prepare('INSERT INTO locks (profile, pid, since) VALUES (?, ?, ?)').run('sync:dead', 2 ** 22 + 12345, 0);
    raw.prepare('INSERT INTO locks (profile, pid, since) VALUES (?, ?, ?)').run('sync:alive', process.ppid, 0);
    raw.close();
    const store = await open(db);
    const dead = await store.tryLock('sync:dead');
    expect(dead.ok).toBe(true);
    expect(await store.tryLock('sync:alive')).toEqual({ ok: false, holder: `pid ${process.ppid}` });
    if (dead.ok) await dead.lock.release();
  });
});
