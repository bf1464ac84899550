// A real HTTP server on 127.0.0.1 that plays a provider's API, with seeded, reproducible transport
// faults in front of it. Each provider's fake (fake-<provider>.ts) supplies the handler that
// answers like the real API and the body of its own 429; this file supplies the socket and faults.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from './generators.mjs';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  rawBody: string;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as it is. */
  body?: unknown;
}

export type Handler = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

/** Transport faults the fake can inject in front of the handler. */
export type Fault =
  | 'rate-limit' // the provider's own 429
  | 'html-500'
  | 'html-502'
  | 'html-503'
  | 'reset' // headers sent, then the socket is destroyed mid-body
  | 'truncated-json' // 200 whose JSON body is cut short
  | 'slow' // no answer until after the client's timeout
  | 'wrong-shape'; // 200 with valid JSON of the wrong shape

export const ALL_FAULTS: Fault[] = ['rate-limit', 'html-500', 'html-502', 'html-503', 'reset', 'truncated-json', 'slow', 'wrong-shape'];

/** Decides, per request, whether to inject a fault (undefined: answer normally). */
export type FaultPlan = (req: FakeRequest, index: number) => Fault | undefined;

export interface FakeServerOptions {
  handle: Handler;
  /** The provider's own 429 response (Retry-After, Close's rate_reset, …). */
  rateLimited: () => FakeResponse;
  faults?: FaultPlan;
  /** How long a 'slow' fault holds the response (ms). */
  slowMs?: number;
  /** A delay before every answer (ms), so a test can act in the middle of a walk. */
  latencyMs?: number;
  /** Every answer waits for this, so a test can hold the client at its first request. */
  gate?: Promise<void>;
}

export interface FakeServer {
  url: string;
  port: number;
  /** Every request received, faulted or not. */
  requests: FakeRequest[];
  setFaults(plan: FaultPlan | undefined): void;
  /**
   * Runs the server's clock `ms` ahead (negative: behind) of this machine's: its `Date` header
   * says so. The fake's events carry whatever times a test gives them, so a test that plays a
   * skewed provider also makes its events in the provider's time.
   */
  setClockSkew(ms: number): void;
  close(): Promise<void>;
}

/**
 * A plan that aborts `abort` when request number `index` (0-based) arrives and otherwise answers
 * normally: an interruption at a known point of a walk. The sync sends the next page's request
 * before committing a page, so "after N pages" is the moment request N (the (N+1)th) arrives.
 */
export function abortOnRequest(abort: AbortController, index: number, only?: (req: FakeRequest) => boolean): FaultPlan {
  let seen = 0;
  return (req) => {
    if (only && !only(req)) return undefined;
    if (seen++ === index) abort.abort();
    return undefined;
  };
}

/** A seeded PRNG, so a failing fault run can be replayed from its seed. */
export { seededRandom };

/** A plan that faults each request with probability `rate`, drawing the kind from `kinds`. */
export function randomFaults(seed: number, rate: number, kinds: Fault[] = ALL_FAULTS): FaultPlan {
  const rnd = seededRandom(seed);
  return () => (rnd() < rate ? kinds[Math.floor(rnd() * kinds.length)] : undefined);
}

const HTML = (status: number) =>
  `<!DOCTYPE html><html><head><title>${status}</title></head><body><h1>${status} Server Error</h1><p>nginx</p></body></html>`;

/** Starts a fake on 127.0.0.1 with a free port. */
export async function startFakeServer(options: FakeServerOptions): Promise<FakeServer> {
  let plan = options.faults;
  let skewMs = 0;
  const requests: FakeRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const fr: FakeRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body, rawBody };
    const index = requests.length;
    requests.push(fr);
    const fault = plan?.(fr, index);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    await options.gate;
    try {
      // Node sends its own Date header; a skewed provider's says the provider's time.
      res.setHeader('date', new Date(Date.now() + skewMs).toUTCString());
      if (fault) return await injectFault(fault, res, options);
      send(res, await options.handle(fr));
    } catch (err) {
      if (!res.headersSent) send(res, { status: 500, body: { error: String(err) } });
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    setFaults(p) {
      plan = p;
    },
    setClockSkew(ms) {
      skewMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A piece of JSON text a fake serves exactly as given, wherever it sits in an event (a number
 * JavaScript would round, an escape it would rewrite, nesting JSON.stringify cannot reach):
 * `{ amount: rawJson('12345678901234567890') }` is served as `{"amount":12345678901234567890}`.
 */
export class RawJson {
  private static readonly texts = new Map<string, string>();
  private static next = 0;
  private readonly token: string;
  constructor(readonly text: string) {
    this.token = `\u0001raw:${RawJson.next++}\u0001`;
    RawJson.texts.set(this.token, text);
  }
  toJSON(): string {
    return this.token;
  }
  /** `json` (JSON.stringify output) with every fragment's placeholder replaced by its text. */
  static splice(json: string): string {
    return json.includes('\\u0001raw:') ? json.replace(/"\\u0001raw:\d+\\u0001"/g, (m) => RawJson.texts.get(JSON.parse(m) as string) ?? m) : json;
  }
}

export const rawJson = (text: string) => new RawJson(text);

function send(res: http.ServerResponse, r: FakeResponse): void {
  const isText = typeof r.body === 'string';
  const text = r.body === undefined ? '' : isText ? (r.body as string) : RawJson.splice(JSON.stringify(r.body));
  res.writeHead(r.status, {
    'content-type': isText ? 'text/html; charset=utf-8' : 'application/json',
    'content-length': Buffer.byteLength(text),
    ...r.headers,
  });
  res.end(text);
}

async function injectFault(fault: Fault, res: http.ServerResponse, options: FakeServerOptions): Promise<void> {
  switch (fault) {
    case 'rate-limit':
      return send(res, options.rateLimited());
    case 'html-500':
      return send(res, { status: 500, body: HTML(500) });
    case 'html-502':
      return send(res, { status: 502, body: HTML(502) });
    case 'html-503':
      return send(res, { status: 503, body: HTML(503) });
    case 'reset': {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
      res.write('{"data":[{"id":"evt_');
      setTimeout(() => res.socket?.destroy(), 5);
      return;
    }
    case 'truncated-json': {
      const text = '{"data":[{"id":"evt_1","type":"x"';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    case 'slow':
      await new Promise((r) => setTimeout(r, options.slowMs ?? 3_000));
      if (!res.destroyed) send(res, { status: 503, body: HTML(503) });
      return;
    case 'wrong-shape':
      return send(res, { status: 200, body: { unexpected: true, items: 'not a list' } });
  }
}

/** What a fake serves for `value`: its JSON text with every fragment spliced in. */
export const served = (value: unknown): string => RawJson.splice(JSON.stringify(value));
