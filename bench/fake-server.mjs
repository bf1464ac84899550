// A standalone fake of one provider's list API for the sync benchmarks, run in its own process so
// that the CPU it spends serving pages is not charged to the `events` process being measured.
//   node bench/fake-server.mjs <blueai|bem|close|seam|stripe> <count>
// It prints one JSON line on stdout ({url, baseUrl, apiKey}) once it listens, and serves until
// killed. It speaks each API's wire format as the test fakes do (test/support/fake-*.ts), with the
// same events (test/support/generators.mjs), but without their faults and filters, and with every
// event serialised once up front and found by index, so that serving a page costs next to nothing
// and the figure is the client's. BlueAI's events are made as their page is served instead (its
// ids carry their number, so a cursor is decoded, not looked up): ten million events held up front
// took more than Node's 4 GB heap, and the 100k and the ten-million syncs are served alike.
import http from 'node:http';
import { blueaiEvent, history } from '../test/support/generators.mjs';

const [provider, countText] = process.argv.slice(2);
const count = Number(countText ?? 100_000);
const API_KEY = 'bench_key';
const lazy = provider === 'blueai';
// Newest first, as every list is served.
const events = lazy ? [] : history(provider, count).reverse();
const json = events.map((e) => JSON.stringify(e));
const end = Date.now();
/** BlueAI's event at newest-first position i (history's event count-1-i), serialised. */
const blueaiAt = (i) => JSON.stringify(blueaiEvent(count - 1 - i, end - i * 1000));

/** The page of serialised events [from, from + limit) as a JSON array. */
const slice = (from, limit) => `[${json.slice(from, from + limit).join(',')}]`;
/** Where each id sits in the newest-first list, for id cursors. */
const indexOf = (field) => new Map(events.map((e, i) => [e[field], i]));

const handlers = {
  blueai() {
    return (url, _body, headers) => {
      if (headers.authorization !== `Bearer ${API_KEY}`) return [401, '{"error":{"code":"UNAUTHORIZED","message":"bad key"}}'];
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 20), 100);
      const after = url.searchParams.get('starting_after');
      const from = after ? count - Number.parseInt(after.slice(-12), 16) : 0;
      const more = from + limit < count;
      const page = Array.from({ length: Math.max(0, Math.min(limit, count - from)) }, (_, k) => blueaiAt(from + k));
      return [200, `{"object":"list","url":"/api/v1/events","has_more":${more},"data":[${page.join(',')}]}`];
    };
  },
  // Stripe's /v1/events, for the described-provider bench (examples/providers/stripe.json).
  stripe() {
    const at = indexOf('id');
    return (url, _body, headers) => {
      if (url.pathname !== '/v1/events') return [404, '{"error":{"type":"invalid_request_error","message":"Unrecognized request URL"}}'];
      if (headers.authorization !== `Bearer ${API_KEY}`) return [401, '{"error":{"type":"invalid_request_error","message":"Invalid API Key provided"}}'];
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 10), 100);
      const after = url.searchParams.get('starting_after');
      const from = after ? at.get(after) + 1 : 0;
      const more = from + limit < count;
      return [200, `{"object":"list","data":${slice(from, limit)},"has_more":${more},"url":"/v1/events"}`];
    };
  },
  bem() {
    const at = indexOf('eventID');
    return (url, _body, headers) => {
      if (headers['x-api-key'] !== API_KEY) return [401, '{"message":"Unauthorized","code":401}'];
      if (url.searchParams.get('sortOrder') !== 'desc') return [400, '{"message":"the bench fake serves desc only","code":400}'];
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 50), 100);
      const after = url.searchParams.get('startingAfter');
      const from = after ? at.get(after) + 1 : 0;
      return [200, `{"events":${slice(from, limit)},"totalCount":${count}}`];
    };
  },
  close() {
    const auth = `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`;
    return (url, _body, headers) => {
      if (headers.authorization !== auth) return [401, '{"error":"The API key is missing or invalid"}'];
      // Close caps pages at 50 whatever is asked; the cursor is opaque, here the next index.
      const limit = Math.min(Number(url.searchParams.get('_limit') ?? 50), 50);
      const cursor = url.searchParams.get('_cursor');
      const from = cursor ? Number(Buffer.from(cursor, 'base64url').toString()) : 0;
      const next = from + limit < count ? `"${Buffer.from(String(from + limit)).toString('base64url')}"` : 'null';
      return [200, `{"data":${slice(from, limit)},"cursor_next":${next},"cursor_previous":null}`];
    };
  },
  seam() {
    // Newest first by created_at; a `between` window is found by binary search on the times.
    const times = events.map((e) => Date.parse(e.created_at));
    const firstBelow = (ms) => {
      let lo = 0;
      let hi = count;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (times[mid] < ms) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    };
    return (_url, body, headers) => {
      if (headers.authorization !== `Bearer ${API_KEY}`) return [401, '{"error":{"type":"unauthorized","message":"API Key not found"},"ok":false}'];
      const [lo, hi] = body.between ? body.between.map(Date.parse) : [Date.parse(body.since), Infinity];
      const top = firstBelow(hi); // first event strictly older than hi
      const bottom = firstBelow(lo + 1); // first event at or below lo: outside the window
      const limit = body.limit ?? 500;
      const from = top + (body.unstable_offset ?? 0);
      const page = json.slice(from, Math.min(from + limit, bottom));
      return [200, `{"events":[${page.join(',')}],"ok":true}`];
    };
  },
};

const handle = handlers[provider]?.();
if (!handle) {
  process.stderr.write(`usage: node bench/fake-server.mjs <${Object.keys(handlers).join('|')}> <count>\n`);
  process.exit(2);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const text = Buffer.concat(chunks).toString();
    const [status, out] = handle(url, text ? JSON.parse(text) : {}, req.headers);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  });
});
server.listen(0, '127.0.0.1', () => {
  const url = `http://127.0.0.1:${server.address().port}`;
  // Close's profile base URL includes /api/v1, as the real one does.
  const baseUrl = provider === 'close' ? `${url}/api/v1` : url;
  process.stdout.write(`${JSON.stringify({ url, baseUrl, apiKey: API_KEY })}\n`);
});
