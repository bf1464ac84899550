// Reads a provider description (format.ts) out of parsed JSON, checking every field: the first
// problem is one line naming the field and what is allowed (UsageError, exit 2).
import { PROVIDER_NAMES } from '../names.js';
import { Checker, join } from './check.js';
import { FORMAT_VERSION, PAGING_STYLES, TIME_FORMATS, type Auth, type Description, type Filters, type Paging, type RateLimit, type TimeField, type TimeFilter, type Webhook } from './format.js';

type Obj = Record<string, unknown>;

const TOP = ['format', 'name', 'title', 'notes', 'baseUrl', 'list', 'get', 'auth', 'paging', 'order', 'fields', 'filters', 'arrays', 'rateLimit', 'errors', 'retentionDays', 'webhook'];
/** A described provider's name: also its file name in the config dir, so nothing path-like. */
export const NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** The description in `json` (parsed from `file`, which messages name), or a UsageError. */
export function validateDescription(json: unknown, file: string): Description {
  const c = new Checker(file);
  const top = c.object(json, '', TOP);
  if (top.format !== FORMAT_VERSION) c.fail('format', `must be ${FORMAT_VERSION} (this version of the format), not ${JSON.stringify(top.format ?? null)}`);
  const name = c.string(top, 'name', '');
  if (!NAME.test(name)) c.fail('name', `"${name}" is not a usable name: lower-case letters, digits, "-" and "_", at most 40, starting with a letter or digit`);
  if ((PROVIDER_NAMES as string[]).includes(name)) c.fail('name', `"${name}" is a built-in provider; choose another name`);
  c.optionalString(top, 'notes', '');
  const baseUrl = c.string(top, 'baseUrl', '');
  if (!/^https?:\/\/[^/\s]+/.test(baseUrl) || !URL.canParse(baseUrl)) c.fail('baseUrl', `"${baseUrl}" is not an http:// or https:// URL`);

  const list = c.object(top.list ?? c.fail('list', 'missing; it says where the events are listed'), 'list', ['method', 'path', 'events', 'params']);
  // Any parameter name is allowed here: the object's own keys.
  const params = list.params === undefined ? {} : c.object(list.params, 'list.params', Object.keys(list.params ?? {}));
  for (const [key, value] of Object.entries(params)) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) c.fail(join('list.params', key), 'must be a string, number or boolean');
  }
  const description: Description = {
    format: FORMAT_VERSION,
    name,
    title: c.string(top, 'title', '', name),
    baseUrl: baseUrl.replace(/\/+$/, ''),
    list: {
      method: c.choice(list, 'method', 'list', ['GET', 'POST'], 'GET'),
      path: urlPath(c, list, 'list'),
      events: c.string(list, 'events', 'list'),
      params: params as Record<string, string | number | boolean>,
    },
    get: readGet(c, top.get),
    auth: readAuth(c, top.auth),
    paging: readPaging(c, top.paging),
    order: c.choice(top, 'order', '', ['newest-first', 'oldest-first', 'unordered'], 'newest-first'),
    fields: readFields(c, top.fields),
    filters: readFilters(c, top.filters),
    arrays: c.choice(top, 'arrays', '', ['repeat', 'comma'], 'repeat'),
    rateLimit: readRateLimit(c, top.rateLimit),
    errors: c.paths(top, 'errors', '', false),
    retentionDays: c.integer(top, 'retentionDays', '', 1, 36_500),
    webhook: readWebhook(c, top.webhook),
  };
  crossCheck(c, description);
  return description;
}

function urlPath(c: Checker, obj: Obj, field: string): string {
  const path = c.string(obj, 'path', field);
  if (!path.startsWith('/')) c.fail(join(field, 'path'), `"${path}" must start with "/" (it is added to baseUrl)`);
  return path;
}

function readGet(c: Checker, value: unknown): Description['get'] {
  if (value === undefined) return undefined;
  const get = c.object(value, 'get', ['path', 'event']);
  const path = urlPath(c, get, 'get');
  if (!path.includes('{id}')) c.fail('get.path', `"${path}" must hold the placeholder {id}`);
  return { path, event: c.string(get, 'event', 'get', '') };
}

function readAuth(c: Checker, value: unknown): Auth {
  const auth = c.object(value ?? c.fail('auth', 'missing; say how the API key is sent, e.g. {"type": "bearer"}'), 'auth', ['type', 'key', 'name', 'prefix']);
  const type = c.choice(auth, 'type', 'auth', ['bearer', 'basic', 'header', 'query', 'none']);
  const allowed: Record<typeof type, string[]> = { bearer: [], none: [], basic: ['key'], header: ['name', 'prefix'], query: ['name'] };
  for (const key of Object.keys(auth)) if (key !== 'type' && !allowed[type].includes(key)) c.fail(join('auth', key), `not used by auth type "${type}"`);
  if (type === 'basic') return { type, key: c.choice(auth, 'key', 'auth', ['user', 'password']) };
  if (type === 'header') {
    const name = c.string(auth, 'name', 'auth');
    if (!/^[A-Za-z0-9-]+$/.test(name)) c.fail('auth.name', `"${name}" is not a header name`);
    return { type, name: name.toLowerCase(), prefix: c.string(auth, 'prefix', 'auth', '') };
  }
  if (type === 'query') return { type, name: c.string(auth, 'name', 'auth') };
  return { type };
}

function readPaging(c: Checker, value: unknown): Paging {
  const keys = ['style', 'param', 'cursorField', 'from', 'firstPage', 'limit', 'hasMore', 'end', 'window'];
  const p = c.object(value ?? c.fail('paging', `missing; give {"style": …} with one of ${PAGING_STYLES.join(', ')}`), 'paging', keys);
  const style = c.choice(p, 'style', 'paging', PAGING_STYLES);
  let limit: Paging['limit'];
  if (p.limit !== undefined) {
    const l = c.object(p.limit, 'paging.limit', ['param', 'max']);
    limit = { param: c.string(l, 'param', 'paging.limit'), max: c.integer(l, 'max', 'paging.limit', 1, 100_000) ?? c.fail('paging.limit.max', 'missing; the largest page the API serves') };
  }
  const needsParam = style === 'id-cursor' || style === 'body-token' || style === 'offset' || style === 'page';
  const needsFrom = style === 'body-token' || style === 'next-url';
  const paging: Paging = {
    style,
    param: needsParam ? c.string(p, 'param', 'paging') : undefined,
    cursorField: c.optionalString(p, 'cursorField', 'paging'),
    from: needsFrom ? c.string(p, 'from', 'paging') : undefined,
    firstPage: c.integer(p, 'firstPage', 'paging', 0, 1, 1)!,
    limit,
    hasMore: c.optionalString(p, 'hasMore', 'paging'),
    end: c.choice(p, 'end', 'paging', ['empty-page', 'short-page'], 'empty-page'),
    window: c.boolean(p, 'window', 'paging', false),
  };
  const unused = (key: string, why: string) => p[key] !== undefined && c.fail(join('paging', key), `not used by paging style "${style}" (${why})`);
  if (!needsParam) unused('param', 'the API gives the next page itself');
  if (!needsFrom) unused('from', 'only body-token and next-url read the next page from the body');
  if (style !== 'id-cursor') unused('cursorField', 'only id-cursor reads a cursor from the last event');
  if (style !== 'page') unused('firstPage', 'only page numbers have a first page');
  if (paging.end === 'short-page' && !limit) c.fail('paging.end', '"short-page" needs paging.limit: a page is short against the size asked for');
  return paging;
}

function timeField(c: Checker, value: unknown, field: string): TimeField {
  const t = c.object(value, field, ['path', 'format']);
  return { path: c.string(t, 'path', field), format: c.choice(t, 'format', field, TIME_FORMATS) };
}

function readFields(c: Checker, value: unknown): Description['fields'] {
  const f = c.object(value ?? c.fail('fields', 'missing; say where id, type and time are in an event'), 'fields', ['id', 'type', 'time', 'updated', 'object', 'summary']);
  if (f.time === undefined) c.fail('fields.time', 'missing; give {"path": …, "format": one of iso8601, epoch-seconds, epoch-ms}');
  return {
    id: c.string(f, 'id', 'fields'),
    type: c.paths(f, 'type', 'fields', true),
    time: timeField(c, f.time, 'fields.time'),
    updated: f.updated === undefined ? undefined : timeField(c, f.updated, 'fields.updated'),
    object: c.paths(f, 'object', 'fields', false),
    summary: c.paths(f, 'summary', 'fields', false),
  };
}

function timeFilter(c: Checker, value: unknown, field: string): TimeFilter | undefined {
  if (value === undefined) return undefined;
  const t = c.object(value, field, ['param', 'format', 'inclusive']);
  return { param: c.string(t, 'param', field), format: c.choice(t, 'format', field, TIME_FORMATS), inclusive: c.boolean(t, 'inclusive', field, true) };
}

function readFilters(c: Checker, value: unknown): Filters {
  if (value === undefined) return {};
  const f = c.object(value, 'filters', ['type', 'since', 'until']);
  let type: Filters['type'];
  if (f.type !== undefined) {
    const t = c.object(f.type, 'filters.type', ['param', 'style', 'template']);
    const template = c.optionalString(t, 'template', 'filters.type');
    if (template !== undefined && !template.includes('{type}')) c.fail('filters.type.template', `"${template}" must hold the placeholder {type}`);
    type = { param: c.string(t, 'param', 'filters.type'), style: c.choice(t, 'style', 'filters.type', ['single', 'repeat', 'csv'], 'single'), template };
  }
  return { type, since: timeFilter(c, f.since, 'filters.since'), until: timeFilter(c, f.until, 'filters.until') };
}

function readRateLimit(c: Checker, value: unknown): RateLimit {
  if (value === undefined) return {};
  const r = c.object(value, 'rateLimit', ['reset', 'remaining', 'waitPath']);
  let reset: RateLimit['reset'];
  if (r.reset !== undefined) {
    const o = c.object(r.reset, 'rateLimit.reset', ['header', 'format']);
    reset = { header: c.string(o, 'header', 'rateLimit.reset').toLowerCase(), format: c.choice(o, 'format', 'rateLimit.reset', ['epoch-seconds', 'epoch-ms', 'delta-seconds', 'delta-ms']) };
  }
  let remaining: RateLimit['remaining'];
  if (r.remaining !== undefined) {
    const o = c.object(r.remaining, 'rateLimit.remaining', ['header', 'low']);
    remaining = { header: c.string(o, 'header', 'rateLimit.remaining').toLowerCase(), low: c.integer(o, 'low', 'rateLimit.remaining', 0, 1_000_000, 0)! };
    if (!reset) c.fail('rateLimit.remaining', 'needs rateLimit.reset: how long to wait once few requests are left');
  }
  return { reset, remaining, waitPath: c.optionalString(r, 'waitPath', 'rateLimit') };
}

function readWebhook(c: Checker, value: unknown): Webhook {
  if (value === undefined) return { scheme: 'none' };
  const w = c.object(value, 'webhook', ['scheme', 'provider', 'header', 'encoding', 'prefix']);
  const scheme = c.choice(w, 'scheme', 'webhook', ['builtin', 'stripe', 'standard-webhooks', 'svix', 'hmac-sha256', 'none']);
  const allowed: Record<typeof scheme, string[]> = { builtin: ['provider'], stripe: ['header'], 'standard-webhooks': [], svix: [], 'hmac-sha256': ['header', 'encoding', 'prefix'], none: [] };
  for (const key of Object.keys(w)) if (key !== 'scheme' && !allowed[scheme].includes(key)) c.fail(join('webhook', key), `not used by webhook scheme "${scheme}"`);
  if (scheme === 'builtin') return { scheme, provider: c.choice(w, 'provider', 'webhook', PROVIDER_NAMES) };
  if (scheme === 'stripe') return { scheme, header: c.string(w, 'header', 'webhook', 'Stripe-Signature').toLowerCase() };
  if (scheme === 'hmac-sha256') {
    return { scheme, header: c.string(w, 'header', 'webhook').toLowerCase(), encoding: c.choice(w, 'encoding', 'webhook', ['hex', 'base64'], 'hex'), prefix: c.string(w, 'prefix', 'webhook', '') };
  }
  return { scheme };
}

/** What no single field can say wrong: combinations a walk could not work with. */
function crossCheck(c: Checker, d: Description): void {
  if (d.paging.window && (!d.filters.since || !d.filters.until)) c.fail('paging.window', 'a frozen window needs filters.since and filters.until');
  if (d.order !== 'newest-first' && !d.filters.since) {
    c.fail('order', `"${d.order}" needs filters.since: each sync starts just below the newest event it holds, which only a time filter can say`);
  }
}
