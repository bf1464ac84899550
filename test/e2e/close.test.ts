// The real binary against the Close fake, configured only through the environment (EVENTS_PROVIDER,
// EVENTS_API_KEY, EVENTS_BASE_URL ending in /api/v1, EVENTS_DB): sync, list, get, status, remote
// filters, exit codes, consolidated events, and a sync killed with SIGKILL mid-walk that the next
// run finishes from its saved cursor.
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { binaryFor, cleanupAfterEach, finished, startEvents, waitFor } from '../support/cli.js';
import { closeEvent, closeHistory, startFakeClose, type FakeClose, type FakeCloseOptions } from '../support/fake-close.js';
import { ENGINES, type Engine } from '../support/engines.js';

const cleanups = cleanupAfterEach();

async function setup(engine: Engine, options: FakeCloseOptions = {}) {
  const fake = await startFakeClose(options);
  cleanups.push(() => fake.close());
  // Close's base URL carries the /api/v1 prefix (docs/cli.md).
  return { fake, ...(await binaryFor('close', { apiKey: fake.apiKey, url: fake.baseUrl }, cleanups, engine)) };
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

/** What the mirror holds (a file or a PostgreSQL schema), whatever its profile name (env-only use has one of its own). */
async function mirror(file: string): Promise<{ count: number; updatedOf: (id: string) => string | undefined }> {
  const store = await openStore(file, { readonly: true });
  try {
    const byId = new Map<string, { date_updated: string }>();
    let count = 0;
    for (const { profile } of await store.readMeta()) {
      const events = await store.query({ profile, types: [], where: [] });
      expect(await store.countEvents(profile)).toBe(events.length);
      count += events.length;
      for (const e of events) byId.set(e.id, JSON.parse(e.raw) as { date_updated: string });
    }
    return { count, updatedOf: (id) => byId.get(id)?.date_updated };
  } finally {
    await store.close();
  }
}

/** The fake's events in the mirror's list order: newest date_created first (no consolidation yet). */
const newestFirst = (fake: FakeClose) => fake.events();

describe.each(ENGINES)('events with EVENTS_PROVIDER=close (%s)', (engine) => {
  it('syncs, then lists, gets and reports status from the mirror', async () => {
    const { fake, home, run } = await setup(engine);
    fake.add(...closeHistory(230, Date.now() - 1_000));
    const sync = await run(['sync']);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toBe('');
    expect(sync.stderr).toMatch(/keeps only 30 days/);
    expect((await mirror(home.db)).count).toBe(230);

    const all = await run(['list', '--all', '--offline']);
    expect(all.code, all.stderr).toBe(0);
    // ndjson when piped: each event exactly as Close returned it, naive timestamps and all.
    expect(lines(all.stdout)).toEqual(newestFirst(fake));

    const leads = fake.events().filter((e) => e.object_type === 'lead' && e.action === 'created');
    const some = await run(['list', '--type', 'lead.created', '--limit', '3', '--offline']);
    expect(lines(some.stdout)).toEqual(leads.slice(0, 3));
    expect(some.stderr).toContain(`showing 3 of ${leads.length}`);

    const target = fake.events()[17]!;
    const got = await run(['get', target.id, '--offline', '--json']);
    expect(got.code, got.stderr).toBe(0);
    expect(JSON.parse(got.stdout)).toEqual(target);

    const status = await run(['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    const [report] = JSON.parse(status.stdout) as Array<Record<string, unknown>>;
    expect(report).toMatchObject({ provider: 'close', events: 230, backfill: [], lastError: null });
    expect(report!.complete).toEqual([{ from: null, to: expect.any(String) }]);
  });

  it('shows consolidated and new events after a list, gets one the mirror lacks, and exits 3 for no such event', async () => {
    const { fake, home, run } = await setup(engine);
    fake.add(...closeHistory(40, Date.now() - 1_000));
    expect((await run(['sync'])).code).toBe(0);

    const consolidated = fake.consolidate(fake.events()[30]!.id);
    fake.add(closeEvent(500, Date.now()));
    const listed = await run(['list', '--limit', '1']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(lines(listed.stdout).map((e) => e.id)).toEqual(['ev_000000dw']);
    expect((await mirror(home.db)).updatedOf(consolidated.id)).toBe(consolidated.date_updated);

    // Visible only now, and older than the overlap: a sync would not see it, `get` asks Close.
    const late = fake.addLate(600, 60 * 60_000);
    const got = await run(['get', late.id]);
    expect(got.code, got.stderr).toBe(0);
    expect(JSON.parse(got.stdout)).toEqual(late);
    expect((await mirror(home.db)).count).toBe(42);

    const missing = await run(['get', 'ev_doesnotexist']);
    expect(missing.code).toBe(3);
    expect(missing.stdout).toBe('');
  });

  it('exits 5 when Close keeps failing mid-sync, keeping its pages, and 4 when it refuses the key', async () => {
    const { fake, home, run } = await setup(engine);
    fake.add(...closeHistory(230, Date.now() - 1_000));
    fake.setFaults((_req, index) => (index >= 2 ? 'html-503' : undefined));
    const failing = await run(['sync', '--retries', '1']);
    expect(failing.code, failing.stderr).toBe(5);
    expect(failing.stderr).toMatch(/503 Service Unavailable on GET \/event\/, still failing after 1 retry/);
    expect((await mirror(home.db)).count).toBe(100);

    fake.setFaults(undefined);
    const refused = await run(['sync'], { EVENTS_API_KEY: 'wrong' });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/401 Unauthorized on GET \/event\/.*EVENTS_API_KEY/);

    expect((await run(['sync'])).code).toBe(0);
    expect((await mirror(home.db)).count).toBe(230);
  });

  it('filters on Close with --remote, and refuses a combination Close does not serve with exit 2', async () => {
    const { fake, run } = await setup(engine);
    fake.add(...closeHistory(200, Date.now() - 1_000));
    const bad = await run(['list', '--remote', '--where', 'object_type=lead']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/cannot filter on object_type alone/);
    expect(fake.listRequests()).toHaveLength(0);

    const good = await run(['list', '--remote', '--where', 'lead_id=lead_0003', '--limit', '60']);
    expect(good.code, good.stderr).toBe(0);
    const truth = fake.events().filter((e) => e.lead_id === 'lead_0003');
    expect(lines(good.stdout)).toEqual(truth);
    expect(fake.listRequests().every((q) => q.query.get('lead_id') === 'lead_0003')).toBe(true);

    // --envelope wraps the provider's answers as it wraps the mirror's.
    const wrapped = await run(['list', '--remote', '--envelope', '--where', 'lead_id=lead_0003', '--limit', '60']);
    expect(wrapped.code, wrapped.stderr).toBe(0);
    expect(lines(wrapped.stdout)).toEqual(truth.map((event) => ({ profile: expect.any(String), provider: 'close', event })));
    expect(new Set(lines(wrapped.stdout).map((e) => e.profile)).size).toBe(1);
  });

  it('finishes a sync killed with SIGKILL mid-walk from its saved cursor', async () => {
    const { fake, home, env, run } = await setup(engine, { delayMs: 100 });
    fake.add(...closeHistory(1000, Date.now() - 1_000));
    const child = startEvents(['sync'], env());
    const done = finished(child);
    await waitFor(() => fake.listRequests().length >= 4, 15_000, 'four list requests');
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    const kept = (await mirror(home.db)).count;
    // Pages are committed whole, in batches every quarter second, each with the walk's position:
    // by the fourth request (pages 100 ms apart) at least one batch was committed.
    expect(kept % 50).toBe(0);
    expect(kept).toBeGreaterThanOrEqual(50);
    expect(kept).toBeLessThan(1000);
    const before = fake.listRequests().length;

    const rerun = await run(['sync']);
    expect(rerun.code, rerun.stderr).toBe(0);
    const sent = fake.listRequests().slice(before);
    // The head rescan of the last five minutes, then the backfill from just below what it kept.
    expect(sent[0]!.query.get('date_updated__gte')).toMatch(/Z$/);
    expect(fake.cursorAt(sent[1]!.query.get('_cursor')!)).toBe(fake.events()[kept - 1]!.id);
    expect(sent).toHaveLength(1 + (1000 - kept) / 50);
    expect((await mirror(home.db)).count).toBe(1000);
    const all = await run(['list', '--all', '--offline']);
    expect(lines(all.stdout)).toEqual(newestFirst(fake));
  });
});
