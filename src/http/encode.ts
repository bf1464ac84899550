// Turning an ApiRequest into a URL query, and into the short form used in messages and logs.
import type { ApiRequest } from '../providers/types.js';

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
