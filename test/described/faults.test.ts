// The described providers under the fault suite's scenarios: five kill -9 at seeded moments of
// backfills and rescans, then a complete sync that loses nothing; random 429s, 5xx, resets and
// timeouts retried to the exact truth; faults on every request ending in exit 5 with one line,
// and the next clean run going on from the saved position.
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, inspectMirror, runEvents, tempHome } from '../support/cli.js';
import { randomFaults, seededRandom } from '../support/fake-server.js';
import { killSteps } from '../faults/kill-scenario.js';
import { alwaysAfter, runSeed, sortedEntries } from '../faults/providers.js';
import { describedAdapters, describedEnv } from './adapters.js';

const SEED = runSeed();
const cleanups = cleanupAfterEach();
const QUICK = ['--timeout', '500ms'];

function home() {
  const h = tempHome();
  cleanups.push(h.cleanup);
  return h;
}

describe.each(describedAdapters)('$name, described', (adapter) => {
  const seed = (SEED + adapter.name.length * 7919) >>> 0;

  it(`loses nothing across five kill -9 in backfills and rescans (seed ${seed})`, async () => {
    const rnd = seededRandom(seed);
    const fake = await adapter.start({ latencyMs: 40 });
    cleanups.push(() => fake.close());
    const h = home();
    const env = describedEnv(fake, h);
    const pages = Math.ceil(adapter.history / adapter.pageSize);
    const { killAfter, change, complete } = killSteps(fake, env, h.db, rnd);
    expect(await killAfter(2 + Math.floor(rnd() * (pages - 2)), 'first backfill')).toBe(true);
    change();
    await killAfter(1 + Math.floor(rnd() * 2), 'rescan over an unfinished backfill');
    change();
    await killAfter(1, 'second rescan');
    change();
    await killAfter(1 + Math.floor(rnd() * 3), 'third rescan');
    change();
    await killAfter(1, 'fourth rescan');
    await complete('after the kills');
  }, 120_000);

  it(`retries 429s, 5xx, resets and timeouts to the exact truth (seed ${seed})`, async () => {
    const fake = await adapter.start({ faults: randomFaults(seed, 0.3), slowMs: 700 });
    cleanups.push(() => fake.close());
    const h = home();
    const env = describedEnv(fake, h);
    for (const what of ['first', 'incremental']) {
      if (what === 'incremental') {
        fake.addNew(25);
        fake.addLate(3, 60_000);
      }
      const r = await runEvents(['sync', '--retries', '8', ...QUICK], env);
      expect(r.code, `${what}: ${r.stderr}`).toBe(0);
      const mirror = await inspectMirror(h.db);
      expect(sortedEntries(mirror.events), what).toEqual(sortedEntries(fake.truth()));
    }
  }, 90_000);

  it(`stops with exit 5 and one line when every request fails, then goes on (seed ${seed})`, async () => {
    const fake = await adapter.start({ faults: alwaysAfter(2, ['rate-limit', 'html-503', 'reset'], seed), slowMs: 700 });
    cleanups.push(() => fake.close());
    const h = home();
    const env = describedEnv(fake, h);
    const failed = await runEvents(['sync', '--retries', '1', ...QUICK], env);
    expect(failed.code, failed.stderr).toBe(5);
    expect(failed.stderr).toMatch(new RegExp(`^error: ${adapter.name}: [^\\n]+, still failing after 1 retry\\n$`));
    const kept = await inspectMirror(h.db);
    expect(kept.rows).toBeGreaterThanOrEqual(adapter.pageSize);
    fake.setFaults(undefined);
    const before = fake.listRequests();
    const resumed = await runEvents(['sync'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(sortedEntries((await inspectMirror(h.db)).events)).toEqual(sortedEntries(fake.truth()));
    // Resumed from the saved position: fewer requests than the whole history's pages.
    expect(fake.listRequests() - before).toBeLessThan(Math.ceil(adapter.history / adapter.pageSize) + 2);
  }, 90_000);
});
