// bem's provider pieces on recorded pages: cursors, the end of a walk, CSV arrays, time zones,
// errors; and, through undici's MockAgent, the exact requests a whole walk sends.
import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { ApiClient, ShapeError } from '../../src/http/client.js';
import { encodeQuery } from '../../src/http/encode.js';
import { bem, ksuidTime } from '../../src/providers/bem.js';
import { providerNamed } from '../../src/providers/registry.js';
import type { ApiRequest, Json, JsonObject, ResponseInfo } from '../../src/providers/types.js';
import { walkPages } from '../../src/providers/walk.js';
import { ksuid } from '../support/fake-bem.js';

// Two events as docs.bem.ai shows them (latest revision), the first with an offset.
const DOC_EVENT: JsonObject = {
  eventID: '2bxoJPNdSD4LgRT4YVC4gt72hlI',
  createdAt: '2023-08-13T16:07:54+08:00',
  eventType: 'transform',
  referenceID: 'your-ref-123',
  functionCallID: 'fc_1',
  functionID: 'f_1',
  functionName: 'invoice-extract',
  callID: 'call_1',
  transformationID: 'tr_2bxoJPNdSD4LgRT4YVC4gt72hlI',
  transformedContent: {},
  invalidProperties: [],
  itemOffset: 0,
  itemCount: 0,
};
const OLDER: JsonObject = {
  eventID: '2bxoJ00000000000000000000aa',
  createdAt: '2023-08-13T07:00:00Z',
  eventType: 'join',
  functionCallID: 'fc_2',
  referenceID: 'ref-2',
};
const head: ApiRequest = bem.firstRequest({ now: Date.now() });

const response = (status: number, json: Json | undefined, headers: ResponseInfo['headers'] = {}): ResponseInfo => ({
  status,
  headers,
  json,
  text: json === undefined ? '' : JSON.stringify(json),
});

describe('bem requests', () => {
  it('is registered and authenticates with x-api-key', () => {
    expect(providerNamed('bem')).toBe(bem);
    expect(bem.authHeaders('k_1')).toEqual({ 'x-api-key': 'k_1' });
    expect(bem.defaultBaseUrl).toBe('https://api.bem.ai');
  });

  it('starts every walk newest first, 100 a page, with no cursor at the head', () => {
    expect(head).toEqual({ method: 'GET', path: '/v1-alpha/events', query: { limit: 100, sortOrder: 'desc' } });
  });

  it('starts below a known event with startingAfter in desc order, never endingBefore', () => {
    const req = bem.firstRequest({ now: 1, floor: 0, below: { id: 'X'.repeat(27), time: 5, updated: 5 } });
    expect(req.query).toEqual({ limit: 100, sortOrder: 'desc', startingAfter: 'X'.repeat(27) });
    expect(encodeQuery(req.query, bem.arrayFormat)).toBe(`?limit=100&sortOrder=desc&startingAfter=${'X'.repeat(27)}`);
  });

  it('gets one event by its id, encoded, unwrapped', () => {
    expect(bem.getRequest('a/b')).toEqual({ method: 'GET', path: '/v1-alpha/events/a%2Fb' });
    expect(bem.readOne(DOC_EVENT)).toBe(DOC_EVENT);
    expect(() => bem.readOne({ events: [] })).toThrow(ShapeError);
  });
});

describe('bem pages', () => {
  it('continues after the last event of a page and reports totalCount', () => {
    const page = bem.readPage({ events: [DOC_EVENT, OLDER], totalCount: 731 }, head);
    expect(page.events).toEqual([DOC_EVENT, OLDER]);
    expect(page.total).toBe(731);
    // state.served: the longest page so far, which a later shorter page must be to end the walk.
    expect(page.next).toEqual({ ...head, query: { limit: 100, sortOrder: 'desc', startingAfter: OLDER.eventID }, state: { served: 2 } });
  });

  it('moves the cursor on from a resumed request instead of repeating it', () => {
    const resumed: ApiRequest = { ...head, query: { ...head.query, startingAfter: 'Z'.repeat(27) } };
    expect(bem.readPage({ events: [OLDER], totalCount: 2 }, resumed).next?.query?.startingAfter).toBe(OLDER.eventID);
  });

  it('ends the walk on an empty page, keeping totalCount', () => {
    expect(bem.readPage({ events: [], totalCount: 731 }, head)).toEqual({ events: [], next: null, total: 731 });
  });

  it('does not take a short first page as the end: the server may cap limit silently', () => {
    const page = bem.readPage({ events: [OLDER], totalCount: 9 }, head);
    expect(page.next?.query?.startingAfter).toBe(OLDER.eventID);
  });

  it('ends the walk, without asking for the empty page, on a page shorter than one it was served', () => {
    const second = bem.readPage({ events: [DOC_EVENT, OLDER], totalCount: 3 }, head).next!;
    const last = bem.readPage({ events: [OLDER], totalCount: 3 }, second);
    expect(last.events).toEqual([OLDER]);
    expect(last.next).toBeNull();
  });

  it('pages backwards from the first event when the request used endingBefore, never sending both', () => {
    const back: ApiRequest = { ...head, query: { limit: 100, sortOrder: 'desc', endingBefore: 'Z'.repeat(27) } };
    const next = bem.readPage({ events: [DOC_EVENT, OLDER], totalCount: 2 }, back).next;
    expect(next?.query).toEqual({ limit: 100, sortOrder: 'desc', endingBefore: DOC_EVENT.eventID });
  });

  it('refuses bodies of the wrong shape with a ShapeError (retried by the client)', () => {
    expect(() => bem.readPage({ data: [] }, head)).toThrow(ShapeError);
    expect(() => bem.readPage([DOC_EVENT], head)).toThrow(ShapeError);
    expect(() => bem.readPage({ events: [1, 2] }, head)).toThrow(ShapeError);
    expect(() => bem.readPage({ events: [{ eventType: 'x' }] }, head)).toThrow(/eventID/);
  });

  it('leaves total undefined when the envelope has no totalCount', () => {
    expect(bem.readPage({ events: [] }, head).total).toBeUndefined();
  });
});

describe('bem normalize', () => {
  it('reads createdAt offsets as UTC milliseconds', () => {
    const row = bem.normalize(DOC_EVENT);
    expect(row.time).toBe(Date.UTC(2023, 7, 13, 8, 7, 54));
    expect(row.updated).toBe(row.time);
    expect(bem.normalize({ ...DOC_EVENT, createdAt: '2023-08-13T08:07:54Z' }).time).toBe(row.time);
    expect(bem.normalize({ ...DOC_EVENT, createdAt: '2023-08-13T03:07:54.250-05:00' }).time).toBe(row.time + 250);
    expect(row).toMatchObject({ id: DOC_EVENT.eventID, type: 'transform', raw: DOC_EVENT });
  });

  it('takes the object from callID, then functionCallID, then referenceID', () => {
    expect(bem.normalize(DOC_EVENT).object).toBe('call_1');
    expect(bem.normalize(OLDER).object).toBe('fc_2');
    expect(bem.normalize({ eventID: 'e', eventType: 't', createdAt: '2024-01-01T00:00:00Z', referenceID: 'r' }).object).toBe('r');
    expect(bem.normalize({ eventID: 'e', eventType: 't', createdAt: '2024-01-01T00:00:00Z' }).object).toBeNull();
  });

  it('dates an event without createdAt by the second embedded in its KSUID', () => {
    const { createdAt: _, ...bare } = DOC_EVENT;
    expect(bem.normalize(bare).time).toBe(Date.parse('2024-02-05T20:46:58Z'));
  });

  it('refuses an event with neither createdAt nor a KSUID, or with a bad createdAt', () => {
    expect(() => bem.normalize({ eventID: 'evt_1', eventType: 'join' })).toThrow(/createdAt/);
    expect(() => bem.normalize({ ...DOC_EVENT, createdAt: 'yesterday' })).toThrow(ShapeError);
    expect(() => bem.normalize({ ...DOC_EVENT, eventType: '' })).toThrow(/eventType/);
  });
});

describe('ksuidTime', () => {
  it('decodes Segment’s reference KSUID', () => {
    // `ksuid -f inspect 0ujtsYcgvSTl8PAuAdqWYSMnLOv`: timestamp 107608047 = 2017-10-10T04:00:47Z.
    expect(ksuidTime('0ujtsYcgvSTl8PAuAdqWYSMnLOv')).toBe(Date.parse('2017-10-10T04:00:47Z'));
  });

  it('reads back the second of the KSUIDs the fake makes', () => {
    const t = Date.parse('2026-03-01T12:34:56.789Z');
    expect(ksuidTime(ksuid(t, 7))).toBe(Date.parse('2026-03-01T12:34:56Z'));
  });

  it('returns undefined for what is not a KSUID', () => {
    for (const id of ['', 'evt_123', '0ujtsYcgvSTl8PAuAdqWYSMnLO', 'zzzzzzzzzzzzzzzzzzzzzzzzzzz', '0ujtsYcgvSTl8PAuAdqWYSMnLO-']) {
      expect(ksuidTime(id)).toBeUndefined();
    }
  });
});

describe('bem errors and rate limits', () => {
  it('reads {message, code, details}', () => {
    expect(bem.errorMessage(response(400, { message: 'startingAfter and endingBefore are contradictory', code: 400 }))).toBe(
      'startingAfter and endingBefore are contradictory',
    );
    expect(bem.errorMessage(response(422, { message: 'invalid filter', code: 422, details: { field: 'eventTypes' } }))).toBe(
      'invalid filter ({"field":"eventTypes"})',
    );
    const long = bem.errorMessage(response(422, { message: 'bad', details: { text: 'x'.repeat(500) } }));
    expect(long!.length).toBeLessThan(220);
    expect(bem.errorMessage(response(502, undefined))).toBeUndefined();
  });

  it('honours retry-after-ms on a 429 and otherwise leaves Retry-After to the client', () => {
    expect(bem.rateLimit!(response(429, { message: 'slow down' }, { 'retry-after-ms': '250' }))).toEqual({ waitMs: 250 });
    expect(bem.rateLimit!(response(429, { message: 'slow down' }, { 'retry-after': '3' }))).toBeUndefined();
    expect(bem.rateLimit!(response(429, undefined, { 'retry-after-ms': 'soon' }))).toBeUndefined();
    expect(bem.rateLimit!(response(200, { events: [] }, { 'retry-after-ms': '250' }))).toBeUndefined();
    // A silly wait is capped like any other asked-for wait (two minutes).
    expect(bem.rateLimit!(response(429, undefined, { 'retry-after-ms': '9999999' }))).toEqual({ waitMs: 120_000 });
  });
});

describe('bem remote filters', () => {
  const encoded = (req: ApiRequest) => encodeQuery(req.query, bem.arrayFormat);

  it('sends exact types as one CSV eventTypes, never a repeated key', () => {
    const req = bem.remoteRequest!({ types: ['transform', 'join', 'transform'], where: [] }, 50);
    expect(encoded(req)).toBe('?limit=50&sortOrder=desc&eventTypes=transform%2Cjoin');
    expect(new URLSearchParams(encoded(req)).getAll('eventTypes')).toEqual(['transform,join']);
  });

  it('keeps prefix patterns (and so every type with them) for local filtering', () => {
    const req = bem.remoteRequest!({ types: ['split_*', 'join'], where: [] }, 500);
    expect(req.query).toEqual({ limit: 100, sortOrder: 'desc' });
  });

  it('maps --where keys and event fields to the same-named CSV params, and leaves the rest local', () => {
    const req = bem.remoteRequest!(
      {
        types: [],
        since: 1,
        until: 2,
        where: [
          { path: 'callID', value: 'call_1' },
          { path: 'callIDs', value: 'call_2' },
          { path: 'functionNames', value: 'invoice-extract' },
          { path: 'referenceIDs', value: 'r1' },
          { path: 'eventIDs', value: 'e1' },
          { path: 'functionIDs', value: 'f1' },
          { path: 'isLabelled', value: 'true' },
          { path: 'transformedContent.total', value: '10' },
        ],
      },
      20,
    );
    const params = new URLSearchParams(encoded(req));
    expect(Object.fromEntries(params)).toEqual({
      limit: '20',
      sortOrder: 'desc',
      isLabelled: 'true',
      callIDs: 'call_1,call_2',
      functionNames: 'invoice-extract',
      referenceIDs: 'r1',
      eventIDs: 'e1',
      functionIDs: 'f1',
    });
    // No time parameters exist on bem: since/until stay with the caller.
    expect([...params.keys()].some((k) => /since|until|created/i.test(k))).toBe(false);
  });
});

describe('a bem walk through the HTTP layer', () => {
  it('sends exactly the documented requests and stops on the empty page', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get('https://api.bem.ai');
    const seen: string[] = [];
    const reply = (body: Json) => (opts: { path: string; headers: unknown }) => {
      seen.push(opts.path);
      return body as object;
    };
    pool.intercept({ path: '/v1-alpha/events?limit=100&sortOrder=desc', method: 'GET', headers: { 'x-api-key': 'k' } })
      .reply(200, reply({ events: [DOC_EVENT], totalCount: 2 }));
    pool.intercept({ path: `/v1-alpha/events?limit=100&sortOrder=desc&startingAfter=${DOC_EVENT.eventID}`, method: 'GET' })
      .reply(200, reply({ events: [OLDER], totalCount: 2 }));
    pool.intercept({ path: `/v1-alpha/events?limit=100&sortOrder=desc&startingAfter=${OLDER.eventID}`, method: 'GET' })
      .reply(200, reply({ events: [], totalCount: 2 }));
    const client = new ApiClient({ provider: bem, baseUrl: bem.defaultBaseUrl, apiKey: 'k', profileName: '', retries: 0, timeoutMs: 1000, dispatcher: agent });
    const pages = [];
    for await (const page of walkPages({ provider: bem, client, from: head })) pages.push(page);
    expect(pages.map((p) => p.rows.map((r) => r.id))).toEqual([[DOC_EVENT.eventID], [OLDER.eventID], []]);
    expect(pages.map((p) => p.total)).toEqual([2, 2, 2]);
    expect(seen).toHaveLength(3);
    agent.assertNoPendingInterceptors();
    await agent.close();
  });
});
