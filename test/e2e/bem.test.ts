// The real binary against the bem fake, configured only through the environment (EVENTS_PROVIDER,
// EVENTS_API_KEY, EVENTS_BASE_URL, EVENTS_DB): sync, list, get, status, exit codes, and a sync
// killed with SIGKILL in the middle of its walk that the next run finishes without starting over.
import { describe, expect, it } from 'vitest';
import { binaryFor, cleanupAfterEach, finished, mirrorCount, startEvents, waitFor } from '../support/cli.js';
import { startFakeBem, type FakeBem, type FakeBemOptions } from '../support/fake-bem.js';
import { ENGINES, type Engine } from '../support/engines.js';

const MINUTE = 60_000;
const cleanups = cleanupAfterEach();

async function setup(engine: Engine, options: FakeBemOptions = {}) {
  const fake = await startFakeBem(options);
  cleanups.push(() => fake.close());
  return { fake, ...(await binaryFor('bem', fake, cleanups, engine)) };
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
const newestFirst = (fake: FakeBem) => [...fake.events()].reverse();

describe.each(ENGINES)('events with EVENTS_PROVIDER=bem (%s)', (engine) => {
  it('syncs, then lists, gets and reports status from the mirror', async () => {
    const { fake, home, run } = await setup(engine);
    fake.addHistory(230, { stepMs: MINUTE });
    const sync = await run(['sync']);
    expect(sync.stdout).toBe('');
    expect(sync.code, sync.stderr).toBe(0);
    expect(await mirrorCount(home.db)).toBe(230);

    const all = await run(['list', '--all', '--offline']);
    expect(all.code, all.stderr).toBe(0);
    // ndjson when piped, each event exactly as bem returned it, newest first.
    expect(lines(all.stdout)).toEqual(newestFirst(fake));

    const some = await run(['list', '--type', 'transform', '--limit', '5', '--offline']);
    const transforms = fake.events().filter((e) => e.eventType === 'transform');
    expect(lines(some.stdout).map((e) => e.eventType)).toEqual(Array(5).fill('transform'));
    expect(some.stderr).toContain(String(transforms.length));

    const target = fake.events()[17]!;
    const got = await run(['get', target.eventID, '--offline', '--json']);
    expect(got.code, got.stderr).toBe(0);
    expect(JSON.parse(got.stdout)).toEqual(target);

    const status = await run(['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    const [report] = JSON.parse(status.stdout) as Array<{ provider: string; events: number; providerTotal: number; backfill: unknown[] }>;
    expect(report).toMatchObject({ provider: 'bem', events: 230, providerTotal: 230, backfill: [] });
  });

  it('lists with a sync first, gets an event the mirror lacks from bem, and exits 3 for no such event', async () => {
    const { fake, home, run } = await setup(engine);
    fake.addHistory(30, { stepMs: MINUTE });
    const listed = await run(['list', '--limit', '3']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(lines(listed.stdout)).toEqual(newestFirst(fake).slice(0, 3));

    const late = fake.addLate(2 * MINUTE, { offset: '+08:00' });
    const got = await run(['get', late.eventID]);
    expect(got.code, got.stderr).toBe(0);
    expect(JSON.parse(got.stdout)).toEqual(late);
    expect(await mirrorCount(home.db)).toBe(31);

    const missing = await run(['get', '2bxoJPNdSD4LgRT4YVC4gt72hlI']);
    expect(missing.code).toBe(3);
    expect(missing.stdout).toBe('');
  });

  it('lists --remote with types and a call filtered by bem itself, as CSV', async () => {
    const { fake, run } = await setup(engine);
    fake.addHistory(150, { stepMs: MINUTE });
    const remote = await run(['list', '--remote', '--all', '--type', 'transform', '--type', 'join', '--where', 'functionID=f_1']);
    expect(remote.code, remote.stderr).toBe(0);
    const expected = newestFirst(fake).filter((e) => ['transform', 'join'].includes(e.eventType) && e.functionID === 'f_1');
    expect(expected.length).toBeGreaterThan(3);
    expect(lines(remote.stdout)).toEqual(expected);
    const first = fake.listRequests()[0]!.query;
    expect(first.getAll('eventTypes')).toEqual(['transform,join']);
    expect(first.get('functionIDs')).toBe('f_1');
  });

  it('exits 4 when bem refuses the key', async () => {
    const { fake, run } = await setup(engine);
    fake.addHistory(3);
    const refused = await run(['sync'], { EVENTS_API_KEY: 'wrong' });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/401/);
  });

  it('finishes a sync killed with SIGKILL mid-walk without walking its pages again', async () => {
    const { fake, home, env, run } = await setup(engine, { delayMs: 100 });
    fake.addHistory(1000, { stepMs: MINUTE });
    const child = startEvents(['sync'], env());
    const done = finished(child);
    await waitFor(() => fake.listRequests().length >= 4, 15_000, 'four list requests');
    child.kill('SIGKILL');
    const killed = await done;
    expect(killed.signal).toBe('SIGKILL');
    const kept = await mirrorCount(home.db);
    // Pages are committed whole, in batches every quarter second, each with the walk's position:
    // by the fourth request (pages 100 ms apart) at least one batch was committed.
    expect(kept % 100).toBe(0);
    expect(kept).toBeGreaterThanOrEqual(100);
    expect(kept).toBeLessThan(1000);
    const before = fake.listRequests().length;

    const rerun = await run(['sync']);
    expect(rerun.code, rerun.stderr).toBe(0);
    const order = newestFirst(fake);
    const cursors = fake.listRequests().slice(before).map((r) => r.query.get('startingAfter'));
    // The head walk (one page reaches below its floor), then the backfill from its saved cursor.
    expect(cursors[0]).toBeNull();
    expect(cursors[1]).toBe(order[kept - 1]!.eventID);
    expect(cursors).toHaveLength(1 + (1000 - kept) / 100 + 1);
    expect(await mirrorCount(home.db)).toBe(1000);
    const all = await run(['list', '--all', '--offline']);
    expect(lines(all.stdout)).toEqual(order);
  });
});

