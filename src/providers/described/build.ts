// A description (format.ts) as a Provider: the same pure pieces a built-in provider has, made of
// the description's data. Paths are split and formats chosen once, here, not per event.
import { UsageError } from '../../errors.js';
import { headerValue, parseDelay } from '../../http/backoff.js';
import { ShapeError } from '../../http/client.js';
import { firstString, isObject } from '../fields.js';
import type { ApiRequest, Json, JsonObject, Provider, ResponseInfo } from '../types.js';
import { authHeaders, authQuery } from './auth.js';
import type { Description, TimeField } from './format.js';
import { makePaging } from './paging.js';
import { getter, text } from './paths.js';
import { webhookFormat } from './signing.js';
import { readTime } from './times.js';

/** Which description a provider was built from (provider show, check). */
export const DESCRIPTIONS = new WeakMap<Provider, Description>();

export function buildProvider(d: Description): Provider {
  const name = d.name;
  const idOf = getter(d.fields.id);
  const typeOf = d.fields.type.map(getter);
  const objectOf = d.fields.object.map(getter);
  const summaryOf = d.fields.summary.map(getter);
  const timeOf = (field: TimeField) => {
    const read = getter(field.path);
    return (raw: JsonObject) => readTime(read(raw), field.format, name, field.path);
  };
  const time = timeOf(d.fields.time);
  const updated = d.fields.updated ? timeOf(d.fields.updated) : undefined;
  const updatedPath = d.fields.updated ? getter(d.fields.updated.path) : undefined;
  const eventOf = getter(d.get?.event ?? '');
  const waitOf = d.rateLimit.waitPath === undefined ? undefined : getter(d.rateLimit.waitPath);
  const errors = d.errors.length > 0 ? d.errors : ['error.message', 'message', 'error'];
  const paging = makePaging(d);

  const provider: Provider = {
    name,
    defaultBaseUrl: d.baseUrl,
    arrayFormat: d.arrays,
    // Each event's text is sliced from the response at these paths, as it is for the built-ins.
    eventsPath: d.list.events === '' ? [] : d.list.events.split('.'),
    eventPath: (d.get?.event ?? '') === '' ? [] : d.get!.event.split('.'),
    ordered: d.order === 'newest-first',
    retentionDays: d.retentionDays,
    authHeaders: (apiKey) => authHeaders(d.auth, apiKey),
    authQuery: (apiKey) => authQuery(d.auth, apiKey),
    firstRequest: paging.firstRequest,
    readPage: paging.readPage,
    remoteRequest: paging.remoteRequest,

    getRequest(id): ApiRequest {
      if (!d.get) throw new UsageError(`${name}: its description has no get path, so an event not in the mirror cannot be fetched by id`);
      return { method: 'GET', path: d.get.path.replace('{id}', encodeURIComponent(id)) };
    },

    readOne(body: Json): JsonObject | null {
      const event = eventOf(body);
      if (event === null || event === undefined) return null;
      if (!isObject(event)) throw new ShapeError(`response is not a ${name} event`);
      return event;
    },

    normalize(raw: JsonObject) {
      const id = text(idOf(raw));
      if (id === undefined) throw new ShapeError(`${name} event without "${d.fields.id}"`);
      const parts = typeOf.map((read) => text(read(raw)));
      if (parts.some((p) => p === undefined)) throw new ShapeError(`${name} event ${id} without "${d.fields.type.join('" and "')}"`);
      const at = time(raw);
      let object: string | null = null;
      for (const read of objectOf) {
        const value = text(read(raw));
        if (value !== undefined) {
          object = value;
          break;
        }
      }
      // An event never rewritten may lack the field: its version is its first.
      const changed = updated && updatedPath!(raw) !== undefined && updatedPath!(raw) !== null ? updated(raw) : at;
      return { id, type: parts.join('.'), time: at, updated: changed, object, raw };
    },

    errorMessage: (res: ResponseInfo) => firstString(res.json, errors),

    rateLimit(res: ResponseInfo) {
      const reset = () => resetMs(d, res);
      if (res.status === 429) {
        const asked = waitOf?.(res.json);
        const fromBody = typeof asked === 'number' || typeof asked === 'string' ? parseDelay(String(asked)) : undefined;
        const waitMs = fromBody ?? reset();
        return waitMs === undefined ? undefined : { waitMs };
      }
      const remaining = d.rateLimit.remaining;
      if (!remaining || res.status < 200 || res.status >= 300) return undefined;
      const left = Number(headerValue(res.headers, remaining.header));
      if (!Number.isFinite(left) || left > remaining.low) return undefined;
      const waitMs = reset();
      return waitMs ? { waitMs } : undefined;
    },

    summarize(raw: JsonObject): string {
      return summaryOf
        .map((read) => text(read(raw)))
        .filter((p) => p !== undefined)
        .join(' ');
    },

    webhook: webhookFormat(d.webhook, name),
  };
  DESCRIPTIONS.set(provider, d);
  return provider;
}

/** The wait a reset header asks for (ms), undefined without one; Retry-After is the client's. */
function resetMs(d: Description, res: ResponseInfo): number | undefined {
  const reset = d.rateLimit.reset;
  const value = reset ? Number(headerValue(res.headers, reset.header)) : NaN;
  if (!reset || !Number.isFinite(value)) return undefined;
  const ms = { 'epoch-seconds': value * 1000 - Date.now(), 'epoch-ms': value - Date.now(), 'delta-seconds': value * 1000, 'delta-ms': value }[reset.format];
  return parseDelay(String(Math.max(0, ms) / 1000));
}
