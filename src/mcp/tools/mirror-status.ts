// mirror_status: per profile, what the mirror holds, its gaps, the last sync and the provider's
// retention cliffs: `events status -o json`.
import { statusReport } from '../../cli/commands/status.js';
import { statusResult } from '../schemas.js';
import type { Tool, Zod } from './tool.js';

const args = (z: Zod) => ({
  profile: z.string().optional().describe("only this profile (default: the server's --profile if given, else every profile)"),
});

export const mirrorStatus: Tool<ReturnType<typeof args>> = {
  name: 'mirror_status',
  title: 'Mirror status',
  description:
    'How fresh and complete the local mirror is, per profile: events held, the time ranges held completely, gaps, unfinished backfills, the last sync and its error, and when history leaves the provider (retention).',
  args,
  result: statusResult,
  async run(ctx, a) {
    return { profiles: await statusReport(ctx.session(a.profile)) };
  },
};
