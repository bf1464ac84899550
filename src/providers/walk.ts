// The one paging loop. Every walk over a list API, for every provider, is this function: it sends
// the provider's requests in turn, reads each page, stops at the end or below the floor, and
// refuses to send the same request twice (a provider that returns the cursor it was given would
// otherwise loop for ever). Nobody else writes `while (hasMore)`.
import { InterruptedError, PagingLoopError } from '../errors.js';
import type { ApiClient } from '../http/client.js';
import type { ApiRequest, EventRow, Provider } from './types.js';

/** One page of a walk, with the request that fetches the next one (null: the walk is over). */
export interface WalkPage {
  rows: EventRow[];
  next: ApiRequest | null;
  /** The oldest `updated` time on the page (Infinity for an empty page). */
  oldest: number;
  /** The provider's count of the whole list, where it gives one. */
  total?: number | undefined;
}

export interface WalkOptions {
  provider: Provider;
  client: ApiClient;
  /** The request to begin with: a provider's firstRequest, or a saved resume position. */
  from: ApiRequest;
  /** Stop after the first page that reaches below this time (epoch ms); none walks to the end. */
  floor?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** Walks a list API page by page, newest first. */
export async function* walkPages(options: WalkOptions): AsyncGenerator<WalkPage> {
  const { provider, client, floor, signal } = options;
  const sent = new Set<string>();
  let req: ApiRequest | null = options.from;
  while (req) {
    // Stopping between pages is safe: everything yielded so far has been committed by the caller.
    if (signal?.aborted) throw new InterruptedError();
    const key = requestKey(req);
    if (sent.has(key)) {
      throw new PagingLoopError(
        `${provider.name}: the API sent the walk back to a page it had already served (${req.method} ${req.path}); stopping instead of looping`,
      );
    }
    sent.add(key);
    const current: ApiRequest = req;
    const page = await client.send(current, (body) => {
      const read = provider.readPage(body, current);
      return { ...read, rows: read.events.map((e) => provider.normalize(e)) };
    });
    let oldest = Infinity;
    for (const row of page.rows) if (row.updated < oldest) oldest = row.updated;
    const belowFloor = floor !== undefined && oldest < floor;
    const next = belowFloor ? null : page.next;
    yield { rows: page.rows, next, oldest, total: page.total };
    req = next;
  }
}

/** The identity of a request for loop detection: everything that is sent, not the bookkeeping. */
export function requestKey(req: ApiRequest): string {
  return JSON.stringify([req.method, req.path, req.query ?? null, req.body ?? null]);
}
