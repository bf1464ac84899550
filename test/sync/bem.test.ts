// bem end to end in-process: syncProfile against the loopback fake, with a real mirror on each
// engine (a SQLite temp file, a fresh PostgreSQL schema). The mirror must equal what the server
// serves, after late events, interruptions and rate limits, without re-walking history it already holds.
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, InterruptedError, NotFoundError, ProviderError, RetriesExhaustedError } from '../../src/errors.js';
import { ApiClient, type ClientOptions } from '../../src/http/client.js';
import { bem, ksuidTime } from '../../src/providers/bem.js';
import { walkPages } from '../../src/providers/walk.js';
import { abortOnRequest } from '../support/fake-server.js';
import { startFakeBem, type FakeBem, type FakeBemOptions } from '../support/fake-bem.js';
import { ENGINES, type Engine } from '../support/engines.js';
import { syncRig, type SyncRig } from '../support/sync.js';

const PROFILE = 'bem-test';
const MINUTE = 60_000;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startFake(options: FakeBemOptions = {}) {
  const fake = await startFakeBem(options);
  cleanups.push(() => fake.close());
  const client = (extra: Partial<ClientOptions> = {}) =>
    new ApiClient({ provider: bem, baseUrl: fake.url, apiKey: fake.apiKey, profileName: PROFILE, retries: 2, timeoutMs: 1000, ...extra });
  return { fake, client };
}

async function setup(engine: Engine, options: FakeBemOptions = {}) {
  const { fake } = await startFake(options);
  const rig = await syncRig({ engine, provider: bem, server: fake, profile: PROFILE, retries: 2, timeoutMs: 1000 });
  cleanups.push(() => rig.cleanup());
  return { fake, rig, store: rig.store, client: rig.client, sync: rig.sync };
}

/** The mirror's events as (id, raw) sorted by id (read through store.stream), to compare with the fake's own list. */
async function mirror(rig: SyncRig): Promise<Array<{ id: string; raw: unknown }>> {
  return (await rig.streamed())
    .map((e) => ({ id: e.id, raw: JSON.parse(e.raw) as unknown }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
const truth = (fake: FakeBem) => fake.events().map((e) => ({ id: e.eventID, raw: e }));

async function expectConverged(rig: SyncRig, fake: FakeBem): Promise<void> {
  expect(await mirror(rig)).toEqual(truth(fake));
  expect(await rig.store.countEvents(PROFILE)).toBe(fake.events().length);
}

describe.each(ENGINES)('on %s', (engine) => {
  describe('bem sync against the fake', () => {
    it('mirrors the whole history on the first sync, newest first, and records totalCount', async () => {
      const { fake, rig, store, sync } = await setup(engine);
      fake.addHistory(250, { stepMs: MINUTE });
      fake.addLate(2 * MINUTE, { noCreatedAt: true });
      const result = await sync();
      expect(result).toMatchObject({ first: true, fetched: 251, inserted: 251 });
      await expectConverged(rig, fake);
      // 2 full pages, then a short one that ends the walk: no empty page is asked for.
      const sent = fake.listRequests().map((r) => Object.fromEntries(r.query));
      expect(sent).toHaveLength(3);
      for (const q of sent) expect(q).toMatchObject({ limit: '100', sortOrder: 'desc' });
      expect(sent.some((q) => 'endingBefore' in q)).toBe(false);
      expect((await store.readMeta(PROFILE))[0]).toMatchObject({ provider: 'bem', remoteTotal: 251, lastError: '' });
      expect(await store.coverage(PROFILE)).toEqual([{ lo: null, hi: expect.any(Number) }]);
    });

    it('stores UTC times for +08:00 createdAt values and the KSUID second when createdAt is missing', async () => {
      const { fake, rig, sync } = await setup(engine);
      fake.addHistory(12, { stepMs: 1500 });
      const bare = fake.addLate(MINUTE, { noCreatedAt: true });
      await sync();
      const times = new Map((await rig.events()).map((e) => [e.id, e.time]));
      const offsets = fake.events().filter((e) => e.createdAt?.endsWith('+08:00'));
      expect(offsets.length).toBeGreaterThan(2);
      for (const e of fake.events()) if (e.createdAt) expect(times.get(e.eventID)).toBe(Date.parse(e.createdAt));
      expect(times.get(bare.eventID)).toBe(ksuidTime(bare.eventID));
      expect(Math.abs(times.get(bare.eventID)! - (Date.now() - MINUTE))).toBeLessThan(5_000);
      expect(times.get(bare.eventID)! % 1000).toBe(0);
    });

    it('converges over rounds of new and late events inside the overlap, re-reading only the head', async () => {
      const { fake, rig, store, sync } = await setup(engine);
      fake.addHistory(300, { stepMs: MINUTE });
      await sync();
      await expectConverged(rig, fake);
      for (let round = 0; round < 4; round++) {
        const before = fake.listRequests().length;
        fake.addNew(3 + round);
        // Late: visible only now, with an id (and createdAt) older than ids already served.
        const late = fake.addLate((1 + round) * MINUTE, { offset: round % 2 ? '+08:00' : 'Z' });
        expect(late.eventID < (await mirror(rig)).at(-1)!.id).toBe(true);
        const result = await sync();
        await expectConverged(rig, fake);
        expect(result.inserted).toBe(4 + round);
        // One page reaches below the floor: the head walk stops there instead of re-walking 300 events.
        expect(fake.listRequests().length - before).toBe(1);
      }
      expect(await store.pendingWalks(PROFILE)).toEqual([]);
    });

    it('misses an event that shows up later than the overlap, and a --full rescan brings it in', async () => {
      const { fake, rig, sync } = await setup(engine);
      // One event every 10 s: the head walk's first page (about 16 minutes) already reaches below
      // its floor, so an event 20 minutes old that appears only now lies beyond where it stops.
      fake.addHistory(300, { stepMs: 10_000 });
      await sync();
      const tooLate = fake.addLate(20 * MINUTE);
      await sync();
      expect(fake.listRequests().at(-1)!.query.get('startingAfter')).toBeNull();
      expect((await mirror(rig)).some((e) => e.id === tooLate.eventID)).toBe(false);
      await sync({ full: true });
      await expectConverged(rig, fake);
    });

    it('walks to the end even when the server serves shorter pages than asked (a silent cap)', async () => {
      const { fake, rig, sync } = await setup(engine, { pageCap: 37 });
      fake.addHistory(250, { stepMs: MINUTE });
      await sync();
      await expectConverged(rig, fake);
      // Pages of 37 go on; the last one, shorter than 37, ends the walk.
      expect(fake.listRequests()).toHaveLength(Math.ceil(250 / 37));
    });
  });

  describe('bem sync interrupted and resumed', () => {
    it('resumes an aborted backfill from its saved cursor without re-walking covered pages', async () => {
      const { fake, rig, store, client, sync } = await setup(engine);
      fake.addHistory(450, { end: Date.now() - 30 * MINUTE, stepMs: MINUTE });
      const abort = new AbortController();
      // Aborted between pages (as Ctrl-C does) when the third page's request, sent ahead, arrives:
      // the sync says so, keeping the two pages it fetched.
      fake.setFaults(abortOnRequest(abort, 2));
      await expect(sync({ client: client({ signal: abort.signal }), signal: abort.signal })).rejects.toBeInstanceOf(InterruptedError);
      fake.setFaults(undefined);
      const newestFirst = [...fake.events()].reverse();
      expect(await store.countEvents(PROFILE)).toBe(200);
      expect(await store.coverage(PROFILE)).toEqual([]);
      const [pending] = await store.pendingWalks(PROFILE);
      expect(pending?.next.query).toMatchObject({ sortOrder: 'desc', startingAfter: newestFirst[199]!.eventID });
      expect(fake.listRequests()).toHaveLength(3);

      await sync();
      await expectConverged(rig, fake);
      const rerun = fake.listRequests().slice(3).map((r) => r.query.get('startingAfter'));
      // The head walk (one page, below its floor at once), then pages 3–5: the 5th, shorter than
      // the full pages the saved position remembers, ends the walk without an empty page.
      expect(rerun).toEqual([null, newestFirst[199]!.eventID, newestFirst[299]!.eventID, newestFirst[399]!.eventID]);
      expect(await store.coverage(PROFILE)).toEqual([{ lo: null, hi: expect.any(Number) }]);
      expect(await store.pendingWalks(PROFILE)).toEqual([]);
    });

    it('keeps what it fetched when the server keeps failing, and goes on from there once it recovers', async () => {
      const { fake, rig, store, client, sync } = await setup(engine);
      fake.addHistory(330, { end: Date.now() - 30 * MINUTE, stepMs: MINUTE });
      fake.setFaults((_req, index) => (index >= 3 ? 'html-503' : undefined));
      await expect(sync({ client: client({ retries: 1 }) })).rejects.toBeInstanceOf(RetriesExhaustedError);
      expect(await store.countEvents(PROFILE)).toBe(300);
      expect((await store.readMeta(PROFILE))[0]!.lastError).toMatch(/503/);
      const failedAt = fake.requests.length;

      fake.setFaults(undefined);
      await sync();
      await expectConverged(rig, fake);
      // Head page, then the 4th (short, last) page: nothing of the first 300 is fetched again.
      const newestFirst = [...fake.events()].reverse();
      expect(fake.requests.slice(failedAt).map((r) => r.query.get('startingAfter'))).toEqual([null, newestFirst[299]!.eventID]);
      expect((await store.readMeta(PROFILE))[0]!.lastError).toBe('');
    });

    it('survives 429s, waiting retry-after-ms before Retry-After', async () => {
      const { fake, rig, client, sync } = await setup(engine, { retryAfterMs: 30 });
      fake.addHistory(180, { stepMs: MINUTE });
      fake.setFaults((_req, index) => (index === 1 || index === 2 ? 'rate-limit' : undefined));
      const waits: number[] = [];
      await sync({ client: client({ retries: 3, onWait: (w) => waits.push(w.waitMs) }) });
      await expectConverged(rig, fake);
      expect(waits).toEqual([30, 30]);
      expect(fake.requests).toHaveLength(2 + 2); // a full page, a short one, and two 429s
    });
  });
});

describe('bem requests against the fake', () => {
  it('gets one event, says not found, and refuses a bad key', async () => {
    const { fake, client } = await startFake();
    const [event] = fake.addHistory(3);
    expect(await client().send(bem.getRequest(event!.eventID), (b) => bem.readOne(b))).toEqual(event);
    await expect(client().send(bem.getRequest('2bxoJPNdSD4LgRT4YVC4gt72hlI'), (b) => bem.readOne(b))).rejects.toThrow(NotFoundError);
    await expect(client().send(bem.getRequest('x'), (b) => bem.readOne(b))).rejects.toThrow(/404 Not Found.*Event not found/);
    const wrongKey = client({ apiKey: 'nope' });
    await expect(wrongKey.send(bem.firstRequest({ now: Date.now() }), (b) => bem.readPage(b, bem.firstRequest({ now: 0 })))).rejects.toThrow(AuthError);
  });

  it('filters by several types with one CSV parameter (a repeated key would lose all but one)', async () => {
    const { fake, client } = await startFake();
    fake.addHistory(120, { stepMs: 1000 });
    const from = bem.remoteRequest!({ types: ['transform', 'join'], where: [{ path: 'functionID', value: 'f_1' }] }, 100);
    const ids: string[] = [];
    for await (const page of walkPages({ provider: bem, client: client(), from })) ids.push(...page.rows.map((r) => r.id));
    const expected = [...fake.events()]
      .reverse()
      .filter((e) => ['transform', 'join'].includes(e.eventType) && e.functionID === 'f_1')
      .map((e) => e.eventID);
    expect(new Set(fake.events().filter((e) => expected.includes(e.eventID)).map((e) => e.eventType))).toEqual(new Set(['transform', 'join']));
    expect(ids).toEqual(expected);
    expect(fake.listRequests()[0]!.query.getAll('eventTypes')).toEqual(['transform,join']);
  });

  it('refuses contradictory cursors with bem’s {message, code} body', async () => {
    const { client } = await startFake();
    const both = { ...bem.firstRequest({ now: 0 }), query: { limit: 10, startingAfter: 'A'.repeat(27), endingBefore: 'B'.repeat(27) } };
    const err = await client().send(both, (b) => b).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).message).toMatch(/400 Bad Request on GET \/v1-alpha\/events: startingAfter and endingBefore are contradictory/);
  });
});
