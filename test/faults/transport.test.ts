// Transport faults, for every provider's fake: 429 with the provider's own signal, HTML 5xx,
// resets mid-body, truncated JSON, answers slower than --timeout and JSON of the wrong shape.
// Faults are drawn from a seed (in the test names; FAULT_SEED=N replays a run). A sync under
// random faults exits 0 with the mirror equal to the server's truth; faults on every request make
// it exit 5 with one clear line, and once they are lifted the next sync goes on from where it was.
import { afterEach, describe, expect, it } from 'vitest';
import { runEvents, tempHome } from '../support/cli.js';
import { ALL_FAULTS, randomFaults, type Fault } from '../support/fake-server.js';
import { adapters, alwaysAfter, envFor, providerSeed, readMirror, runSeed, sortedEntries, type Fake } from './providers.js';

const SEED = runSeed();
/** Quick failures: a slow answer outlives the 500 ms timeout by a little. */
const QUICK = ['--timeout', '500ms'];
const SLOW_MS = 700;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function home() {
  const h = tempHome();
  cleanups.push(h.cleanup);
  return h;
}

function expectMirrorEqualsTruth(db: string, fake: Fake): void {
  const mirror = readMirror(db);
  expect(mirror.integrity).toBe('ok');
  expect(mirror.rows).toBe(mirror.distinct);
  expect(sortedEntries(mirror.events)).toEqual(sortedEntries(fake.truth()));
}

describe.each(adapters)('$name under transport faults', (adapter) => {
  const seed = providerSeed(SEED, adapter.name);

  it(`completes under random faults and the mirror equals the truth, first and incremental runs (seed ${seed})`, async () => {
    const fake = await adapter.start({ faults: randomFaults(seed, 0.3), slowMs: SLOW_MS });
    cleanups.push(() => fake.close());
    const h = home();
    const env = envFor(fake, h);
    const first = await runEvents(['sync', '--retries', '8', ...QUICK], env);
    expect(first.code, first.stderr).toBe(0);
    expectMirrorEqualsTruth(h.db, fake);

    fake.addNew(25);
    fake.addLate(3, 60_000);
    const again = await runEvents(['sync', '--retries', '8', ...QUICK], env);
    expect(again.code, again.stderr).toBe(0);
    expectMirrorEqualsTruth(h.db, fake);
  }, 90_000);

  it(`exits 5 with one line for each kind of fault on every request, then goes on once they lift (seed ${seed})`, async () => {
    // The walk a clean sync of this history makes, to compare the resumed runs with.
    const reference = await adapter.start();
    cleanups.push(() => reference.close());
    const referenceHome = home();
    const clean = await runEvents(['sync'], envFor(reference, referenceHome));
    expect(clean.code, clean.stderr).toBe(0);
    const fullWalk = reference.listRequests();
    expect(fullWalk).toBeGreaterThanOrEqual(3);
    // What a sync of a mirror that is already complete costs: its head walk (Seam asks once more
    // after a short first page, in case the server caps `limit`).
    const again = await runEvents(['sync'], envFor(reference, referenceHome));
    expect(again.code, again.stderr).toBe(0);
    const headWalk = reference.listRequests() - fullWalk;

    const results = await Promise.all(
      ALL_FAULTS.map(async (kind: Fault, i) => {
        // Two pages get through, then every request meets this kind of fault.
        const fake = await adapter.start({ faults: alwaysAfter(2, [kind], seed + i), slowMs: SLOW_MS });
        cleanups.push(() => fake.close());
        const h = home();
        const env = envFor(fake, h);
        const failed = await runEvents(['sync', '--retries', '1', ...QUICK], env);
        const kept = readMirror(h.db);
        fake.setFaults(undefined);
        const before = fake.listRequests();
        // The default timeout: on a loaded machine a clean answer may take longer than 500 ms, and
        // a retry would count as one more request of the walk.
        const resumed = await runEvents(['sync'], env);
        return { kind, fake, h, failed, kept, resumed, resumedWalk: fake.listRequests() - before };
      }),
    );
    for (const { kind, fake, h, failed, kept, resumed, resumedWalk } of results) {
      expect(failed.code, `${kind}: ${failed.stderr}`).toBe(5);
      expect(failed.stdout).toBe('');
      expect(failed.stderr, kind).toMatch(new RegExp(`^error: ${adapter.name}: [^\\n]+, still failing after 1 retry\\n$`));
      expect(failed.stderr, kind).not.toMatch(/\n\s+at /);
      // What the two clean pages brought is kept.
      expect(kept.rows, kind).toBeGreaterThanOrEqual(adapter.pageSize);
      expect(kept.integrity).toBe('ok');
      expect(resumed.code, `${kind}: ${resumed.stderr}`).toBe(0);
      expectMirrorEqualsTruth(h.db, fake);
      // The resumed run went on from the saved position instead of walking the history again: a
      // full walk again would cost fullWalk + headWalk requests, the resume two pages fewer (one
      // more when a clean answer on this loaded machine outlasts the timeout and is retried).
      expect(resumedWalk, kind).toBeLessThan(fullWalk + headWalk);
    }
  }, 120_000);
});
