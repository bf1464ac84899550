// Close (docs/providers.md §3): HTTP Basic with the key as username, GET /event/ newest first by the
// *mutable* date_updated, an opaque `_cursor` (from `cursor_next`) that must be re-sent with the
// same non-date filters, pages of at most 50, only some filter combinations, 30 days of history.
// Events change after the fact (consolidation bumps date_updated), so sync relies on the engine's
// overlap rescan and on upserts where the newer date_updated wins.
import { UsageError } from '../errors.js';
import { headerValue, parseDelay, retryAfterMs } from '../http/backoff.js';
import { ShapeError } from '../http/client.js';
import { expectEventArray, expectObject, firstString, isObject, parseTimestamp, requireStr, str } from './fields.js';
import type { ApiRequest, Json, JsonObject, Page, Provider, RateLimitAdvice, RemoteFilters, ResponseInfo, WalkStart } from './types.js';
import { hmac } from './webhook.js';

const LIST_PATH = '/event/';
/** "capped at and defaulting to 50": asking for more is silently ignored by the API. */
const PAGE_SIZE = 50;
/** Slow down once the window has this few requests left, before the API starts refusing. */
const LOW_REMAINING = 1;

/** The filters Close takes on /event/; `date_updated__*` may be added to any allowed set. */
const FILTER_KEYS = ['object_type', 'object_id', 'action', 'lead_id', 'user_id', 'request_id'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

/** The combinations docs/providers.md §3.3 lists, in its order; no filter at all is fine too. */
const ALLOWED = [
  'object_type object_id', 'object_type action', 'object_id action', 'lead_id object_type',
  'lead_id object_type action', 'lead_id user_id object_type', 'lead_id user_id object_type action',
  'lead_id user_id', 'user_id object_id', 'user_id object_id action', 'user_id object_type',
  'user_id object_type action', 'lead_id', 'user_id', 'request_id',
].map((c) => c.split(' ') as FilterKey[]);

/** A set of filter keys in one canonical spelling, for comparison. */
const canonical = (keys: Iterable<string>) => [...new Set(keys)].sort().join('+');
const ALLOWED_SET = new Set(['', ...ALLOWED.map(canonical)]);

/** Whether Close serves /event/ filtered on exactly these keys (date_updated__* aside). */
export function allowedCombination(keys: Iterable<string>): boolean {
  return ALLOWED_SET.has(canonical(keys));
}

/** Close wants ISO dates; `Z` avoids its `X-TZ-Offset` reading of naive ones. */
const iso = (ms: number) => new Date(ms).toISOString();

/** A list request; unset filters are left out, so a saved position holds only what is sent. */
function listRequest(query: NonNullable<ApiRequest['query']>): ApiRequest {
  const sent = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
  return { method: 'GET', path: LIST_PATH, query: { _limit: PAGE_SIZE, ...sent } };
}

/** One field of the IETF-draft `RateLimit: limit=…, remaining=…, reset=…` header Close sends. */
function rateLimitField(res: ResponseInfo, field: 'remaining' | 'reset'): string | undefined {
  const header = headerValue(res.headers, 'ratelimit');
  return header ? new RegExp(`(?:^|[,;\\s])${field}=([\\d.]+)`).exec(header)?.[1] : undefined;
}

/** The window's reset in ms, from RateLimit, then the X-Rate-Limit-Reset header. */
function resetMs(res: ResponseInfo): number | undefined {
  const reset = rateLimitField(res, 'reset') ?? headerValue(res.headers, 'x-rate-limit-reset');
  return reset === undefined ? undefined : parseDelay(reset);
}

/** `{error: "…"}`, `{error: {message}}` or `{errors: [...], "field-errors": {...}}` as one line. */
function describeErrors(body: Json | undefined): string | undefined {
  const simple = firstString(body, ['error.message', 'error.description', 'error', 'message', 'detail']);
  if (simple || !isObject(body)) return simple;
  const parts: string[] = [];
  if (Array.isArray(body.errors)) for (const e of body.errors) parts.push(flatten(e));
  const fields = body['field-errors'];
  if (isObject(fields)) for (const [k, v] of Object.entries(fields)) parts.push(`${k}: ${flatten(v)}`);
  const line = parts.filter((p) => p !== '').join('; ');
  return line === '' ? undefined : line;
}

function flatten(value: Json): string {
  if (typeof value === 'string') return value.trim();
  if (Array.isArray(value)) return value.map(flatten).join(', ');
  if (isObject(value)) return str(value, 'message') ?? JSON.stringify(value);
  return value === null ? '' : String(value);
}

export const close: Provider = {
  name: 'close',
  defaultBaseUrl: 'https://api.close.com/api/v1',
  eventsPath: ['data'],
  eventPath: [],
  arrayFormat: 'repeat',
  retentionDays: 30,

  authHeaders: (apiKey) => ({ authorization: `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}` }),

  firstRequest(start: WalkStart): ApiRequest {
    // Below a boundary we use __lte, not __lt: several events can share a millisecond (Close keeps
    // ms precision), and the ones already stored are simply upserted again.
    return listRequest({
      date_updated__gte: start.floor === undefined ? undefined : iso(start.floor),
      date_updated__lte: start.below ? iso(start.below.updated) : undefined,
    });
  },

  readPage(body: Json, request: ApiRequest): Page {
    const list = expectObject(body, 'a Close event list');
    const events = expectEventArray(list, 'data', 'events');
    const cursor = list.cursor_next;
    if (cursor !== null && cursor !== undefined && typeof cursor !== 'string') {
      throw new ShapeError('Close event list with a "cursor_next" that is not a string');
    }
    // The cursor must travel with the same filters; the date ones are kept too (tap-closeio does),
    // which the API accepts and which keeps a resumed walk inside its window.
    if (!cursor || events.length === 0) return { events, next: null };
    return { events, next: { ...request, query: { ...request.query, _cursor: cursor } } };
  },

  getRequest: (id) => ({ method: 'GET', path: `${LIST_PATH}${encodeURIComponent(id)}/` }),

  readOne(body: Json): JsonObject | null {
    if (!isObject(body)) throw new ShapeError('response is not a Close event');
    return body;
  },

  normalize(raw: JsonObject) {
    const time = parseTimestamp(str(raw, 'date_created'), 'close', 'date_created');
    const updated = raw.date_updated === undefined ? time : parseTimestamp(str(raw, 'date_updated'), 'close', 'date_updated');
    return {
      id: requireStr(raw, 'id', 'close'),
      // Close events have no single type field: the type is the object type and the action,
      // e.g. `lead.created` or `activity.email.sent` (object types may themselves hold dots).
      type: `${requireStr(raw, 'object_type', 'close')}.${requireStr(raw, 'action', 'close')}`,
      time,
      updated,
      object: str(raw, 'object_id') ?? null,
      raw,
    };
  },

  errorMessage: (res) => describeErrors(res.json),

  summarize(raw: JsonObject): string {
    // The object, a name people recognise, and what changed: `lead_1 Acme Inc. changed name, status`.
    const data = isObject(raw.data) ? raw.data : undefined;
    const label = firstString(data, ['display_name', 'name', 'subject', 'status_label', 'title']);
    const changed = Array.isArray(raw.changed_fields) ? raw.changed_fields.filter((f): f is string => typeof f === 'string') : [];
    const merged = firstString(raw.meta, ['merge_source_lead_id']);
    return [
      str(raw, 'object_id'),
      label && label.length > 60 ? `${label.slice(0, 59)}…` : label,
      changed.length > 0 ? `changed ${changed.join(', ')}` : undefined,
      merged ? `merged from ${merged}` : undefined,
    ]
      .filter((p) => p !== undefined && p !== '')
      .join(' ');
  },

  rateLimit(res: ResponseInfo): RateLimitAdvice | undefined {
    if (res.status === 429) {
      const body = res.json;
      const reset = isObject(body) && isObject(body.error) ? body.error.rate_reset : undefined;
      const fromBody = typeof reset === 'number' || typeof reset === 'string' ? parseDelay(String(reset)) : undefined;
      const waitMs = fromBody ?? resetMs(res) ?? retryAfterMs(res.headers);
      return waitMs === undefined ? undefined : { waitMs };
    }
    if (res.status < 200 || res.status >= 300) return undefined;
    // Pace ourselves when the window is nearly spent, rather than collect a 429 and back off.
    const remaining = rateLimitField(res, 'remaining') ?? headerValue(res.headers, 'x-rate-limit-remaining');
    if (remaining === undefined || Number(remaining) > LOW_REMAINING) return undefined;
    const waitMs = resetMs(res);
    return waitMs ? { waitMs } : undefined;
  },

  remoteRequest(filters: RemoteFilters, limit: number): ApiRequest {
    const query: Partial<Record<FilterKey, string>> = {};
    for (const { path, value } of filters.where) {
      if (!(FILTER_KEYS as readonly string[]).includes(path)) continue; // applied locally
      const key = path as FilterKey;
      if (query[key] !== undefined && query[key] !== value) {
        throw new UsageError(`close: the API filters on one ${key} at a time (got "${query[key]}" and "${value}")`);
      }
      query[key] = value;
    }
    const keys = Object.keys(query);
    if (!allowedCombination(keys)) {
      const allowed = ALLOWED.map((c) => (c.length === 1 ? `${c[0]} alone` : c.join(' + ')));
      throw new UsageError(
        `close: the API cannot filter on ${keys.length === 1 ? `${keys[0]} alone` : keys.join(' + ')}; ` +
          `it allows --where ${allowed.join(', ')} (each optionally with --since/--until)`,
      );
    }
    // A single exact type is object_type + action; use it only where Close allows the result,
    // else the caller filters by type locally.
    const exact = filters.types.length === 1 && !filters.types[0]!.endsWith('*') ? filters.types[0]! : undefined;
    const dot = exact?.lastIndexOf('.') ?? -1;
    if (exact && dot > 0 && query.object_type === undefined && query.action === undefined) {
      const withType = { ...query, object_type: exact.slice(0, dot), action: exact.slice(dot + 1) };
      if (allowedCombination(Object.keys(withType))) Object.assign(query, withType);
    }
    // Close filters dates on date_updated only, and date_updated >= date_created: __gte=since keeps
    // every event created since then (the caller re-checks the event time), but __lte=until would
    // drop events created before `until` and consolidated after it, so --until stays local.
    return listRequest({
      ...query,
      _limit: Math.max(1, Math.min(limit, PAGE_SIZE)),
      date_updated__gte: filters.since === undefined ? undefined : iso(filters.since),
    });
  },

  // docs/webhooks.md §1: the event wrapped with the subscription id, signed with `close-sig-hash`
  // = hex HMAC-SHA256(hex-decoded signature_key, timestamp + body).
  webhook: {
    scheme: 'close-sig-hash',
    // Handlers pick their key by subscription_id, so it must be the user's real whsub_ id.
    body: (raw, options) => `{"event":${raw},"subscription_id":${JSON.stringify(options.subscriptionId ?? null)}}`,
    key(secret) {
      const hex = secret.trim();
      if (!/^(?:[0-9a-fA-F]{2})+$/.test(hex)) throw new UsageError('the close webhook secret must be the subscription\'s hex signature_key');
      return Buffer.from(hex, 'hex');
    },
    headers({ body, ts, key }) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (key) Object.assign(headers, { 'close-sig-timestamp': String(ts), 'close-sig-hash': hmac(key, `${ts}${body}`, 'hex') });
      return headers;
    },
  },
};
