// bem (docs/providers.md §2): `x-api-key` auth, GET /v1-alpha/events with KSUID event ids, a Stripe-like
// `startingAfter` / `endingBefore` id cursor in either `sortOrder` (the API's default is ascending,
// so every walk asks for `desc` explicitly), CSV arrays, and a `{events, totalCount}` envelope.
import { ShapeError } from '../http/client.js';
import { headerValue, parseDelay } from '../http/backoff.js';
import { expectEventArray, expectObject, firstString, isObject, parseTimestamp, requireStr, str } from './fields.js';
import type { ApiRequest, Json, JsonObject, Page, Provider, RemoteFilters, WalkStart } from './types.js';
import { stripeStyle } from './webhook.js';

const LIST_PATH = '/v1-alpha/events';
/** The documented maximum page size. */
const PAGE_SIZE = 100;

/**
 * `--where` keys sent to the server, by the name a user may give: the API's own plural parameter,
 * or the event field it filters on (the path the local `--where` filter reads in the raw event).
 */
const WHERE_PARAMS: Record<string, string> = {
  eventIDs: 'eventIDs', eventID: 'eventIDs',
  callIDs: 'callIDs', callID: 'callIDs',
  functionIDs: 'functionIDs', functionID: 'functionIDs',
  functionNames: 'functionNames', functionName: 'functionNames',
  referenceIDs: 'referenceIDs', referenceID: 'referenceIDs',
  isLabelled: 'isLabelled',
};

function listRequest(query: ApiRequest['query']): ApiRequest {
  // Newest first: the head walk goes down from the newest event and the shared loop stops it at
  // the floor; `asc` (the default) would have to walk the whole history to reach the head.
  return { method: 'GET', path: LIST_PATH, query: { limit: PAGE_SIZE, sortOrder: 'desc', ...query } };
}

const KSUID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** KSUID timestamps count seconds from this epoch (Segment's KSUID spec), not from 1970. */
const KSUID_EPOCH_S = 1_400_000_000;

/**
 * The creation time (epoch ms, second precision) embedded in a KSUID: 27 base62 characters for
 * 20 bytes, of which the first 4 are seconds since KSUID_EPOCH_S. Undefined if `id` is no KSUID.
 */
export function ksuidTime(id: string): number | undefined {
  if (!/^[0-9A-Za-z]{27}$/.test(id)) return undefined;
  let n = 0n;
  for (const c of id) n = n * 62n + BigInt(KSUID_ALPHABET.indexOf(c));
  if (n >> 160n !== 0n) return undefined; // larger than 20 bytes: not a KSUID
  return (Number(n >> 128n) + KSUID_EPOCH_S) * 1000;
}

export const bem: Provider = {
  name: 'bem',
  defaultBaseUrl: 'https://api.bem.ai',
  // "Formatted as a CSV array": the SDKs use qs arrayFormat 'comma'; a repeated key is not read.
  eventsPath: ['events'],
  eventPath: [],
  arrayFormat: 'comma',

  authHeaders: (apiKey) => ({ 'x-api-key': apiKey }),

  firstRequest(start: WalkStart): ApiRequest {
    // bem has no time filter: a walk starts at the head, or just below a known event (in desc
    // order, `startingAfter` = older than it), and the shared loop stops it below the floor.
    return listRequest(start.below ? { startingAfter: start.below.id } : {});
  },

  readPage(body: Json, request: ApiRequest): Page {
    const list = expectObject(body, 'a bem event list');
    const events = expectEventArray(list, 'events', 'events');
    const total = typeof list.totalCount === 'number' ? list.totalCount : undefined;
    // The end is an empty page (as in the SDKs), or a page shorter than both the `limit` asked for
    // and a page this walk was already served: that saves a walk's last request, while a server
    // that caps `limit` silently (pages of its cap while more follow) still walks to its end.
    // `state.served` carries the longest page so far; a walk whose first page is short still asks
    // once more, since that page alone cannot tell a cap from the end.
    const limit = Number(request.query?.limit ?? PAGE_SIZE);
    const served = typeof request.state?.served === 'number' ? request.state.served : 0;
    if (events.length === 0 || (events.length < limit && events.length < served)) return { events, next: null, total };
    const state = { ...request.state, served: Math.max(served, events.length) };
    const query = { ...request.query };
    // Forward pages continue after the last item; a backward walk (endingBefore) before the first.
    // The two cursors are never sent together: the API calls that contradictory (400).
    if (query.endingBefore !== undefined) {
      query.endingBefore = requireStr(events[0]!, 'eventID', 'bem');
    } else {
      query.startingAfter = requireStr(events[events.length - 1]!, 'eventID', 'bem');
    }
    return { events, next: { ...request, query, state }, total };
  },

  getRequest: (id) => ({ method: 'GET', path: `${LIST_PATH}/${encodeURIComponent(id)}` }),

  readOne(body: Json): JsonObject | null {
    // Get-one returns the event itself, not wrapped; a missing event is a 404 (NotFoundError).
    if (!isObject(body) || str(body, 'eventID') === undefined) throw new ShapeError('response is not a bem event');
    return body;
  },

  normalize(raw: JsonObject) {
    const id = requireStr(raw, 'eventID', 'bem');
    const time = eventTime(raw, id);
    return {
      id,
      type: requireStr(raw, 'eventType', 'bem'),
      time,
      updated: time,
      // The call is what a user holds (it is what submitting work returns) and it groups every
      // event it produced (split items, several functions); older events only name the function
      // call; the caller's own referenceID is the last resort.
      object: str(raw, 'callID') ?? str(raw, 'functionCallID') ?? str(raw, 'referenceID') ?? null,
      raw,
    };
  },

  errorMessage: (res) => {
    // `{message, code, details}`: message is always there; details (optional) says which field.
    const message = firstString(res.json, ['message', 'error']);
    const details = isObject(res.json) ? res.json.details : undefined;
    if (!message || details === undefined || details === null) return message;
    const text = JSON.stringify(details);
    return `${message} (${text.length > 200 ? `${text.slice(0, 199)}…` : text})`;
  },

  rateLimit(res) {
    // bem documents no rate-limit headers; its SDKs honour `retry-after-ms` before `retry-after`.
    // Only the ms form is read here: the client already reads Retry-After when this says nothing.
    if (res.status !== 429) return undefined;
    const ms = Number(headerValue(res.headers, 'retry-after-ms'));
    const waitMs = Number.isFinite(ms) && ms >= 0 ? parseDelay(String(ms / 1000)) : undefined;
    return waitMs === undefined ? undefined : { waitMs };
  },

  remoteRequest(filters: RemoteFilters, limit: number): ApiRequest {
    // bem has no time filter: since/until are applied locally by the caller, as are `prefix.*`
    // types, so eventTypes is sent only when every type is exact (else it would hide matches).
    const query: NonNullable<ApiRequest['query']> = { limit: Math.min(Math.max(limit, 1), PAGE_SIZE), sortOrder: 'desc' };
    const exact = filters.types.length > 0 && filters.types.every((t) => !t.includes('*'));
    if (exact) query.eventTypes = [...new Set(filters.types)];
    const lists: Record<string, string[]> = {};
    for (const { path, value } of filters.where) {
      const param = WHERE_PARAMS[path];
      if (param === 'isLabelled') query.isLabelled = value === 'true' || value === '1';
      else if (param) (lists[param] ??= []).push(value);
      // Any other key is not a server filter: it stays local.
    }
    // Several values for one key (`--where callID=a --where callID=b`) are one CSV list, which the
    // server reads as "any of": a local AND of different values of one field matches nothing anyway.
    for (const [param, values] of Object.entries(lists)) query[param] = [...new Set(values)];
    return { method: 'GET', path: LIST_PATH, query };
  },

  // docs/webhooks.md §3: the bare event, `bem-signature: t=TS,v1=HEX` of HMAC-SHA256(secret as
  // UTF-8, `TS.body`), Stripe's construction under bem's header name.
  webhook: stripeStyle('bem-signature'),
};

/** createdAt (any offset) as UTC ms; the SDK marks it optional, so fall back on the KSUID's second. */
function eventTime(raw: JsonObject, id: string): number {
  const createdAt = str(raw, 'createdAt');
  if (createdAt !== undefined) return parseTimestamp(createdAt, 'bem', 'createdAt');
  const fromId = ksuidTime(id);
  if (fromId === undefined) throw new ShapeError(`bem event ${id} without "createdAt" and with an id that is not a KSUID`);
  return fromId;
}
