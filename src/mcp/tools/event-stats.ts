// event_stats: counts per group with the first and last time of each: `events stats -o json`.
import { statRecord, statsGroups } from '../../cli/commands/stats.js';
import { filterFlags } from '../args.js';
import { filterArgs, profileArgs, statsResult } from '../schemas.js';
import type { Tool, Zod } from './tool.js';

/** At most this many groups in a result (grouping by object can make millions). */
const MAX_GROUPS = 1000;

const args = (z: Zod) => ({
  ...filterArgs(z),
  ...profileArgs(z),
  by: z.array(z.string()).optional().describe('one or two of type, profile, object, day, hour (default type)'),
  top: z.number().optional().describe('only the N largest groups (for day/hour: the N latest buckets)'),
});

export const eventStats: Tool<ReturnType<typeof args>> = {
  name: 'event_stats',
  title: 'Event counts',
  description: `How many events the mirror holds per type, profile, object, day or hour (one or two keys), with each group's first and last time, over the same filters as list_events. Group keys such as types and object ids are third-party data.`,
  args,
  result: statsResult,
  async run(ctx, a) {
    const session = ctx.session(a.all_profiles ? null : a.profiles?.length ? a.profiles.join(',') : undefined);
    const flags = { ...filterFlags(a), by: a.by, top: a.top === undefined ? undefined : String(a.top) };
    const { by, groups } = await statsGroups(session, flags);
    const records = groups.slice(0, MAX_GROUPS).map((g) => statRecord(by, g));
    return { by, groups: records, ...(groups.length > MAX_GROUPS ? { omitted_groups: groups.length - MAX_GROUPS } : {}) };
  },
};
