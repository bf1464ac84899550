// sync_profile (only with --allow-network): brings one profile's mirror up to date from its
// provider, as `events sync` does, and returns the counts.
import { parseTime } from '../../parse.js';
import { syncResult } from '../schemas.js';
import type { Tool, Zod } from './tool.js';

const args = (z: Zod) => ({
  profile: z.string().optional().describe("the profile (default: the server's --profile, else the default profile)"),
  since: z.string().optional().describe('make sure the mirror reaches back at least to this time (ISO 8601 or 90s/15m/2h/7d)'),
  full: z.boolean().optional().describe('walk the whole history again'),
});

export const syncProfile: Tool<ReturnType<typeof args>> = {
  name: 'sync_profile',
  title: 'Sync a profile',
  description: "Fetches a profile's new and changed events from its provider into the mirror (calls the provider's API with the saved key, which is never shown), and returns how many were fetched, new and updated.",
  args,
  result: syncResult,
  writes: true,
  async run(ctx, a) {
    const since = a.since === undefined ? undefined : parseTime('--since', a.since);
    const session = ctx.session(a.profile);
    const conn = await session.connection();
    const { runSync } = await import('../../cli/sync-run.js');
    // Another process syncing the profile: answer at once rather than hold the call.
    const r = await runSync(session, conn, { full: a.full, since, busy: 'skip', progress: false });
    const counts = r ?? { pages: 0, fetched: 0, inserted: 0, updated: 0, ms: 0, first: false };
    return { profile: conn.name, provider: conn.provider.name, ran: r !== undefined, pages: counts.pages, fetched: counts.fetched, inserted: counts.inserted, updated: counts.updated, ms: counts.ms, first: counts.first };
  },
};
