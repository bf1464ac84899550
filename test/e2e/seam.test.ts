// The real binary with EVENTS_PROVIDER=seam, configured only through the environment: sync, list,
// get and status against our faithful fake and against fake-seam-connect, exit codes, and a sync
// killed with SIGKILL mid-walk that the next run finishes from its saved window and offset.
import { describe, expect, it } from 'vitest';
import { binaryFor, cleanupAfterEach, finished, mirrorCount, startEvents, waitFor } from '../support/cli.js';
import { seamHistory, startFakeSeam, type FakeSeamOptions, type SeamEvent } from '../support/fake-seam.js';
import { ENGINES, type Engine } from '../support/engines.js';
import { LOCKS, startSeamConnect } from '../support/seam-connect.js';

const MINUTE = 60_000;
const cleanups = cleanupAfterEach();
const cli = (server: { url: string; apiKey: string }, engine: Engine) => binaryFor('seam', server, cleanups, engine);

async function setup(engine: Engine, options: FakeSeamOptions = {}) {
  const fake = await startFakeSeam(options);
  cleanups.push(() => fake.close());
  return { fake, ...(await cli(fake, engine)) };
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as SeamEvent);
/** The order `list` promises: newest occurred_at first, then id. */
const listed = (events: SeamEvent[]) =>
  [...events].sort((a, b) => Date.parse(b.occurred_at) - Date.parse(a.occurred_at) || (a.event_id < b.event_id ? 1 : -1));

describe.each(ENGINES)('events with EVENTS_PROVIDER=seam (%s)', (engine) => {
  it('syncs, then lists, gets and reports status from the mirror', async () => {
    const { fake, home, run } = await setup(engine);
    fake.add(...seamHistory(620, (Date.now() - 2 * MINUTE) * 1000));
    const sync = await run(['sync']);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toBe('');
    expect(await mirrorCount(home.db)).toBe(620);

    const all = await run(['list', '--all', '--offline']);
    expect(all.code, all.stderr).toBe(0);
    expect(lines(all.stdout)).toEqual(listed(fake.events()));

    const locks = await run(['list', '--type', 'lock.*', '--limit', '4', '--offline']);
    expect(lines(locks.stdout).map((e) => e.event_type.startsWith('lock.'))).toEqual([true, true, true, true]);

    const target = fake.events()[42]!;
    const got = await run(['get', target.event_id, '--offline', '--json']);
    expect(got.code, got.stderr).toBe(0);
    expect(JSON.parse(got.stdout)).toEqual(target);

    const status = await run(['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    const [report] = JSON.parse(status.stdout) as Array<{ provider: string; events: number; backfill: unknown[]; complete: unknown[] }>;
    expect(report).toMatchObject({ provider: 'seam', events: 620, backfill: [] });
    expect(report!.complete).toHaveLength(1);
  });

  it('gets an event the mirror lacks from Seam, exits 3 for no such event and 4 for a refused key', async () => {
    const { fake, home, run } = await setup(engine);
    fake.add(...seamHistory(5, Date.now() * 1000));
    const [late] = seamHistory(1, (Date.now() - MINUTE) * 1000, 1, 900);
    fake.add(late!);
    const got = await run(['get', late!.event_id]);
    expect(got.code, got.stderr).toBe(0);
    expect(JSON.parse(got.stdout)).toEqual(late);
    expect(await mirrorCount(home.db)).toBeGreaterThanOrEqual(1);

    const missing = await run(['get', '5eae0000-0000-4000-8000-ffffffffffff']);
    expect(missing.code).toBe(3);
    expect(missing.stdout).toBe('');

    const refused = await run(['sync'], { EVENTS_API_KEY: 'seam_wrong' });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/401.*API Key not found/);
  });

  it('finishes a sync killed with SIGKILL mid-walk from its saved window and offset', async () => {
    const { fake, home, env, run } = await setup(engine, { latencyMs: 120 });
    fake.add(...seamHistory(3000, (Date.now() - 30 * MINUTE) * 1000, 100_000));
    const child = startEvents(['sync'], env());
    const done = finished(child);
    await waitFor(() => fake.listBodies().length >= 4, 15_000, 'four list requests');
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    const kept = await mirrorCount(home.db);
    // Pages are committed whole, in batches every quarter second, each with the walk's position.
    expect(kept % 500).toBe(0);
    expect(kept).toBeGreaterThanOrEqual(500);
    expect(kept).toBeLessThan(3000);
    const window = fake.listBodies()[0]!.between;
    const before = fake.listBodies().length;

    const rerun = await run(['sync']);
    expect(rerun.code, rerun.stderr).toBe(0);
    const again = fake.listBodies().slice(before);
    // The head walk, then the saved window from the first offset not yet committed to the end. On
    // PostgreSQL a commit the killed process had sent may still land after `kept` was read (the
    // server finishes the statement): the walk then resumes past it, never before it.
    expect(again[0]!.unstable_offset).toBe(0);
    const resumedAt = again[1]!.unstable_offset as number;
    expect(resumedAt % 500).toBe(0);
    expect(resumedAt).toBeGreaterThanOrEqual(kept);
    expect(again.slice(1).map((b) => [b.between, b.unstable_offset])).toEqual(
      Array.from({ length: (3000 - resumedAt) / 500 + 1 }, (_, i) => [window, resumedAt + i * 500]),
    );
    expect(await mirrorCount(home.db)).toBe(3000);
  });
});

describe.each(ENGINES)('events with EVENTS_PROVIDER=seam against fake-seam-connect (%s)', (engine) => {
  it('lists what its action routes made, and gets one', async () => {
    const sc = await startSeamConnect();
    cleanups.push(() => sc.close());
    const { run } = await cli(sc, engine);
    await sc.unlock(LOCKS[0]);
    const code = await sc.createAccessCode(LOCKS[1], '4321');
    await sc.deleteAccessCode(code, LOCKS[1]);
    const all = await run(['list', '--all']);
    expect(all.code, all.stderr).toBe(0);
    const truth = await sc.truth();
    expect(lines(all.stdout).map((e) => e.event_id).sort()).toEqual(truth.map((e) => e.event_id).sort());
    const got = await run(['get', truth[2]!.event_id, '--offline', '--json']);
    expect(JSON.parse(got.stdout)).toEqual(truth[2]);
  });
});
