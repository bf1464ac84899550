// Waiting: capped exponential backoff with jitter, and reading a server's own Retry-After.
import { InterruptedError } from '../errors.js';

const BASE_MS = 500;
const CAP_MS = 8_000;
/** A server may ask for a long pause; beyond this we would rather fail and let the next run go on. */
const MAX_ASKED_MS = 120_000;

/** The wait before retry number `attempt + 1`: 0.5 s, 1 s, 2 s… capped at 8 s, with ±50 % jitter. */
export function backoffDelay(attempt: number): number {
  const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** Retry-After in seconds or as an HTTP date (RFC 9110), as milliseconds; undefined if absent. */
export function retryAfterMs(headers: Record<string, string | string[] | undefined>): number | undefined {
  const value = headerValue(headers, 'retry-after');
  if (value === undefined) return undefined;
  return parseDelay(value);
}

/** A delay given as seconds ("1.5") or an HTTP date, as clamped milliseconds. */
export function parseDelay(value: string): number | undefined {
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(MAX_ASKED_MS, Math.max(0, Math.round(ms)));
}

/** One header's value, whatever its case or repetition. */
export function headerValue(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Resolves after `ms`, or rejects with InterruptedError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new InterruptedError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
