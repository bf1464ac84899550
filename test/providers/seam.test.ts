// Seam's provider pieces on recorded bodies: frozen `between` windows, offsets, a page longer than
// limit, window splitting when the offset is broken, normalisation (microseconds, the object id),
// error bodies, and `list --remote` filters.
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/http/client.js';
import { PagingLoopError } from '../../src/errors.js';
import { providerNamed } from '../../src/providers/registry.js';
import { HORIZON, PAGE_SIZE, seam } from '../../src/providers/seam.js';
import { MAX_LIMIT, idHash } from '../../src/providers/seam-window.js';
import type { ApiRequest, Json, JsonObject, ResponseInfo } from '../../src/providers/types.js';
import { requestKey } from '../../src/providers/walk.js';

const NOW = Date.parse('2026-11-22T18:30:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

// The event from docs/providers.md §4.4 (Seam's OpenAPI example), with microsecond times.
const DOC_EVENT: JsonObject = {
  event_id: '6d7e8f9a-1b2c-3d4e-5f6a-7b8c9d0e1f2a',
  event_type: 'device.connected',
  workspace_id: '9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d',
  created_at: '2025-06-15T16:54:18.000000Z',
  occurred_at: '2025-06-15T16:54:17.946329Z',
  connected_account_id: '2e3f4a5b-6c7d-8e9f-0a1b-2c3d4e5f6a7b',
  device_id: 'b2ebca6c-d6d1-47dd-8dae-e9fa06f060b2',
  event_description: 'The status of a device changed from offline to online.',
};

/** `n` distinct events (ids from `from`) at `ms`. */
function page(n: number, from = 0, ms = NOW - 1000): JsonObject[] {
  return Array.from({ length: n }, (_, i) => ({
    event_id: `ev_${from + i}`,
    event_type: 'lock.locked',
    workspace_id: 'ws',
    created_at: iso(ms),
    occurred_at: iso(ms),
    device_id: 'dev_1',
  }));
}
const body = (events: JsonObject[]): Json => ({ events, ok: true });
const between = (req: ApiRequest | null) => (req?.body?.between as string[] | undefined)?.map((t) => Date.parse(t));
const response = (status: number, json: Json | undefined, text = json === undefined ? '' : JSON.stringify(json)): ResponseInfo => ({
  status,
  headers: {},
  json,
  text,
});

describe('seam requests', () => {
  it('is registered, with Bearer auth and the real base URL', () => {
    expect(providerNamed('seam')).toBe(seam);
    expect(seam.authHeaders('seam_abc')).toEqual({ authorization: 'Bearer seam_abc' });
    expect(seam.defaultBaseUrl).toBe('https://connect.getseam.com');
  });

  it('walks a frozen window [floor − 1 ms, now + 1 ms] with limit 500 and offset 0', () => {
    const floor = NOW - 300_000;
    const req = seam.firstRequest({ now: NOW, floor });
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/events/list');
    expect(req.body).toMatchObject({ between: [iso(floor - 1), iso(NOW + 1)], limit: PAGE_SIZE, unstable_offset: 0 });
    expect(req.body).not.toHaveProperty('since');
    expect(JSON.parse(JSON.stringify(req))).toEqual(req);
  });

  it('starts at the horizon without a floor, and just above a known boundary with `below`', () => {
    expect(between(seam.firstRequest({ now: NOW }))).toEqual([HORIZON - 1, NOW + 1]);
    const below = { id: 'ev_9', time: NOW - 5000, updated: NOW - 4000 };
    expect(between(seam.firstRequest({ now: NOW, floor: NOW - 9000, below }))).toEqual([NOW - 9001, NOW - 3999]);
  });

  it('never sends an empty or reversed window', () => {
    const [lo, hi] = between(seam.firstRequest({ now: NOW, floor: NOW + 10 }))!;
    expect(lo!).toBeLessThan(hi!);
  });

  it('fetches one event with POST /events/get {event_id}', () => {
    expect(seam.getRequest('ev_1')).toEqual({ method: 'POST', path: '/events/get', body: { event_id: 'ev_1' } });
    expect(seam.readOne({ event: DOC_EVENT, ok: true })).toEqual(DOC_EVENT);
    expect(seam.readOne({ ok: true })).toBeNull();
    expect(() => seam.readOne({ event: 'x', ok: true })).toThrow(ShapeError);
  });
});

describe('seam paging', () => {
  const first = seam.firstRequest({ now: NOW, floor: NOW - 60_000 });

  it('ends the walk on an empty page, and on a page shorter than one the server already sent', () => {
    expect(seam.readPage(body([]), first).next).toBeNull();
    const full = seam.readPage(body(page(PAGE_SIZE)), first).next!;
    const read = seam.readPage(body(page(3, PAGE_SIZE)), full);
    expect(read.events).toHaveLength(3);
    expect(read.next).toBeNull();
  });

  it('does not take a first page shorter than limit as the end: the server may cap limit silently', () => {
    const capped = seam.readPage(body(page(100)), first).next!;
    expect(capped.body).toMatchObject({ between: first.body!.between, limit: PAGE_SIZE, unstable_offset: 100 });
    // Pages of the cap go on; a page shorter than the cap ends the window.
    const more = seam.readPage(body(page(100, 100)), capped).next!;
    expect(more.body).toMatchObject({ unstable_offset: 200 });
    expect(seam.readPage(body(page(40, 200)), more).next).toBeNull();
  });

  it('ends a window when the offset stepped past a short page serves the same ids (offset ignored)', () => {
    const stepped = seam.readPage(body(page(3)), first).next!;
    expect(seam.readPage(body(page(3)), stepped).next).toBeNull();
  });

  it('takes a page longer than limit as the whole window (the server ignored limit)', () => {
    expect(seam.readPage(body(page(PAGE_SIZE + 1)), first).next).toBeNull();
  });

  it('asks for the next offset of the same frozen window after a full page', () => {
    const next = seam.readPage(body(page(PAGE_SIZE)), first).next!;
    expect(next.body).toMatchObject({ between: first.body!.between, limit: PAGE_SIZE, unstable_offset: PAGE_SIZE });
    const third = seam.readPage(body(page(PAGE_SIZE, PAGE_SIZE)), next).next!;
    expect(third.body!.unstable_offset).toBe(2 * PAGE_SIZE);
    expect(seam.readPage(body([]), third).next).toBeNull();
  });

  it('rejects a list body without the events array, or with ok: false', () => {
    expect(() => seam.readPage({ ok: true }, first)).toThrow(ShapeError);
    expect(() => seam.readPage({ events: [], ok: false }, first)).toThrow(ShapeError);
  });

  it('splits the window, newer half first, when a page repeats ids already served', () => {
    const second = seam.readPage(body(page(PAGE_SIZE)), first).next!;
    // A broken offset: the same page again.
    const split = seam.readPage(body(page(PAGE_SIZE)), second).next!;
    const [lo, hi] = between(first)!;
    const mid = Math.floor((lo! + hi!) / 2);
    expect(between(split)).toEqual([mid, hi]);
    expect(split.body!.unstable_offset).toBe(0);
    // The older half waits in the saved state; the halves share the millisecond at the cut.
    expect(split.state!.queue).toEqual([[lo, mid + 1]]);
    expect(requestKey(split)).not.toBe(requestKey(second));
    // A short page ends the newer half, and the older half comes next.
    const older = seam.readPage(body(page(2)), split).next!;
    expect(between(older)).toEqual([lo, mid + 1]);
    expect(older.state!.queue).toEqual([]);
    expect(seam.readPage(body(page(2)), older).next).toBeNull();
  });

  it('keeps the digest of served ids small and survives JSON (the resume position)', () => {
    let req = first;
    for (let i = 0; i < 4; i++) req = JSON.parse(JSON.stringify(seam.readPage(body(page(PAGE_SIZE, i * PAGE_SIZE)), req).next)) as ApiRequest;
    const seen = req.state!.seen as string[];
    expect(seen.length).toBeLessThanOrEqual(1000);
    expect(seen).toContain(idHash(`ev_${4 * PAGE_SIZE - 1}`));
    expect(JSON.stringify(req.state).length).toBeLessThan(10_000);
  });

  it('asks for a bigger page when one millisecond holds more than a page and the offset is broken', () => {
    const ms = NOW - 10;
    let req: ApiRequest = { ...first, body: { ...first.body, between: [iso(ms - 1), iso(ms + 1)] } };
    const again = seam.readPage(body(page(PAGE_SIZE, 0, ms)), req).next!;
    req = seam.readPage(body(page(PAGE_SIZE, 0, ms)), again).next!;
    expect(between(req)).toEqual([ms - 1, ms + 1]);
    expect(req.body).toMatchObject({ limit: 2 * PAGE_SIZE, unstable_offset: 0 });
    // Once the window is done, the next one goes back to the normal page size.
    const queued: ApiRequest = { ...req, state: { ...req.state, queue: [[ms - 100, ms]] } };
    expect(seam.readPage(body(page(700, 0, ms)), queued).next!.body).toMatchObject({ limit: PAGE_SIZE, unstable_offset: 0 });
  });

  it('fails clearly instead of looping when even the biggest page cannot hold one millisecond', () => {
    const ms = NOW - 10;
    const req: ApiRequest = { ...first, body: { ...first.body, between: [iso(ms - 1), iso(ms + 1)], limit: MAX_LIMIT, unstable_offset: MAX_LIMIT }, state: { base: PAGE_SIZE, queue: [], seen: page(MAX_LIMIT).slice(0, 5).map((e) => idHash(e.event_id as string)) } };
    expect(() => seam.readPage(body(page(MAX_LIMIT)), req)).toThrow(PagingLoopError);
  });

  it('does not depend on the order of a page', () => {
    const events = page(PAGE_SIZE);
    const a = seam.readPage(body(events), first).next;
    const b = seam.readPage(body([...events].reverse()), first).next;
    expect(a!.body).toEqual(b!.body);
  });
});

describe('seam events', () => {
  it('normalises: event_id, event_type, occurred_at, created_at, the device as object', () => {
    const row = seam.normalize(DOC_EVENT);
    expect(row).toMatchObject({
      id: DOC_EVENT.event_id,
      type: 'device.connected',
      time: Date.parse('2025-06-15T16:54:17.946Z'),
      updated: Date.parse('2025-06-15T16:54:18.000Z'),
      object: DOC_EVENT.device_id,
    });
    expect(row.raw).toBe(DOC_EVENT);
  });

  it('rounds created_at up to the millisecond, so a window starting at floor − 1 ms never reads below the floor', () => {
    const floor = NOW - 60_000;
    // Inside (floor − 1 ms, floor): served by the window, and must not stop the shared loop.
    const row = seam.normalize({ ...DOC_EVENT, created_at: `${iso(floor - 1).slice(0, -1)}400Z` });
    expect(row.updated).toBe(floor);
    expect(seam.normalize({ ...DOC_EVENT, created_at: iso(floor) }).updated).toBe(floor);
  });

  it('picks the object: device, then access code, ACS system, account, then any other *_id', () => {
    const base = { event_id: 'e', event_type: 't', workspace_id: 'ws', created_at: iso(NOW), occurred_at: iso(NOW) };
    expect(seam.normalize({ ...base, access_code_id: 'ac', connected_account_id: 'ca' }).object).toBe('ac');
    expect(seam.normalize({ ...base, acs_system_id: 'acs', connected_account_id: 'ca' }).object).toBe('acs');
    expect(seam.normalize({ ...base, connected_account_id: 'ca' }).object).toBe('ca');
    expect(seam.normalize({ ...base, access_grant_id: 'ag' }).object).toBe('ag');
    expect(seam.normalize(base).object).toBeNull();
  });

  it('throws a ShapeError for an event without id, type or time', () => {
    expect(() => seam.normalize({ ...DOC_EVENT, event_id: null })).toThrow(ShapeError);
    expect(() => seam.normalize({ ...DOC_EVENT, event_type: '' })).toThrow(ShapeError);
    expect(() => seam.normalize({ ...DOC_EVENT, created_at: null })).toThrow(ShapeError);
  });
});

describe('seam errors', () => {
  it('reads the invalid_input body captured in seamapi/cli#48 as one line', () => {
    const json = {
      error: {
        type: 'invalid_input',
        message: 'Must specify either since or between',
        validation_errors: { _errors: ['Must specify either since or between'] },
        request_id: 'baf20eb5',
      },
      ok: false,
    };
    expect(seam.errorMessage(response(400, json))).toBe('Must specify either since or between (invalid_input)');
  });

  it('adds field errors that say more than the message', () => {
    const json = {
      error: { type: 'invalid_input', message: 'Invalid input', validation_errors: { _errors: [], since: { _errors: ['Must be parsable date string'] } } },
      ok: false,
    };
    expect(seam.errorMessage(response(400, json))).toBe('Invalid input; since: Must be parsable date string (invalid_input)');
  });

  it('reads 401 and 404 bodies, a plain-text body, and ignores an HTML page', () => {
    expect(seam.errorMessage(response(401, { error: { type: 'unauthorized', message: 'API Key not found' }, ok: false }))).toBe(
      'API Key not found (unauthorized)',
    );
    expect(seam.errorMessage(response(404, { error: { type: 'event_not_found', message: 'Event not found' }, ok: false }))).toBe(
      'Event not found (event_not_found)',
    );
    expect(seam.errorMessage(response(400, undefined, 'Invalid JSON'))).toBe('Invalid JSON');
    expect(seam.errorMessage(response(503, undefined, '<html><body>503</body></html>'))).toBeUndefined();
    expect(seam.errorMessage(response(503, undefined, ''))).toBeUndefined();
  });
});

describe('seam list --remote', () => {
  const remote = seam.remoteRequest!;

  it('sends one exact type as event_type, several as event_types, and leaves patterns local', () => {
    expect(remote({ types: ['lock.locked'], where: [] }, 50).body).toMatchObject({ event_type: 'lock.locked', limit: 50 });
    expect(remote({ types: ['lock.locked', 'lock.unlocked'], where: [] }, 50).body).toMatchObject({
      event_types: ['lock.locked', 'lock.unlocked'],
    });
    const pattern = remote({ types: ['lock.*', 'device.connected'], where: [] }, 50).body!;
    expect(pattern).not.toHaveProperty('event_type');
    expect(pattern).not.toHaveProperty('event_types');
  });

  it('maps --since to an inclusive since, --until to between, and neither to the horizon', () => {
    const since = NOW - 3_600_000;
    const a = remote({ types: [], since, where: [] }, 10).body!;
    expect(a.since).toBe(iso(since - 1));
    expect(a).not.toHaveProperty('between');
    const b = remote({ types: [], since, until: NOW, where: [] }, 10).body!;
    expect(b).not.toHaveProperty('since');
    expect(between({ method: 'POST', path: '', body: b })![0]).toBe(since - 1);
    // The upper end leaves room for ingestion: created_at comes after occurred_at.
    expect(between({ method: 'POST', path: '', body: b })![1]).toBeGreaterThan(NOW);
    expect(remote({ types: [], where: [] }, 10).body!.since).toBe(iso(HORIZON - 1));
  });

  it('sends device, access code and account filters, plural when repeated; caps the page at 500', () => {
    const req = remote(
      {
        types: [],
        where: [
          { path: 'device_id', value: 'd1' },
          { path: 'device_id', value: 'd2' },
          { path: 'access_code_id', value: 'ac1' },
          { path: 'connected_account_id', value: 'ca1' },
          { path: 'data.status', value: 'x' },
        ],
      },
      5000,
    );
    expect(req.body).toMatchObject({ device_ids: ['d1', 'd2'], access_code_id: 'ac1', connected_account_id: 'ca1', limit: 500 });
    expect(req.body).not.toHaveProperty('data.status');
  });

  it('pages a remote listing with its filters kept', () => {
    const req = remote({ types: ['lock.locked'], where: [{ path: 'device_id', value: 'd1' }] }, 500);
    const next = seam.readPage(body(page(500)), req).next!;
    expect(next.body).toMatchObject({ event_type: 'lock.locked', device_id: 'd1', unstable_offset: 500, since: req.body!.since });
  });
});
