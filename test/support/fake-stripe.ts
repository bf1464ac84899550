// A loopback fake of Stripe's events list (GET /v1/events), a style none of the built-in providers
// uses: Bearer auth, newest first by `created` in epoch *seconds* (many events share a second),
// `starting_after` / `ending_before` id cursors, `limit` 1..100, `has_more`, `types[]` and `type`
// filters, `created[gte|gt|lte|lt]`, GET /v1/events/:id, Stripe's error bodies and a 429 with
// Retry-After. Events can be added at any time, late ones (an older `created`) included.
import { startFakeServer, type FakeRequest, type FakeResponse, type FakeServer, type FaultPlan } from './fake-server.js';

export { stripeEvent, type StripeEvent } from './generators.mjs';
import type { StripeEvent } from './generators.mjs';

export interface FakeStripe extends FakeServer {
  apiKey: string;
  /** Every event served, newest first. */
  events(): StripeEvent[];
  add(...events: StripeEvent[]): void;
  listRequests(): FakeRequest[];
}

const error = (status: number, type: string, message: string): FakeResponse => ({ status, body: { error: { type, message } } });

export async function startFakeStripe(options: { faults?: FaultPlan; slowMs?: number; latencyMs?: number } = {}): Promise<FakeStripe> {
  const apiKey = 'sk_test_stripe_fake';
  let store: Array<{ e: StripeEvent; seq: number }> = [];
  let view: StripeEvent[] | null = null;
  const events = () => (view ??= [...store].sort((a, b) => b.e.created - a.e.created || b.seq - a.seq).map((s) => s.e));

  const handle = (req: FakeRequest): FakeResponse => {
    if (req.headers.authorization !== `Bearer ${apiKey}`) return error(401, 'invalid_request_error', 'Invalid API Key provided');
    const one = /^\/v1\/events\/([^/]+)$/.exec(req.path);
    if (one) {
      const found = store.find((s) => s.e.id === decodeURIComponent(one[1]!));
      return found ? { status: 200, body: found.e } : error(404, 'invalid_request_error', `No such event: '${one[1]}'`);
    }
    if (req.path !== '/v1/events') return error(404, 'invalid_request_error', `Unrecognized request URL (GET: ${req.path})`);
    const q = req.query;
    const limit = Number(q.get('limit') ?? 10);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return error(400, 'invalid_request_error', 'Invalid integer: limit must be between 1 and 100');
    const types = [...q.getAll('types[]'), ...q.getAll('type')];
    const num = (k: string) => (q.get(k) === null ? undefined : Number(q.get(k)));
    const [gte, gt, lte, lt] = [num('created[gte]'), num('created[gt]'), num('created[lte]'), num('created[lt]')];
    const list = events().filter(
      (e) =>
        (types.length === 0 || types.includes(e.type)) &&
        (gte === undefined || e.created >= gte) && (gt === undefined || e.created > gt) &&
        (lte === undefined || e.created <= lte) && (lt === undefined || e.created < lt),
    );
    const after = q.get('starting_after');
    const before = q.get('ending_before');
    if (after && before) return error(400, 'invalid_request_error', 'You may only specify one of these parameters: starting_after, ending_before.');
    let slice: StripeEvent[];
    let hasMore: boolean;
    if (before) {
      const at = list.findIndex((e) => e.id === before);
      if (at < 0) return error(400, 'invalid_request_error', `No such event: '${before}'`);
      slice = list.slice(Math.max(0, at - limit), at);
      hasMore = at - limit > 0;
    } else {
      const at = after ? list.findIndex((e) => e.id === after) : -1;
      if (after && at < 0) return error(400, 'invalid_request_error', `No such event: '${after}'`);
      slice = list.slice(at + 1, at + 1 + limit);
      hasMore = at + 1 + limit < list.length;
    }
    return { status: 200, body: { object: 'list', data: slice, has_more: hasMore, url: '/v1/events' } };
  };

  const server = await startFakeServer({
    handle,
    rateLimited: () => ({ status: 429, headers: { 'retry-after': '0' }, body: { error: { type: 'rate_limit_error', message: 'Too many requests made to the API too quickly' } } }),
    faults: options.faults,
    slowMs: options.slowMs,
    latencyMs: options.latencyMs,
  });
  let seq = 0;
  return Object.assign(server, {
    apiKey,
    events,
    add(...more: StripeEvent[]) {
      store = store.concat(more.map((e) => ({ e, seq: seq++ })));
      view = null;
    },
    listRequests: () => server.requests.filter((r) => r.path === '/v1/events'),
  });
}
