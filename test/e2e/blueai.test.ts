// The real binary against the BlueAI fake: sync, list, get, status; kill -9 in the middle of a sync
// and a complete rerun; recoveries from 429, 5xx and resets; exit codes 4 and 5; secrets. Every
// case runs on both engines: a SQLite file and a PostgreSQL schema.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, engineHome, finished, inspectMirror, runEvents, startEvents, waitFor } from '../support/cli.js';
import { blueaiHistory, startFakeBlueai } from '../support/fake-blueai.js';
import { ENGINES } from '../support/engines.js';

describe.each(ENGINES)('events binary with BlueAI (%s)', (engine) => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  const setup = async (options: Parameters<typeof startFakeBlueai>[0] = {}) => {
    const fake = await startFakeBlueai(options);
    const home = await engineHome(engine);
    cleanups.push(() => fake.close(), () => home.cleanup());
    const env = { EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: fake.apiKey, EVENTS_BASE_URL: fake.url, EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir };
    return { fake, home, env };
  };
  /** The ids the mirror holds (every row, sorted) and whether the engine finds it sound. */
  const mirrorIds = (db: string) => inspectMirror(db);

  it('syncs, lists, gets and reports status', async () => {
    const { fake, env } = await setup();
    fake.add(...blueaiHistory(750));
    const sync = await runEvents(['sync'], env);
    expect(sync).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const list = await runEvents(['list', '--limit', '5'], env);
    expect(list.code).toBe(0);
    expect(list.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual(fake.events().slice(0, 5));
    expect(list.stderr).toBe('showing 5 of 750 matching events; use --limit N or --all for more\n');
    const get = await runEvents(['get', fake.events()[42]!.id, '--json'], env);
    expect(JSON.parse(get.stdout)).toEqual(fake.events()[42]);
    const status = await runEvents(['status', '--json'], env);
    expect(JSON.parse(status.stdout)[0]).toMatchObject({ events: 750, backfill: [], lastError: null });
  });

  it('loses nothing to kill -9 in the middle of a sync, and the rerun does not walk covered history again', async () => {
    const { fake, home, env } = await setup({ latencyMs: 30 });
    fake.add(...blueaiHistory(6000));
    // Kills late enough in each run that a quarter-second batch has been committed: the commits
    // run on a thread of their own beside the fetching, which has gone further on by the time the
    // first lands (its thread's start, a commit's time).
    for (const killAfter of [24, 16, 12]) {
      const child = startEvents(['sync'], env);
      const done = finished(child);
      const before = fake.listRequests().length;
      await waitFor(() => fake.listRequests().length >= before + killAfter, 15_000, `${killAfter} requests`);
      child.kill('SIGKILL');
      expect((await done).signal).toBe('SIGKILL');
      const { ids, integrity } = await mirrorIds(home.db);
      expect(integrity).toBe('ok');
      expect(new Set(ids).size).toBe(ids.length);
    }
    const kept = (await mirrorIds(home.db)).ids.length;
    expect(kept).toBeGreaterThan(0);
    const before = fake.listRequests().length;
    const rerun = await runEvents(['sync'], env);
    expect(rerun.code).toBe(0);
    expect((await mirrorIds(home.db)).ids).toEqual(fake.events().map((e) => e.id).sort());
    // The rerun walks the head (the 5-minute overlap: 4 pages) and the part of the backfill no run
    // committed — not the 60 pages of the whole history again.
    const rerunPages = fake.listRequests().length - before;
    expect(rerunPages).toBeLessThanOrEqual(4 + Math.ceil((6000 - kept) / 100));
    expect(rerunPages).toBeLessThan(60);
    const status = await runEvents(['status', '--json'], env);
    expect(JSON.parse(status.stdout)[0]).toMatchObject({ events: 6000, backfill: [] });
  });

  it('survives 429 with Retry-After, HTML 500s and connection resets', async () => {
    const { fake, env } = await setup();
    fake.add(...blueaiHistory(500));
    const plan = ['rate-limit', 'html-500', 'reset', 'rate-limit', 'html-502'] as const;
    fake.setFaults((_r, i) => (i % 2 === 0 ? plan[i / 2] : undefined));
    const r = await runEvents(['sync', '--verbose'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/GET \/api\/v1\/events\?limit=100 → 429 \(\d+ ms\)/);
    expect(r.stderr).toMatch(/→ connection reset/);
    expect((await runEvents(['list', '--offline', '--all'], env)).stdout.trim().split('\n')).toHaveLength(500);
  });

  it('exits 5 with one line when the provider keeps failing, keeps what it fetched, and the next run goes on', async () => {
    const { fake, env, home } = await setup();
    fake.add(...blueaiHistory(600));
    fake.setFaults((_r, i) => (i >= 2 ? 'html-503' : undefined));
    const r = await runEvents(['sync', '--retries', '1'], env);
    expect(r.code).toBe(5);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: blueai: 503 Service Unavailable on GET \/api\/v1\/events, still failing after 1 retry$/m);
    expect((await mirrorIds(home.db)).ids).toHaveLength(200);
    // list answers from what was kept, warns, and exits 5 too.
    const list = await runEvents(['list', '--retries', '0', '--limit', '1'], env);
    expect(list.code).toBe(5);
    expect(list.stdout.trim().split('\n')).toHaveLength(1);
    fake.setFaults(undefined);
    expect((await runEvents(['sync'], env)).code).toBe(0);
    expect((await mirrorIds(home.db)).ids).toHaveLength(600);
  });

  it('exits 4 on a wrong key, naming the profile, and never prints the key', async () => {
    const { env } = await setup();
    const secret = 'sk_live_super_secret_value_123456';
    const r = await runEvents(['sync', '--verbose'], { ...env, EVENTS_API_KEY: secret });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/401 Unauthorized on GET \/api\/v1\/events: Invalid or missing API key \(UNAUTHORIZED\) — check the API key/);
    expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('a server that refuses connections exits 5 with one line and no stack', async () => {
    const { env } = await setup();
    const r = await runEvents(['sync', '--retries', '1'], { ...env, EVENTS_BASE_URL: 'http://127.0.0.1:9' });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^error: blueai: connection refused on GET \/api\/v1\/events, still failing after 1 retry\n$/);
  });

  it('ends quietly when the reader closes the pipe early', async () => {
    const { fake, env } = await setup();
    fake.add(...blueaiHistory(2000));
    expect((await runEvents(['sync'], env)).code).toBe(0);
    const child = spawn(`"${process.execPath}" "${BIN}" list --all --offline | head -3`, { shell: true, env: cleanEnv(env) });
    const r = await finished(child);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    expect(r.stderr).toBe('');
  });
});
