// A loopback fake of bem's v1-alpha events API (docs/providers.md §2): `x-api-key` auth, real KSUID
// event ids (time-sortable), `sortOrder` asc (the default) or desc, `startingAfter` /
// `endingBefore` compared by id (both at once: 400), `limit` 1..100, CSV array filters (a repeated
// key counts only its last value, as most servers read it), `{events, totalCount}`, an empty page
// at the end, `{message, code}` errors and a 429 with `retry-after: 0`. Events can be added at any
// time, including late ones whose id and createdAt are older than ids already served.
import { bemEvent, type BemEvent, type BemEventOptions } from './generators.mjs';
import { startFakeServer, type FakeRequest, type FakeResponse, type FakeServer, type FaultPlan } from './fake-server.js';

export { BEM_TYPES, bemEvent, ksuid, rfc3339, type BemEvent, type BemEventOptions } from './generators.mjs';

export interface FakeBemOptions {
  apiKey?: string;
  faults?: FaultPlan;
  slowMs?: number;
  /** Serve at most this many events per page whatever `limit` asks (a server with a lower cap). */
  pageCap?: number;
  /** Also send `retry-after-ms` on a 429 (the header bem's SDKs read first). */
  retryAfterMs?: number;
  /** Hold each list answer this long (ms), so a test can stop a client in the middle of a walk. */
  delayMs?: number;
}

export interface FakeBem extends FakeServer {
  apiKey: string;
  /** Every event the API serves, oldest id first. */
  events(): BemEvent[];
  add(...events: BemEvent[]): BemEvent[];
  /** `count` events `stepMs` apart, the newest at `end` (default now). */
  addHistory(count: number, options?: { end?: number; stepMs?: number }): BemEvent[];
  /** `count` events created now, one second apart going back. */
  addNew(count: number): BemEvent[];
  /** An event that becomes visible now though it was created `ageMs` ago: older than served ids. */
  addLate(ageMs: number, options?: BemEventOptions): BemEvent;
  /** Requests to the list endpoint only. */
  listRequests(): FakeRequest[];
}

const LIST = '/v1-alpha/events';
const FILTERS: Array<[param: string, field: keyof BemEvent]> = [
  ['eventIDs', 'eventID'],
  ['eventTypes', 'eventType'],
  ['callIDs', 'callID'],
  ['functionIDs', 'functionID'],
  ['functionNames', 'functionName'],
  ['referenceIDs', 'referenceID'],
];

const error = (status: number, message: string, details?: Record<string, unknown>): FakeResponse => ({
  status,
  body: { message, code: status, ...(details ? { details } : {}) },
});

export async function startFakeBem(options: FakeBemOptions = {}): Promise<FakeBem> {
  const apiKey = options.apiKey ?? 'bem_test_key';
  let store: BemEvent[] = [];
  let counter = 0;

  const handle = (req: FakeRequest): FakeResponse => {
    if (req.headers['x-api-key'] !== apiKey) return error(401, 'Unauthorized: missing or invalid x-api-key');
    if (req.method !== 'GET') return error(405, 'Method not allowed');
    const one = /^\/v1-alpha\/events\/([^/]+)$/.exec(req.path);
    if (one) {
      const found = store.find((e) => e.eventID === decodeURIComponent(one[1]!));
      return found ? { status: 200, body: found } : error(404, 'Event not found');
    }
    if (req.path !== LIST) return error(404, 'Not found');
    // A repeated key counts only its last value: `eventTypes=a&eventTypes=b` means b alone.
    const get = (key: string) => req.query.getAll(key).at(-1);
    const limit = Number(get('limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return error(400, 'limit must be between 1 and 100', { field: 'limit' });
    const order = get('sortOrder') ?? 'asc';
    if (order !== 'asc' && order !== 'desc') return error(400, 'sortOrder must be asc or desc', { field: 'sortOrder' });
    const after = get('startingAfter');
    const before = get('endingBefore');
    if (after !== undefined && before !== undefined) return error(400, 'startingAfter and endingBefore are contradictory');
    for (const cursor of [after, before]) {
      if (cursor !== undefined && !/^[0-9A-Za-z]{27}$/.test(cursor)) return error(400, `invalid cursor: ${cursor}`);
    }
    let list = store;
    for (const [param, field] of FILTERS) {
      const csv = get(param);
      if (csv === undefined) continue;
      const wanted = new Set(csv.split(','));
      if (wanted.has('')) return error(400, `${param} must be a CSV array of at least one item`, { field: param });
      list = list.filter((e) => wanted.has(String(e[field])));
    }
    const labelled = get('isLabelled');
    if (labelled !== undefined) {
      if (labelled !== 'true' && labelled !== 'false') return error(400, 'isLabelled must be a boolean', { field: 'isLabelled' });
      list = list.filter((e) => (e.correctedContent !== undefined) === (labelled === 'true'));
    }
    if (order === 'desc') list = [...list].reverse();
    // Cursors are compared by id, not looked up: KSUIDs sort by time, so a late event whose id is
    // older than the cursor is behind it, exactly as on the real API.
    const beyond = (id: string, cursor: string) => (order === 'asc' ? id > cursor : id < cursor);
    const size = Math.min(limit, options.pageCap ?? limit);
    let page: BemEvent[];
    if (before !== undefined) page = list.filter((e) => beyond(before, e.eventID)).slice(-size);
    else if (after !== undefined) page = list.filter((e) => beyond(e.eventID, after)).slice(0, size);
    else page = list.slice(0, size);
    return { status: 200, body: { events: page, totalCount: list.length } };
  };

  const delayed = async (req: FakeRequest): Promise<FakeResponse> => {
    if (options.delayMs && req.path === LIST) await new Promise((r) => setTimeout(r, options.delayMs));
    return handle(req);
  };
  const server = await startFakeServer({
    handle: delayed,
    rateLimited: () => ({
      status: 429,
      headers: { 'retry-after': '0', ...(options.retryAfterMs === undefined ? {} : { 'retry-after-ms': String(options.retryAfterMs) }) },
      body: { message: 'Too many requests. Back off and retry.' },
    }),
    faults: options.faults,
    slowMs: options.slowMs,
  });

  const add = (...more: BemEvent[]) => {
    store = [...store, ...more].sort((a, b) => (a.eventID < b.eventID ? -1 : a.eventID > b.eventID ? 1 : 0));
    return more;
  };
  const make = (time: number, eventOptions?: BemEventOptions) => bemEvent(counter++, time, eventOptions);
  return Object.assign(server, {
    apiKey,
    events: () => store,
    add,
    addHistory(count: number, o: { end?: number; stepMs?: number } = {}) {
      const end = o.end ?? Date.now();
      const step = o.stepMs ?? 1000;
      return add(...Array.from({ length: count }, (_, i) => make(end - (count - 1 - i) * step)));
    },
    addNew(count: number) {
      const now = Date.now();
      return add(...Array.from({ length: count }, (_, i) => make(now - i * 1000)));
    },
    addLate: (ageMs: number, eventOptions?: BemEventOptions) => add(make(Date.now() - ageMs, eventOptions))[0]!,
    listRequests: () => server.requests.filter((r) => r.path === LIST),
  });
}
