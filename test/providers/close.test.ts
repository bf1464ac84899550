// Close's pure pieces on recorded pages: requests, cursors, end of walk, naive timestamps, error
// bodies, rate-limit advice and the filter combinations the API accepts.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { ShapeError } from '../../src/http/client.js';
import { close } from '../../src/providers/close.js';
import { providerNamed } from '../../src/providers/registry.js';
import type { ApiRequest, Json, JsonObject, RemoteFilters, ResponseInfo } from '../../src/providers/types.js';

// Trimmed from Close's docs example (docs/providers.md §3.4).
const EVENT: JsonObject = {
  id: 'ev_17VaZdcdnsMNyWY9ZJnjph',
  date_created: '2016-10-19T12:22:10.434000',
  date_updated: '2016-10-19T12:25:00.120000',
  organization_id: 'orga_RbREgmiiwcr1w2b4cOnCMQaQPSIFxMqAD2Dh243uxcH',
  user_id: 'user_N6KhMpzHRCYQHdn4gRNIFNN5JExnsrprKA6ekxM63XA',
  request_id: 'req_2skaL7v81TflDfovw8A1CC',
  api_key_id: null,
  object_type: 'activity.email',
  object_id: 'acti_4LNDQk2uhg7t8fGUWPyHX7cpCVH9PJtCyCssXFcao3e',
  lead_id: 'lead_sHR5sxie4dKOBkODA2flGciHen2c91YEpvTPt8x1NU0',
  action: 'sent',
  changed_fields: [],
  data: { _type: 'Email', id: 'acti_4LNDQk2uhg7t8fGUWPyHX7cpCVH9PJtCyCssXFcao3e', date_created: '2016-10-19T12:22:10.433000+00:00' },
  previous_data: {},
  meta: { request_method: 'POST', request_path: '/api/v1/activity/email/' },
};
const OLDER: JsonObject = { ...EVENT, id: 'ev_older', date_created: '2016-10-19T12:00:00.000000', date_updated: '2016-10-19T12:00:00.000000' };

const res = (status: number, json: Json | undefined, headers: ResponseInfo['headers'] = {}): ResponseInfo => ({
  status,
  headers,
  json,
  text: json === undefined ? '' : JSON.stringify(json),
});

describe('close requests', () => {
  it('is registered and authenticates with Basic, the key as username and an empty password', () => {
    expect(providerNamed('close')).toBe(close);
    const header = close.authHeaders('api_123abc').authorization!;
    expect(header).toMatch(/^Basic /);
    expect(Buffer.from(header.slice(6), 'base64').toString()).toBe('api_123abc:');
    expect(close.defaultBaseUrl).toBe('https://api.close.com/api/v1');
    expect(close.retentionDays).toBe(30);
  });

  it('starts a walk at the head of /event/ with the largest page Close serves', () => {
    expect(close.firstRequest({ now: 0 })).toEqual({ method: 'GET', path: '/event/', query: { _limit: 50 } });
  });

  it('bounds a walk from below with date_updated__gte and from above with __lte (inclusive: shared milliseconds)', () => {
    const floor = Date.UTC(2026, 10, 22, 9, 55);
    const below = { id: 'ev_x', time: 0, updated: Date.UTC(2026, 10, 22, 10, 0, 0, 123) };
    expect(close.firstRequest({ now: 0, floor }).query).toEqual({ _limit: 50, date_updated__gte: '2026-11-22T09:55:00.000Z' });
    expect(close.firstRequest({ now: 0, floor, below }).query).toEqual({
      _limit: 50,
      date_updated__gte: '2026-11-22T09:55:00.000Z',
      date_updated__lte: '2026-11-22T10:00:00.123Z',
    });
    // A saved position must survive JSON: no undefined keys hiding in it.
    expect(JSON.parse(JSON.stringify(close.firstRequest({ now: 0, below })))).toEqual(close.firstRequest({ now: 0, below }));
  });

  it('fetches one event at /event/{id}/ with the trailing slash', () => {
    expect(close.getRequest('ev_a/b')).toEqual({ method: 'GET', path: '/event/ev_a%2Fb/' });
    expect(close.readOne(EVENT)).toBe(EVENT);
    expect(() => close.readOne([])).toThrow(ShapeError);
  });
});

describe('close pages', () => {
  const first: ApiRequest = { method: 'GET', path: '/event/', query: { _limit: 50, lead_id: 'lead_1', date_updated__gte: '2026-11-22T09:55:00.000Z' } };

  it('follows cursor_next, re-sending the same filters with it', () => {
    const page = close.readPage({ data: [EVENT, OLDER], cursor_next: 'cursor2', cursor_previous: null }, first);
    expect(page.events).toEqual([EVENT, OLDER]);
    expect(page.next).toEqual({ ...first, query: { ...first.query, _cursor: 'cursor2' } });
    // The next cursor replaces the previous one rather than piling up.
    const second = close.readPage({ data: [OLDER], cursor_next: 'cursor3', cursor_previous: 'cursor1' }, page.next!);
    expect(second.next?.query?._cursor).toBe('cursor3');
    expect(second.next?.query?.lead_id).toBe('lead_1');
  });

  it('ends at cursor_next null, and on an empty page whatever the cursor says', () => {
    expect(close.readPage({ data: [EVENT], cursor_next: null, cursor_previous: 'c1' }, first).next).toBeNull();
    expect(close.readPage({ data: [EVENT] }, first).next).toBeNull();
    const empty = close.readPage({ data: [], cursor_next: 'cursor9', cursor_previous: null }, first);
    expect(empty).toEqual({ events: [], next: null });
  });

  it('refuses bodies that are not an event list, so the client retries them', () => {
    expect(() => close.readPage({ unexpected: true, items: 'not a list' }, first)).toThrow(ShapeError);
    expect(() => close.readPage({ data: [1, 2] }, first)).toThrow(ShapeError);
    expect(() => close.readPage({ data: [EVENT], cursor_next: 42 }, first)).toThrow(ShapeError);
  });
});

describe('close events', () => {
  it('reads naive timestamps with microseconds as UTC, whatever the local zone', () => {
    const row = close.normalize(EVENT);
    expect(row.time).toBe(Date.UTC(2016, 9, 19, 12, 22, 10, 434));
    expect(row.updated).toBe(Date.UTC(2016, 9, 19, 12, 25, 0, 120));
    expect(close.normalize({ ...EVENT, date_updated: '2016-10-19T12:25:00.120000+00:00' }).updated).toBe(row.updated);
  });

  it('types an event as object_type.action and points it at object_id', () => {
    const row = close.normalize(EVENT);
    expect(row).toMatchObject({ id: EVENT.id, type: 'activity.email.sent', object: EVENT.object_id });
    expect(row.raw).toBe(EVENT);
    expect(close.normalize({ ...EVENT, object_type: 'lead', action: 'merged' }).type).toBe('lead.merged');
  });

  it('refuses an event without id, object_type, action or a readable date_created', () => {
    for (const field of ['id', 'object_type', 'action', 'date_created']) {
      const broken: JsonObject = { ...EVENT };
      delete broken[field];
      expect(() => close.normalize(broken), field).toThrow(ShapeError);
    }
    expect(() => close.normalize({ ...EVENT, date_updated: 'yesterday' })).toThrow(ShapeError);
  });
});

describe('close errors and rate limits', () => {
  it('turns each of Close error bodies into one line', () => {
    expect(close.errorMessage(res(401, { error: 'The API key is invalid' }))).toBe('The API key is invalid');
    expect(close.errorMessage(res(429, { error: { message: 'API rate limit exceeded', rate_reset: 1.5 } }))).toBe('API rate limit exceeded');
    expect(
      close.errorMessage(res(400, { errors: ['Unsupported filter combination'], 'field-errors': { _limit: 'Must be an integer.', date_updated__gte: ['Bad date.', 'Use ISO.'] } })),
    ).toBe('Unsupported filter combination; _limit: Must be an integer.; date_updated__gte: Bad date., Use ISO.');
    expect(close.errorMessage(res(400, { errors: [], 'field-errors': { object_type: 'Required with action.' } }))).toBe('object_type: Required with action.');
    expect(close.errorMessage(res(502, undefined))).toBeUndefined();
    expect(close.errorMessage(res(400, { errors: [], 'field-errors': {} }))).toBeUndefined();
  });

  it('waits on a 429 for rate_reset from the body first, then the RateLimit, X-Rate-Limit-Reset and Retry-After headers', () => {
    const body = { error: { message: 'API rate limit exceeded', rate_reset: 0.05 } };
    const headers = { ratelimit: 'limit=40, remaining=0, reset=3', 'x-rate-limit-reset': '4', 'retry-after': '5' };
    expect(close.rateLimit!(res(429, body, headers))).toEqual({ waitMs: 50 });
    expect(close.rateLimit!(res(429, { error: 'slow down' }, headers))).toEqual({ waitMs: 3000 });
    expect(close.rateLimit!(res(429, undefined, { 'x-rate-limit-reset': '4', 'retry-after': '5' }))).toEqual({ waitMs: 4000 });
    expect(close.rateLimit!(res(429, undefined, { 'retry-after': '5' }))).toEqual({ waitMs: 5000 });
    expect(close.rateLimit!(res(429, undefined, {}))).toBeUndefined();
  });

  it('slows down on a good response once the window is (nearly) spent', () => {
    expect(close.rateLimit!(res(200, {}, { ratelimit: 'limit=40, remaining=0, reset=1.25' }))).toEqual({ waitMs: 1250 });
    expect(close.rateLimit!(res(200, {}, { ratelimit: 'limit=40, remaining=1, reset=0.5' }))).toEqual({ waitMs: 500 });
    expect(close.rateLimit!(res(200, {}, { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '2' }))).toEqual({ waitMs: 2000 });
    expect(close.rateLimit!(res(200, {}, { ratelimit: 'limit=40, remaining=39, reset=0.5' }))).toBeUndefined();
    expect(close.rateLimit!(res(200, {}, {}))).toBeUndefined();
    // A 5xx is the client's backoff to handle, not a pacing hint.
    expect(close.rateLimit!(res(503, undefined, { ratelimit: 'limit=40, remaining=0, reset=9' }))).toBeUndefined();
  });
});

describe('close remote filters', () => {
  const filters = (where: Record<string, string>, extra: Partial<RemoteFilters> = {}): RemoteFilters => ({
    types: [],
    where: Object.entries(where).map(([path, value]) => ({ path, value })),
    ...extra,
  });

  it('sends each allowed combination as Close parameters, and --since as date_updated__gte', () => {
    const since = Date.UTC(2026, 10, 1);
    const until = Date.UTC(2026, 10, 2);
    // --until stays local: an event created before it may have been consolidated after it.
    expect(close.remoteRequest!(filters({ lead_id: 'lead_1', user_id: 'user_2' }, { since, until }), 20)).toEqual({
      method: 'GET',
      path: '/event/',
      query: { _limit: 20, lead_id: 'lead_1', user_id: 'user_2', date_updated__gte: '2026-11-01T00:00:00.000Z' },
    });
    const combos: Array<Record<string, string>> = [
      {},
      { object_type: 'lead', object_id: 'lead_1' },
      { object_type: 'lead', action: 'deleted' },
      { lead_id: 'l', user_id: 'u', object_type: 'lead', action: 'created' },
      { user_id: 'u', object_id: 'o', action: 'updated' },
      { request_id: 'req_1' },
    ];
    for (const where of combos) {
      expect(close.remoteRequest!(filters(where), 50).query).toMatchObject(where);
    }
  });

  it('refuses a combination Close does not serve before anything is sent, naming the allowed ones', () => {
    const refused: Array<Record<string, string>> = [{ object_type: 'lead' }, { action: 'deleted' }, { request_id: 'r', lead_id: 'l' }];
    for (const where of refused) {
      expect(() => close.remoteRequest!(filters(where), 50)).toThrow(UsageError);
    }
    expect(() => close.remoteRequest!(filters({ object_type: 'lead' }), 50)).toThrow(/cannot filter on object_type alone/);
    expect(() => close.remoteRequest!(filters({ object_type: 'lead' }), 50)).toThrow(/object_type \+ action, .*lead_id alone, user_id alone, request_id alone/);
    expect(() => close.remoteRequest!(filters({ object_type: 'lead', object_id: 'o', action: 'created' }), 50)).toThrow(/cannot filter on object_type \+ object_id \+ action;/);
  });

  it('caps the page at 50, leaves other --where paths and pattern types to the local filter', () => {
    const req = close.remoteRequest!(filters({ 'data.status': 'won', lead_id: 'lead_1' }, { types: ['lead.*'] }), 500);
    expect(req.query).toEqual({ _limit: 50, lead_id: 'lead_1' });
  });

  it('turns one exact type into object_type + action where Close allows the result', () => {
    expect(close.remoteRequest!(filters({}, { types: ['activity.email.sent'] }), 10).query).toEqual({ _limit: 10, object_type: 'activity.email', action: 'sent' });
    expect(close.remoteRequest!(filters({ lead_id: 'l' }, { types: ['lead.created'] }), 10).query).toEqual({ _limit: 10, lead_id: 'l', object_type: 'lead', action: 'created' });
    // user_id + object_id + object_type + action is not a Close combination: the type stays local.
    expect(close.remoteRequest!(filters({ object_id: 'o', user_id: 'u' }, { types: ['lead.created'] }), 10).query).toEqual({
      _limit: 10,
      object_id: 'o',
      user_id: 'u',
    });
    expect(close.remoteRequest!(filters({ request_id: 'r' }, { types: ['lead.created'] }), 10).query).toEqual({ _limit: 10, request_id: 'r' });
  });
});

describe('close summaries', () => {
  it('names the object, what people call it and what changed, for tail lines', () => {
    expect(close.summarize!(EVENT)).toBe('acti_4LNDQk2uhg7t8fGUWPyHX7cpCVH9PJtCyCssXFcao3e');
    const update: JsonObject = { ...EVENT, object_type: 'lead', object_id: 'lead_1', action: 'updated', changed_fields: ['name', 'status_id'], data: { display_name: 'Acme Inc.', id: 'lead_1' } };
    expect(close.summarize!(update)).toBe('lead_1 Acme Inc. changed name, status_id');
    const merge: JsonObject = { ...EVENT, object_id: 'lead_2', action: 'merged', data: null, meta: { merge_source_lead_id: 'lead_9', merge_destination_lead_id: 'lead_2' } };
    expect(close.summarize!(merge)).toBe('lead_2 merged from lead_9');
    expect(close.summarize!({ ...EVENT, data: { subject: 'x'.repeat(80) } })).toMatch(/^acti_\S+ x{59}…$/);
  });
});
