// Concurrent use of one mirror, for every provider and both engines (a SQLite file, a PostgreSQL
// schema): two `sync` processes of the same profile at once on a brand-new mirror, and
// `list --offline` reading in a loop while a sync writes.
import { afterEach, describe, expect, it } from 'vitest';
import { engineHome, finished, inspectMirror, runEvents, startEvents, type RunResult } from '../support/cli.js';
import { ENGINES } from '../support/engines.js';
import { adapters, envFor, sortedEntries } from './providers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

// What losing a race inside an engine looks like: SQLite's busy file, PostgreSQL's conflicts
// (two processes creating one schema, upserting one row, or deadlocking on each other's rows).
const BUSY = /SQLITE_BUSY|database is locked|already exists|duplicate key|deadlock detected|could not serialize|concurrently updated/i;

describe.each(ENGINES)('%s mirror', (engine) => describe.each(adapters)('$name with concurrent processes', (adapter) => {
  it('two syncs of one profile at once both exit 0 and leave one correct copy of each event', async () => {
    const fake = await adapter.start({ latencyMs: 10 });
    cleanups.push(() => fake.close());
    const h = await engineHome(engine);
    cleanups.push(h.cleanup);
    const env = envFor(fake, h);
    const [a, b] = await Promise.all([finished(startEvents(['sync'], env)), finished(startEvents(['sync'], env))]);
    for (const r of [a!, b!]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(BUSY);
    }
    const mirror = await inspectMirror(h.db);
    expect(mirror.integrity).toBe('ok');
    expect(mirror.rows).toBe(mirror.distinct);
    expect(sortedEntries(mirror.events)).toEqual(sortedEntries(fake.truth()));
  }, 60_000);

  it('list --offline in a loop while sync writes: every list exits 0 with valid NDJSON', async () => {
    const pages = Math.ceil(adapter.history / adapter.pageSize) + 1;
    // Slow enough pages that the sync lasts a couple of seconds, whatever the page size.
    const fake = await adapter.start({ latencyMs: Math.ceil(2500 / pages) });
    cleanups.push(() => fake.close());
    const h = await engineHome(engine);
    cleanups.push(h.cleanup);
    const env = envFor(fake, h);
    let syncDone = false;
    const sync = finished(startEvents(['sync'], env)).then((r) => {
      syncDone = true;
      return r;
    });
    const lists: RunResult[] = [];
    while (!syncDone) lists.push(await runEvents(['list', '--offline', '--all'], env));
    const synced = await sync;
    expect(synced.code, synced.stderr).toBe(0);
    lists.push(await runEvents(['list', '--offline', '--all'], env));

    expect(lists.length).toBeGreaterThanOrEqual(2);
    let previous = 0;
    for (const r of lists) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(BUSY);
      const lines = r.stdout.split('\n').filter((l) => l !== '');
      const events = lines.map((l) => JSON.parse(l) as unknown);
      expect(events.every((e) => typeof e === 'object' && e !== null)).toBe(true);
      // The mirror only grows while the sync commits page after page.
      expect(events.length).toBeGreaterThanOrEqual(previous);
      previous = events.length;
    }
    expect(previous).toBe(fake.truth().size);
  }, 60_000);
}));
