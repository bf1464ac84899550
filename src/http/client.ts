// The one HTTP layer: every provider request goes through ApiClient.send, which adds auth, applies
// the timeout, retries what is worth retrying (429, 5xx, resets, timeouts, broken or misshapen
// bodies) with capped exponential backoff and jitter, and turns everything else into a typed error.
import type { Dispatcher } from 'undici';
import {
  AuthError,
  EventsError,
  InterruptedError,
  NotFoundError,
  ProviderError,
  RetriesExhaustedError,
} from '../errors.js';
import type { ApiRequest, Json, Provider, ResponseInfo } from '../providers/types.js';
import { backoffDelay, retryAfterMs, sleep } from './backoff.js';
import { describeRequest, encodeQuery, requestUrl } from './encode.js';
import { transportFailure, type TransportFailure } from './transport-failure.js';

export interface ClientOptions {
  provider: Provider;
  baseUrl: string;
  apiKey: string;
  /** Used in messages: `check the API key of profile "sales"`. */
  profileName: string;
  /** Retries after the first attempt. */
  retries: number;
  timeoutMs: number;
  /** Where `--verbose` request lines go (stderr); none when quiet. */
  log?: ((line: string) => void) | undefined;
  /** Called while waiting out a rate limit or a failure, so a view can say so. */
  onWait?: ((info: { reason: string; waitMs: number; attempt: number }) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** An undici dispatcher (tests pass a MockAgent; default: undici's global agent). */
  dispatcher?: Dispatcher | undefined;
}

/**
 * undici, loaded on the first request rather than with this module: providers import ShapeError
 * from here, so a static import put undici (about 130 ms and 20 MB) on the path of `--help` and
 * `list --offline`, which never send a request.
 */
let undici: Promise<typeof import('undici')> | undefined;
const loadUndici = () => (undici ??= import('undici'));

/** Thrown by a response reader when a 2xx body does not have the expected shape: retried. */
export class ShapeError extends Error {}

/** A failure worth another try, with the wait the server asked for (if any). */
class Retryable extends Error {
  constructor(
    message: string,
    readonly waitMs?: number,
  ) {
    super(message);
  }
}

/** What a response reader may want besides the body. */
export interface ResponseMeta {
  /**
   * The provider's clock when it answered (epoch ms), from its `Date` header, which counts whole
   * seconds: the true time is up to a second later, never earlier. Undefined without the header.
   */
  date?: number | undefined;
  /** The response's headers (a Link header) and the URL it answered. */
  headers: Record<string, string | string[] | undefined>;
  url: string;
  /** The body as the server sent it: each event's text is sliced from here, never re-serialised. */
  text: string;
}

/** Sends provider requests with auth, retries and typed errors. */
export class ApiClient {
  /** A wait the provider asked for before the next request (Close's low `remaining`). */
  private pauseUntil = 0;
  /**
   * How far the provider's clock runs ahead of this machine's (ms, negative: behind), from the
   * last response with a `Date` header; undefined until one came. Good to about a second.
   */
  skewMs: number | undefined;

  constructor(private readonly options: ClientOptions) {}

  /** Sends `req` and hands the parsed JSON to `read`; a ShapeError from `read` is retried. */
  async send<T>(req: ApiRequest, read: (body: Json, meta: ResponseMeta) => T): Promise<T> {
    const { retries, signal } = this.options;
    let lastProblem = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (signal?.aborted) throw new InterruptedError();
      const pause = this.pauseUntil - Date.now();
      if (pause > 0) await sleep(pause, signal);
      const started = Date.now();
      try {
        const { provider, baseUrl, apiKey } = this.options;
        const url = requestUrl(req, baseUrl, provider, apiKey);
        const response = await this.exchange(req, url);
        this.log(req, `${response.status}`, started, attempt);
        const date = this.readClock(response, started);
        const body = this.check(req, response);
        return read(body, { date, headers: response.headers, url, text: response.text });
      } catch (err) {
        if (err instanceof EventsError) throw err;
        if (signal?.aborted) throw new InterruptedError();
        const problem = err instanceof Retryable || err instanceof ShapeError ? err.message : networkProblem(err);
        if (!(err instanceof Retryable)) this.log(req, problem, started, attempt);
        lastProblem = problem;
        if (attempt === retries) break;
        const asked = err instanceof Retryable ? err.waitMs : undefined;
        const waitMs = asked ?? backoffDelay(attempt);
        this.options.onWait?.({ reason: problem, waitMs, attempt: attempt + 1 });
        await sleep(waitMs, signal);
      }
    }
    const after = retries === 0 ? '' : `, still failing after ${retries} ${retries === 1 ? 'retry' : 'retries'}`;
    throw new RetriesExhaustedError(`${this.options.provider.name}: ${lastProblem} on ${describeRequest(req)}${after}`);
  }

  /** One round trip; resolves with whatever the server said, rejects on transport failures. */
  private async exchange(req: ApiRequest, url: string): Promise<ResponseInfo> {
    const { provider, apiKey, timeoutMs, dispatcher, signal } = this.options;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': 'events-cli',
      ...provider.authHeaders(apiKey),
    };
    if (req.body) headers['content-type'] = 'application/json';
    const { request } = await loadUndici();
    // One controller and one timer per request, both cleared when it ends, rather than a 30 s
    // AbortSignal.timeout() per request combined with Ctrl-C's signal through AbortSignal.any(),
    // whose combined signals live as long as the long-lived one: a long sync sends ~10,000.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('The request timed out', 'TimeoutError')), timeoutMs);
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let res: Awaited<ReturnType<typeof request>>;
    let text: string;
    try {
      res = await request(url, {
        method: req.method,
        headers,
        body: req.body ? JSON.stringify(req.body) : null,
        signal: controller.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        ...(dispatcher ? { dispatcher } : {}),
      });
      text = await res.body.text();
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
    let json: Json | undefined;
    try {
      json = text === '' ? undefined : (JSON.parse(text) as Json);
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, headers: res.headers, json, text };
  }

  /** The provider's time from a response's Date header, noting the skew against this machine. */
  private readClock(res: ResponseInfo, sent: number): number | undefined {
    const header = res.headers.date;
    const date = Date.parse(Array.isArray(header) ? (header[0] ?? '') : (header ?? ''));
    if (!Number.isFinite(date)) return undefined;
    // The header truncates to the second: the middle of that second against the middle of the round trip.
    this.skewMs = Math.round(date + 500 - (sent + Date.now()) / 2);
    return date;
  }

  /** Returns the JSON of a good response; throws Retryable or a typed error for the rest. */
  private check(req: ApiRequest, res: ResponseInfo): Json {
    const { provider, profileName } = this.options;
    const advice = provider.rateLimit?.(res);
    if (res.status >= 200 && res.status < 300) {
      if (advice?.waitMs) this.pauseUntil = Date.now() + advice.waitMs;
      if (res.json === undefined) throw new Retryable(`${res.status} with a body that is not JSON`);
      return res.json;
    }
    const where = `${res.status} ${statusText(res.status)} on ${describeRequest(req)}`;
    const said = provider.errorMessage(res);
    const detail = said ? `: ${said}` : '';
    if (res.status === 429) {
      throw new Retryable(`429 Too Many Requests`, advice?.waitMs ?? retryAfterMs(res.headers));
    }
    if (res.status >= 500 || res.status === 408) {
      throw new Retryable(`${res.status} ${statusText(res.status)}`, retryAfterMs(res.headers));
    }
    if (res.status === 401 || res.status === 403) {
      throw new AuthError(
        `${provider.name}: ${where}${detail} — check the API key of ${profileLabel(profileName)}`,
      );
    }
    if (res.status === 404) throw new NotFoundError(`${provider.name}: ${where}${detail}`);
    throw new ProviderError(`${provider.name}: ${where}${detail}`, res.status);
  }

  private log(req: ApiRequest, outcome: string, started: number, attempt: number): void {
    if (!this.options.log) return;
    const retry = attempt > 0 ? `, retry ${attempt}` : '';
    const query = encodeQuery(redact(req.url === undefined ? req.query : Object.fromEntries(new URL(req.url).searchParams)), this.options.provider.arrayFormat);
    this.options.log(`${req.method} ${req.path}${query} → ${outcome} (${Date.now() - started} ms${retry})`);
  }
}

/** The query with any credential-looking value hidden (no provider sends one there, but be sure). */
function redact(query: ApiRequest['query']): ApiRequest['query'] {
  if (!query) return query;
  return Object.fromEntries(Object.entries(query).map(([k, v]) => [k, /key|token|secret|password|auth/i.test(k) ? '[redacted]' : v]));
}

function profileLabel(name: string): string {
  return name === '' ? 'the EVENTS_API_KEY environment variable' : `profile "${name}"`;
}

const FAILURE_WORDS: Record<TransportFailure, string> = { refused: 'connection refused', reset: 'connection reset', timeout: 'timed out', 'no host': 'host not found' };

/** A short name for a transport failure: reset, refused, timeout… */
function networkProblem(err: unknown): string {
  const kind = transportFailure(err);
  if (kind) return FAILURE_WORDS[kind];
  const e = err as { name?: string; message?: string };
  // This request's own timer aborts it with one of these.
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timed out';
  return e.message ?? String(err);
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function statusText(status: number): string {
  return STATUS_TEXT[status] ?? 'Error';
}
