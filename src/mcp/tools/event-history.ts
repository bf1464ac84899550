// event_history: every version of one event the mirror kept, oldest first, with what changed by
// JSON path: what `events history -o json` prints.
import { eventVersions, type VersionOut } from '../../cli/commands/history.js';
import type { Json } from '../../providers/types.js';
import { RESULT_BUDGET, sizeOf } from '../result.js';
import { THIRD_PARTY, historyResult } from '../schemas.js';
import { oneEventArgs, type Tool } from './tool.js';

export const eventHistory: Tool<ReturnType<typeof oneEventArgs>> = {
  name: 'event_history',
  title: 'Event history',
  description: `Every version of one event the mirror kept (providers such as Close change events in place), oldest first, each with its changes against the one before by JSON path. ${THIRD_PARTY}`,
  args: oneEventArgs,
  result: historyResult,
  async run(ctx, a) {
    const { profile, versions } = await eventVersions(ctx.session(a.profile), a.id);
    // Structured content is JSON: each version's text goes in parsed (get_event has the exact text).
    return { profile, id: a.id, ...fit(versions.map((v) => ({ ...v, event: JSON.parse(v.event) as Json }))) };
  },
};

type Version = Omit<VersionOut, 'event'> & { event: Json | null };

/** A value larger than this (as JSON) is replaced by a note of its size when a history must shrink. */
const VALUE_CHARS = 2_000;

/**
 * The versions within the budget: first the older versions' bodies go (their changes stay, and
 * the current body), then the oldest versions themselves; a last version still too large keeps
 * its changes with each long value replaced by its size, and no body.
 */
function fit(all: Version[]): { versions: unknown[]; omitted?: string } {
  if (sizeOf(all) <= RESULT_BUDGET) return { versions: all };
  let versions: Version[] = all.map((v, i) => (i === all.length - 1 ? v : { ...v, event: null }));
  let dropped = 0;
  while (versions.length > 1 && sizeOf(versions) > RESULT_BUDGET) {
    versions = versions.slice(1);
    dropped += 1;
  }
  const what = [`the raw event of every version but the last`];
  if (dropped > 0) what.push(`the ${dropped} oldest version(s)`);
  if (sizeOf(versions) > RESULT_BUDGET) {
    const clip = (value: unknown) => (sizeOf(value) > VALUE_CHARS ? { omitted_chars: sizeOf(value) } : value);
    versions = versions.map((v) => ({ ...v, event: null, changes: v.changes.map((c) => ({ ...c, ...('from' in c ? { from: clip(c.from) } : {}), ...('to' in c ? { to: clip(c.to) } : {}) })) })) as Version[];
    what.push(`the last raw event, and changed values over ${VALUE_CHARS} characters (their size instead)`);
  }
  return { versions, omitted: `${what.join(', ')}: for size; get_event returns the current event` };
}
