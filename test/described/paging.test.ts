// The paging styles and pieces the e2e suites do not reach: offset and page-number paging (one in a
// frozen window), a key sent as a query parameter (and never logged), a next URL on another origin
// refused before the key goes there, RFC 8288 Link parsing, the rounding of time bounds, reset
// headers, and the remote filters a description translates.
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/http/client.js';
import { buildProvider } from '../../src/providers/described/build.js';
import { nextLink } from '../../src/providers/described/paging.js';
import { readTime, boundParam } from '../../src/providers/described/times.js';
import { validateDescription } from '../../src/providers/described/validate.js';
import { walkPages } from '../../src/providers/walk.js';
import { cleanupAfterEach } from '../support/cli.js';
import { startFakeServer, type FakeRequest } from '../support/fake-server.js';
import { syncRig } from '../support/sync.js';
import { DESCRIPTIONS } from './adapters.js';
import fs from 'node:fs';

const cleanups = cleanupAfterEach();
const KEY = 'qk_secret_value_1234';

/** A numbered API: newest first by `at` (epoch ms), offset or page paging, `since`/`until` in ms, key in `?token=`. */
async function numbered(count: number) {
  let events = Array.from({ length: count }, (_, i) => ({ num: `n${i}`, what: i % 2 ? 'a.b' : 'c.d', at: 1_700_000_000_000 + i * 1000 }));
  const server = await startFakeServer({
    rateLimited: () => ({ status: 429, body: {} }),
    handle: (req: FakeRequest) => {
      if (req.query.get('token') !== KEY) return { status: 401, body: { msg: 'no' } };
      const size = Math.min(Number(req.query.get('size') ?? 10), 25);
      const since = Number(req.query.get('since') ?? -Infinity);
      const until = Number(req.query.get('until') ?? Infinity);
      const list = [...events].sort((a, b) => b.at - a.at).filter((e) => e.at >= since && e.at <= until);
      const from = req.query.has('page') ? (Number(req.query.get('page')) - 1) * size : Number(req.query.get('offset') ?? 0);
      const page = list.slice(from, from + size);
      return { status: 200, body: { result: { rows: page, more: from + size < list.length } } };
    },
  });
  cleanups.push(() => server.close());
  return { server, truth: () => events.map((e) => e.num).sort(), add: (n: number) => (events = events.concat(Array.from({ length: n }, (_, i) => ({ num: `m${i}-${events.length}`, what: 'a.b', at: Date.now() - i })))) };
}

const describe_ = (paging: object) =>
  validateDescription(
    {
      format: 1,
      name: 'numbered',
      baseUrl: 'https://numbered.example',
      list: { path: '/events', events: 'result.rows' },
      auth: { type: 'query', name: 'token' },
      paging,
      fields: { id: 'num', type: 'what', time: { path: 'at', format: 'epoch-ms' } },
      filters: { since: { param: 'since', format: 'epoch-ms' }, until: { param: 'until', format: 'epoch-ms' } },
    },
    'numbered.json',
  );

describe('offset and page paging', () => {
  it.each([
    ['offset, short page ends', { style: 'offset', param: 'offset', limit: { param: 'size', max: 25 }, end: 'short-page' }],
    ['offset in a frozen window', { style: 'offset', param: 'offset', limit: { param: 'size', max: 25 }, window: true }],
    ['page numbers, hasMore ends', { style: 'page', param: 'page', limit: { param: 'size', max: 25 }, hasMore: 'result.more' }],
  ])('%s: mirrors every event, then the new ones; the key never logged', async (_what, paging) => {
    const api = await numbered(130);
    const provider = buildProvider(describe_(paging));
    const rig = await syncRig({ engine: 'sqlite', provider, server: { url: api.server.url, apiKey: KEY } });
    cleanups.push(() => rig.cleanup());
    const logged: string[] = [];
    const client = rig.client({ log: (l) => logged.push(l) });
    await rig.sync({ client });
    expect(await rig.ids()).toEqual(api.truth());
    api.add(7);
    await rig.sync({ client });
    expect(await rig.ids()).toEqual(api.truth());
    expect(logged.length).toBeGreaterThan(5);
    expect(logged.join('\n')).not.toContain(KEY);
    if ((paging as { window?: boolean }).window) expect(api.server.requests.every((r) => r.query.has('until'))).toBe(true);
  });
});

describe('a next URL on another origin', () => {
  it('is refused, and the key is not sent there', async () => {
    const elsewhere = await startFakeServer({ rateLimited: () => ({ status: 429 }), handle: () => ({ status: 200, body: { items: [], next: null } }) });
    const api = await startFakeServer({
      rateLimited: () => ({ status: 429 }),
      handle: () => ({ status: 200, body: { items: [{ id: '1', kind: 'x', t: '2024-01-01T00:00:00Z' }], next: `${elsewhere.url}/steal?x=1` } }),
    });
    cleanups.push(() => api.close(), () => elsewhere.close());
    const provider = buildProvider(
      validateDescription(
        { format: 1, name: 'nexturl', baseUrl: api.url, list: { path: '/e', events: 'items' }, auth: { type: 'bearer' }, paging: { style: 'next-url', from: 'next' }, fields: { id: 'id', type: 'kind', time: { path: 't', format: 'iso8601' } } },
        'n.json',
      ),
    );
    const client = new ApiClient({ provider, baseUrl: api.url, apiKey: KEY, profileName: 'p', retries: 0, timeoutMs: 2000 });
    const pages = walkPages({ provider, client, from: provider.firstRequest({ now: Date.now() }) });
    expect((await pages.next()).value?.rows).toHaveLength(1);
    await expect(pages.next()).rejects.toThrow(`nexturl: the API sent the walk to ${elsewhere.url}, not ${api.url}; the key is not sent there`);
    expect(elsewhere.requests).toHaveLength(0);
  });
});

describe('a next URL that echoes a query-parameter key', () => {
  it('is saved and followed without the key, which the client adds again', async () => {
    const api = await startFakeServer({
      rateLimited: () => ({ status: 429 }),
      handle: (req) => {
        if (req.query.get('k') !== KEY) return { status: 401, body: {} };
        const n = Number(req.query.get('n') ?? 0);
        return { status: 200, body: { items: n < 2 ? [{ id: `e${n}`, kind: 'x', t: n }] : [], next: n < 2 ? `/e?k=${KEY}&n=${n + 1}` : null } };
      },
    });
    cleanups.push(() => api.close());
    const provider = buildProvider(
      validateDescription(
        { format: 1, name: 'echo', baseUrl: api.url, list: { path: '/e', events: 'items' }, auth: { type: 'query', name: 'k' }, paging: { style: 'next-url', from: 'next' }, fields: { id: 'id', type: 'kind', time: { path: 't', format: 'epoch-seconds' } } },
        'e.json',
      ),
    );
    const client = new ApiClient({ provider, baseUrl: api.url, apiKey: KEY, profileName: 'p', retries: 0, timeoutMs: 2000 });
    const nexts: string[] = [];
    for await (const page of walkPages({ provider, client, from: provider.firstRequest({ now: Date.now() }) })) if (page.next) nexts.push(JSON.stringify(page.next));
    expect(nexts).toHaveLength(2);
    for (const next of nexts) expect(next).not.toContain(KEY);
    expect(api.requests.map((r) => r.query.get('n'))).toEqual([null, '1', '2']);
  });
});

describe('pieces', () => {
  it('reads the next link of an RFC 8288 Link header', () => {
    expect(nextLink('<https://a.example/x?page=2>; rel="next", <https://a.example/x?page=9>; rel="last"')).toBe('https://a.example/x?page=2');
    expect(nextLink('<https://a.example/1>; rel="prev", <https://a.example/3>; rel=next')).toBe('https://a.example/3');
    expect(nextLink(['<https://a.example/1>; rel="first"', '<https://a.example/2>; title="x"; rel="next last"'])).toBe('https://a.example/2');
    expect(nextLink('<https://a.example/1>; rel="prev"')).toBeUndefined();
    expect(nextLink(undefined)).toBeUndefined();
  });

  it('reads times in each format, and rounds bounds so the API leaves nothing out', () => {
    expect(readTime(1_700_000_000, 'epoch-seconds', 'p', 'created')).toBe(1_700_000_000_000);
    expect(readTime('1700000000123', 'epoch-ms', 'p', 'at')).toBe(1_700_000_000_123);
    expect(readTime('2024-01-02T03:04:05.678', 'iso8601', 'p', 'at')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    expect(readTime('2024-01-02T03:04:05+02:00', 'iso8601', 'p', 'at')).toBe(Date.UTC(2024, 0, 2, 1, 4, 5));
    expect(() => readTime(undefined, 'epoch-ms', 'p', 'at')).toThrow('p event without "at"');
    const ms = 1_700_000_000_500;
    expect(boundParam(ms, { param: 's', format: 'epoch-seconds', inclusive: true }, 'since')).toBe(1_700_000_000);
    expect(boundParam(ms, { param: 's', format: 'epoch-seconds', inclusive: true }, 'until')).toBe(1_700_000_001);
    expect(boundParam(ms, { param: 's', format: 'epoch-seconds', inclusive: false }, 'since')).toBe(1_699_999_999);
    expect(boundParam(ms, { param: 's', format: 'iso8601', inclusive: false }, 'until')).toBe('2023-11-14T22:13:20.501Z');
  });

  it('waits as a reset header says', () => {
    const github = buildProvider(validateDescription(JSON.parse(fs.readFileSync(DESCRIPTIONS['github-audit']!, 'utf8')), 'g.json'));
    const reset = String(Math.floor(Date.now() / 1000) + 3);
    const advice = github.rateLimit!({ status: 429, headers: { 'x-ratelimit-reset': reset }, json: undefined, text: '' });
    expect(advice!.waitMs).toBeGreaterThan(1_500);
    expect(advice!.waitMs).toBeLessThanOrEqual(3_000);
    // A good answer with no requests left: wait for the reset before the next one.
    expect(github.rateLimit!({ status: 200, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, json: [], text: '[]' })!.waitMs).toBeGreaterThan(1_500);
    expect(github.rateLimit!({ status: 200, headers: { 'x-ratelimit-remaining': '40', 'x-ratelimit-reset': reset }, json: [], text: '[]' })).toBeUndefined();
  });

  it('translates remote filters: repeated types[] and created bounds (Stripe), a phrase template (GitHub)', () => {
    const load = (name: string) => buildProvider(validateDescription(JSON.parse(fs.readFileSync(DESCRIPTIONS[name]!, 'utf8')), `${name}.json`));
    const since = Date.UTC(2024, 0, 1);
    expect(load('stripe').remoteRequest!({ types: ['invoice.paid', 'charge.succeeded'], since, until: since + 1500, where: [] }, 10)).toEqual({
      method: 'GET',
      path: '/v1/events',
      query: { limit: 10, 'types[]': ['invoice.paid', 'charge.succeeded'], 'created[gte]': since / 1000, 'created[lte]': since / 1000 + 2 },
    });
    // A `prefix.*` pattern stays local.
    expect(load('stripe').remoteRequest!({ types: ['invoice.*'], where: [] }, 500).query).toEqual({ limit: 100 });
    expect(load('github-audit').remoteRequest!({ types: ['repo.create'], where: [] }, 50).query).toEqual({ order: 'desc', include: 'all', per_page: 50, phrase: 'action:repo.create' });
    // One type at a time where the API takes one.
    expect(load('github-audit').remoteRequest!({ types: ['repo.create', 'repo.destroy'], where: [] }, 50).query).not.toHaveProperty('phrase');
  });
});
