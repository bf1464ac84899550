// A loopback fake of an oldest-first event feed, a style none of the built-in providers uses:
// HTTP Basic with the key as the *password*, `GET /api/feed` oldest first by `updated_at`, the next
// page as an absolute URL in the body (`result.next`, null at the end), events under
// `result.items`, ISO times *without a zone* (UTC) to the millisecond, an exclusive
// `updated_after` / `updated_before` filter, `page_size` 1..50, and 429s with an HTTP-date
// Retry-After. Events can be added late (an older updated_at) and rewritten (updated_at bumped,
// which moves them to the end of the feed).
import { startFakeServer, type FakeRequest, type FakeResponse, type FakeServer, type FaultPlan } from './fake-server.js';

export interface FeedEvent {
  uid: string;
  kind: string;
  occurred: string;
  updated_at: string;
  subject: { id: string; name: string };
  payload: { amount: number; note: string };
}

const KINDS = ['order.placed', 'order.shipped', 'order.cancelled', 'refund.issued'];
/** ISO 8601 without a zone, as this API sends it. */
export const naive = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '');

export function feedEvent(n: number, time: number, kind = KINDS[n % KINDS.length]!): FeedEvent {
  return {
    uid: `fd_${n.toString(16).padStart(10, '0')}`,
    kind,
    occurred: naive(time),
    updated_at: naive(time),
    subject: { id: `ord_${n % 71}`, name: `Order ${n % 71}` },
    payload: { amount: n * 7, note: n % 5 === 0 ? 'gift — ✓' : 'standard' },
  };
}

export interface FakeFeed extends FakeServer {
  apiKey: string;
  /** Every event served, oldest first. */
  events(): FeedEvent[];
  add(...events: FeedEvent[]): void;
  /** Rewrites an event now: a new updated_at (and note), so it moves to the end of the feed. */
  rewrite(uid: string): void;
  listRequests(): FakeRequest[];
}

const LIST = '/api/feed';
const problem = (status: number, detail: string): FakeResponse => ({ status, body: { problem: { detail, status } } });
const ms = (naiveTime: string) => Date.parse(`${naiveTime}Z`);

export async function startFakeFeed(options: { faults?: FaultPlan; slowMs?: number; latencyMs?: number } = {}): Promise<FakeFeed> {
  const apiKey = 'feed_secret_key_42';
  const auth = `Basic ${Buffer.from(`:${apiKey}`).toString('base64')}`;
  let store = new Map<string, FeedEvent>();
  let view: FeedEvent[] | null = null;
  const order = (a: FeedEvent, b: FeedEvent) => ms(a.updated_at) - ms(b.updated_at) || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0);
  const events = () => (view ??= [...store.values()].sort(order));
  let base = '';

  const handle = (req: FakeRequest): FakeResponse => {
    if (req.headers.authorization !== auth) return problem(401, 'missing or wrong credentials');
    const one = /^\/api\/feed\/([^/]+)$/.exec(req.path);
    if (one) {
      const found = store.get(decodeURIComponent(one[1]!));
      return found ? { status: 200, body: { item: found } } : problem(404, 'no such event');
    }
    if (req.path !== LIST) return problem(404, 'not found');
    const q = req.query;
    const size = Number(q.get('page_size') ?? 20);
    if (!Number.isInteger(size) || size < 1 || size > 50) return problem(400, 'page_size must be 1..50');
    const after = q.get('updated_after') === null ? -Infinity : Date.parse(q.get('updated_after')!);
    const beforeT = q.get('updated_before') === null ? Infinity : Date.parse(q.get('updated_before')!);
    if (Number.isNaN(after) || Number.isNaN(beforeT)) return problem(400, 'updated_after and updated_before take ISO 8601 times');
    let list = events().filter((e) => ms(e.updated_at) > after && ms(e.updated_at) < beforeT);
    const cursor = q.get('cursor');
    if (cursor) {
      const [t, uid] = Buffer.from(cursor, 'base64url').toString().split('|');
      const mark = { updated_at: naive(Number(t)), uid: uid ?? '' } as FeedEvent;
      list = list.filter((e) => order(e, mark) > 0);
    }
    const items = list.slice(0, size);
    let next: string | null = null;
    if (list.length > size) {
      const params = new URLSearchParams(q);
      const last = items[items.length - 1]!;
      params.set('cursor', Buffer.from(`${ms(last.updated_at)}|${last.uid}`).toString('base64url'));
      next = `${base}${LIST}?${params}`;
    }
    return { status: 200, body: { result: { items, next }, meta: { served_at: naive(Date.now()) } } };
  };

  const server = await startFakeServer({
    handle,
    rateLimited: () => ({ status: 429, headers: { 'retry-after': new Date(Date.now()).toUTCString() }, body: { problem: { detail: 'slow down', status: 429 } } }),
    faults: options.faults,
    slowMs: options.slowMs,
    latencyMs: options.latencyMs,
  });
  base = server.url;
  return Object.assign(server, {
    apiKey,
    events,
    add(...more: FeedEvent[]) {
      store = new Map([...store, ...more.map((e): [string, FeedEvent] => [e.uid, e])]);
      view = null;
    },
    rewrite(uid: string) {
      const e = store.get(uid);
      if (!e) throw new Error(`no event ${uid}`);
      store.set(uid, { ...e, updated_at: naive(Math.max(Date.now(), ms(e.updated_at) + 1)), payload: { ...e.payload, note: `${e.payload.note} (amended)` } });
      view = null;
    },
    listRequests: () => server.requests.filter((r) => r.path === LIST),
  });
}
