// kill -9 at seeded random moments, for every provider: during the first backfill, during the
// incremental rescans that follow (new and late events are added between runs), then complete
// runs. After each kill the mirror is sound (SQLite: PRAGMA integrity_check; both engines: counts
// agree with queries) and holds no duplicate; after the complete runs it equals the server's truth,
// and the last run walked only what was left, not the history again (counted in list requests,
// against a full walk of the same events). On both engines: a SQLite file and a PostgreSQL schema.
import { afterEach, describe, expect, it } from 'vitest';
import { engineHome, runEvents } from '../support/cli.js';
import { seededRandom } from '../support/fake-server.js';
import { ENGINES } from '../support/engines.js';
import { killSteps } from './kill-scenario.js';
import { adapters, envFor, providerSeed, runSeed, type Fake } from './providers.js';

const SEED = runSeed();
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * Enough pages that a kill can land inside the walk, and a last run visibly shorter than a full one
 * (Seam: a last run may resume two killed head walks and make its own, each two requests, since a
 * window's first short page alone cannot tell a capped `limit` from the end).
 */
const HISTORY: Record<string, number> = { blueai: 450, bem: 450, close: 400, seam: 5100 };

describe.each(ENGINES)('%s mirror', (engine) => describe.each(adapters)('$name under kill -9', (adapter) => {
  const seed = providerSeed(SEED, adapter.name);

  it(`loses nothing and duplicates nothing across kills in backfill and rescans (seed ${seed})`, async () => {
    const rnd = seededRandom(seed);
    const fake = await adapter.start({ latencyMs: 40, history: HISTORY[adapter.name] });
    cleanups.push(() => fake.close());
    const h = await engineHome(engine);
    cleanups.push(h.cleanup);
    const env = envFor(fake, h);
    const pages = Math.ceil(HISTORY[adapter.name]! / adapter.pageSize);

    const { killAfter, change, complete } = killSteps(fake, env, h.db, rnd);

    // The first backfill, killed somewhere inside it, twice.
    expect(await killAfter(2 + Math.floor(rnd() * (pages - 2)), 'first backfill')).toBe(true);
    change();
    await killAfter(1 + Math.floor(rnd() * 2), 'rescan over an unfinished backfill');
    await complete('after the backfill kills');

    // Incremental rescans of a complete mirror, killed at random points.
    change();
    await killAfter(1, 'incremental rescan');
    change();
    await killAfter(1 + Math.floor(rnd() * 3), 'second incremental rescan');
    change();
    const before = fake.listRequests();
    await complete('after the rescan kills');
    const lastRun = fake.listRequests() - before;

    // A full walk of the same events, into a fresh mirror, for comparison.
    const fresh = await engineHome(engine);
    cleanups.push(fresh.cleanup);
    const start = fake.listRequests();
    const full = await runEvents(['sync'], envFor(fake as Fake, fresh));
    expect(full.code, full.stderr).toBe(0);
    const fullWalk = fake.listRequests() - start;
    expect(lastRun).toBeGreaterThan(0);
    expect(lastRun, `last run ${lastRun} requests, a full walk ${fullWalk}:\n${fake.listLog().slice(before, before + lastRun).join('\n')}`).toBeLessThan(fullWalk);
  }, 120_000);
}));
