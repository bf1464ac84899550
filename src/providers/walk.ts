// The one paging loop. Every walk over a list API, for every provider, is this function: it sends
// the provider's requests in turn, reads each page, stops at the end or below the floor, and
// stops a walk sent back to a page it already served (a provider that returns the cursor it was
// given would otherwise loop for ever). Nobody else writes `while (hasMore)`.
import { InterruptedError, PagingLoopError } from '../errors.js';
import type { ApiClient } from '../http/client.js';
import { pageRows, type Warn } from './event-text.js';
import type { ApiRequest, EventRow, Provider } from './types.js';

/** One page of a walk, with the request that fetches the next one (null: the walk is over). */
export interface WalkPage {
  rows: EventRow[];
  next: ApiRequest | null;
  /** The oldest `updated` time on the page (Infinity for an empty page). */
  oldest: number;
  /** The provider's count of the whole list, where it gives one. */
  total?: number | undefined;
  /** The provider's clock when it served the page (its `Date` header; whole seconds, never late). */
  date?: number | undefined;
}

export interface WalkOptions {
  provider: Provider;
  client: ApiClient;
  /** The request to begin with: a provider's firstRequest, or a saved resume position. */
  from: ApiRequest;
  /** Stop after the first page that reaches below this time (epoch ms); none walks to the end. */
  floor?: number | undefined;
  signal?: AbortSignal | undefined;
  /**
   * Send the next page's request before yielding this one, so that the server works on it while
   * the caller commits (sync). Off for callers that may stop early (list --remote): it would cost
   * them a request they never read.
   */
  prefetch?: boolean | undefined;
  /** Hears of events kept with less than usual, or not kept at all (pageRows); without it those throw. */
  warn?: Warn | undefined;
}

type Fetched = Omit<WalkPage, 'oldest'>;

/** Walks a list API page by page, newest first. */
export async function* walkPages(options: WalkOptions): AsyncGenerator<WalkPage> {
  const { provider, client, floor, signal } = options;
  const repeated = repeatGuard();
  const fetch = async (req: ApiRequest): Promise<Fetched> => {
    // Stopping between pages is safe: everything yielded so far is the caller's to commit.
    if (signal?.aborted) throw new InterruptedError();
    if (repeated(requestKey(req))) {
      throw new PagingLoopError(
        `${provider.name}: the API sent the walk back to a page it had already served (${req.method} ${req.path}); stopping instead of looping`,
      );
    }
    return client.send(req, (body, meta) => {
      const read = provider.readPage(body, req, meta);
      return { rows: pageRows(provider, read.events, meta.text, options.warn), next: read.next, total: read.total, date: meta.date };
    });
  };
  // A prefetched page's failure (a refused request, Ctrl-C) is thrown where it is awaited, after
  // the page before it has been yielded; marking it handled keeps Node from failing meanwhile.
  const start = (req: ApiRequest) => {
    const promise = fetch(req);
    promise.catch(() => {});
    return promise;
  };
  let req: ApiRequest | null = options.from;
  let ahead: Promise<Fetched> | null = null;
  while (req) {
    const page: Fetched = await (ahead ?? fetch(req));
    ahead = null;
    let oldest = Infinity;
    for (const row of page.rows) if (row.updated < oldest) oldest = row.updated;
    // Pages that do not come newest first say nothing about what lies below them: never stop early.
    const belowFloor = floor !== undefined && provider.ordered !== false && oldest < floor;
    const next = belowFloor ? null : page.next;
    if (next && options.prefetch) ahead = start(next);
    yield { rows: page.rows, next, oldest, total: page.total, date: page.date };
    req = next;
  }
}

/** The requests a walk remembers exactly: a loop through at most this many pages stops at its first repeat. */
export const RECENT_REQUESTS = 1_000;

/**
 * Whether a walk has sent a request before, in memory that does not grow with the walk: a set of
 * every request grew the heap by ~240 bytes a page, 24 MB over a ten-million-event sync. The last
 * RECENT_REQUESTS are kept, so a loop through fewer pages stops at its first repeat; a longer one
 * is caught by Brent's cycle detection (one more request kept, replaced after ever longer runs),
 * which stops it within a few times as many pages as the walk had sent when the loop began.
 */
export function repeatGuard(): (key: string) => boolean {
  const recent = new Set<string>();
  const ring: Array<string | undefined> = new Array(RECENT_REQUESTS);
  let at = 0;
  let mark: string | undefined;
  let sinceMark = 0;
  let power = RECENT_REQUESTS;
  return (key) => {
    if (recent.has(key) || key === mark) return true;
    const oldest = ring[at];
    if (oldest !== undefined) recent.delete(oldest);
    ring[at] = key;
    at = (at + 1) % RECENT_REQUESTS;
    recent.add(key);
    if (++sinceMark >= power) {
      mark = key;
      sinceMark = 0;
      power *= 2;
    }
    return false;
  };
}

/** The identity of a request for loop detection: everything that is sent, not the bookkeeping. */
export function requestKey(req: ApiRequest): string {
  return JSON.stringify([req.method, req.url ?? req.path, req.query ?? null, req.body ?? null]);
}
