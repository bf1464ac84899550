// What only the PostgreSQL engine has to get right, on the run's real server: session locks that
// die with their session, NOTIFY at commit only, revisions in commit order under concurrent
// writers, schemas that are not ours, connection and password failures (never showing the
// password), transaction poolers, one round trip per commit, and text kept byte for byte.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { findPgbouncer } from '../../scripts/test-tools.mjs';
import { MirrorError } from '../../src/errors.js';
import type { Store } from '../../src/store/contract.js';
import { openStore } from '../../src/store/open.js';
import { lookupPassword } from '../../src/store/postgres/pgpass.js';
import { resolveTarget } from '../../src/store/postgres/target.js';
import { freshPgMirror, pgManaged, pgUrl, splitMirrorUrl, withPg, type PgMirror } from '../support/pg.js';
import { SECRETIVE_PASSWORD, SECRETIVE_ROLE } from '../support/pg-server.js';
import { filter, ids, newWalk, row, T0, waitUntil } from './contract-support.js';

const stores: Store[] = [];
const mirrors: PgMirror[] = [];
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  for (const s of stores.splice(0).reverse()) await s.close().catch(() => {});
  await Promise.all(mirrors.splice(0).map((m) => m.drop()));
});

async function mirror(): Promise<PgMirror> {
  const m = await freshPgMirror();
  mirrors.push(m);
  return m;
}

async function open(url: string, options: { readonly?: boolean; env?: Record<string, string | undefined> } = {}): Promise<Store> {
  const store = await openStore(url, { env: {}, ...options });
  stores.push(store);
  return store;
}

/** A raw client in the mirror's schema, closed after the test. */
async function raw(m: PgMirror): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: splitMirrorUrl(m.url).connectionString });
  await client.connect();
  await client.query(`SET search_path = "${m.schema}"`);
  cleanups.push(() => client.end().catch(() => {}));
  return client;
}

/** The message a promise rejects with (it must reject with a MirrorError). */
async function failure(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MirrorError);
  return (err as Error).message;
}

const server = () => new URL(pgUrl());

describe('postgres engine: locks', () => {
  it('a second store sees the sync lock busy, with the holder named, until it is released', async () => {
    const m = await mirror();
    const a = await open(m.url);
    const b = await open(m.url);
    const held = await a.tryLock('sync:p');
    expect(held.ok).toBe(true);
    const busy = await b.tryLock('sync:p');
    expect(busy).toEqual({ ok: false, holder: expect.stringMatching(/^pid \d+ on 127\.0\.0\.1 \(events\)$/) });
    // The same key in another schema (another mirror on the same database) is another lock.
    const elsewhere = await open((await mirror()).url);
    expect((await elsewhere.tryLock('sync:p')).ok).toBe(true);
    if (held.ok) await held.lock.release();
    expect((await b.tryLock('sync:p')).ok).toBe(true);
  });

  it('frees the lock of a process killed with SIGKILL within a second', async () => {
    const m = await mirror();
    const store = await open(m.url);
    // The child holds the same session-level advisory lock the engine takes for `sync:p`.
    const script = `
      const pg = require('pg');
      const c = new pg.Client({ connectionString: process.argv[1] });
      c.connect()
        .then(() => c.query("SELECT pg_try_advisory_lock(hashtextextended($1 || ':' || $2, 0)) AS ok", [process.argv[2], 'sync:p']))
        .then((r) => { console.log(r.rows[0].ok ? 'held' : 'busy'); setInterval(() => {}, 1000); });`;
    const child = spawn(process.execPath, ['-e', script, splitMirrorUrl(m.url).connectionString, m.schema], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => child.kill('SIGKILL'));
    const said = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
    expect(said).toBe('held');
    expect((await store.tryLock('sync:p')).ok).toBe(false);

    child.kill('SIGKILL');
    const killed = Date.now();
    await waitUntil(async () => (await store.tryLock('sync:p')).ok, 1_000, 'the killed holder to lose sync:p');
    expect(Date.now() - killed).toBeLessThan(1_000);
  });
});

describe('postgres engine: change log', () => {
  it('notifies watchers at commit, never while the transaction is open', async () => {
    const m = await mirror();
    const store = await open(m.url);
    await store.putEvents('p', 'close', [row('a')]);
    let calls = 0;
    const watcher = await store.watch(() => {
      calls += 1;
    });
    cleanups.push(() => watcher.close());
    // A probe on the same channel records payloads: a session receives notifications in commit order.
    const channel = `events:${m.schema}`;
    const probe = await raw(m);
    const heard: string[] = [];
    probe.on('notification', (n) => heard.push(n.payload ?? ''));
    await probe.query(`LISTEN "${channel}"`);

    const tx = await raw(m);
    await tx.query('BEGIN');
    await tx.query(`SELECT commit_page('p', 'close', 0, '["b"]', '["t"]', $1, $1, '[null]', '[{"id":"b"}]', '[null]', NULL, NULL)`, [`[${T0}]`]);
    // A marker committed after the page's statement ran: everything sent before it has arrived.
    const other = await raw(m);
    await other.query(`SELECT pg_notify($1, 'marker')`, [channel]);
    await waitUntil(() => heard.length > 0 && calls > 0, 2_000, 'the marker');
    expect(heard).toEqual(['marker']);
    expect(calls).toBe(1);
    expect(ids(await store.changesSince('p', 1, 10))).toEqual([]);

    await tx.query('COMMIT');
    await waitUntil(() => calls > 1 && heard.length > 1, 2_000, 'the notification of the commit');
    expect(JSON.parse(heard[1]!)).toEqual({ profile: 'p', rev: 2 });
    expect(ids(await store.changesSince('p', 1, 10))).toEqual(['b']);
  });

  it('hands out revisions in commit order: a writer that waits for another commits above it', async () => {
    const m = await mirror();
    const a = await open(m.url);
    const app = `events-late-${process.pid}-${Date.now()}`;
    const b = await open(`${m.url}&application_name=${app}`);
    await a.putEvents('p', 'close', [row('seed')]);
    // An open transaction writes x1, x2 and keeps the profile's row locked.
    const tx = await raw(m);
    await tx.query('BEGIN');
    await tx.query(`SELECT commit_page('p', 'close', 0, '["x1","x2"]', '["t","t"]', $1, $1, '[null,null]', '[{"id":"x1"},{"id":"x2"}]', '[null,null]', NULL, NULL)`, [
      `[${T0},${T0}]`,
    ]);
    // b's commit starts later but must wait; a reader meanwhile sees nothing beyond the seed.
    const late = b.putEvents('p', 'close', [row('y')]);
    const waiting = () => withPg(pgUrl(), async (c) => (await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [app])).rows[0].n);
    await waitUntil(async () => (await waiting()) > 0, 2_000, "b's commit to wait for the profile's lock");
    expect(await a.headRevision('p')).toBe(1);
    expect(ids(await a.changesSince('p', 1, 10))).toEqual([]);
    await tx.query('COMMIT');
    expect(await late).toEqual(['new']);
    const log = await a.changesSince('p', 0, 10);
    expect(log.map((e) => `${e.id}@${e.rev}`)).toEqual(['seed@1', 'x1@2', 'x2@3', 'y@4']);
  });

  it('never lets a reader that follows revisions miss a commit, under concurrent writers', async () => {
    const m = await mirror();
    const writers = await Promise.all([1, 2, 3, 4].map(() => open(m.url)));
    const reader = await open(m.url);
    const perWriter = 25;
    const writing = Promise.all(
      writers.map(async (w, i) => {
        for (let j = 0; j < perWriter; j++) await w.putEvents('p', 'close', [row(`w${i}-${j}a`), row(`w${i}-${j}b`)]);
      }),
    );
    let done = false;
    void writing.then(() => (done = true));
    // Every revision the reader meets must be the next one: a gap that fills later is a miss.
    const seen: number[] = [];
    let watermark = 0;
    while (!done || watermark < writers.length * perWriter * 2) {
      for (const e of await reader.changesSince('p', watermark, 1000)) {
        seen.push(e.rev);
        expect(e.rev).toBe(watermark + 1);
        watermark = e.rev;
      }
    }
    await writing;
    expect(seen).toHaveLength(writers.length * perWriter * 2);
  });

  it('commits a batch in one round trip, whatever its size', async () => {
    const m = await mirror();
    const store = await open(m.url);
    const walk = await store.createWalk('p', newWalk());
    const spy = vi.spyOn(pg.Client.prototype, 'query');
    cleanups.push(() => spy.mockRestore());
    const pages = [0, 1, 2].map((p) => ({ rows: Array.from({ length: 300 }, (_, i) => row(`e${p}-${i}`, { time: T0 + i })) }));
    const changes = await store.commitPages({ profile: 'p', provider: 'close', walk: { ...walk, pages: 3, fetched: 900 }, pages, done: false });
    expect(changes.map((c) => c.length)).toEqual([300, 300, 300]);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockClear();
    await store.putEvents('p', 'close', pages[0]!.rows);
    expect(spy).toHaveBeenCalledTimes(1);
  });
});

describe('postgres engine: statistics', () => {
  /** When the mirror's events table was last analyzed by hand (not by autovacuum), if ever. */
  const analyzedAt = (m: PgMirror) =>
    withPg(m.url, async (client) => (await client.query(`SELECT last_analyze FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = 'events'`, [m.schema])).rows[0]?.last_analyze ?? null);

  it('analyzes the tables at close after writes that outgrew their statistics, and not after a few', async () => {
    const few = await mirror();
    const small = await open(few.url);
    await small.putEvents('p', 'close', Array.from({ length: 20 }, (_, i) => row(`f${i}`, { time: T0 + i })));
    await small.close();
    expect(await analyzedAt(few)).toBeNull();

    const many = await mirror();
    const big = await open(many.url);
    const walk = await big.createWalk('p', newWalk());
    const pages = [{ rows: Array.from({ length: 500 }, (_, i) => row(`e${i}`, { time: T0 + i })) }];
    await big.commitPages({ profile: 'p', provider: 'close', walk: { ...walk, pages: 1, fetched: 500 }, pages, done: false });
    await big.close();
    expect(await analyzedAt(many)).not.toBeNull();
  });
});

describe('postgres engine: text and --where', () => {
  it('keeps raw text byte for byte, and compares numbers as the provider wrote them', async () => {
    const m = await mirror();
    const store = await open(m.url);
    const text = '{ "id" : "txt",\n  "amount": 1.50, "big": 12345678901234567890, "u": "\\u00e9", "ok": true }';
    await store.importVersions('p', 'close', [{ id: 'txt', type: 't', time: T0, updated: T0, object: null, raw: text, seen: T0 }]);
    expect((await store.getEvent('p', 'txt'))?.raw).toBe(text);
    const where = (path: string, value: string) => store.query(filter('p', { where: [{ path, value }] }));
    expect(ids(await where('amount', '1.50'))).toEqual(['txt']); // SQLite would match 1.5 instead
    expect(ids(await where('amount', '1.5'))).toEqual([]);
    expect(ids(await where('big', '12345678901234567890'))).toEqual(['txt']);
    expect(ids(await where('u', 'é'))).toEqual(['txt']);
    expect(ids(await where('ok', 'true'))).toEqual(['txt']);
  });

  it('answers --where on a profile holding text that #>> cannot read (\\u0000, lone surrogates)', async () => {
    const m = await mirror();
    const store = await open(m.url);
    await store.putEvents('p', 'close', [
      row('nul', { raw: { id: 'nul', s: 'x\u0000y', k: 'v' } }),
      row('sur', { raw: { id: 'sur', s: 'a\ud800b', k: 'v' } }),
      row('esc', { raw: { id: 'esc', s: '\\u0000 is text here', k: 'w' } }),
      row('ok', { raw: { id: 'ok', k: 'v' } }),
    ]);
    const where = (path: string, value: string) => store.query(filter('p', { where: [{ path, value }] }));
    expect(ids(await where('k', 'v')).sort()).toEqual(['nul', 'ok', 'sur']);
    expect(ids(await where('s', '\\u0000 is text here'))).toEqual(['esc']);
    expect(await store.countMatching(filter('p', { where: [{ path: 'k', value: 'w' }] }))).toBe(1);
  });
});

describe('postgres engine: opening', () => {
  it('creates the schema once when two first runs race', async () => {
    const m = await mirror();
    const both = await Promise.all([open(m.url), open(m.url), open(m.url)]);
    await both[0]!.putEvents('p', 'close', [row('a')]);
    expect(await both[2]!.countEvents('p')).toBe(1);
  });

  it('refuses a schema holding tables that are not a mirror, and leaves it untouched', async () => {
    const m = await mirror();
    await withPg(pgUrl(), async (c) => {
      await c.query(`CREATE SCHEMA "${m.schema}"`);
      await c.query(`CREATE TABLE "${m.schema}".invoices (id int)`);
    });
    const message = await failure(openStore(m.url, { env: {} }));
    expect(message).toBe(`schema "${m.schema}" in postgres://postgres@127.0.0.1:${server().port}/postgres?schema=${m.schema} holds tables that are not an events mirror; pick another with ?schema=NAME`);
    expect(await failure(openStore(m.url, { readonly: true, env: {} }))).toBe(message);
    const tables = await withPg(pgUrl(), async (c) => (await c.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [m.schema])).rows);
    expect(tables).toEqual([{ table_name: 'invoices' }]);
  });

  it('refuses a mirror written by a newer version of events', async () => {
    const m = await mirror();
    await (await open(m.url)).close();
    await withPg(pgUrl(), (c) => c.query(`UPDATE "${m.schema}".schema_version SET version = 999`));
    expect(await failure(openStore(m.url, { env: {} }))).toMatch(/newer version of events \(schema 999\); upgrade events$/);
  });

  it('upgrades a version-3 mirror (before the clock skew column), keeping its status', async () => {
    const m = await mirror();
    const first = await open(m.url);
    await first.updateMeta('sales', 'close', { lastSync: T0, lastOk: T0, lastError: '' });
    await first.close();
    stores.splice(stores.indexOf(first), 1);
    // The mirror as version 3 left it.
    await withPg(pgUrl(), async (c) => {
      await c.query(`ALTER TABLE "${m.schema}".profiles DROP COLUMN skew_ms`);
      // (and before migration 5's type counts and pruning)
      await c.query(`DROP TABLE "${m.schema}".type_counts; DROP FUNCTION "${m.schema}".count_types CASCADE; ALTER TABLE "${m.schema}".profiles DROP COLUMN pruned_before`);
      // (and before migration 7's search table, whose column migration 6 made again)
      await c.query(`DROP TABLE "${m.schema}".search_index, "${m.schema}".search_state; DROP FUNCTION "${m.schema}".index_search; ALTER TABLE "${m.schema}".events ADD COLUMN search tsvector`);
      await c.query(`UPDATE "${m.schema}".schema_version SET version = 3`);
    });
    expect(await failure(openStore(m.url, { readonly: true, env: {} }))).toMatch(/needs an upgrade; run `events sync` once$/);
    const store = await open(m.url);
    expect(await store.readMeta('sales')).toEqual([{ profile: 'sales', provider: 'close', lastSync: T0, lastOk: T0, lastError: '', remoteTotal: null, skewMs: null, prunedBefore: null }]);
    await store.updateMeta('sales', 'close', { skewMs: 600_000 });
    expect((await store.readMeta('sales'))[0]!.skewMs).toBe(600_000);
    const version = await withPg(pgUrl(), async (c) => (await c.query(`SELECT version FROM "${m.schema}".schema_version WHERE app = 'events'`)).rows);
    expect(version).toEqual([{ version: 7 }]);
  });

  it('says where it is without the password, and without the schema when it is the default', () => {
    const at = (url: string) => resolveTarget(url, {}).location;
    expect(at('postgres://postgres:p%40ss%3Aword@db.example:5433/app')).toBe('postgres://postgres@db.example:5433/app');
    expect(at('postgres://ann:pw@h/app?schema=events&sslmode=require')).toBe('postgres://ann@h/app?sslmode=require');
    expect(at('postgresql://ann@h/app?password=pw&schema=team')).toBe('postgresql://ann@h/app?schema=team');
  });

  it('names a server it cannot reach in one line', async () => {
    const message = await failure(openStore('postgres://someone:hunter2@127.0.0.1:1/db', { env: {} }));
    expect(message).toBe('cannot reach PostgreSQL at postgres://someone@127.0.0.1:1/db: connection refused');
  });

  it('names a server that accepts and never answers, after connect_timeout', async () => {
    // Reads (so it sees our side hang up) but never says a word.
    const silent = net.createServer((socket) => socket.resume()).listen(0, '127.0.0.1');
    await new Promise((r) => silent.once('listening', r));
    cleanups.push(() => new Promise((r) => silent.close(r)));
    const { port } = silent.address() as net.AddressInfo;
    const message = await failure(openStore(`postgres://u:pw@127.0.0.1:${port}/db?connect_timeout=2`, { env: {} }));
    expect(message).toBe(`cannot reach PostgreSQL at postgres://u@127.0.0.1:${port}/db: no answer within 2 s`);
  });

  it('says when the server will not do the TLS that sslmode asks for', async () => {
    const m = await mirror();
    const message = await failure(openStore(`${m.url}&sslmode=require`, { env: {} }));
    expect(message).toMatch(/^cannot reach PostgreSQL at \S+: the server does not accept TLS, which sslmode=require requires$/);
  });

  it('refuses malformed URLs, without showing their password', async () => {
    for (const url of ['postgres://u:hunter2@h:99999/d', 'postgres://u:hunter2@h/d?sslmode=bogus', 'postgres://u:hunter2@h/d?nonsense=1', 'postgres://u:hunter2@a,b/d']) {
      const message = await failure(openStore(url, { env: {} }));
      expect(message).not.toContain('hunter2');
      expect(message.split('\n')).toHaveLength(1);
    }
  });

  it.each([
    ['a Neon pooler host', 'postgres://u:pw@ep-cool-1234-pooler.eu-central-1.aws.neon.tech/db?sslmode=require'],
    ['the Supabase pooler port', 'postgres://u.proj:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres'],
    ['pgbouncer=true', 'postgres://u:pw@db.internal:5432/app?pgbouncer=true'],
  ])('refuses a transaction pooler before connecting: %s', async (_name, url) => {
    const message = await failure(openStore(url, { env: {} }));
    expect(message).toMatch(/is a transaction pooler \(.+\): advisory locks and LISTEN do not work through one — use the direct \(session\) connection URL$/);
    expect(message).not.toContain(':pw@');
  });
});

describe('postgres engine: a reading role', () => {
  it('reads with SELECT grants only, and names the refusal when it tries to write', async () => {
    if (!pgManaged()) return; // creating roles on someone else's server is not ours to do
    const m = await mirror();
    const writer = await open(m.url);
    await writer.putEvents('p', 'close', [row('a')]);
    const role = `reader_${process.pid}_${Date.now()}`;
    await withPg(pgUrl(), async (c) => {
      await c.query(`CREATE ROLE ${role} LOGIN`);
      await c.query(`GRANT USAGE ON SCHEMA "${m.schema}" TO ${role}`);
      await c.query(`GRANT SELECT ON ALL TABLES IN SCHEMA "${m.schema}" TO ${role}`);
    });
    const u = new URL(m.url);
    u.username = role;
    const reader = await open(u.toString(), { readonly: true });
    cleanups.push(() => withPg(pgUrl(), async (c) => {
      await c.query(`DROP OWNED BY ${role}`);
      await c.query(`DROP ROLE ${role}`);
    }));
    expect(ids(await reader.query(filter('p')))).toEqual(['a']);
    const refused = await failure(reader.putEvents('p', 'close', [row('b')]));
    expect(refused).toMatch(new RegExp(`^PostgreSQL refused user "${role}" at postgres://${role}@127\\.0\\.0\\.1:\\d+/postgres\\?schema=${m.schema}: permission denied for table profiles$`));
    await withPg(pgUrl(), (c) => c.query(`REVOKE USAGE ON SCHEMA "${m.schema}" FROM ${role}`));
    expect(await failure(openStore(u.toString(), { readonly: true, env: {} }))).toMatch(/^PostgreSQL refused user "reader_\S+" at .*: permission denied for schema /);
  });
});

describe('postgres engine: credentials', () => {
  const secretive = (password?: string) => {
    const u = server();
    u.username = SECRETIVE_ROLE;
    u.password = password ?? '';
    return u;
  };

  it('says a wrong password was refused, and never shows it', async () => {
    if (!pgManaged()) return; // an external server's roles are not ours to assume
    const u = secretive('wrong-Pa55-word');
    const message = await failure(openStore(u.toString(), { env: {} }));
    expect(message).toBe(`PostgreSQL refused user "${SECRETIVE_ROLE}" at postgres://${SECRETIVE_ROLE}@127.0.0.1:${u.port}/postgres: password authentication failed`);
    expect(message).not.toContain('wrong-Pa55-word');
  });

  it('takes the password from $PGPASSWORD or a pgpass file, and says when there is none', async () => {
    if (!pgManaged()) return;
    const m = await mirror();
    const u = secretive();
    u.searchParams.set('schema', m.schema);
    const url = u.toString();
    await (await open(url, { env: { PGPASSWORD: SECRETIVE_PASSWORD } })).close();

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'events-pgpass-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'pgpass');
    fs.writeFileSync(file, `# comment\nother:*:*:*:nope\n127.0.0.1:${u.port}:*:${SECRETIVE_ROLE}:${SECRETIVE_PASSWORD}\n`, { mode: 0o600 });
    const store = await open(url, { env: { PGPASSFILE: file } });
    expect(await store.countEvents('p')).toBe(0);

    const missing = await failure(openStore(url, { env: { PGPASSFILE: path.join(dir, 'none') } }));
    expect(missing).toMatch(/^PostgreSQL refused user "secretive" at .*: it asks for a password; give it in the URL, \$PGPASSWORD or /);
  });

  it('reads pgpass lines as libpq does: wildcards, escapes, first match, private files only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'events-pgpass-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'pgpass');
    fs.writeFileSync(file, ['h\\:x:5432:db:u:colon\\:pw', '*:5433:*:u:first', '*:5433:*:u:second', 'h:*:*:*:pass:with:colons', ''].join('\n'), { mode: 0o600 });
    const key = (host: string, port: number) => ({ host, port, database: 'db', user: 'u' });
    expect(lookupPassword(file, key('h:x', 5432))).toBe('colon:pw');
    expect(lookupPassword(file, key('any', 5433))).toBe('first');
    expect(lookupPassword(file, key('h', 1))).toBe('pass:with:colons');
    expect(lookupPassword(file, key('nope', 1))).toBeUndefined();
    fs.chmodSync(file, 0o644);
    expect(lookupPassword(file, key('h', 1))).toBeUndefined();
  });

  it('resolves the URL against libpq variables, the URL winning', () => {
    const t = resolveTarget('postgresql:///mine?schema=s1', { PGHOST: 'db.example', PGPORT: '6000', PGUSER: 'ann', PGPASSWORD: 'x', PGSSLMODE: 'require' });
    expect(t).toMatchObject({ host: 'db.example', port: 6000, user: 'ann', database: 'mine', password: 'x', sslmode: 'require', schema: 's1' });
    expect(t.location).toBe('postgresql:///mine?schema=s1');
    expect(t.display).toBe('postgres://ann@db.example:6000/mine?schema=s1');
    const u = resolveTarget('postgres://bob:se%40cret@[::1]:7000/d?sslmode=disable', { PGUSER: 'ann', PGPASSWORD: 'x' });
    expect(u).toMatchObject({ host: '::1', port: 7000, user: 'bob', password: 'se@cret', sslmode: 'disable', schema: 'events' });
    expect(u.location).toBe('postgres://bob@[::1]:7000/d?sslmode=disable');
  });
});

describe('postgres engine: a lost session', () => {
  /** A store whose sessions carry a name of our own, so that only they are terminated (other files share the server). */
  async function named(url: string) {
    const app = `events-lost-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
    const u = new URL(url);
    u.searchParams.set('application_name', app);
    const terminate = () =>
      withPg(pgUrl(), async (c) => (await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [app])).rowCount);
    return { store: await open(u.toString()), terminate };
  }

  it('a reader reconnects before its next call, and a watcher reconnects and calls back', async () => {
    const m = await mirror();
    const { store, terminate } = await named(m.url);
    await store.putEvents('p', 'close', [row('before')]);
    let calls = 0;
    const watcher = await store.watch(() => {
      calls += 1;
    });
    cleanups.push(() => watcher.close());
    expect(await terminate()).toBe(3); // the store's session, its search indexer's and the watcher's

    // No lock held: the next call opens a new session and answers (a tail --offline carries on).
    expect(await store.countEvents('p')).toBe(1);
    // The watcher comes back on its own and says so (the caller then re-reads by revision).
    await waitUntil(() => calls > 0, 5_000, 'the watcher to reconnect');
    const writer = await open(m.url);
    const before = calls;
    await writer.putEvents('p', 'close', [row('after')]);
    await waitUntil(() => calls > before, 2_000, 'a notification after the reconnect');
    expect(await store.countEvents('p')).toBe(2);
  });

  it('a session that held a lock is never replaced: the next call fails with one line, and the lock is free for others', async () => {
    const m = await mirror();
    const { store, terminate } = await named(m.url);
    const got = await store.tryLock('sync:p');
    expect(got.ok).toBe(true);
    expect(await terminate()).toBe(1);

    const message = await failure(store.countEvents('p'));
    expect(message).toMatch(/^lost the connection to PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres\?schema=\S+: /);
    expect(message.split('\n')).toHaveLength(1);
    // Still refused later: a sync must stop rather than write without its lock.
    expect(await failure(store.countEvents('p'))).toMatch(/^lost the connection/);
    const other = await open(m.url);
    expect((await other.tryLock('sync:p')).ok).toBe(true);
  });
});

/** PgBouncer in front of the run's server (scripts/test-prereqs.mjs installs it). */
const PGBOUNCER = findPgbouncer();

async function startPgbouncer(mode: 'session' | 'transaction', ignoreOptions = true): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'events-pgb-'));
  const port = await new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(p));
    });
  });
  const s = server();
  fs.writeFileSync(path.join(dir, 'users.txt'), '"postgres" ""\n');
  fs.writeFileSync(path.join(dir, 'pgbouncer.ini'), [
    '[databases]', `* = host=127.0.0.1 port=${s.port}`,
    '[pgbouncer]', 'listen_addr = 127.0.0.1', `listen_port = ${port}`, `unix_socket_dir = ${dir}`,
    'auth_type = trust', `auth_file = ${dir}/users.txt`, `pool_mode = ${mode}`, 'default_pool_size = 3',
    ignoreOptions ? 'ignore_startup_parameters = extra_float_digits,options' : 'ignore_startup_parameters = extra_float_digits',
    `logfile = ${dir}/log`, `pidfile = ${dir}/pid`, '',
  ].join('\n'));
  // PgBouncer refuses to run as root.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['-R', 'postgres', dir]);
  const cmd: [string, string[]] = asRoot ? ['runuser', ['-u', 'postgres', '--', PGBOUNCER!, '-d', `${dir}/pgbouncer.ini`]] : [PGBOUNCER!, ['-d', `${dir}/pgbouncer.ini`]];
  execFileSync(...cmd);
  cleanups.push(() => {
    try {
      process.kill(Number(fs.readFileSync(`${dir}/pid`, 'utf8')), 'SIGTERM');
    } catch {
      // already gone
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
  await waitUntil(() => fs.existsSync(`${dir}/pid`), 5_000, 'pgbouncer to start');
  return `postgres://postgres@127.0.0.1:${port}/${s.pathname.slice(1)}`;
}

// On the run's own server, which PgBouncer reaches with trust auth ($EVENTS_TEST_PG opts out).
// PgBouncer itself is a test dependency: `npm test` installs it first, and its absence fails loudly.
describe.skipIf(!pgManaged())('postgres engine: behind PgBouncer', () => {
  beforeAll(() => {
    if (!PGBOUNCER) throw new Error('pgbouncer is not installed: sudo apt-get install pgbouncer (npm test does)');
  });
  it('refuses transaction pooling that no URL hint gives away', async () => {
    const m = await mirror();
    const url = `${await startPgbouncer('transaction')}?schema=${m.schema}`;
    const message = await failure(openStore(url, { env: {} }));
    expect(message).toMatch(/is a transaction pooler \(.+\): advisory locks and LISTEN do not work through one — use the direct \(session\) connection URL$/);
    // Refused before anything was created.
    expect(await withPg(pgUrl(), async (c) => (await c.query('SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1', [m.schema])).rows[0].n)).toBe(0);
  });

  it('works through session pooling, locks included', async () => {
    const m = await mirror();
    const url = `${await startPgbouncer('session')}?schema=${m.schema}`;
    const a = await open(url);
    const b = await open(url);
    expect((await a.tryLock('sync:p')).ok).toBe(true);
    expect((await b.tryLock('sync:p')).ok).toBe(false);
    expect(await a.putEvents('p', 'close', [row('a')])).toEqual(['new']);
    expect(ids(await b.changesSince('p', 0, 10))).toEqual(['a']);
  });

  it('says so when a pooler refuses the startup options', async () => {
    const m = await mirror();
    const url = `${await startPgbouncer('session', false)}?schema=${m.schema}`;
    expect(await failure(openStore(url, { env: {} }))).toMatch(/refused the startup parameters: .*options.*use the direct \(session\) connection URL$/);
  });
});
