// Seam (docs/providers.md §4): Bearer auth, `POST /events/list` with a JSON body. There is no cursor:
// a walk is a frozen `between` window paged with `limit` + `unstable_offset`, split in halves when
// the offset misbehaves (seam-window.ts). The API's order is not promised (probably newest first;
// fake-seam-connect returns insertion order), so nothing here depends on it: every request is
// bounded below by the walk's floor, which keeps the shared loop's "oldest < floor" stop inert.
import { ShapeError } from '../http/client.js';
import { expectEventArray, expectObject, firstString, isObject, parseTimestamp, requireStr, str } from './fields.js';
import { advance, fromState, toState, type Position, type Window } from './seam-window.js';
import type { ApiRequest, Json, JsonObject, Page, Provider, RemoteFilters, ResponseInfo, WalkStart } from './types.js';
import { standardWebhooks } from './webhook.js';

const LIST_PATH = '/events/list';
const GET_PATH = '/events/get';
/** Seam's default and our page size; no maximum is documented. */
export const PAGE_SIZE = 500;
/** The lower end of a walk with no floor: before any Seam workspace existed. */
export const HORIZON = Date.UTC(2010, 0, 1);
/**
 * `list --until` is about occurred_at but Seam filters on created_at, which comes later (ingestion);
 * the remote upper end is widened by this much so the server never drops a matching event.
 */
const INGESTION_SLACK_MS = 60 * 60_000;
/** Filters of `--where` that Seam applies itself, with their plural form where one exists. */
const ID_FILTERS: Record<string, string | null> = {
  device_id: 'device_ids',
  access_code_id: 'access_code_ids',
  acs_system_id: 'acs_system_ids',
  connected_account_id: null,
};

const iso = (ms: number) => new Date(ms).toISOString();

/** The request for `pos`: its window as `between` (or `since`), on top of the walk's filters. */
function listRequest(pos: Position, filters: JsonObject): ApiRequest {
  const [lo, hi] = pos.window;
  const range: JsonObject = hi === null ? { since: iso(lo) } : { between: [iso(lo), iso(hi)] };
  return {
    method: 'POST',
    path: LIST_PATH,
    body: { ...filters, ...range, limit: pos.limit, unstable_offset: pos.offset },
    state: toState(pos),
  };
}

/** The position a list request stands for: the window comes from the body actually sent. */
function positionOf(req: ApiRequest): { pos: Position; filters: JsonObject } {
  const { since, between, limit, unstable_offset, ...filters } = req.body ?? {};
  let window: Window;
  if (Array.isArray(between) && typeof between[0] === 'string' && typeof between[1] === 'string') {
    window = [Date.parse(between[0]), Date.parse(between[1])];
  } else if (typeof since === 'string') {
    window = [Date.parse(since), null];
  } else {
    throw new ShapeError('seam: a list request without since or between');
  }
  const saved = fromState(req.state);
  const size = typeof limit === 'number' ? limit : PAGE_SIZE;
  const pos: Position = {
    window,
    offset: typeof unstable_offset === 'number' ? unstable_offset : 0,
    limit: size,
    base: saved.base || size,
    queue: saved.queue,
    seen: saved.seen,
    served: saved.served,
    stepped: saved.stepped,
  };
  return { pos, filters };
}

/** A fresh walk of one window at the standard page size. */
function windowRequest(window: Window, filters: JsonObject, limit = PAGE_SIZE): ApiRequest {
  return listRequest({ window, offset: 0, limit, base: limit, queue: [], seen: [], served: 0, stepped: false }, filters);
}

/**
 * created_at as epoch ms rounded *up*: Seam may send microseconds, and an event at floor−0.5 ms
 * (inside a window that starts at floor−1 ms) must not read as older than the floor.
 */
export function createdAtMs(raw: JsonObject): number {
  const value = str(raw, 'created_at');
  const ms = parseTimestamp(value, 'seam', 'created_at');
  const extra = /\.\d{3}(\d+)/.exec(value ?? '')?.[1];
  return extra && /[1-9]/.test(extra) ? ms + 1 : ms;
}

/** The object an event is about: the most specific resource id it carries. */
function objectOf(raw: JsonObject): string | null {
  for (const key of ['device_id', 'access_code_id', 'acs_system_id', 'connected_account_id']) {
    const id = str(raw, key);
    if (id) return id;
  }
  for (const [key, value] of Object.entries(raw)) {
    if (key.endsWith('_id') && key !== 'event_id' && key !== 'workspace_id' && typeof value === 'string' && value !== '') {
      return value;
    }
  }
  return null;
}

/** `since: [field errors]` lines from Seam's zod-style validation_errors, beyond the message. */
function validationDetails(errors: Json | undefined, message: string | undefined): string[] {
  if (!isObject(errors)) return [];
  const out: string[] = [];
  for (const [field, entry] of Object.entries(errors)) {
    const list = field === '_errors' ? entry : isObject(entry) ? entry._errors : undefined;
    if (!Array.isArray(list)) continue;
    for (const text of list) {
      if (typeof text !== 'string' || text === message) continue;
      out.push(field === '_errors' ? text : `${field}: ${text}`);
    }
  }
  return out;
}

export const seam: Provider = {
  name: 'seam',
  defaultBaseUrl: 'https://connect.getseam.com',
  eventsPath: ['events'],
  eventPath: ['event'],
  arrayFormat: 'repeat',
  // Seam promises no order within a window (the fake lists oldest first).
  ordered: false,

  authHeaders: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),

  firstRequest(start: WalkStart): ApiRequest {
    // [floor−1 ms, upper] exclusive = every event created at or after the floor, so no page ever
    // holds an event below it; the +1 ms at the top includes events of the upper millisecond.
    const hi = (start.below ? start.below.updated : start.now) + 1;
    const lo = Math.min((start.floor ?? HORIZON) - 1, hi - 2);
    return windowRequest([lo, hi], {});
  },

  readPage(body: Json, request: ApiRequest): Page {
    const list = expectObject(body, 'a Seam event list');
    if (list.ok === false) throw new ShapeError('Seam event list with "ok": false');
    const events = expectEventArray(list, 'events', 'Seam events');
    const { pos, filters } = positionOf(request);
    const ids = events.map((e) => str(e, 'event_id') ?? '');
    const after = advance(pos, ids, events.length);
    return { events, next: after ? listRequest(after, filters) : null };
  },

  getRequest: (id) => ({ method: 'POST', path: GET_PATH, body: { event_id: id } }),

  readOne(body: Json): JsonObject | null {
    const envelope = expectObject(body, 'a Seam event');
    // A 404 (`event_not_found`) never gets here: the client turns it into NotFoundError.
    if (envelope.event === undefined || envelope.event === null) return null;
    if (!isObject(envelope.event)) throw new ShapeError('response has no Seam "event" object');
    return envelope.event;
  },

  normalize(raw: JsonObject) {
    return {
      id: requireStr(raw, 'event_id', 'seam'),
      type: requireStr(raw, 'event_type', 'seam'),
      time: parseTimestamp(str(raw, 'occurred_at') ?? str(raw, 'created_at'), 'seam', 'occurred_at'),
      // since/between filter on created_at, so that is the time walks and coverage are about.
      updated: createdAtMs(raw),
      object: objectOf(raw),
      raw,
    };
  },

  errorMessage(res: ResponseInfo): string | undefined {
    if (res.json === undefined) {
      // A 401 may have any body; fake-seam-connect answers bad JSON with plain `Invalid JSON`.
      const text = res.text.trim();
      return text !== '' && text.length < 200 && !text.includes('<') ? text.replace(/\s+/g, ' ') : undefined;
    }
    const message = firstString(res.json, ['error.message', 'message']);
    const type = firstString(res.json, ['error.type']);
    const error = isObject(res.json) && isObject(res.json.error) ? res.json.error : undefined;
    const parts = [message, ...validationDetails(error?.validation_errors, message)].filter((p): p is string => !!p);
    const line = parts.join('; ').replace(/\s+/g, ' ');
    if (line === '') return type;
    return type && type !== line ? `${line} (${type})` : line;
  },

  remoteRequest(filters: RemoteFilters, limit: number): ApiRequest {
    const body: JsonObject = {};
    // Seam matches exact types only; `prefix.*` patterns are left to the caller's local filter.
    if (filters.types.length > 0 && filters.types.every((t) => !t.endsWith('*'))) {
      if (filters.types.length === 1) body.event_type = filters.types[0]!;
      else body.event_types = filters.types;
    }
    const values = new Map<string, string[]>();
    for (const { path, value } of filters.where) {
      const single = path.endsWith('_ids') ? path.slice(0, -1) : path;
      if (!(single in ID_FILTERS)) continue;
      values.set(single, [...(values.get(single) ?? []), value]);
    }
    for (const [single, list] of values) {
      const plural = ID_FILTERS[single];
      if (list.length === 1) body[single] = list[0]!;
      else if (plural) body[plural] = list;
    }
    const size = Math.max(1, Math.min(limit, PAGE_SIZE));
    // since/between are exclusive: one millisecond of margin makes --since inclusive.
    const lo = (filters.since ?? HORIZON) - 1;
    const window: Window = filters.until === undefined ? [lo, null] : [lo, filters.until + INGESTION_SLACK_MS + 1];
    return windowRequest(window, body, size);
  },

  // docs/webhooks.md §2: Seam delivers through Svix: the bare event with `svix-id`,
  // `svix-timestamp` and `svix-signature` (Standard Webhooks under the svix- prefix).
  webhook: standardWebhooks('svix', 'Svix', 'seam', 'Svix-Webhooks/1.77.0'),
};
