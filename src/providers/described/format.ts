// The provider description format (docs/providers-format.md): one JSON file that says how an event
// API is called and read. Pure data, never code: validate.ts checks a file against these types and
// build.ts turns it into a Provider that runs through the same paging loop and HTTP layer as the
// built-in ones. A path is dotted (`data.object.id`); "" means the body itself.

export const FORMAT_VERSION = 1;

export type TimeFormat = 'iso8601' | 'epoch-seconds' | 'epoch-ms';
export const TIME_FORMATS: TimeFormat[] = ['iso8601', 'epoch-seconds', 'epoch-ms'];

export type Auth =
  | { type: 'bearer' }
  | { type: 'basic'; key: 'user' | 'password' }
  | { type: 'header'; name: string; prefix: string }
  | { type: 'query'; name: string }
  | { type: 'none' };

export type PagingStyle = 'id-cursor' | 'body-token' | 'link-header' | 'next-url' | 'offset' | 'page';
export const PAGING_STYLES: PagingStyle[] = ['id-cursor', 'body-token', 'link-header', 'next-url', 'offset', 'page'];

export interface Paging {
  style: PagingStyle;
  /** The parameter the cursor, token, offset or page number is sent in (not for link-header, next-url). */
  param?: string | undefined;
  /** id-cursor: the event field the cursor is read from (default: fields.id). */
  cursorField?: string | undefined;
  /** body-token: where the next token is in the body; next-url: where the next URL is. */
  from?: string | undefined;
  /** page: the number of the first page (default 1). */
  firstPage: number;
  /** The page-size parameter and the largest size the API allows (sent as is). */
  limit?: { param: string; max: number } | undefined;
  /** A boolean in the body: false ends the list. */
  hasMore?: string | undefined;
  /** When the list ends without hasMore, a next token or link: on an empty page, or a short one. */
  end: 'empty-page' | 'short-page';
  /** Walk a frozen [since, until] window (until = when the walk began): offsets do not shift under new events. */
  window: boolean;
}

export interface TimeField {
  path: string;
  format: TimeFormat;
}

export interface Fields {
  id: string;
  /** One path, or several whose values are joined with "." (Close: object_type.action). */
  type: string[];
  time: TimeField;
  /** When the provider last rewrote the event: the newer version wins and the replaced one is kept. */
  updated?: TimeField | undefined;
  /** The first present of these is the object the event is about. */
  object: string[];
  /** Paths shown (joined by spaces) as tail's one-line summary. */
  summary: string[];
}

export interface TimeFilter {
  param: string;
  format: TimeFormat;
  /** Whether the API includes the bound itself (gte/lte) or not (gt/lt). */
  inclusive: boolean;
}

export interface Filters {
  type?: { param: string; style: 'single' | 'repeat' | 'csv'; template?: string | undefined } | undefined;
  since?: TimeFilter | undefined;
  until?: TimeFilter | undefined;
}

export interface RateLimit {
  /** A header with the wait before the next request: its name and how its value reads. */
  reset?: { header: string; format: 'epoch-seconds' | 'epoch-ms' | 'delta-seconds' | 'delta-ms' } | undefined;
  /** A header with the requests left in the window; at `low` or under, wait for the reset. */
  remaining?: { header: string; low: number } | undefined;
  /** A number of seconds to wait, in a 429's body (Close: error.rate_reset). */
  waitPath?: string | undefined;
}

export type Webhook =
  | { scheme: 'builtin'; provider: 'blueai' | 'bem' | 'close' | 'seam' }
  | { scheme: 'stripe'; header: string }
  | { scheme: 'standard-webhooks' }
  | { scheme: 'svix' }
  | { scheme: 'hmac-sha256'; header: string; encoding: 'hex' | 'base64'; prefix: string }
  | { scheme: 'none' };

export interface Description {
  format: 1;
  name: string;
  title: string;
  baseUrl: string;
  list: {
    method: 'GET' | 'POST';
    path: string;
    /** Where the events array is in a list response. */
    events: string;
    /** Parameters sent with every list request (bem: sortOrder=desc). */
    params: Record<string, string | number | boolean>;
  };
  get?: { path: string; event: string } | undefined;
  auth: Auth;
  paging: Paging;
  /** `unordered`: the API promises no order (Seam); walked as oldest-first ones are. */
  order: 'newest-first' | 'oldest-first' | 'unordered';
  fields: Fields;
  filters: Filters;
  arrays: 'repeat' | 'comma';
  rateLimit: RateLimit;
  errors: string[];
  retentionDays?: number | undefined;
  webhook: Webhook;
}
