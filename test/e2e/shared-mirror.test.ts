// A team's shared mirror in PostgreSQL, driven through the real binary: two syncs of one profile at
// once, a `tail --offline` reader that sees what they commit within a second, `events copy` between
// the engines, and the ways a PostgreSQL URL goes wrong (password, port, a schema that is not ours,
// a transaction pooler) — always one line, exit 1 or 2, and never the password.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, dropPgMirror, engineHome, finished, runEvents, startEvents, waitFor, type RunResult } from '../support/cli.js';
import { blueaiEvent, blueaiHistory, startFakeBlueai, type FakeBlueai } from '../support/fake-blueai.js';
import { closeHistory, startFakeClose } from '../support/fake-close.js';
import { freshPgMirror, pgManaged, pgUrl, withPg } from '../support/pg.js';

const MINUTE = 60_000;
const cleanups = cleanupAfterEach();

/** What losing a race inside the engine looks like (a second CREATE, a conflicting upsert…). */
const RACE = /already exists|duplicate key|deadlock detected|could not serialize|concurrently updated|SQLITE_BUSY|database is locked/i;

/** A PostgreSQL home: a fresh schema and a config dir holding the saved profile `team`. */
async function teamHome(fake: FakeBlueai) {
  const home = await engineHome('postgres');
  cleanups.push(home.cleanup);
  const env = { EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir, EVENTS_PROFILE: 'team' };
  const added = await runEvents(['profile', 'add', 'team', '--provider', 'blueai', '--base-url', fake.url, '--api-key-stdin'], env, fake.apiKey);
  expect(added.code, added.stderr).toBe(0);
  return { home, env };
}

async function blueai(options: Parameters<typeof startFakeBlueai>[0] = {}) {
  const fake = await startFakeBlueai(options);
  cleanups.push(() => fake.close());
  return fake;
}

/** A started `tail --offline` in a pipe: each line with the time it arrived. */
function offlineTail(env: Record<string, string>) {
  const child: ChildProcess = startEvents(['tail', '--offline'], env);
  const lines: Array<{ id: string; at: number }> = [];
  let partial = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => {
    const at = Date.now();
    partial += d.toString();
    const complete = partial.split('\n');
    partial = complete.pop()!;
    for (const l of complete) if (l !== '') lines.push({ id: (JSON.parse(l) as { id: string }).id, at });
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, lines, exit, stderr: () => stderr, ids: () => lines.map((l) => l.id) };
}

/** The mirror's answer to `list --offline --all -o ndjson`, as lines. */
async function listed(env: Record<string, string>, extra: string[] = []): Promise<string[]> {
  const r = await runEvents(['list', '--offline', '--all', '-o', 'ndjson', ...extra], env);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '');
}

const sorted = (ids: string[]) => [...ids].sort();

describe('a shared PostgreSQL mirror', () => {
  it('two syncs of one profile started at once leave one complete mirror, and tail --offline shows each new event once', async () => {
    // Thirteen pages 80 ms apart: the first sync still walks when the second asks for the lock.
    const fake = await blueai({ latencyMs: 80 });
    // Forty minutes of history older than the tail's window, and a few recent events inside it.
    fake.add(...blueaiHistory(1200, Date.now() - 20 * MINUTE, 2000));
    const recent = Array.from({ length: 7 }, (_, i) => blueaiEvent(5000 + i, Date.now() - 90_000 + i * 10_000));
    fake.add(...recent);
    const { env } = await teamHome(fake);

    const tail = offlineTail(env);
    await waitFor(() => tail.stderr().includes('tail: live, following the mirror'), 15_000, 'tail --offline to go live');
    const [a, b] = await Promise.all([finished(startEvents(['sync'], env)), finished(startEvents(['sync'], env))]);
    for (const r of [a!, b!]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(RACE);
      expect(r.stdout).toBe('');
    }
    // They did run at once: one walked while the other waited for the profile's lock.
    expect([a!, b!].filter((r) => /waiting for the sync of blueai "team" in /.test(r.stderr)), `${a!.stderr}\n---\n${b!.stderr}`).toHaveLength(1);

    const lines = await listed(env);
    const ids = lines.map((l) => (JSON.parse(l) as { id: string }).id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(1207);
    // Each event exactly as BlueAI served it, newest first.
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(fake.events());
    const status = await runEvents(['status', '--json'], env);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)[0]).toMatchObject({ events: 1207, backfill: [], lastError: null });

    await waitFor(() => tail.lines.length >= recent.length, 5_000, `the ${recent.length} recent events on the tail (saw ${tail.ids().length})`);
    // One more sync rescans the overlap: nothing new, so nothing more on the tail.
    expect((await runEvents(['sync'], env)).code).toBe(0);
    const more = blueaiEvent(6000, Date.now());
    fake.add(more);
    expect((await runEvents(['sync'], env)).code).toBe(0);
    await waitFor(() => tail.ids().includes(more.id), 5_000, 'the event of the last sync');
    expect(tail.ids()).toEqual([...recent.map((e) => e.id), more.id]);
    expect(tail.child.exitCode).toBe(null);
    tail.child.kill('SIGINT');
    expect(await tail.exit).toBe(130);
  }, 60_000);

  it('tail --offline prints every event that concurrent sync loops commit exactly once, within a second of the commit', async () => {
    const fake = await blueai({ latencyMs: 20 });
    fake.add(...blueaiHistory(300, Date.now() - 20 * MINUTE, 1000));
    const { env } = await teamHome(fake);
    const tail = offlineTail(env);
    await waitFor(() => tail.stderr().includes('tail: live, following the mirror'), 15_000, 'tail --offline to go live');

    // When each head page (no cursor) was asked for: nothing added before it can be committed earlier.
    const heads: number[] = [];
    fake.setFaults((req) => {
      if (!req.query.get('starting_after')) heads.push(Date.now());
      return undefined;
    });
    const addedAt = new Map<string, number>();
    const syncs: Array<{ started: number; exited: number; result: RunResult }> = [];
    let n = 10_000;
    const add = (count: number) => {
      const events = Array.from({ length: count }, () => blueaiEvent(n++, Date.now()));
      fake.add(...events);
      const at = Date.now();
      for (const e of events) addedAt.set(e.id, at);
    };
    const sync = async () => {
      const started = Date.now();
      const result = await finished(startEvents(['sync'], env));
      syncs.push({ started, exited: Date.now(), result });
    };

    for (let round = 0; round < 6; round++) {
      add(1 + (round % 3));
      const before = fake.listRequests().length;
      const pair = Promise.all([sync(), sync()]);
      if (round % 2 === 1) {
        // An event that appears while the pair is walking: this pair or the next one fetches it.
        await waitFor(() => fake.listRequests().length > before, 15_000, 'the pair to start walking');
        add(1);
      }
      await pair;
    }
    await sync();
    for (const s of syncs) {
      expect(s.result.code, s.result.stderr).toBe(0);
      expect(s.result.stderr).not.toMatch(RACE);
    }

    const expected = sorted([...addedAt.keys()]);
    await waitFor(() => tail.lines.length >= expected.length, 5_000, `all ${expected.length} events on the tail (saw ${tail.lines.length})`);
    expect(sorted(tail.ids())).toEqual(expected);
    expect(new Set(tail.ids()).size).toBe(tail.ids().length);
    // Every sync started after an event was added fetched it; so it was committed before the first
    // of those syncs exited. Its line must come no later than a second after that exit.
    // The commit itself lies between the first head request after the add and that exit: the
    // line's delay after the commit is at least `lag` and at most `sinceFetch`.
    const lags = tail.lines.map(({ id, at }) => {
      const added = addedAt.get(id)!;
      const committedBy = Math.min(...syncs.filter((s) => s.started >= added).map((s) => s.exited));
      const fetched = heads.find((t) => t >= added)!;
      return { id, lag: at - committedBy, sinceFetch: at - fetched };
    });
    const worst = lags.reduce((w, l) => (l.lag > w.lag ? l : w));
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
    console.log(
      `tail --offline: ${lags.length} events; line minus exit of the committing sync: max ${worst.lag} ms, median ${median(lags.map((l) => l.lag))} ms; ` +
        `line minus the head request that fetched it: max ${Math.max(...lags.map((l) => l.sinceFetch))} ms, median ${median(lags.map((l) => l.sinceFetch))} ms`,
    );
    expect(worst.lag, `${worst.id} appeared ${worst.lag} ms after the sync that committed it exited`).toBeLessThanOrEqual(1000);

    // Nothing comes twice: two more syncs rescan the overlap, then one more event marks the end.
    await Promise.all([sync(), sync()]);
    const last = blueaiEvent(n++, Date.now());
    fake.add(last);
    await sync();
    await waitFor(() => tail.ids().includes(last.id), 5_000, 'the last event');
    expect(sorted(tail.ids())).toEqual(sorted([...expected, last.id]));
    expect(tail.lines.at(-1)!.id).toBe(last.id);
    tail.child.kill('SIGINT');
    expect(await tail.exit).toBe(130);
  }, 90_000);

  it('copy moves a synced file mirror into PostgreSQL and back, and a second copy brings nothing new', async () => {
    const fake = await blueai();
    // A minute apart: the five-minute overlap a later sync rescans is one page.
    fake.add(...blueaiHistory(640, Date.now() - 10_000, MINUTE));
    const close = await startFakeClose();
    cleanups.push(() => close.close());
    close.add(...closeHistory(120, Date.now() - 5_000));

    const file = await engineHome('sqlite');
    cleanups.push(file.cleanup);
    const base = { EVENTS_CONFIG_DIR: file.configDir, EVENTS_DB: file.db };
    for (const [name, provider, url, key] of [
      ['billing', 'blueai', fake.url, fake.apiKey],
      ['crm', 'close', close.baseUrl, close.apiKey],
    ] as const) {
      const added = await runEvents(['profile', 'add', name, '--provider', provider, '--base-url', url, '--api-key-stdin'], base, key);
      expect(added.code, added.stderr).toBe(0);
      expect((await runEvents(['sync', '--profile', name], base)).code).toBe(0);
    }
    // A Close event rewritten after the first sync: the mirror keeps both versions.
    close.consolidate(close.events()[60]!.id);
    expect((await runEvents(['sync', '--profile', 'crm'], base)).code).toBe(0);

    const pg = await freshPgMirror();
    cleanups.push(() => pg.drop());
    const onFile = { ...base, EVENTS_DB: file.db };
    const onPg = { ...base, EVENTS_DB: pg.url };
    const each = async (env: Record<string, string>) => ({
      billing: await listed(env, ['--profile', 'billing']),
      crm: await listed(env, ['--profile', 'crm']),
    });
    const truth = await each(onFile);
    expect(truth.billing).toHaveLength(640);
    expect(truth.crm).toHaveLength(120);

    const first = await runEvents(['copy', '--to', pg.url], onFile);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('');
    expect(first.stderr).toMatch(/copied 2 profiles to postgres:\/\/\S+: 761 event versions \(761 new or newer there\)/);
    expect(await each(onPg)).toEqual(truth);
    const statusOf = async (env: Record<string, string>) => {
      const r = await runEvents(['status', '--json'], env);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as Array<Record<string, unknown>>).map(({ profile, events, complete, backfill }) => ({ profile, events, complete, backfill }));
    };
    expect(await statusOf(onPg)).toEqual(await statusOf(onFile));

    const again = await runEvents(['copy', '--to', pg.url], onFile);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/: 761 event versions \(0 new or newer there\), \d+ covered ranges?, 0 unfinished walks, 0 consumers/);
    expect(await each(onPg)).toEqual(truth);
    // Copied coverage means nothing is fetched again: a sync on the copy rescans only the overlap.
    const requests = fake.listRequests().length;
    expect((await runEvents(['sync', '--profile', 'billing'], onPg)).code).toBe(0);
    expect(fake.listRequests().length - requests).toBeLessThanOrEqual(2);
    expect(await each(onPg)).toEqual(truth);

    // And back: PostgreSQL into a new file.
    const back = path.join(file.dir, 'back.db');
    const out = await runEvents(['copy', '--to', back], onPg);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toMatch(/: 761 event versions \(761 new or newer there\)/);
    expect(await each({ ...base, EVENTS_DB: back })).toEqual(truth);
    expect(await statusOf({ ...base, EVENTS_DB: back })).toEqual(await statusOf(onPg));
  }, 90_000);

  describe('a URL that does not lead to a mirror', () => {
    const server = () => new URL(pgUrl());
    const secretive = (password: string, schema: string) => {
      const u = server();
      u.username = 'secretive';
      u.password = password;
      u.searchParams.set('schema', schema);
      return u.toString();
    };
    const schemaName = (what: string) => `${what}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const oneLine = (r: RunResult) => {
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n').filter((l) => l !== ''), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    };

    it('a wrong password: exit 1, one line, and the password is never printed', async () => {
      expect(pgManaged(), 'these cases need the run\'s own server (its `secretive` role), not $EVENTS_TEST_PG').toBe(true);
      const home = await engineHome('sqlite');
      cleanups.push(home.cleanup);
      const env = { EVENTS_CONFIG_DIR: home.configDir, EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: 'k', EVENTS_BASE_URL: 'http://127.0.0.1:9' };
      const plain = 'wr0ng-Pa55word';
      const odd = 'wr0ng p@ss/wörd:x';
      const withParam = (password: string) => {
        const u = new URL(secretive('', schemaName('never')));
        u.searchParams.set('password', password);
        return u.toString();
      };
      const cases: Array<{ password: string; args: string[]; env: Record<string, string> }> = [
        { password: plain, args: ['status'], env: { EVENTS_DB: secretive(plain, schemaName('never')) } },
        { password: plain, args: ['list', '--offline'], env: { EVENTS_DB: secretive(plain, schemaName('never')) } },
        { password: plain, args: ['sync'], env: { EVENTS_DB: secretive(plain, schemaName('never')) } },
        { password: plain, args: ['status', '-v'], env: { EVENTS_DB: secretive(plain, schemaName('never')) } },
        // Percent-encoded in the URL, in ?password=, and from $PGPASSWORD, as libpq takes them.
        { password: odd, args: ['status'], env: { EVENTS_DB: secretive(odd, schemaName('never')) } },
        { password: odd, args: ['sync', '-v'], env: { EVENTS_DB: secretive(odd, schemaName('never')) } },
        { password: odd, args: ['status'], env: { EVENTS_DB: withParam(odd) } },
        { password: plain, args: ['status'], env: { EVENTS_DB: secretive('', schemaName('never')), PGPASSWORD: plain } },
      ];
      for (const c of cases) {
        const r = await runEvents(c.args, { ...env, ...c.env });
        const what = `${c.args.join(' ')} with ${Object.keys(c.env).join(', ')}: ${r.stderr}`;
        expect(r.code, what).toBe(1);
        // -v adds the driver's stack trace under the line (src/cli/run.ts); without it, one line.
        if (c.args.includes('-v')) expect(r.stderr, what).toMatch(/^error: PostgreSQL refused user "secretive" at \S+: password authentication failed\n/);
        else oneLine(r);
        expect(r.stderr, what).toMatch(/^error: PostgreSQL refused user "secretive" at postgres:\/\/secretive@127\.0\.0\.1:\d+\/postgres\?schema=never_\S+: password authentication failed$/m);
        for (const form of new Set([c.password, encodeURIComponent(c.password), new URL(`postgres://u:${encodeURIComponent(c.password)}@h`).password])) {
          expect(r.stdout + r.stderr, what).not.toContain(form);
        }
      }
    });

    it('-v runs with the right password never print it', async () => {
      expect(pgManaged(), 'these cases need the run\'s own server (its `secretive` role), not $EVENTS_TEST_PG').toBe(true);
      const password = 's3cret-pw';
      const fake = await blueai();
      fake.add(...blueaiHistory(150, Date.now() - 5_000));
      const schema = schemaName('secretive');
      const url = secretive(password, schema);
      cleanups.push(() => dropPgMirror(pgUrl() + `?schema=${schema}`));
      const home = await engineHome('sqlite');
      cleanups.push(home.cleanup);
      const env = { EVENTS_DB: url, EVENTS_CONFIG_DIR: home.configDir, EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: fake.apiKey, EVENTS_BASE_URL: fake.url };
      const runs = [await runEvents(['sync', '-v'], env), await runEvents(['status', '-v'], env), await runEvents(['status', '-v', '--json'], env), await runEvents(['list', '-v', '--limit', '3'], env)];
      for (const r of runs) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout + r.stderr).not.toContain(password);
      }
      expect(JSON.parse(runs[2]!.stdout)[0]).toMatchObject({ events: 150 });
      // A failing -v run (the schema exists, a stack trace may be printed) still hides it.
      const failing = await runEvents(['sync', '-v', '--retries', '0'], { ...env, EVENTS_BASE_URL: 'http://127.0.0.1:9' });
      expect(failing.code).toBe(5);
      expect(failing.stdout + failing.stderr).not.toContain(password);
    });

    it('a refused port: exit 1 with one line', async () => {
      const u = server();
      u.port = '9';
      u.searchParams.set('schema', 'nothing_here');
      const home = await engineHome('sqlite');
      cleanups.push(home.cleanup);
      for (const args of [['status'], ['list', '--offline'], ['sync']]) {
        const r = await runEvents(args, { EVENTS_DB: u.toString(), EVENTS_CONFIG_DIR: home.configDir, EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: 'k', EVENTS_BASE_URL: 'http://127.0.0.1:9' });
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(1);
        oneLine(r);
        expect(r.stderr).toMatch(/connection refused/);
        expect(r.stderr).toContain(':9/');
      }
    });

    it('a schema holding a table of its own is refused and left untouched', async () => {
      const schema = schemaName('foreign');
      const u = server();
      u.searchParams.set('schema', schema);
      const url = u.toString();
      await withPg(pgUrl(), async (c) => {
        await c.query(`CREATE SCHEMA "${schema}"`);
        await c.query(`CREATE TABLE "${schema}".t(a int)`);
        await c.query(`INSERT INTO "${schema}".t VALUES (1), (2)`);
      });
      cleanups.push(() => withPg(pgUrl(), (c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)));
      const fake = await blueai();
      fake.add(...blueaiHistory(20));
      const home = await engineHome('sqlite');
      cleanups.push(home.cleanup);
      const env = { EVENTS_DB: url, EVENTS_CONFIG_DIR: home.configDir, EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: fake.apiKey, EVENTS_BASE_URL: fake.url };
      for (const args of [['sync'], ['status'], ['list', '--offline'], ['tail', '--offline'], ['copy', '--to', path.join(home.dir, 'copy.db')]]) {
        const r = await runEvents(args, env);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(1);
        oneLine(r);
        expect(r.stderr).toContain(schema);
        expect(r.stderr).toMatch(/holds tables that are not an events mirror; pick another with \?schema=NAME/);
      }
      // Nothing was fetched into it, and it is as it was: one table, its rows, nothing added.
      expect(fake.listRequests()).toHaveLength(0);
      const left = await withPg(pgUrl(), async (c) => ({
        tables: (await c.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema])).rows,
        others: (await c.query(
          `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname <> 't' ORDER BY 1`,
          [schema],
        )).rows,
        functions: (await c.query(`SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1`, [schema])).rows,
        rows: (await c.query(`SELECT a FROM "${schema}".t ORDER BY a`)).rows,
      }));
      expect(left).toEqual({ tables: [{ table_name: 't' }], others: [], functions: [], rows: [{ a: 1 }, { a: 2 }] });
    });

    it('a transaction pooler URL is refused with a message naming the direct URL', async () => {
      const u = server();
      u.searchParams.set('schema', schemaName('pooled'));
      u.searchParams.set('pgbouncer', 'true');
      const home = await engineHome('sqlite');
      cleanups.push(home.cleanup);
      for (const args of [['status'], ['sync']]) {
        const r = await runEvents(args, { EVENTS_DB: u.toString(), EVENTS_CONFIG_DIR: home.configDir, EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: 'k', EVENTS_BASE_URL: 'http://127.0.0.1:9' });
        expect([1, 2], `${args.join(' ')}: exit ${r.code}: ${r.stderr}`).toContain(r.code);
        oneLine(r);
        expect(r.stderr).toMatch(/transaction pooler/);
        expect(r.stderr).toMatch(/direct \(session\) connection URL|direct/);
      }
      // Nothing was created on the server behind it.
      const schema = u.searchParams.get('schema')!;
      const found = await withPg(pgUrl(), (c) => c.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [schema]));
      expect(found.rowCount).toBe(0);
    });
  });
});
