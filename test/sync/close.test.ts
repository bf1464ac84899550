// Close end to end in-process: the real provider, ApiClient, paging loop, sync engine and a real
// mirror on each engine (a SQLite temp file, a fresh PostgreSQL schema) against the loopback fake,
// through consolidation, late events, interruptions, expired cursors and rate limits.
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, InterruptedError, NotFoundError, RetriesExhaustedError } from '../../src/errors.js';
import { ApiClient, type ClientOptions } from '../../src/http/client.js';
import { close } from '../../src/providers/close.js';
import { walkPages } from '../../src/providers/walk.js';
import type { Store } from '../../src/store/contract.js';
import type { SyncOptions } from '../../src/sync/engine.js';
import { startFakeClose, closeHistory, closeEvent, type CloseEvent, type FakeClose, type FakeCloseOptions } from '../support/fake-close.js';
import { abortOnRequest, seededRandom, type FakeRequest } from '../support/fake-server.js';
import { ENGINES, type Engine } from '../support/engines.js';
import { syncRig, type SyncRig } from '../support/sync.js';

const PROFILE = 'sales';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Rig {
  fake: FakeClose;
  store: Store;
  mirror: SyncRig;
  client(over?: Partial<ClientOptions>): ApiClient;
  sync(over?: Partial<SyncOptions> & { client?: ApiClient }): ReturnType<SyncRig['sync']>;
}

/** The fake and a client for it, with no mirror (the HTTP-only tests). */
async function startFake(options: FakeCloseOptions = {}) {
  const fake = await startFakeClose(options);
  cleanups.push(() => fake.close());
  const client = (over: Partial<ClientOptions> = {}) =>
    new ApiClient({ provider: close, baseUrl: fake.baseUrl, apiKey: fake.apiKey, profileName: PROFILE, retries: 2, timeoutMs: 1_000, ...over });
  return { fake, client };
}

async function rig(engine: Engine, options: FakeCloseOptions = {}): Promise<Rig> {
  const { fake } = await startFake(options);
  const mirror = await syncRig({ engine, provider: close, server: { url: fake.baseUrl, apiKey: fake.apiKey }, profile: PROFILE, retries: 2, timeoutMs: 1_000 });
  cleanups.push(() => mirror.cleanup());
  return { fake, store: mirror.store, mirror, client: mirror.client, sync: mirror.sync };
}

/** The mirror's events as the provider sent them, by id. */
async function mirrored(r: Rig): Promise<CloseEvent[]> {
  const rows = await r.mirror.events();
  return rows
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((e) => JSON.parse(e.raw) as CloseEvent);
}

/** The newest and oldest updated time the mirror holds (from the events themselves). */
async function updatedRange(r: Rig): Promise<{ max: number; min: number }> {
  const updated = (await r.mirror.events()).map((e) => e.updated);
  return { max: Math.max(...updated), min: Math.min(...updated) };
}

async function expectConverged(r: Rig): Promise<void> {
  const truth = [...r.fake.events()].sort((a, b) => (a.id < b.id ? -1 : 1));
  expect(await mirrored(r)).toEqual(truth);
}

/** The list requests made from index `from` on. */
const listSince = (fake: FakeClose, from: number): FakeRequest[] => fake.requests.slice(from).filter((q) => q.path === '/api/v1/event/');

describe.each(ENGINES)('close sync against the fake (%s)', (engine) => {
  it('mirrors the whole history on the first run, page by page with the cursor', async () => {
    const r = await rig(engine);
    r.fake.add(...closeHistory(230, Date.now() - 1_000));
    const result = await r.sync();
    expect(result).toMatchObject({ first: true, pages: 5, fetched: 230, inserted: 230, updated: 0 });
    await expectConverged(r);
    expect(await r.store.coverage(PROFILE)).toEqual([{ lo: null, hi: expect.any(Number) }]);
    const sent = r.fake.listRequests();
    expect(sent).toHaveLength(5);
    expect(sent.map((q) => q.query.has('_cursor'))).toEqual([false, true, true, true, true]);
    expect(sent.every((q) => q.query.get('_limit') === '50')).toBe(true);
    // The naive date_updated was read as UTC: the newest row is exactly the fake's newest event.
    expect((await updatedRange(r)).max).toBe(Date.parse(`${r.fake.events()[0]!.date_updated}Z`));
  });

  it('converges over rounds of new, late and consolidated events, the newer date_updated winning', async () => {
    const r = await rig(engine);
    r.fake.add(...closeHistory(120, Date.now() - 1_000));
    await r.sync();
    const rnd = seededRandom(7);
    let n = 1_000;
    for (let round = 0; round < 4; round++) {
      const before = r.fake.requests.length;
      // Consolidate an event the mirror already holds, anywhere in its history.
      const held = await mirrored(r);
      const consolidated = r.fake.consolidate(held[Math.floor(rnd() * held.length)]!.id);
      const now = Date.now();
      r.fake.add(...Array.from({ length: 3 }, (_, i) => closeEvent(n++, now - i)));
      const late = r.fake.addLate(n++, 2 * 60_000); // inside the five-minute overlap
      const result = await r.sync();
      await expectConverged(r);
      expect(result.inserted).toBe(4);
      expect(result.updated).toBe(1);
      const stored = (await mirrored(r)).find((e) => e.id === consolidated.id)!;
      expect(stored.date_updated).toBe(consolidated.date_updated);
      expect((await mirrored(r)).some((e) => e.id === late.id)).toBe(true);
      // A rescan of the head only: one page, bounded below by the overlap.
      const sent = listSince(r.fake, before);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.query.get('date_updated__gte')).toMatch(/Z$/);
    }
    expect(await r.store.countEvents(PROFILE)).toBe(r.fake.events().length);
  });

  it('catches an event consolidated behind the cursor during a walk on the next run', async () => {
    const r = await rig(engine);
    r.fake.add(...closeHistory(200, Date.now() - 1_000));
    const deep = r.fake.events()[180]!.id; // on page 4 of 4
    let moved: CloseEvent | undefined;
    await r.sync({
      onProgress: (p) => {
        if (p.pages === 1) moved = r.fake.consolidate(deep);
      },
    });
    // The walk passed the event's new place before it moved, and its old place after: missed now...
    expect((await mirrored(r)).some((e) => e.id === deep)).toBe(false);
    await r.sync();
    // ...and fetched by the overlap rescan, as Close advises.
    await expectConverged(r);
    expect((await mirrored(r)).find((e) => e.id === deep)?.date_updated).toBe(moved!.date_updated);
  });

  it('resumes an interrupted first sync from its saved cursor without walking covered history again', async () => {
    const r = await rig(engine);
    r.fake.add(...closeHistory(230, Date.now() - 1_000));
    const abort = new AbortController();
    r.fake.setFaults(abortOnRequest(abort, 2)); // after two pages, as the third one's request arrives
    const stopped = await r.sync({ signal: abort.signal }).catch((err: unknown) => err);
    r.fake.setFaults(undefined);
    expect(stopped).toBeInstanceOf(InterruptedError);
    expect((await mirrored(r))).toHaveLength(100);
    const [saved] = await r.store.pendingWalks(PROFILE);
    expect(saved?.next.query?._cursor).toEqual(expect.any(String));
    expect(await r.store.coverage(PROFILE)).toEqual([]);

    const before = r.fake.requests.length;
    await r.sync();
    await expectConverged(r);
    const sent = listSince(r.fake, before);
    // One head rescan of the last five minutes, then the three pages the first run had not reached.
    expect(sent).toHaveLength(4);
    expect(sent[0]!.query.get('date_updated__gte')).not.toBeNull();
    expect(sent.slice(1).every((q) => q.query.has('_cursor'))).toBe(true);
    expect(await r.store.pendingWalks(PROFILE)).toEqual([]);
    expect(await r.store.coverage(PROFILE)).toEqual([{ lo: null, hi: expect.any(Number) }]);
  });

  it('keeps what it fetched when the API fails for good mid-walk, and goes on from there once it recovers', async () => {
    const r = await rig(engine);
    r.fake.add(...closeHistory(230, Date.now() - 1_000));
    r.fake.setFaults((_req, index) => (index >= 3 ? 'html-503' : undefined));
    const failed = await r.sync({ client: r.client({ retries: 1 }) }).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(RetriesExhaustedError);
    expect((failed as Error).message).toMatch(/^close: 503 Service Unavailable on GET \/event\/, still failing after 1 retry$/);
    expect((await mirrored(r))).toHaveLength(150);

    r.fake.setFaults(undefined);
    const before = r.fake.requests.length;
    await r.sync();
    await expectConverged(r);
    const sent = listSince(r.fake, before);
    expect(sent).toHaveLength(3); // head rescan + pages 4 and 5
    expect(sent.every((q) => q.query.has('_cursor') || q.query.has('date_updated__gte'))).toBe(true);
  });

  it('restarts below the oldest stored event when its saved cursor has expired, not from the top', async () => {
    const r = await rig(engine);
    r.fake.add(...closeHistory(230, Date.now() - 1_000));
    const abort = new AbortController();
    r.fake.setFaults(abortOnRequest(abort, 2));
    await expect(r.sync({ signal: abort.signal })).rejects.toBeInstanceOf(InterruptedError);
    r.fake.setFaults(undefined);
    const oldestStored = (await updatedRange(r)).min;
    r.fake.invalidateCursors();

    const before = r.fake.requests.length;
    await r.sync();
    await expectConverged(r);
    const sent = listSince(r.fake, before);
    const restart = sent.find((q) => q.query.has('date_updated__lte'));
    expect(restart?.query.get('date_updated__lte')).toBe(new Date(oldestStored).toISOString());
    expect(restart?.query.has('_cursor')).toBe(false);
    // head + the refused cursor + 131 events from the boundary down (3 pages): not the 5 of a full walk.
    expect(sent).toHaveLength(5);
    expect(sent.filter((q) => !q.query.has('_cursor') && !q.query.has('date_updated__gte') && !q.query.has('date_updated__lte'))).toEqual([]);
  });

  it("waits out Close's 429 for the rate_reset its body gives", async () => {
    const r = await rig(engine);
    r.fake.add(...closeHistory(160, Date.now() - 1_000));
    r.fake.setFaults((_req, index) => (index === 1 || index === 3 ? 'rate-limit' : undefined));
    const waits: Array<{ reason: string; waitMs: number }> = [];
    await r.sync({ client: r.client({ onWait: (w) => waits.push(w) }) });
    await expectConverged(r);
    // 50 ms from `rate_reset: 0.05`, not the 1 s of the rounded Retry-After beside it.
    expect(waits).toEqual([
      { reason: '429 Too Many Requests', waitMs: 50, attempt: 1 },
      { reason: '429 Too Many Requests', waitMs: 50, attempt: 1 },
    ]);
  });

  it('slows down when RateLimit says the window is spent, so the API never has to refuse', async () => {
    const r = await rig(engine, { rateLimit: { limit: 3, windowMs: 250 } });
    r.fake.add(...closeHistory(230, Date.now() - 1_000));
    const started = Date.now();
    await r.sync();
    await expectConverged(r);
    expect(r.fake.refused()).toBe(0);
    expect(r.fake.listRequests()).toHaveLength(5);
    // Two requests per window (it pauses at remaining ≤ 1): five pages span at least two resets.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 200);
  });
});

describe('close over HTTP against the fake', () => {
  it('gets one event, and says clearly when there is no such event', async () => {
    const r = await startFake();
    const [event] = closeHistory(1);
    r.fake.add(event!);
    const got = await r.client().send(close.getRequest(event!.id), (b) => close.readOne(b));
    expect(got).toEqual(event);
    const missing = await r.client().send(close.getRequest('ev_nope'), (b) => close.readOne(b)).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as Error).message).toBe('close: 404 Not Found on GET /event/ev_nope/: Event not found');
  });

  it('names the profile to fix when the key is refused', async () => {
    const r = await startFake();
    const err = await r.client({ apiKey: 'wrong' }).send(close.firstRequest({ now: Date.now() }), (b) => close.readPage(b, close.firstRequest({ now: 0 }))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as Error).message).toBe('close: 401 Unauthorized on GET /event/: The API key is missing or invalid — check the API key of profile "sales"');
  });

  it('walks a filtered list across pages, the cursor travelling with its filters', async () => {
    const r = await startFake();
    r.fake.add(...closeHistory(400, Date.now() - 1_000));
    const from = close.remoteRequest!({ types: [], where: [{ path: 'lead_id', value: 'lead_0003' }] }, 500);
    const seen: string[] = [];
    for await (const page of walkPages({ provider: close, client: r.client(), from })) seen.push(...page.rows.map((row) => row.id));
    const truth = r.fake.events().filter((e) => e.lead_id === 'lead_0003').map((e) => e.id);
    expect(truth.length).toBeGreaterThan(50);
    expect(seen).toEqual(truth);
    expect(r.fake.listRequests().every((q) => q.query.get('lead_id') === 'lead_0003')).toBe(true);
  });

  it('refuses what the real API refuses: other filters with a cursor, and combinations off the list', async () => {
    const r = await startFake();
    r.fake.add(...closeHistory(60));
    const c = r.client({ retries: 0 });
    const first = await c.send(close.firstRequest({ now: 0 }), (b) => close.readPage(b, close.firstRequest({ now: 0 })));
    const foreign = { ...first.next!, query: { ...first.next!.query, user_id: 'user_1' } };
    await expect(c.send(foreign, (b) => b)).rejects.toThrow(/400 Bad Request on GET \/event\/: The cursor was issued for other filters/);
    await expect(c.send({ method: 'GET', path: '/event/', query: { object_type: 'lead' } }, (b) => b)).rejects.toThrow(/Unsupported combination of filters: object_type/);
    const capped = await c.send({ method: 'GET', path: '/event/', query: { _limit: 500 } }, (b) => close.readPage(b, close.firstRequest({ now: 0 })));
    expect(capped.events).toHaveLength(50);
  });
});
