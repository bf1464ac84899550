// The page loop of the bench's references (raw-dump.mjs, least-work.mjs): one provider's list API
// walked newest first from a bench fake, as `events sync` walks it, with none of the product
// around it. Yields each page's events, parsed, with the time the page arrived.

/** Per provider: the first request, the events of a response, the next request, the columns. */
export function api(provider, apiKey) {
  return {
    blueai: {
      first: () => ({ path: '/api/v1/events', query: { limit: 100 } }),
      events: (b) => b.data,
      next: (b, req) => (b.has_more ? { ...req, query: { ...req.query, starting_after: b.data.at(-1).id } } : null),
      row: (e) => [e.id, e.type, Date.parse(e.created_at), e.data?.id ?? null],
      headers: { authorization: `Bearer ${apiKey}` },
    },
    bem: {
      first: () => ({ path: '/v1-alpha/events', query: { limit: 100, sortOrder: 'desc' } }),
      events: (b) => b.events,
      next: (b, req) => (b.events.length < req.query.limit ? null : { ...req, query: { ...req.query, startingAfter: b.events.at(-1).eventID } }),
      row: (e) => [e.eventID, e.eventType, Date.parse(e.createdAt), e.callID ?? null],
      headers: { 'x-api-key': apiKey },
    },
    close: {
      first: () => ({ path: '/event/', query: { _limit: 50 } }),
      events: (b) => b.data,
      next: (b, req) => (b.cursor_next ? { ...req, query: { ...req.query, _cursor: b.cursor_next } } : null),
      row: (e) => [e.id, `${e.object_type}.${e.action}`, Date.parse(`${e.date_created.slice(0, 23)}Z`), e.object_id ?? null],
      headers: { authorization: `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}` },
    },
    seam: {
      first: () => ({ method: 'POST', path: '/events/list', body: { between: ['2010-01-01T00:00:00.000Z', new Date(Date.now() + 1).toISOString()], limit: 500, unstable_offset: 0 } }),
      events: (b) => b.events,
      next: (b, req) => (b.events.length < req.body.limit ? null : { ...req, body: { ...req.body, unstable_offset: req.body.unstable_offset + b.events.length } }),
      row: (e) => [e.event_id, e.event_type, Date.parse(e.occurred_at), e.device_id ?? null],
      headers: { authorization: `Bearer ${apiKey}` },
    },
  }[provider];
}

/** Each page's events (parsed) and when it arrived, until the provider says there are no more. */
export async function* pages(provider, baseUrl, apiKey) {
  const API = api(provider, apiKey);
  let req = API.first();
  while (req) {
    const url = new URL(baseUrl.replace(/\/+$/, '') + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, String(v));
    const res = await fetch(url, {
      method: req.method ?? 'GET',
      headers: { ...API.headers, accept: 'application/json', ...(req.body ? { 'content-type': 'application/json' } : {}) },
      body: req.body ? JSON.stringify(req.body) : undefined,
    });
    if (!res.ok) throw new Error(`${res.status} on ${url}`);
    const body = JSON.parse(await res.text());
    const seen = Date.now();
    req = API.next(body, req);
    yield { events: API.events(body), seen, last: !req };
  }
}
