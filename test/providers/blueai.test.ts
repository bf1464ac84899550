// BlueAI's pure pieces on recorded pages: both envelopes, the cursor, the end of a walk, errors.
import { describe, expect, it } from 'vitest';
import { blueai } from '../../src/providers/blueai.js';
import { ShapeError } from '../../src/http/client.js';
import type { Json } from '../../src/providers/types.js';

const event = (id: string, created = '2026-01-15T10:30:00Z') => ({
  id,
  object: 'event',
  type: 'invoice.created',
  organization_id: 'org_abc123',
  data: { id: 'inv_def456', object: 'invoice', status: 'draft', total_amount: 110000 },
  previous_attributes: null,
  request_id: 'req_xyz789',
  created_at: created,
});

describe('blueai provider', () => {
  const first = blueai.firstRequest({ now: Date.now() });

  it('starts at the head with the largest page, or after a known id', () => {
    expect(first).toEqual({ method: 'GET', path: '/api/v1/events', query: { limit: 100 } });
    const below = blueai.firstRequest({ now: 0, below: { id: 'evt_x', time: 0, updated: 0 } });
    expect(below.query).toEqual({ limit: 100, starting_after: 'evt_x' });
  });

  it('follows has_more with starting_after = the last id (Stripe envelope)', () => {
    const page = blueai.readPage({ object: 'list', has_more: true, data: [event('evt_1'), event('evt_2')] } as Json, first);
    expect(page.events).toHaveLength(2);
    expect(page.next?.query).toEqual({ limit: 100, starting_after: 'evt_2' });
    const last = blueai.readPage({ object: 'list', has_more: false, data: [event('evt_3')] } as Json, page.next!);
    expect(last.next).toBeNull();
  });

  it('without has_more (pagination envelope) ends on a short page and goes on after a full one', () => {
    const small = { ...first, query: { limit: 2 } };
    const full = blueai.readPage({ object: 'list', data: [event('evt_1'), event('evt_2')], pagination: { page: 1, per_page: 2, total: 3, total_pages: 2 } } as Json, small);
    expect(full.next?.query).toEqual({ limit: 2, starting_after: 'evt_2' });
    const short = blueai.readPage({ object: 'list', data: [event('evt_3')], pagination: { page: 1, per_page: 2, total: 3, total_pages: 2 } } as Json, full.next!);
    expect(short.next).toBeNull();
    expect(blueai.readPage({ object: 'list', data: [] } as Json, small).next).toBeNull();
  });

  it('rejects a body of the wrong shape with a ShapeError (retried by the client)', () => {
    expect(() => blueai.readPage({ unexpected: true } as Json, first)).toThrow(ShapeError);
    expect(() => blueai.readPage([] as Json, first)).toThrow(ShapeError);
    expect(() => blueai.normalize({ id: 'evt_1', type: 'x' })).toThrow(/created_at/);
  });

  it('normalises an event: UTC time, the data object as its object', () => {
    const row = blueai.normalize(event('evt_1', '2026-01-15T10:30:00Z'));
    expect(row).toMatchObject({ id: 'evt_1', type: 'invoice.created', time: Date.UTC(2026, 0, 15, 10, 30), object: 'inv_def456' });
    expect(row.updated).toBe(row.time);
  });

  it('turns both documented error bodies into one line', () => {
    const res = (json: Json) => ({ status: 400, headers: {}, json, text: JSON.stringify(json) });
    expect(blueai.errorMessage(res({ error: { code: 'VALIDATION_ERROR', message: 'email is required', details: {} } }))).toBe(
      'email is required (VALIDATION_ERROR)',
    );
    expect(blueai.errorMessage(res({ error: { type: 'invalid_request_error', code: 'required', message: 'limit is required' } }))).toBe(
      'limit is required (required)',
    );
    expect(blueai.errorMessage({ status: 502, headers: {}, json: undefined, text: '<html>' })).toBeUndefined();
  });

  it('gets one event by id, escaped', () => {
    expect(blueai.getRequest('evt_a/b')).toEqual({ method: 'GET', path: '/api/v1/events/evt_a%2Fb' });
    expect(blueai.readOne(event('evt_1') as Json)).toMatchObject({ id: 'evt_1' });
  });
});
