// list_events: the newest matching events, a page at a time, as compact rows (or raw with
// include_raw). The same query as `events list --offline` (the timeline of filters.ts).
import { providersOf, timelinePage, type ProfiledEvent } from '../../cli/filters.js';
import { providerNamed } from '../../providers/registry.js';
import type { JsonObject } from '../../providers/types.js';
import { countArg, filterOf, profilesOf } from '../args.js';
import { decodeCursor, encodeCursor, eventKey, nextCursor } from '../cursor.js';
import { RESULT_BUDGET, sizeOf } from '../result.js';
import { THIRD_PARTY, filterArgs, listResult, profileArgs } from '../schemas.js';
import type { Tool, Zod } from './tool.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 200;
/** A summary is one line of at most this many characters. */
const SUMMARY_CHARS = 160;

const args = (z: Zod) => ({
  ...filterArgs(z),
  ...profileArgs(z),
  limit: z.number().optional().describe(`how many events, ${DEFAULT_LIMIT} by default, at most ${MAX_LIMIT}`),
  cursor: z.string().optional().describe('next_cursor of the previous page, to page on (keep the same filters)'),
  include_raw: z.boolean().optional().describe('add each raw event as the provider sent it (event)'),
});

export const listEvents: Tool<ReturnType<typeof args>> = {
  name: 'list_events',
  title: 'List events',
  description: `Events held in the local mirror, newest first, filtered by type, time, object, JSON field or text, over one profile or several; a page at a time (next_cursor). Answers from the mirror only. ${THIRD_PARTY}`,
  args,
  result: listResult,
  async run(ctx, a) {
    const filter = filterOf(a);
    const limit = countArg('limit', a.limit, DEFAULT_LIMIT, MAX_LIMIT);
    const from = a.cursor === undefined ? undefined : decodeCursor(a.cursor);
    const { profiles, provider } = await profilesOf(ctx, a);
    const store = await ctx.mirror();
    const providers = await providersOf(store, profiles);
    if (provider !== undefined) providers.set(profiles[0]!, provider);
    if (from) filter.until = Math.min(filter.until ?? Infinity, from.t);
    const skip = new Set(from?.seen ?? []);
    const { events, more } = await timelinePage(store, filter, profiles, providers, limit + skip.size);
    const fresh = events.filter((e) => !(e.time === from?.t && skip.has(eventKey(e))));
    const rows: Array<Record<string, unknown>> = [];
    const shown: ProfiledEvent[] = [];
    let used = 0;
    for (const e of fresh.slice(0, limit)) {
      const row = compactRow(e, a.include_raw === true);
      used += sizeOf(row);
      // Over the budget: stop here (next_cursor goes on from the last row shown), but always show one.
      if (used > RESULT_BUDGET && rows.length > 0) break;
      if (used > RESULT_BUDGET && 'event' in row) {
        delete row.event;
        row.raw_omitted_chars = e.raw.length;
      }
      rows.push(row);
      shown.push(e);
    }
    const hasMore = more || fresh.length > shown.length;
    const result: Record<string, unknown> = { events: rows, has_more: hasMore, next_cursor: hasMore ? encodeCursor(nextCursor(shown, from)) : null };
    if (shown.length < Math.min(limit, fresh.length)) result.note = `${shown.length} of the ${limit} asked for fit in one result; page on with next_cursor`;
    return result;
  },
};

/** An event as a row: where it is from, what it is, and a one-line summary from its provider. */
function compactRow(e: ProfiledEvent, includeRaw: boolean): Record<string, unknown> {
  const raw = JSON.parse(e.raw) as JsonObject;
  const summary = (providerNamed(e.provider)?.summarize?.(raw) ?? '').replace(/\s+/g, ' ').trim();
  const row: Record<string, unknown> = {
    profile: e.profile,
    provider: e.provider,
    id: e.id,
    type: e.type,
    time: new Date(e.time).toISOString(),
    object: e.object,
    summary: summary.length > SUMMARY_CHARS ? `${summary.slice(0, SUMMARY_CHARS - 1)}…` : summary,
  };
  if (includeRaw) row.event = raw;
  return row;
}
