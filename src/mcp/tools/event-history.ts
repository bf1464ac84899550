// event_history: every version of one event the mirror kept, oldest first, with what changed by
// JSON path: what `events history -o json` prints.
import { eventVersions, type VersionOut } from '../../cli/commands/history.js';
import { RESULT_BUDGET, sizeOf } from '../result.js';
import { THIRD_PARTY, historyResult } from '../schemas.js';
import type { Tool, Zod } from './tool.js';

const args = (z: Zod) => ({
  id: z.string().describe('the event id'),
  profile: z.string().optional().describe("the profile (default: the server's --profile, else the default profile)"),
});

export const eventHistory: Tool<ReturnType<typeof args>> = {
  name: 'event_history',
  title: 'Event history',
  description: `Every version of one event the mirror kept (providers such as Close change events in place), oldest first, each with its changes against the one before by JSON path. ${THIRD_PARTY}`,
  args,
  result: historyResult,
  async run(ctx, a) {
    const { profile, versions } = await eventVersions(ctx.session(a.profile), a.id);
    return { profile, id: a.id, ...fit(versions) };
  },
};

/**
 * The versions within the budget: first the older versions' bodies go (their changes stay, and
 * the current body), then the oldest versions themselves.
 */
function fit(all: VersionOut[]): { versions: VersionOut[]; omitted?: string } {
  let versions = all;
  if (sizeOf(versions) <= RESULT_BUDGET) return { versions };
  versions = versions.map((v, i) => (i === versions.length - 1 ? v : { ...v, event: null }));
  let dropped = 0;
  while (versions.length > 1 && sizeOf(versions) > RESULT_BUDGET) {
    versions = versions.slice(1);
    dropped += 1;
  }
  const bodies = 'the raw event of every version but the last';
  return { versions, omitted: dropped === 0 ? `${bodies}, for size` : `${bodies}, and the ${dropped} oldest version(s), for size` };
}
