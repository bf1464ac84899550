// Clocks that disagree: a provider whose clock runs 10 minutes ahead of this machine's,
// or 10 minutes behind, by more than the five-minute overlap. Windows, floors and coverage are in
// the provider's time (its Date header), so late events are caught and nothing is missed; and a
// Seam server that caps `limit` silently still walks every window to its end.
import { afterEach, describe, expect, it } from 'vitest';
import { blueai } from '../../src/providers/blueai.js';
import { seam } from '../../src/providers/seam.js';
import { blueaiHistory, startFakeBlueai, type FakeBlueai } from '../support/fake-blueai.js';
import { seamHistory, startFakeSeam, type FakeSeam } from '../support/fake-seam.js';
import { ENGINES, type Engine } from '../support/engines.js';
import { syncRig, type SyncRig } from '../support/sync.js';

const MINUTE = 60_000;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function rigFor(engine: Engine, fake: FakeBlueai | FakeSeam, provider: typeof blueai): Promise<SyncRig> {
  cleanups.push(() => fake.close());
  const rig = await syncRig({ engine, provider, server: fake, retries: 2, timeoutMs: 2000 });
  cleanups.push(() => rig.cleanup());
  return rig;
}

/** Each provider's fake with `add(count, newest, from)`: events one second apart, newest at `newest` (ms). */
const PROVIDERS = {
  blueai: {
    provider: blueai,
    start: async () => {
      const fake = await startFakeBlueai();
      return { fake, add: (n: number, newest: number, from: number) => fake.add(...blueaiHistory(n, newest, 1000, from)), truth: () => fake.events().map((e) => e.id).sort() };
    },
  },
  seam: {
    provider: seam,
    start: async (options: { capLimit?: number } = {}) => {
      const fake = await startFakeSeam(options);
      return { fake, add: (n: number, newest: number, from: number) => fake.add(...seamHistory(n, newest * 1000, 1_000_000, from)), truth: () => fake.events().map((e) => e.event_id).sort() };
    },
  },
} as const;

describe.each(ENGINES)('clocks that disagree (%s)', (engine) => {
  for (const name of ['blueai', 'seam'] as const) {
    for (const skew of [10 * MINUTE, -10 * MINUTE]) {
      it(`${name}: a provider ${Math.abs(skew) / MINUTE} minutes ${skew > 0 ? 'ahead' : 'behind'} converges after late events and a second sync`, async () => {
        const { provider, start } = PROVIDERS[name];
        const { fake, add, truth } = await start();
        fake.setClockSkew(skew);
        const rig = await rigFor(engine, fake, provider);
        // The provider's own now: its history reaches up to it.
        const providerNow = () => Date.now() + skew;
        add(600, providerNow() - 1000, 0);
        const first = await rig.sync();
        expect(await rig.ids()).toEqual(truth());
        expect(Math.abs(first.skewMs! - skew)).toBeLessThan(2_000);
        // Kept in the mirror for `status`: the skew this sync measured.
        expect((await rig.store.readMeta(rig.profile))[0]!.skewMs).toBe(first.skewMs);
        // Coverage ends at the provider's now, not this machine's.
        const [range] = await rig.store.coverage(rig.profile);
        expect(Math.abs(range!.hi - providerNow())).toBeLessThan(60_000);

        // Late events: visible only now, within the overlap below the provider's newest (more
        // than a page of them, 4 min 10 s of them up to 30 s ago), and new ones on top.
        add(250, providerNow() - 30_000, 10_000);
        add(20, providerNow(), 20_000);
        await rig.sync();
        expect(await rig.ids()).toEqual(truth());
      });
    }
  }
});

describe.each(ENGINES)('a Seam server that caps limit silently (%s)', (engine) => {
  it('walks every window to its end at 100 a page while asking for 500, and converges', async () => {
    const { fake, add, truth } = await PROVIDERS.seam.start({ capLimit: 100 });
    const rig = await rigFor(engine, fake, seam);
    add(1234, Date.now() - 1000, 0);
    await rig.sync();
    expect(await rig.ids()).toEqual(truth());
    const bodies = (fake as FakeSeam).listBodies();
    expect(bodies.every((b) => b.limit === 500)).toBe(true);
    // 13 pages of the first window (the last one short, below the cap, ends it).
    expect(bodies.map((b) => b.unstable_offset)).toEqual(Array.from({ length: 13 }, (_, i) => i * 100));

    add(150, Date.now() - 2 * MINUTE, 5_000);
    add(10, Date.now(), 6_000);
    await rig.sync();
    expect(await rig.ids()).toEqual(truth());
  });
});
