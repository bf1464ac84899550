// The shared paging loop's guard against an API that sends a walk back to a page it already
// served: a short loop stops at its first repeat, a long one soon after, and the guard's memory
// stays the same however long the walk (a ten-million-event sync sends 100,000 requests).
import { describe, expect, it } from 'vitest';
import { PagingLoopError } from '../../src/errors.js';
import { ApiClient } from '../../src/http/client.js';
import { buildProvider } from '../../src/providers/described/build.js';
import { validateDescription } from '../../src/providers/described/validate.js';
import { RECENT_REQUESTS, repeatGuard, walkPages } from '../../src/providers/walk.js';
import { cleanupAfterEach } from '../support/cli.js';
import { startFakeServer } from '../support/fake-server.js';

const cleanups = cleanupAfterEach();

describe('a walk sent back to a page it already served', () => {
  it('stops with a PagingLoopError at the first repeated request, having sent each request once', async () => {
    // Pages 1, 2, 3, 4, then page 4 points back at page 2.
    const api = await startFakeServer({
      rateLimited: () => ({ status: 429 }),
      handle: (req) => {
        const n = Number(req.query.get('n') ?? 1);
        return { status: 200, body: { items: [{ id: `e${n}`, kind: 'x', t: 1_700_000_000 - n }], next: `/e?n=${n === 4 ? 2 : n + 1}` } };
      },
    });
    cleanups.push(() => api.close());
    const provider = buildProvider(
      validateDescription(
        { format: 1, name: 'loops', baseUrl: api.url, list: { path: '/e', events: 'items' }, auth: { type: 'bearer' }, paging: { style: 'next-url', from: 'next' }, fields: { id: 'id', type: 'kind', time: { path: 't', format: 'epoch-seconds' } } },
        'l.json',
      ),
    );
    const client = new ApiClient({ provider, baseUrl: api.url, apiKey: 'k', profileName: 'p', retries: 0, timeoutMs: 2000 });
    const ids: string[] = [];
    const walk = async () => {
      for await (const page of walkPages({ provider, client, from: provider.firstRequest({ now: Date.now() }), prefetch: true })) ids.push(...page.rows.map((r) => r.id));
    };
    await expect(walk()).rejects.toThrow(PagingLoopError);
    await expect(walk()).rejects.toThrow('loops: the API sent the walk back to a page it had already served (GET /e); stopping instead of looping');
    expect(ids.slice(0, 4)).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(api.requests.map((r) => r.query.get('n'))).toEqual([null, '2', '3', '4', null, '2', '3', '4']);
  });
});

describe('repeatGuard', () => {
  it('never flags a request sent for the first time, over a walk a hundred times its memory', () => {
    const seen = repeatGuard();
    let flagged = 0;
    for (let i = 0; i < RECENT_REQUESTS * 100; i++) if (seen(`page ${i}`)) flagged += 1;
    expect(flagged).toBe(0);
  });

  it('flags a repeat inside its memory at once', () => {
    const seen = repeatGuard();
    for (let i = 0; i < RECENT_REQUESTS * 5; i++) seen(`page ${i}`);
    const back = `page ${RECENT_REQUESTS * 5 - RECENT_REQUESTS}`;
    expect(seen(back)).toBe(true);
  });

  for (const [before, cycle] of <Array<[number, number]>>[
    [0, RECENT_REQUESTS + 1],
    [RECENT_REQUESTS * 3, RECENT_REQUESTS * 2 + 7],
    [RECENT_REQUESTS * 20, RECENT_REQUESTS * 7 + 3],
  ]) {
    it(`stops a loop through ${cycle} pages, begun after ${before}, within a few times the pages sent`, () => {
      const seen = repeatGuard();
      for (let i = 0; i < before; i++) seen(`page ${i}`);
      let sent = 0;
      // Each turn of the loop before the repeat is caught sends every page of it once more.
      while (!seen(`loop ${sent % cycle}`)) sent += 1;
      expect(sent).toBeGreaterThanOrEqual(cycle);
      expect(sent).toBeLessThanOrEqual(3 * (before + cycle));
    });
  }
});
