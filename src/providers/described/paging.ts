// The requests of a described provider's walk: the first one (from the walk's start), and the next
// one read off each page, in each paging style. Plain data in, plain data out: the shared loop
// (walk.ts) sends them, so a resumed walk is just its saved request.
import { ShapeError } from '../../http/client.js';
import { isObject } from '../fields.js';
import type { ApiRequest, Json, JsonObject, Page, PageMeta, RemoteFilters, WalkStart } from '../types.js';
import type { Description } from './format.js';
import { getter, text } from './paths.js';
import { boundParam } from './times.js';

type Params = Record<string, string | number | boolean | string[] | undefined>;

export interface Paging {
  firstRequest(start: WalkStart): ApiRequest;
  readPage(body: Json, request: ApiRequest, meta?: PageMeta): Page;
  remoteRequest(filters: RemoteFilters, limit: number): ApiRequest;
}

export function makePaging(d: Description): Paging {
  const { paging, filters } = d;
  const eventsOf = getter(d.list.events);
  const hasMoreOf = paging.hasMore === undefined ? undefined : getter(paging.hasMore);
  const fromOf = paging.from === undefined ? undefined : getter(paging.from);
  const cursorOf = getter(paging.cursorField ?? d.fields.id);
  const param = paging.param ?? '';

  const request = (params: Params): ApiRequest => {
    const sent = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Params;
    return d.list.method === 'GET' ? { method: 'GET', path: d.list.path, query: sent } : { method: 'POST', path: d.list.path, body: sent as JsonObject };
  };
  const paramsOf = (req: ApiRequest): Params => ((d.list.method === 'GET' ? req.query : req.body) ?? {}) as Params;
  /** The parameters every list request starts from: the fixed ones, the page size, the first page. */
  const base = (size = paging.limit?.max): Params => {
    const params: Params = { ...d.list.params };
    if (paging.limit && size !== undefined) params[paging.limit.param] = size;
    if (paging.style === 'offset') params[param] = 0;
    if (paging.style === 'page') params[param] = paging.firstPage;
    return params;
  };
  const bound = (params: Params, side: 'since' | 'until', ms: number | undefined) => {
    const filter = filters[side];
    if (filter && ms !== undefined) params[filter.param] = boundParam(ms, filter, side);
  };
  /** A next page the API gave as a URL, resolved against the page it came from. */
  const followUrl = (req: ApiRequest, href: string, meta: PageMeta | undefined): ApiRequest => {
    let url: URL;
    try {
      url = new URL(href, meta?.url ?? d.baseUrl);
    } catch {
      throw new ShapeError(`${d.name}: a next-page URL that is not a URL: ${href.slice(0, 80)}`);
    }
    // An API that echoes a query-parameter key into its links must not have it saved or shown:
    // the client adds the key to every request it sends.
    if (d.auth.type === 'query') url.searchParams.delete(d.auth.name);
    const { query: _sent, ...rest } = req;
    return { ...rest, path: url.pathname, url: url.href };
  };

  return {
    firstRequest(start) {
      const params = base();
      // Newest first, an id cursor starts below a known event; anything else bounds its time.
      if (d.order === 'newest-first' && paging.style === 'id-cursor' && start.below) params[param] = start.below.id;
      else bound(params, 'until', start.below?.updated ?? (paging.window ? start.now : undefined));
      bound(params, 'since', start.floor);
      return request(params);
    },

    readPage(body, req, meta) {
      const list = eventsOf(body);
      if (!Array.isArray(list) || !list.every(isObject)) throw new ShapeError(`response has no "${d.list.events}" array of events`);
      const events = list as JsonObject[];
      const page = (next: ApiRequest | null): Page => ({ events, next });
      if (events.length === 0) return page(null);
      const more = hasMoreOf?.(body);
      if (more === false) return page(null);
      if (more !== true && paging.end === 'short-page' && events.length < Number(paramsOf(req)[paging.limit!.param] ?? paging.limit!.max)) return page(null);
      const params = paramsOf(req);
      switch (paging.style) {
        case 'id-cursor': {
          const cursor = text(cursorOf(events[events.length - 1]));
          if (cursor === undefined) throw new ShapeError(`${d.name} event without "${paging.cursorField ?? d.fields.id}" to page on`);
          return page(request({ ...params, [param]: cursor }));
        }
        case 'offset':
          return page(request({ ...params, [param]: Number(params[param] ?? 0) + events.length }));
        case 'page':
          return page(request({ ...params, [param]: Number(params[param] ?? paging.firstPage) + 1 }));
        case 'body-token': {
          const token = fromOf!(body);
          if (token === null || token === undefined || token === '') return page(null);
          const value = text(token);
          if (value === undefined) throw new ShapeError(`${d.name}: "${paging.from}" is neither a string nor a number`);
          return page(request({ ...params, [param]: value }));
        }
        case 'next-url': {
          const href = fromOf!(body);
          if (href === null || href === undefined || href === '') return page(null);
          if (typeof href !== 'string') throw new ShapeError(`${d.name}: "${paging.from}" is not a URL string`);
          return page(followUrl(req, href, meta));
        }
        case 'link-header': {
          const href = nextLink(meta?.headers.link);
          return page(href === undefined ? null : followUrl(req, href, meta));
        }
      }
    },

    remoteRequest(wanted, limit) {
      const params = base(Math.max(1, Math.min(limit, paging.limit?.max ?? limit)));
      const type = filters.type;
      // Exact types only (a `prefix.*` stays local), and one at a time where the API takes one.
      const exact = wanted.types.length > 0 && wanted.types.every((t) => !t.includes('*'));
      if (type && exact && (type.style !== 'single' || wanted.types.length === 1)) {
        const values = [...new Set(wanted.types)].map((t) => (type.template ? type.template.replace('{type}', t) : t));
        params[type.param] = type.style === 'csv' ? values.join(',') : type.style === 'repeat' ? values : values[0];
      }
      bound(params, 'since', wanted.since);
      bound(params, 'until', wanted.until);
      return request(params);
    },
  };
}

/** The target of the `rel="next"` link in an RFC 8288 Link header, if there is one. */
export function nextLink(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (!value) return undefined;
  for (const m of value.matchAll(/<([^>]*)>([^<]*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(m[2] ?? '');
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (rels.includes('next')) return m[1];
  }
  return undefined;
}
