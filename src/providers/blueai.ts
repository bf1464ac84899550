// BlueAI (docs/providers.md §1): Bearer auth, GET /api/v1/events newest first, Stripe-style
// `starting_after` id cursor, and two possible list envelopes: Stripe's `has_more`, or BlueAI's
// generic `pagination` block (no has_more: the walk ends on a short or empty page).
import { ShapeError } from '../http/client.js';
import { expectEventArray, expectObject, firstString, isObject, parseTimestamp, requireStr, str } from './fields.js';
import type { ApiRequest, Json, JsonObject, Page, Provider, RemoteFilters, WalkStart } from './types.js';
import { standardWebhooks } from './webhook.js';

const LIST_PATH = '/api/v1/events';
/** The documented maximum page size. */
const PAGE_SIZE = 100;

function listRequest(query: ApiRequest['query']): ApiRequest {
  return { method: 'GET', path: LIST_PATH, query: { limit: PAGE_SIZE, ...query } };
}

export const blueai: Provider = {
  name: 'blueai',
  defaultBaseUrl: 'https://api.blueai.jp',
  eventsPath: ['data'],
  eventPath: [],
  arrayFormat: 'repeat',

  authHeaders: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),

  firstRequest(start: WalkStart): ApiRequest {
    // No time filter exists: a walk starts at the head (or after a known id) and the shared
    // loop stops it once a page reaches below the floor.
    return listRequest(start.below ? { starting_after: start.below.id } : {});
  },

  readPage(body: Json, request: ApiRequest): Page {
    const list = expectObject(body, 'a BlueAI event list');
    const events = expectEventArray(list, 'data', 'events');
    const limit = Number(request.query?.limit ?? PAGE_SIZE);
    const last = events[events.length - 1];
    // Envelope (a) says has_more; envelope (b) does not, and a full page may have more behind it.
    const more = typeof list.has_more === 'boolean' ? list.has_more : events.length >= limit;
    if (!more || !last) return { events, next: null };
    return { events, next: { ...request, query: { ...request.query, starting_after: requireStr(last, 'id', 'blueai') } } };
  },

  getRequest: (id) => ({ method: 'GET', path: `${LIST_PATH}/${encodeURIComponent(id)}` }),

  readOne(body: Json): JsonObject | null {
    if (!isObject(body)) throw new ShapeError('response is not a BlueAI event');
    return body;
  },

  normalize(raw: JsonObject) {
    const time = parseTimestamp(str(raw, 'created_at'), 'blueai', 'created_at');
    const data = isObject(raw.data) ? raw.data : undefined;
    return {
      id: requireStr(raw, 'id', 'blueai'),
      type: requireStr(raw, 'type', 'blueai'),
      time,
      updated: time,
      object: str(data, 'id') ?? null,
      raw,
    };
  },

  errorMessage: (res) => {
    const message = firstString(res.json, ['error.message', 'error.code', 'message', 'error']);
    const code = firstString(res.json, ['error.code']);
    return message && code && code !== message ? `${message} (${code})` : message;
  },

  summarize(raw: JsonObject): string {
    // The data object, its id, and the field that moved: `invoice inv_1 sent → paid`.
    const data = isObject(raw.data) ? raw.data : undefined;
    const previous = isObject(raw.previous_attributes) ? raw.previous_attributes : undefined;
    const key = str(data, 'status') !== undefined ? 'status' : str(data, 'stage') !== undefined ? 'stage' : undefined;
    const now = key ? str(data, key) : undefined;
    const before = key ? str(previous, key) : undefined;
    const change = now === undefined ? undefined : before !== undefined && before !== now ? `${before} → ${now}` : now;
    return [str(data, 'object'), str(data, 'id'), change].filter((p) => p !== undefined && p !== '').join(' ');
  },

  remoteRequest(filters: RemoteFilters, limit: number): ApiRequest {
    // BlueAI filters by one exact type only; everything else is applied locally by the caller.
    const exact = filters.types.length === 1 && !filters.types[0]!.endsWith('*') ? filters.types[0] : undefined;
    return { method: 'GET', path: LIST_PATH, query: { limit: Math.min(limit, PAGE_SIZE), type: exact } };
  },

  // BlueAI documents no webhooks (docs/webhooks.md §4), so deliveries use the Standard Webhooks
  // scheme (`webhook-id`, `webhook-timestamp`, `webhook-signature`), said so in a warning.
  webhook: standardWebhooks('webhook', 'Standard Webhooks', 'blueai'),
};
