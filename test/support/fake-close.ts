// A loopback fake of Close's events API (docs/providers.md §3): HTTP Basic with the key as
// username, GET /api/v1/event/ newest first by date_updated, `_limit` capped at 50, opaque
// `_cursor` tokens that must come back with the same non-date filters, date_updated__gt/gte/lt/lte,
// only the documented filter combinations, naive timestamps with microseconds, GET one event, a
// `RateLimit` header on every response and a fixed-window limit answered with Close's 429.
// Test helpers add events, consolidate one (its date_updated jumps to now: it moves to the head)
// and add late ones (visible only now, with a date_updated older than the head).
import { closeEvent, closeTime, history, type CloseEvent } from './generators.mjs';
import { startFakeServer, type FakeRequest, type FakeResponse, type FakeServer, type FaultPlan } from './fake-server.js';

export { closeEvent, closeTime, type CloseEvent } from './generators.mjs';

export interface FakeCloseOptions {
  apiKey?: string;
  faults?: FaultPlan;
  slowMs?: number;
  /** Holds each list answer this long (ms), so a test can stop a client mid-walk. */
  delayMs?: number;
  /** Requests allowed per fixed window (default: plenty, so only tests that want pacing see it). */
  rateLimit?: { limit: number; windowMs: number };
}

export interface FakeClose extends FakeServer {
  apiKey: string;
  /** The base URL a profile uses: the fake lives under /api/v1 like the real API. */
  baseUrl: string;
  /** Every event the API serves, newest first (date_updated, then id). */
  events(): CloseEvent[];
  add(...events: CloseEvent[]): void;
  /** Consolidates more activity into an existing event: new data, date_updated = now. */
  consolidate(id: string): CloseEvent;
  /** Adds event `n` that only becomes visible now, with a date_updated `behindMs` below the head. */
  addLate(n: number, behindMs: number): CloseEvent;
  /** Makes every cursor handed out so far invalid (as an expired server cursor would be). */
  invalidateCursors(): void;
  setRateLimit(limit: { limit: number; windowMs: number }): void;
  /** Requests to the list endpoint only. */
  listRequests(): FakeRequest[];
  /** How many 429s the fake's own window answered (not counting injected faults). */
  refused(): number;
  /** The id of the event a cursor this fake minted points at (its last or first served event). */
  cursorAt(token: string): string | undefined;
}

const FILTERS = ['object_type', 'object_id', 'action', 'lead_id', 'user_id', 'request_id'];
const DATE_FILTERS = ['date_updated__gt', 'date_updated__gte', 'date_updated__lt', 'date_updated__lte'];
// Written out from the docs page, independently of src/providers/close.ts, so a mistake there shows.
const ALLOWED = new Set([
  '',
  'object_id+object_type',
  'action+object_type',
  'action+object_id',
  'lead_id+object_type',
  'action+lead_id+object_type',
  'lead_id+object_type+user_id',
  'action+lead_id+object_type+user_id',
  'lead_id+user_id',
  'object_id+user_id',
  'action+object_id+user_id',
  'object_type+user_id',
  'action+object_type+user_id',
  'lead_id',
  'user_id',
  'request_id',
]);

/** Reads a naive (UTC) or zoned ISO timestamp; NaN when it is not one. */
function parseTime(value: string): number {
  return Date.parse(/(?:Z|[+-]\d\d:?\d\d)$/i.test(value) ? value : `${value}Z`);
}

/** `count` events `stepMs` apart, numbered from `from`, the newest at `end` (ms). */
export function closeHistory(count: number, end = Date.now(), stepMs = 60_000, from = 0): CloseEvent[] {
  return history('close', count, end, stepMs, from);
}

const error = (status: number, message: string): FakeResponse => ({ status, body: { error: message } });

interface Cursor {
  dir: 'next' | 'prev';
  updated: number;
  id: string;
  filters: string;
  epoch: number;
}

export async function startFakeClose(options: FakeCloseOptions = {}): Promise<FakeClose> {
  const apiKey = options.apiKey ?? 'api_test_close';
  const auth = `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;
  const store = new Map<string, CloseEvent>();
  let view: Array<{ e: CloseEvent; u: number }> | null = null;
  const sorted = () =>
    (view ??= [...store.values()]
      .map((e) => ({ e, u: parseTime(e.date_updated) }))
      .sort((a, b) => b.u - a.u || (a.e.id < b.e.id ? 1 : a.e.id > b.e.id ? -1 : 0)));
  let epoch = 0;
  let limits = options.rateLimit ?? { limit: 10_000, windowMs: 1_000 };
  let window = { start: 0, used: 0 };
  let refused = 0;

  /** Counts the request in the current window; returns the RateLimit header and whether it is over. */
  const meter = (): { header: string; over: boolean; resetS: number } => {
    const now = Date.now();
    if (now >= window.start + limits.windowMs) window = { start: now, used: 0 };
    window.used += 1;
    const resetS = Math.ceil(window.start + limits.windowMs - now) / 1000;
    const remaining = Math.max(0, limits.limit - window.used);
    return { header: `limit=${limits.limit}, remaining=${remaining}, reset=${resetS}`, over: window.used > limits.limit, resetS };
  };

  const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
  const decodeCursor = (token: string): Cursor | undefined => {
    try {
      const c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Cursor;
      return typeof c.updated === 'number' && typeof c.id === 'string' ? c : undefined;
    } catch {
      return undefined;
    }
  };
  /** Position of a keyset (updated, id) in newest-first order: is `x` listed after (older than) it? */
  const after = (x: { e: CloseEvent; u: number }, c: Cursor) => x.u < c.updated || (x.u === c.updated && x.e.id < c.id);

  const list = (req: FakeRequest): FakeResponse => {
    const q = req.query;
    for (const key of q.keys()) {
      if (key === '_skip') return error(400, '_skip is not supported on /event/; use _cursor');
      if (!FILTERS.includes(key) && !DATE_FILTERS.includes(key) && key !== '_cursor' && key !== '_limit') {
        return error(400, `Unknown filter: ${key}`);
      }
    }
    const used = FILTERS.filter((k) => q.get(k));
    if (!ALLOWED.has([...used].sort().join('+'))) {
      return error(400, `Unsupported combination of filters: ${used.join(', ')}`);
    }
    const limitText = q.get('_limit');
    const asked = limitText === null ? 50 : Number(limitText);
    if (!Number.isInteger(asked) || asked < 1) return error(400, '_limit must be a positive integer');
    const limit = Math.min(asked, 50);
    const bounds: Array<[string, number]> = [];
    for (const key of DATE_FILTERS) {
      const v = q.get(key);
      if (v === null) continue;
      const ms = parseTime(v);
      if (Number.isNaN(ms)) return error(400, `${key}: invalid date "${v}"`);
      bounds.push([key, ms]);
    }
    const filterKey = used.map((k) => `${k}=${q.get(k)}`).sort().join('&');
    let cursor: Cursor | undefined;
    const token = q.get('_cursor');
    if (token) {
      cursor = decodeCursor(token);
      if (!cursor || cursor.epoch !== epoch) return error(400, 'Invalid or expired cursor');
      if (cursor.filters !== filterKey) return error(400, 'The cursor was issued for other filters; send the same filters with _cursor');
    }
    const matching = sorted().filter(({ e, u }) => {
      for (const k of used) if ((e as unknown as Record<string, unknown>)[k] !== q.get(k)) return false;
      for (const [k, ms] of bounds) {
        if (k.endsWith('__gt') ? !(u > ms) : k.endsWith('__gte') ? !(u >= ms) : k.endsWith('__lt') ? !(u < ms) : !(u <= ms)) return false;
      }
      return true;
    });
    let page: typeof matching;
    if (cursor?.dir === 'prev') {
      const newer = matching.filter((x) => !after(x, cursor) && !(x.u === cursor.updated && x.e.id === cursor.id));
      page = newer.slice(Math.max(0, newer.length - limit));
    } else {
      const older = cursor ? matching.filter((x) => after(x, cursor)) : matching;
      page = older.slice(0, limit);
    }
    const first = page[0];
    const last = page[page.length - 1];
    const mint = (dir: Cursor['dir'], x: { e: CloseEvent; u: number }) => encodeCursor({ dir, updated: x.u, id: x.e.id, filters: filterKey, epoch });
    const hasOlder = last !== undefined && matching.some((x) => after(x, { dir: 'next', updated: last.u, id: last.e.id, filters: '', epoch }));
    const hasNewer = first !== undefined && matching[0] !== first;
    return {
      status: 200,
      body: {
        data: page.map((x) => x.e),
        cursor_next: hasOlder ? mint('next', last) : null,
        cursor_previous: hasNewer ? mint('prev', first) : null,
      },
    };
  };

  const handle = async (req: FakeRequest): Promise<FakeResponse> => {
    if (options.delayMs && req.path === '/api/v1/event/') await new Promise((r) => setTimeout(r, options.delayMs));
    const m = meter();
    const headers = { ratelimit: m.header };
    if (m.over) {
      refused += 1;
      return { status: 429, headers, body: { error: { message: 'API rate limit exceeded', rate_reset: m.resetS } } };
    }
    const answer = route(req);
    return { ...answer, headers: { ...headers, ...answer.headers } };
  };

  const route = (req: FakeRequest): FakeResponse => {
    if (req.headers.authorization !== auth) return error(401, 'The API key is missing or invalid');
    if (req.method !== 'GET') return error(405, 'Method not allowed');
    if (req.path === '/api/v1/event/') return list(req);
    const one = /^\/api\/v1\/event\/([^/]+)\/$/.exec(req.path);
    if (!one) return error(404, 'Not found');
    const found = store.get(decodeURIComponent(one[1]!));
    return found ? { status: 200, body: found } : error(404, 'Event not found');
  };

  const server = await startFakeServer({
    handle,
    rateLimited: () => ({
      status: 429,
      // Retry-After rounds up to whole seconds; the body's rate_reset is the precise wait.
      headers: { ratelimit: `limit=${limits.limit}, remaining=0, reset=0.05`, 'retry-after': '1' },
      body: { error: { message: 'API rate limit exceeded', rate_reset: 0.05 } },
    }),
    faults: options.faults,
    slowMs: options.slowMs,
  });

  const put = (e: CloseEvent) => {
    store.set(e.id, e);
    view = null;
  };
  return Object.assign(server, {
    apiKey,
    baseUrl: `${server.url}/api/v1`,
    events: () => sorted().map((x) => x.e),
    add(...more: CloseEvent[]) {
      for (const e of more) put(e);
    },
    consolidate(id: string): CloseEvent {
      const old = store.get(id);
      if (!old) throw new Error(`no event ${id} to consolidate`);
      const bumped = Math.max(Date.now(), parseTime(old.date_updated) + 1);
      const count = Number((old.meta.consolidated as number | undefined) ?? 0) + 1;
      const next: CloseEvent = {
        ...old,
        date_updated: closeTime(bumped),
        changed_fields: [...new Set([...old.changed_fields, 'note'])],
        data: { ...(old.data ?? {}), note: `consolidated ${count}` },
        meta: { ...old.meta, consolidated: count },
      };
      put(next);
      return next;
    },
    addLate(n: number, behindMs: number): CloseEvent {
      const head = sorted()[0]?.u ?? Date.now();
      const e = closeEvent(n, head - behindMs);
      put(e);
      return e;
    },
    invalidateCursors() {
      epoch += 1;
    },
    setRateLimit(l: { limit: number; windowMs: number }) {
      limits = l;
      window = { start: 0, used: 0 };
    },
    listRequests: () => server.requests.filter((r) => r.path === '/api/v1/event/'),
    refused: () => refused,
    cursorAt: (token: string) => decodeCursor(token)?.id,
  });
}
