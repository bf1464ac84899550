// A loopback fake of BlueAI's events API (docs/providers.md §1): Bearer auth, newest-first lists with a
// `starting_after` / `ending_before` id cursor, `limit` 1–100, a `type` filter, both list envelopes,
// BlueAI's error bodies, and 429 with Retry-After. Events can be added at any time, including late
// ones (an older created_at than events already served), as the real API may show them.
import { history, type BlueaiEvent } from './generators.mjs';
import { startFakeServer, type FakeServer, type FaultPlan, type FakeRequest, type FakeResponse } from './fake-server.js';

export { blueaiEvent, type BlueaiEvent } from './generators.mjs';

export interface FakeBlueaiOptions {
  apiKey?: string;
  /** `has_more` (Stripe) or `pagination` (BlueAI's generic envelope, no has_more). */
  envelope?: 'has_more' | 'pagination';
  faults?: FaultPlan;
  slowMs?: number;
  latencyMs?: number;
  gate?: Promise<void>;
}

export interface FakeBlueai extends FakeServer {
  apiKey: string;
  /** Every event the API serves, newest first. */
  events(): BlueaiEvent[];
  add(...events: BlueaiEvent[]): void;
  /** Requests to the list endpoint only. */
  listRequests(): FakeRequest[];
}

/** `count` events one second apart, ending at `end` (ms). */
export function blueaiHistory(count: number, end = Date.now(), stepMs = 1000, from = 0): BlueaiEvent[] {
  return history('blueai', count, end, stepMs, from);
}

const error = (status: number, code: string, message: string): FakeResponse => ({
  status,
  body: { error: { code, message } },
});

export async function startFakeBlueai(options: FakeBlueaiOptions = {}): Promise<FakeBlueai> {
  const apiKey = options.apiKey ?? 'sk_test_blueai';
  let store: BlueaiEvent[] = [];
  const sorted = () =>
    [...store].sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.id < b.id ? 1 : -1));
  let view: BlueaiEvent[] | null = null;
  const events = () => (view ??= sorted());

  const handle = (req: FakeRequest): FakeResponse => {
    if (req.headers.authorization !== `Bearer ${apiKey}`) return error(401, 'UNAUTHORIZED', 'Invalid or missing API key');
    if (req.method !== 'GET') return error(405, 'METHOD_NOT_ALLOWED', 'Method not allowed');
    const one = /^\/api\/v1\/events\/([^/]+)$/.exec(req.path);
    if (one) {
      const found = store.find((e) => e.id === decodeURIComponent(one[1]!));
      return found ? { status: 200, body: found } : error(404, 'NOT_FOUND', 'Event not found');
    }
    if (req.path !== '/api/v1/events') return error(404, 'NOT_FOUND', 'Not found');
    const limit = Number(req.query.get('limit') ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return error(400, 'VALIDATION_ERROR', 'limit must be between 1 and 100');
    const after = req.query.get('starting_after');
    const before = req.query.get('ending_before');
    if (after && before) return error(400, 'VALIDATION_ERROR', 'Received both starting_after and ending_before');
    const type = req.query.get('type');
    const list = type ? events().filter((e) => e.type === type) : events();
    let slice: BlueaiEvent[];
    let hasMore: boolean;
    if (before) {
      const at = list.findIndex((e) => e.id === before);
      if (at < 0) return error(400, 'VALIDATION_ERROR', `No such event: ${before}`);
      slice = list.slice(Math.max(0, at - limit), at);
      hasMore = at - limit > 0;
    } else {
      const at = after ? list.findIndex((e) => e.id === after) : -1;
      if (after && at < 0) return error(400, 'VALIDATION_ERROR', `No such event: ${after}`);
      slice = list.slice(at + 1, at + 1 + limit);
      hasMore = at + 1 + limit < list.length;
    }
    if (options.envelope === 'pagination') {
      return { status: 200, body: { object: 'list', data: slice, pagination: { page: 1, per_page: limit, total: list.length, total_pages: Math.ceil(list.length / limit) } } };
    }
    return { status: 200, body: { object: 'list', url: '/api/v1/events', has_more: hasMore, data: slice } };
  };

  const server = await startFakeServer({
    handle,
    rateLimited: () => ({
      status: 429,
      headers: { 'retry-after': '0', 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0' },
      body: { error: { code: 'RATE_LIMITED', message: 'Too many requests' } },
    }),
    faults: options.faults,
    slowMs: options.slowMs,
    latencyMs: options.latencyMs,
    gate: options.gate,
  });
  return Object.assign(server, {
    apiKey,
    events,
    add(...more: BlueaiEvent[]) {
      store = store.concat(more);
      view = null;
    },
    listRequests: () => server.requests.filter((r) => r.path === '/api/v1/events'),
  });
}
