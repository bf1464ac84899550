// The contract between a provider and the rest of the tool. A provider is a set of small, pure
// pieces (requests to make, how to read a response, how to normalise an event); the shared
// paging loop (walk.ts), the HTTP layer (src/http) and the sync engine (src/sync) do the rest.

/** The providers written in code (registry.ts). */
export type BuiltinName = 'blueai' | 'bem' | 'close' | 'seam';
/** A built-in provider's name, or a described one's (src/providers/described, `events provider add`). */
export type ProviderName = string;

/** A JSON value as it came off the wire. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/**
 * One HTTP request, as plain data: it is what a walk stores as its resume position, so it must
 * survive JSON.stringify. `query` values that are arrays are encoded by the provider's own rule
 * (`arrayFormat`). `state` is provider bookkeeping that is saved with the position but never sent.
 */
export interface ApiRequest {
  method: 'GET' | 'POST';
  /** Appended to the profile's base URL, e.g. `/api/v1/events`. */
  path: string;
  query?: Record<string, string | number | boolean | string[] | undefined>;
  body?: JsonObject;
  state?: JsonObject;
  /**
   * A URL the API gave for the next page (an RFC 8288 Link header, a next URL in the body): sent
   * as it is instead of the base URL, `path` and `query`, and only to the base URL's origin.
   * `path` still names the request in messages.
   */
  url?: string;
}

/** The normalised columns stored beside each raw event. Times are epoch milliseconds (UTC). */
export interface EventRow {
  id: string;
  type: string;
  /** When the event happened (BlueAI created_at, bem createdAt, Close date_created, Seam occurred_at). */
  time: number;
  /** When the provider last changed it (Close date_updated, Seam created_at; else = time). */
  updated: number;
  /** The id of the object the event is about, if any. */
  object: string | null;
  /** The event as parsed: the normalised columns and filters read it. */
  raw: JsonObject;
  /** The event's JSON text exactly as the provider served it: what the mirror stores and prints. */
  text: string;
}

/** What a provider's normalize gives: the row without its text, which the caller slices. */
export type EventColumns = Omit<EventRow, 'text'>;

/** One page read from a response: its events and the request for the next page (none at the end). */
export interface Page {
  events: JsonObject[];
  next: ApiRequest | null;
  /** How many events the provider says the whole list holds, where it says (bem's totalCount). */
  total?: number | undefined;
}

/** What a page's reader may need besides the body: the response's headers (a Link header) and URL. */
export interface PageMeta {
  headers: Record<string, string | string[] | undefined>;
  /** The URL the page came from, for resolving a relative next link. */
  url: string;
}

/** Where a walk starts: from the newest event down, or below a known boundary. */
export interface WalkStart {
  /**
   * Walk only events at or older than this boundary: the oldest event the mirror holds above a
   * gap. Providers with id cursors start after its id; time-based ones use its time.
   */
  below?: { id: string; time: number; updated: number } | undefined;
  /** The walk may stop once it has seen every event at or newer than this time (epoch ms). */
  floor?: number | undefined;
  /** When the walk began (epoch ms): time-window providers freeze their upper bound here. */
  now: number;
}

/** Filters a provider can apply on its side (`list --remote`). */
export interface RemoteFilters {
  types: string[];
  since?: number | undefined;
  until?: number | undefined;
  where: Array<{ path: string; value: string }>;
}

/** What the HTTP layer should do about a response the provider marks as rate-limited or slow-down. */
export interface RateLimitAdvice {
  /** Wait this long before the next request (ms), e.g. from `Retry-After` or Close's `rate_reset`. */
  waitMs?: number | undefined;
}

export interface ResponseInfo {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, or undefined when it was not JSON. */
  json: Json | undefined;
  text: string;
}

/** Options of a replay that shape the body (Close's envelope names the webhook subscription). */
export interface WebhookOptions {
  subscriptionId?: string | undefined;
}

/**
 * How a provider delivers one event as a webhook (docs/webhooks.md): the body and the signed
 * headers. Pure; the delivery code (src/deliver) sends the bytes and re-signs every attempt.
 */
export interface WebhookFormat {
  /** The signature scheme, for messages (`close-sig-hash`, `Svix`…). */
  scheme: string;
  /** The body for one stored event (its raw JSON text, kept byte for byte inside). */
  body(raw: string, options: WebhookOptions): string;
  /** The secret as handlers hold it, turned into the HMAC key; throws UsageError when malformed. */
  key(secret: string): Uint8Array;
  /** The headers of one attempt at unix second `ts`; signature headers only when `key` is given. */
  headers(input: { body: string; eventId: string; ts: number; key?: Uint8Array | undefined }): Record<string, string>;
}

/** One provider: pure pieces, no I/O. */
export interface Provider {
  name: ProviderName;
  /** The real base URL (docs/cli.md); a profile's base URL replaces it exactly. */
  defaultBaseUrl: string;
  /** How query arrays are encoded: `comma` (bem's CSV) or `repeat` (key=a&key=b). */
  arrayFormat: 'comma' | 'repeat';
  /** The headers that carry the API key. */
  authHeaders(apiKey: string): Record<string, string>;
  /** Query parameters that carry the API key, for APIs that take it there (sent, never logged). */
  authQuery?(apiKey: string): Record<string, string>;
  /** The first request of a walk from `start` down (newest first where the API allows). */
  firstRequest(start: WalkStart): ApiRequest;
  /**
   * Where a list response holds its events, as object keys from the body's root (`["data"]`;
   * `[]` when the body is the array itself): each event's text is sliced from there, as served.
   */
  eventsPath: string[];
  /** Where a get-one response holds the event (`[]`: the body is the event). */
  eventPath: string[];
  /** Reads one list response: the events in it and the next request (null at the end). */
  readPage(body: Json, request: ApiRequest, meta?: PageMeta): Page;
  /** The request that fetches one event by id. */
  getRequest(id: string): ApiRequest;
  /** Reads a get-one response; null means "no such event". */
  readOne(body: Json): JsonObject | null;
  /** Turns one raw event into its normalised row. Throws on an event without id, type or time. */
  normalize(raw: JsonObject): EventColumns;
  /** One clear line from the provider's own error body (`error.message`, `message`, …). */
  errorMessage(response: ResponseInfo): string | undefined;
  /**
   * How long to wait after this response before the next request: on a 429 (its own signal,
   * e.g. Close's `error.rate_reset`) and, for APIs that announce it, when `remaining` is low.
   * Undefined means "use Retry-After or the default backoff".
   */
  rateLimit?(response: ResponseInfo): RateLimitAdvice | undefined;
  /** A request for `list --remote`; throws UsageError for a combination the API refuses. */
  remoteRequest?(filters: RemoteFilters, limit: number): ApiRequest;
  /** How many days of events the API keeps (Close: 30), said once on the first sync. */
  retentionDays?: number;
  /**
   * False when a walk's pages do not come newest first (Seam): then how far down a walk has
   * reached says nothing about what it has seen, and a refused walk restarts whole.
   */
  ordered?: boolean;
  /** A few words on what happened, for tail's lines (`invoice inv_123 paid`); '' when nothing fits. */
  summarize?(raw: JsonObject): string;
  /** How it delivers one event as a webhook (replay, forward): body and signed headers. */
  webhook?: WebhookFormat;
}
