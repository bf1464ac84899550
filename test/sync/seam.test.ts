// Seam end to end in-process: syncProfile with a real mirror on each engine (a SQLite temp file, a
// fresh PostgreSQL schema), against our faithful fake of the real API (limit + unstable_offset,
// newest first, microsecond times, a broken offset on demand) and against Seam's own
// fake-seam-connect (which ignores limit and offset and lists oldest first). The mirror must equal
// what the server serves, after rounds of new and same-millisecond events at window edges,
// interruptions, 429s and outages.
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, InterruptedError, NotFoundError, RetriesExhaustedError } from '../../src/errors.js';
import { ApiClient, type ClientOptions } from '../../src/http/client.js';
import { seam } from '../../src/providers/seam.js';
import type { SyncOptions } from '../../src/sync/engine.js';
import { abortOnRequest } from '../support/fake-server.js';
import { seamEvent, seamHistory, startFakeSeam, type FakeSeamOptions, type SeamEvent } from '../support/fake-seam.js';
import { LOCKS, startSeamConnect } from '../support/seam-connect.js';
import { ENGINES, type Engine } from '../support/engines.js';
import { syncRig, type SyncRig } from '../support/sync.js';

const PROFILE = 'seam-test';
const MINUTE = 60_000;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A client for `server`, no mirror needed. */
const clientFor =
  (server: { url: string; apiKey: string }) =>
  (extra: Partial<ClientOptions> = {}) =>
    new ApiClient({ provider: seam, baseUrl: server.url, apiKey: server.apiKey, profileName: PROFILE, retries: 2, timeoutMs: 1000, ...extra });

/** A temp mirror on `engine`, and sync/client helpers bound to `server`. */
async function harness(engine: Engine, server: { url: string; apiKey: string }) {
  const rig = await syncRig({ engine, provider: seam, server, profile: PROFILE, retries: 2, timeoutMs: 1000 });
  cleanups.push(() => rig.cleanup());
  return { rig, store: rig.store, client: rig.client, sync: rig.sync };
}

async function setup(engine: Engine, options: FakeSeamOptions = {}) {
  const fake = await startFakeSeam(options);
  cleanups.push(() => fake.close());
  return { fake, ...(await harness(engine, fake)) };
}

/** The mirror as (id, raw) sorted by id, read through store.stream. */
async function mirror(rig: SyncRig): Promise<Array<{ id: string; raw: unknown }>> {
  return (await rig.streamed())
    .map((e) => ({ id: e.id, raw: JSON.parse(e.raw) as unknown }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

async function expectConverged(rig: SyncRig, events: SeamEvent[]): Promise<void> {
  const truth = events.map((e) => ({ id: e.event_id, raw: e })).sort((a, b) => (a.id < b.id ? -1 : 1));
  expect(await mirror(rig)).toEqual(truth);
  expect(await rig.store.countEvents(PROFILE)).toBe(events.length);
}

const us = (ms: number) => ms * 1000;
/** An event in fake-seam-connect's shape, for loading straight into its store. */
const lockEvent = (event_id: string, ms: number): SeamEvent => ({
  event_id,
  event_type: 'lock.locked',
  workspace_id: 'seed_workspace_1',
  created_at: new Date(ms).toISOString(),
  occurred_at: new Date(ms).toISOString(),
  event_description: '',
  device_id: LOCKS[event_id.length % 3]!,
});
const between = (b: Record<string, unknown>) => (b.between as string[]).map((t) => Date.parse(t));

describe.each(ENGINES)('seam sync against the faithful fake (%s)', (engine) => {
  it('mirrors the whole history in one frozen window paged by offset', async () => {
    const { fake, rig, store, sync } = await setup(engine);
    const now = Date.now();
    fake.add(...seamHistory(1234, us(now - 10 * MINUTE)));
    // 40 events in one millisecond, sub-millisecond apart.
    fake.add(...Array.from({ length: 40 }, (_, i) => seamEvent(5000 + i, us(now - 20 * MINUTE) + i * 7)));
    const result = await sync({ now: () => now });
    expect(result).toMatchObject({ first: true, fetched: 1274, inserted: 1274 });
    await expectConverged(rig, fake.events());
    const bodies = fake.listBodies();
    expect(bodies.map((b) => b.unstable_offset)).toEqual([0, 500, 1000]);
    for (const b of bodies) expect(b).toMatchObject({ limit: 500, between: bodies[0]!.between });
    expect(between(bodies[0]!)[1]).toBe(now + 1);
    // Coverage ends at the provider's clock (its Date header, whole seconds) or `now`, the earlier.
    const [range] = await store.coverage(PROFILE);
    expect(range!.lo).toBeNull();
    expect(range!.hi).toBeLessThanOrEqual(now);
    expect(range!.hi).toBeGreaterThan(now - 1000);
  });

  it.each(['newest', 'oldest'] as const)(
    'converges over rounds of new, same-millisecond and late events at the window edges (%s first)',
    async (order) => {
      const { fake, rig, store, sync } = await setup(engine, { order });
      let now = Date.now() - 60 * MINUTE;
      fake.add(...seamHistory(700, us(now - MINUTE), 500_000));
      await sync({ now: () => now });
      await expectConverged(rig, fake.events());
      let n = 10_000;
      for (let round = 0; round < 3; round++) {
        const edge = now;
        // Exactly at the last upper edge and at edge + 1 ms (outside the frozen window just walked),
        // many sharing each millisecond, some with microseconds.
        for (let i = 0; i < 60; i++) fake.add(seamEvent(n++, us(edge) + (i % 3) * 300));
        for (let i = 0; i < 60; i++) fake.add(seamEvent(n++, us(edge + 1) + (i % 2) * 999));
        // Late events: created inside the overlap before the last sync, visible only now.
        for (let i = 0; i < 30; i++) fake.add(seamEvent(n++, us(edge - 2 * MINUTE) + i));
        // Half a millisecond below the next head walk's floor, inside its window [floor − 1 ms, …]:
        // it must not read as "below the floor" and stop the walk early (oldest first, page 1).
        fake.add(seamEvent(n++, us(edge - 5 * MINUTE - 1) + 500));
        // Plenty of new ones, so the head walk takes several pages.
        now += 3 * MINUTE;
        fake.add(...seamHistory(550, us(now - 1000), 200_000, n));
        n += 550;
        const before = fake.listBodies().length;
        await sync({ now: () => now });
        await expectConverged(rig, fake.events());
        const head = fake.listBodies().slice(before);
        expect(between(head[0]!)).toEqual([edge - 5 * MINUTE - 1, now + 1]);
        expect(head.length).toBeGreaterThanOrEqual(2);
      }
      // A full rescan finds nothing new and duplicates nothing.
      const total = await store.countEvents(PROFILE);
      const rescan = await sync({ now: () => now, full: true });
      expect(rescan).toMatchObject({ inserted: 0, fetched: total });
      await expectConverged(rig, fake.events());
      expect(await store.coverage(PROFILE)).toEqual([{ lo: null, hi: now }]);
    },
  );

  it('splits the window when unstable_offset is ignored, even with 700 events in one millisecond', async () => {
    const { fake, rig, store, sync } = await setup(engine, { offset: 'ignored' });
    const now = Date.now();
    fake.add(...seamHistory(1500, us(now - MINUTE), 1_000_000));
    const crowded = now - 7 * MINUTE;
    fake.add(...Array.from({ length: 700 }, (_, i) => seamEvent(20_000 + i, us(crowded) + (i % 1000))));
    await sync({ now: () => now });
    await expectConverged(rig, fake.events());
    const bodies = fake.listBodies();
    // Splits happened, a one-millisecond window was read with a bigger page, and nothing looped.
    expect(new Set(bodies.map((b) => JSON.stringify(b.between))).size).toBeGreaterThan(3);
    expect(bodies.some((b) => b.limit === 1000 && between(b)[1]! - between(b)[0]! === 2)).toBe(true);
    expect(bodies.length).toBeLessThan(150);
    expect(await store.pendingWalks(PROFILE)).toEqual([]);
  });

  it('resumes an interrupted backfill from its saved window and offset, without re-walking', async () => {
    const { fake, rig, store, client, sync } = await setup(engine);
    fake.add(...seamHistory(1800, us(Date.now() - 30 * MINUTE), 100_000));
    const abort = new AbortController();
    // Aborted between pages (as Ctrl-C does) when the third page's request, sent ahead, arrives:
    // the sync says so, keeping the two pages it fetched.
    fake.setFaults(abortOnRequest(abort, 2));
    await expect(sync({ client: client({ signal: abort.signal }), signal: abort.signal })).rejects.toBeInstanceOf(InterruptedError);
    fake.setFaults(undefined);
    expect(await store.countEvents(PROFILE)).toBe(1000);
    expect(await store.coverage(PROFILE)).toEqual([]);
    const [pending] = await store.pendingWalks(PROFILE);
    expect(pending?.next.body).toMatchObject({ unstable_offset: 1000, between: fake.listBodies()[0]!.between });
    expect(fake.listBodies()).toHaveLength(3);

    await sync();
    await expectConverged(rig, fake.events());
    const rerun = fake.listBodies().slice(3);
    // The head walk (one short page), then offsets 1000 and 1500 of the saved window only.
    expect(rerun.map((b) => b.unstable_offset)).toEqual([0, 1000, 1500]);
    expect(rerun[1]!.between).toEqual(fake.listBodies()[0]!.between);
    expect(await store.pendingWalks(PROFILE)).toEqual([]);
  });

  it('keeps what it committed when the server keeps failing (RetriesExhaustedError), then goes on', async () => {
    const { fake, rig, store, client, sync } = await setup(engine);
    fake.add(...seamHistory(1200, us(Date.now() - 30 * MINUTE), 100_000));
    fake.setFaults((req, index) => (index >= 2 && req.path === '/events/list' ? 'html-503' : undefined));
    await expect(sync({ client: client({ retries: 1 }) })).rejects.toBeInstanceOf(RetriesExhaustedError);
    expect(await store.countEvents(PROFILE)).toBe(1000);
    expect((await store.readMeta(PROFILE))[0]!.lastError).toMatch(/503/);
    const failedAt = fake.listBodies().length;
    fake.setFaults(undefined);
    await sync();
    await expectConverged(rig, fake.events());
    expect(fake.listBodies().slice(failedAt).map((b) => b.unstable_offset)).toEqual([0, 1000]);
  });

  it('survives a 429 without Retry-After by backing off', async () => {
    const { fake, rig, client, sync } = await setup(engine);
    fake.add(...seamHistory(900, us(Date.now() - MINUTE)));
    fake.setFaults((_req, index) => (index === 1 ? 'rate-limit' : undefined));
    const waits: Array<{ reason: string; waitMs: number }> = [];
    await sync({ client: client({ onWait: (w) => waits.push(w) }) });
    await expectConverged(rig, fake.events());
    expect(waits).toHaveLength(1);
    expect(waits[0]!.reason).toMatch(/429/);
    // No Retry-After: the client's own backoff for a first retry (0.25–0.5 s).
    expect(waits[0]!.waitMs).toBeGreaterThanOrEqual(250);
    expect(waits[0]!.waitMs).toBeLessThanOrEqual(500);
    expect(fake.listBodies().map((b) => b.unstable_offset)).toEqual([0, 500, 500]);
  });
});

describe.each(ENGINES)('seam sync against fake-seam-connect (%s)', (engine) => {
  async function connect() {
    const seamConnect = await startSeamConnect();
    cleanups.push(() => seamConnect.close());
    const lines: string[] = [];
    const h = await harness(engine, seamConnect);
    const sync = (extra: Partial<SyncOptions> = {}) => h.sync({ client: h.client({ log: (l) => lines.push(l) }), ...extra });
    return { seamConnect, ...h, sync, lines };
  }

  it('syncs, lists and gets events made through its action routes', async () => {
    const { seamConnect: sc, rig, store, client, sync } = await connect();
    await sc.unlock(LOCKS[0]);
    const code = await sc.createAccessCode(LOCKS[0], '1234');
    await sc.lock(LOCKS[2]);
    await sc.deleteAccessCode(code, LOCKS[0]);
    await sync();
    const truth = await sc.truth();
    expect(truth.map((e) => e.event_type)).toEqual(['device.connected', 'lock.unlocked', 'access_code.created', 'lock.locked', 'access_code.deleted']);
    await expectConverged(rig, truth);

    const locks = await store.query({ profile: PROFILE, types: ['lock.*'], where: [] });
    expect(locks.map((e) => [e.type, e.object])).toEqual([
      ['lock.locked', LOCKS[2]],
      ['lock.unlocked', LOCKS[0]],
    ]);
    const onFront = await store.query({ profile: PROFILE, types: [], object: LOCKS[0], where: [{ path: 'access_code_id', value: code }] });
    expect(onFront.map((e) => e.type).sort()).toEqual(['access_code.created', 'access_code.deleted']);

    const created = truth.find((e) => e.event_type === 'access_code.created')!;
    expect(await client().send(seam.getRequest(created.event_id), (b) => seam.readOne(b))).toEqual(created);
    await expect(client().send(seam.getRequest('event_nope'), (b) => seam.readOne(b))).rejects.toThrow(NotFoundError);
  });

  it('converges over rounds of concurrent actions that share milliseconds, and a bulk page longer than limit', async () => {
    const { seamConnect: sc, rig, sync, lines } = await connect();
    let now = Date.now();
    await sync({ now: () => now });
    for (let round = 0; round < 2; round++) {
      await Promise.all(Array.from({ length: 90 }, (_, i) => (i % 2 ? sc.lock(LOCKS[i % 3]!) : sc.unlock(LOCKS[i % 3]!))));
      // Many events in the last upper-edge millisecond and the one after it, visible only now.
      sc.addEvents([now, now + 1].flatMap((ms) => Array.from({ length: 40 }, (_, i) => lockEvent(`edge_${round}_${ms}_${i}`, ms))));
      now = Date.now() + 2;
      await sync({ now: () => now });
      await expectConverged(rig, await sc.truth());
    }
    const truth = await sc.truth();
    expect(truth.length).toBe(1 + 2 * (90 + 80));
    expect(new Set(truth.map((e) => e.created_at)).size).toBeLessThan(truth.length - 100);

    // 1200 older events loaded straight into the store: the fake answers all of them at once.
    const base = Date.parse(truth[0]!.created_at) - 600 * MINUTE;
    sc.addEvents(Array.from({ length: 1200 }, (_, i) => lockEvent(`bulk_${i}`, base + i * 1000)));
    const before = lines.length;
    await sync({ full: true });
    await expectConverged(rig, await sc.truth());
    // One request: a page longer than `limit` is the whole window.
    expect(lines.slice(before)).toEqual([expect.stringMatching(/^POST \/events\/list → 200/)]);
  });

  it('reports a workspace outage (503) as RetriesExhaustedError, keeping the mirror, and recovers', async () => {
    const { seamConnect: sc, rig, store, client, sync } = await connect();
    await sc.unlock(LOCKS[1]);
    await sync();
    const kept = await store.countEvents(PROFILE);
    expect(kept).toBe(2);
    await sc.lock(LOCKS[1]);
    await sc.outage();
    await expect(sync({ client: client({ retries: 1 }) })).rejects.toThrow(RetriesExhaustedError);
    await expect(sync({ client: client({ retries: 1 }) })).rejects.toThrow(/503 Service Unavailable on POST \/events\/list/);
    expect(await store.countEvents(PROFILE)).toBe(kept);
    expect((await store.readMeta(PROFILE))[0]!.lastError).toMatch(/503/);
    sc.recover();
    await sync();
    await expectConverged(rig, await sc.truth());
    expect(await store.countEvents(PROFILE)).toBe(3);
  });
});

describe('seam requests, no mirror', () => {
  it('gets one event, says not found, and refuses a bad key with Seam’s message', async () => {
    const fake = await startFakeSeam();
    cleanups.push(() => fake.close());
    const client = clientFor(fake);
    const events = seamHistory(3, us(Date.now()));
    fake.add(...events);
    const get = (id: string, c = client()) => c.send(seam.getRequest(id), (b) => seam.readOne(b));
    expect(await get(events[1]!.event_id)).toEqual(events[1]);
    await expect(get('5eae0000-0000-4000-8000-ffffffffffff')).rejects.toThrow(NotFoundError);
    await expect(get('nope')).rejects.toThrow(/404 Not Found on POST \/events\/get: Event not found \(event_not_found\)/);
    const first = seam.firstRequest({ now: Date.now() });
    const refused = client({ apiKey: 'seam_wrong' }).send(first, (b) => seam.readPage(b, first));
    await expect(refused).rejects.toThrow(AuthError);
    await expect(client({ apiKey: 'seam_wrong' }).send(first, (b) => b)).rejects.toThrow(/API Key not found \(unauthorized\)/);
  });

  it('fake-seam-connect refuses a wrong API key with AuthError', async () => {
    const sc = await startSeamConnect();
    cleanups.push(() => sc.close());
    const client = clientFor(sc);
    const first = seam.firstRequest({ now: Date.now() });
    await expect(client({ apiKey: 'seam_nope' }).send(first, (b) => seam.readPage(b, first))).rejects.toThrow(
      /401 Unauthorized on POST \/events\/list: API Key not found \(unauthorized\)/,
    );
    expect(sc.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
