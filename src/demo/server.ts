// The built-in demo API: a BlueAI-style events API on 127.0.0.1 (docs/providers.md §1), with a couple
// of weeks of sample history and a new event every few seconds, so the tool can be tried with no
// account. It is product code, deliberately separate from the test fakes in test/support: those
// check the client against the documented API, and must not share this file's reading of it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoTimeline, type DemoEvent } from './data.js';

export const DEMO_API_KEY = 'sk_demo_local_key_0000';

export interface DemoServer {
  url: string;
  count(): number;
  close(): Promise<void>;
}

export interface DemoOptions {
  port: number;
  /** The demo's first start (ms): its history ends there and its live events count from there. */
  start: number;
  history?: number;
  /** Milliseconds between new events (a wait of 500 ms up to this much more). */
  everyMs?: number;
}

/** A demo restarted long after its first start serves the live events of this last stretch only. */
const LIVE_KEPT_MS = 6 * 3_600_000;

export async function startDemoServer(options: DemoOptions): Promise<DemoServer> {
  const timeline = demoTimeline(options.start, { history: options.history, everyMs: options.everyMs });
  // Newest first, as the API lists them; new events go to the front.
  const events: DemoEvent[] = [...timeline.history, ...timeline.upTo(Date.now(), Date.now() - LIVE_KEPT_MS)].reverse();
  const byId = new Map(events.map((e) => [e.id, e]));
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(() => {
      for (const e of timeline.upTo(Date.now())) {
        events.unshift(e);
        byId.set(e.id, e);
      }
      schedule();
    }, Math.max(0, timeline.due() - Date.now()));
    timer.unref();
  };
  schedule();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const fail = (status: number, code: string, message: string) => send(status, { error: { code, message } });
    if (req.headers.authorization !== `Bearer ${DEMO_API_KEY}`) return fail(401, 'UNAUTHORIZED', 'Invalid API key');
    const one = /^\/api\/v1\/events\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && one) {
      const e = byId.get(decodeURIComponent(one[1]!));
      return e ? send(200, e) : fail(404, 'NOT_FOUND', 'Event not found');
    }
    if (req.method !== 'GET' || url.pathname !== '/api/v1/events') return fail(404, 'NOT_FOUND', 'Not found');
    const limit = Number(url.searchParams.get('limit') ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return fail(400, 'VALIDATION_ERROR', 'limit must be between 1 and 100');
    const type = url.searchParams.get('type');
    const list = type ? events.filter((e) => e.type === type) : events;
    const after = url.searchParams.get('starting_after');
    const start = after ? list.findIndex((e) => e.id === after) + 1 : 0;
    if (after && start === 0) return fail(400, 'VALIDATION_ERROR', `No such event: ${after}`);
    const data = list.slice(start, start + limit);
    send(200, { object: 'list', url: '/api/v1/events', has_more: start + limit < list.length, data });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => events.length,
    close: () =>
      new Promise((resolve) => {
        clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
