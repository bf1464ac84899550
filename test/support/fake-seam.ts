// A loopback fake of Seam's events API as the real one behaves (docs/providers.md §4): Bearer auth,
// POST (or GET) /events/list with exactly one of `since` / `between` (strict at both ends),
// `limit` (default 500) and `unstable_offset`, newest first; POST /events/get; Seam's error bodies;
// and a 429 with no Retry-After (Seam documents none). Times are kept in microseconds, as the real
// API may send them, so many events can share one millisecond. `offset: 'ignored'` plays a
// server whose offset is broken, so the client's window splitting is exercised.
import { seamEvent, type SeamEvent } from './generators.mjs';
import { startFakeServer, type FakeRequest, type FakeResponse, type FakeServer, type FaultPlan } from './fake-server.js';

export { isoMicros, seamEvent, type SeamEvent } from './generators.mjs';

export interface FakeSeamOptions {
  apiKey?: string;
  /** `ignored`: every page starts at offset 0, as a broken `unstable_offset` would. */
  offset?: 'honoured' | 'ignored';
  /** The real API is probably newest first; `oldest` checks the client does not depend on it. */
  order?: 'newest' | 'oldest';
  faults?: FaultPlan;
  slowMs?: number;
  /** A delay before every answer (ms), so a test can act in the middle of a walk. */
  latencyMs?: number;
  /** Serve at most this many events a page whatever `limit` asks, without saying so. */
  capLimit?: number;
}

export interface FakeSeam extends FakeServer {
  apiKey: string;
  /** Every event the API serves, newest first. */
  events(): SeamEvent[];
  add(...events: SeamEvent[]): void;
  /** The bodies of list requests, in order. */
  listBodies(): Array<Record<string, unknown>>;
}

/** `count` events spaced `stepUs` apart, the newest at `endUs`; ids start at `from`. */
export function seamHistory(count: number, endUs: number, stepUs = 1_000_000, from = 0): SeamEvent[] {
  return Array.from({ length: count }, (_, i) => seamEvent(from + i, endUs - (count - 1 - i) * stepUs));
}

/** Epoch microseconds of an ISO timestamp with up to 6 fraction digits. */
export function parseMicros(value: string): number {
  const ms = Date.parse(value);
  const extra = /\.\d{3}(\d{1,3})/.exec(value)?.[1] ?? '';
  return ms * 1000 + Number(extra.padEnd(3, '0'));
}

const error = (status: number, type: string, message: string, validation?: string[]): FakeResponse => ({
  status,
  body: {
    error: { type, message, ...(validation ? { validation_errors: { _errors: validation } } : {}), request_id: 'req_fake' },
    ok: false,
  },
});
const invalid = (message: string) => error(400, 'invalid_input', message, [message]);

type Params = Record<string, unknown>;

/** GET's query as the same params a POST body carries (arrays repeat the key). */
function queryParams(q: URLSearchParams): Params {
  const out: Params = {};
  for (const key of new Set(q.keys())) {
    const all = q.getAll(key);
    out[key] = key === 'between' || key.endsWith('s') ? all : all[0];
    if (key === 'limit' || key === 'unstable_offset') out[key] = Number(all[0]);
  }
  return out;
}

export async function startFakeSeam(options: FakeSeamOptions = {}): Promise<FakeSeam> {
  const apiKey = options.apiKey ?? 'seam_testkey_events';
  let store: Array<SeamEvent & { us: number }> = [];
  let view: SeamEvent[] | null = null;
  const newestFirst = () =>
    [...store].sort((a, b) => b.us - a.us || (a.event_id < b.event_id ? 1 : -1)).map(({ us: _us, ...e }) => e as SeamEvent);
  const events = () => (view ??= newestFirst());

  const list = (p: Params): FakeResponse => {
    if (p.since !== undefined && p.between !== undefined) return invalid('Cannot specify both since and between');
    if (p.since === undefined && p.between === undefined) return invalid('Must specify either since or between');
    let lo = -Infinity;
    let hi = Infinity;
    if (p.since !== undefined) {
      if (typeof p.since !== 'string' || Number.isNaN(Date.parse(p.since))) return invalid('Must be parsable date string if defined for "since"');
      lo = parseMicros(p.since);
    } else {
      const b = p.between;
      if (!Array.isArray(b) || b.length !== 2 || !b.every((t) => typeof t === 'string' && !Number.isNaN(Date.parse(t)))) {
        return invalid('Invalid input for "between"');
      }
      [lo, hi] = [parseMicros(b[0] as string), parseMicros(b[1] as string)];
      if (!(lo < hi)) return invalid('second value must be greater than first value for "between"');
    }
    const limit = p.limit === undefined ? 500 : Number(p.limit);
    const offset = p.unstable_offset === undefined ? 0 : Number(p.unstable_offset);
    if (!(limit > 0) || !(offset >= 0)) return invalid('Invalid input for "limit" or "unstable_offset"');
    const has = (key: keyof SeamEvent, e: SeamEvent) => {
      const one = p[key];
      const many = p[`${key}s`];
      if (typeof one === 'string' && e[key] !== one) return false;
      if (Array.isArray(many) && !many.includes(e[key])) return false;
      return true;
    };
    let matches = events().filter((e) => {
      const us = parseMicros(e.created_at);
      return us > lo && us < hi && has('event_type', e) && has('device_id', e) && has('access_code_id', e) && has('connected_account_id', e);
    });
    if (options.order === 'oldest') matches = matches.reverse();
    const start = options.offset === 'ignored' ? 0 : Math.floor(offset);
    return { status: 200, headers: { 'seam-request-id': 'req_fake' }, body: { events: matches.slice(start, start + Math.min(Math.floor(limit), options.capLimit ?? Infinity)), ok: true } };
  };

  const handle = (req: FakeRequest): FakeResponse => {
    const auth = req.headers.authorization;
    if (!auth) return error(401, 'unauthorized', 'No Authorization header');
    if (auth !== `Bearer ${apiKey}`) return error(401, 'unauthorized', 'API Key not found');
    if (req.method !== 'GET' && req.method !== 'POST') return error(405, 'method_not_allowed', 'only GET,POST accepted');
    if (req.method === 'POST' && req.rawBody !== '' && req.body === undefined) return { status: 400, body: 'Invalid JSON' };
    const params: Params = req.method === 'GET' ? queryParams(req.query) : ((req.body ?? {}) as Params);
    if (req.path === '/events/list') return list(params);
    if (req.path === '/events/get') {
      if (typeof params.event_id !== 'string') return invalid('An argument for event_id, event_type, or device_id is required');
      const found = store.find((e) => e.event_id === params.event_id);
      if (!found) return error(404, 'event_not_found', 'Event not found');
      const { us: _us, ...event } = found;
      return { status: 200, body: { event, ok: true } };
    }
    return { status: 404, body: '404' };
  };

  const server = await startFakeServer({
    handle,
    // Seam documents a 429 but no Retry-After, limit or reset header for /events/list.
    rateLimited: () => error(429, 'rate_limited', 'Too Many Requests'),
    faults: options.faults,
    slowMs: options.slowMs,
    latencyMs: options.latencyMs,
  });
  return Object.assign(server, {
    apiKey,
    events,
    add(...more: SeamEvent[]) {
      store = store.concat(more.map((e) => ({ ...e, us: parseMicros(e.created_at) })));
      view = null;
    },
    listBodies: () => server.requests.filter((r) => r.path === '/events/list').map((r) => (r.body ?? {}) as Record<string, unknown>),
  });
}
