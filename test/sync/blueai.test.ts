// The sync engine against the BlueAI fake, in-process, on both engines: first sync, overlap rescans
// that catch late events, resuming an interrupted walk without walking covered history again, both
// envelopes.
import { afterEach, describe, expect, it } from 'vitest';
import { blueai } from '../../src/providers/blueai.js';
import { RetriesExhaustedError, InterruptedError } from '../../src/errors.js';
import { blueaiEvent, blueaiHistory, startFakeBlueai, type FakeBlueai } from '../support/fake-blueai.js';
import { abortOnRequest } from '../support/fake-server.js';
import { ENGINES } from '../support/engines.js';
import { syncRig, type SyncRig } from '../support/sync.js';

describe.each(ENGINES)('sync engine with BlueAI (%s)', (engine) => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  const setup = async (options: Parameters<typeof startFakeBlueai>[0] = {}): Promise<{ fake: FakeBlueai; rig: SyncRig }> => {
    const fake = await startFakeBlueai(options);
    cleanups.push(() => fake.close());
    const rig = await syncRig({ engine, provider: blueai, server: fake, retries: 3, timeoutMs: 2000 });
    cleanups.push(() => rig.cleanup());
    return { fake, rig };
  };
  const truth = (fake: FakeBlueai) => fake.events().map((e) => e.id).sort();

  for (const envelope of ['has_more', 'pagination'] as const) {
    it(`pulls the whole history on the first run (${envelope} envelope)`, async () => {
      const { fake, rig } = await setup({ envelope });
      fake.add(...blueaiHistory(1234));
      const result = await rig.sync();
      expect(result).toMatchObject({ first: true, fetched: 1234, inserted: 1234 });
      expect(await rig.ids()).toEqual(truth(fake));
      // store.stream reads in batches what store.query returns at once, in the same order.
      expect((await rig.streamed()).map((e) => e.id)).toEqual((await rig.events()).map((e) => e.id));
      const ranges = await rig.store.coverage('test');
      expect(ranges).toHaveLength(1);
      expect(ranges[0]!.lo).toBeNull();
      expect(await rig.store.pendingWalks('test')).toEqual([]);
    });
  }

  it('later runs walk only the head and the overlap, catching late events inside it', async () => {
    const { fake, rig } = await setup();
    const now = Date.now();
    fake.add(...blueaiHistory(500, now - 60_000));
    await rig.sync();
    const before = fake.listRequests().length;
    // New events, and a late one: it became visible now, but happened 2 minutes ago (inside 5m).
    fake.add(...blueaiHistory(30, now, 1000, 10_000), blueaiEvent(20_000, now - 120_000));
    const result = await rig.sync();
    expect(await rig.ids()).toEqual(truth(fake));
    expect(result.inserted).toBe(31);
    // 31 new + the 5-minute overlap of 1-second events: a few pages, not the 6 of the whole history.
    expect(fake.listRequests().length - before).toBeLessThanOrEqual(5);
  });

  it('misses a late event older than the overlap only until a --full walk', async () => {
    const { fake, rig } = await setup();
    const now = Date.now();
    fake.add(...blueaiHistory(200, now));
    await rig.sync();
    fake.add(blueaiEvent(30_000, now - 3_600_000));
    await rig.sync({ overlapMs: 60_000 });
    expect(await rig.ids()).not.toContain(fake.events().find((e) => e.request_id === 'req_30000')!.id);
    await rig.sync({ full: true });
    expect(await rig.ids()).toEqual(truth(fake));
  });

  it('resumes an interrupted first sync from its saved position, not from the top', async () => {
    const { fake, rig } = await setup();
    fake.add(...blueaiHistory(2000));
    const controller = new AbortController();
    // Interrupted after 7 pages: when the request for the 8th (sent ahead) arrives.
    fake.setFaults(abortOnRequest(controller, 7));
    await expect(rig.sync({ signal: controller.signal })).rejects.toBeInstanceOf(InterruptedError);
    fake.setFaults(undefined);
    expect(await rig.ids()).toHaveLength(700);
    expect(await rig.store.pendingWalks('test')).toHaveLength(1);
    const before = fake.listRequests().length;
    fake.add(...blueaiHistory(10, Date.now() + 5_000, 1000, 50_000));
    await rig.sync();
    expect(await rig.ids()).toEqual(truth(fake));
    const rerun = fake.listRequests().slice(before);
    // The head walk (10 new events + the 5-minute overlap of 1-second events: 4 pages), then the
    // 13 pages the first run had not reached — not the 21 of a walk from the top.
    expect(rerun.length).toBe(17);
    expect(rerun.filter((r) => !r.query.get('starting_after'))).toHaveLength(1);
    expect(await rig.store.pendingWalks('test')).toEqual([]);
  });

  it('keeps every committed page when the provider keeps failing, and the next run goes on', async () => {
    const { fake, rig } = await setup();
    fake.add(...blueaiHistory(1000));
    fake.setFaults((_req, i) => (i >= 4 ? 'html-503' : undefined));
    await expect(rig.sync({ retries: 1 })).rejects.toBeInstanceOf(RetriesExhaustedError);
    expect(await rig.ids()).toHaveLength(400);
    fake.setFaults(undefined);
    await rig.sync();
    expect(await rig.ids()).toEqual(truth(fake));
  });

  it('survives 429 with Retry-After, 5xx pages, resets, truncated and misshapen bodies', async () => {
    const { fake, rig } = await setup();
    fake.add(...blueaiHistory(900));
    const kinds = ['rate-limit', 'html-500', 'html-502', 'reset', 'truncated-json', 'wrong-shape'] as const;
    fake.setFaults((_req, i) => (i % 2 === 0 && i < 12 ? kinds[(i / 2) % kinds.length] : undefined));
    await rig.sync({ retries: 2 });
    expect(await rig.ids()).toEqual(truth(fake));
  });
});
