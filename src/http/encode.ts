// Turning an ApiRequest into a URL query, and into the short form used in messages and logs.
import { ProviderError } from '../errors.js';
import type { ApiRequest, Provider } from '../providers/types.js';

/** `?a=1&b=x,y` (comma) or `?a=1&b=x&b=y` (repeat); undefined values are left out. */
export function encodeQuery(query: ApiRequest['query'], arrayFormat: 'comma' | 'repeat'): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (arrayFormat === 'comma') params.append(key, value.join(','));
      else for (const item of value) params.append(key, item);
    } else {
      params.append(key, String(value));
    }
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** `GET /api/v1/events` — the method and path, without query values (they may be long or private). */
export function describeRequest(req: ApiRequest): string {
  return `${req.method} ${req.path}`;
}

/**
 * Where `req` goes: the base URL, path and query, or the URL the API gave for it, which must stay
 * on the base URL's origin (the key is sent with it); plus the key's query parameters, if any.
 */
export function requestUrl(req: ApiRequest, baseUrl: string, provider: Provider, apiKey: string): string {
  const url = new URL(req.url ?? baseUrl.replace(/\/+$/, '') + req.path + encodeQuery(req.query, provider.arrayFormat));
  if (req.url !== undefined && url.origin !== new URL(baseUrl).origin) {
    throw new ProviderError(`${provider.name}: the API sent the walk to ${url.origin}, not ${new URL(baseUrl).origin}; the key is not sent there`);
  }
  for (const [key, value] of Object.entries(provider.authQuery?.(apiKey) ?? {})) url.searchParams.set(key, value);
  return url.href;
}
