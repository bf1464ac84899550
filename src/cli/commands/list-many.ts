// `events list --profile a,b` / `--all-profiles`: one timeline over several profiles. Each
// selected profile that has a connection is synced first (in parallel on SQLite; one after another
// on PostgreSQL, whose one session carries every statement), each failure its own line while the
// others still answer; then the mirror's events are merged newest first.
import { EventsError, UsageError, exitCodeOf } from '../../errors.js';
import type { EventFilter } from '../../store/contract.js';
import { thousands } from '../../output/number.js';
import { writeEvents } from '../../output/write.js';
import { providersOf, timeline, timelinePage } from '../filters.js';
import { note } from '../../io.js';
import type { Session } from '../session.js';
import { COUNT_CAP, withVersions, type ListFlags } from './list.js';

export async function listMany(
  session: Session,
  flags: ListFlags,
  profiles: string[],
  filter: Omit<EventFilter, 'profile'>,
  limit: number | undefined,
): Promise<void> {
  if (flags.remote) throw new UsageError('--remote asks one provider: use it with one profile');
  const write = { ...session.writeOptions(), envelope: flags.envelope, showProfile: true };
  const store = await session.mirror();
  let failed: Array<{ name: string; err: unknown }> = [];
  if (!flags.offline) failed = await syncAll(session, profiles, filter.since);
  const providers = await providersOf(store, profiles);
  if (limit === undefined) {
    await writeEvents(session.io.stdout, timeline(store, filter, profiles, providers), write);
  } else {
    const { events, more } = await timelinePage(store, filter, profiles, providers, limit);
    await writeEvents(session.io.stdout, write.format === 'table' ? await withVersions(store, events, '') : events, write);
    if (more) {
      let total = 0;
      for (const profile of profiles) total += await store.countMatching({ ...filter, profile }, COUNT_CAP + 1);
      const many = total > COUNT_CAP ? `more than ${thousands(COUNT_CAP)}` : thousands(total);
      note(session.io, `showing ${limit} of ${many} matching events; use --limit N or --all for more`);
    }
  }
  await (await import('../cliffs.js')).warnCliffs(session, profiles);
  if (failed.length > 0) {
    // The exit code of the first failure (5 for a provider that kept failing, 4 for refused keys…).
    const names = failed.map((f) => `"${f.name}"`).join(', ');
    throw new EventsError(`the sync of ${names} failed; listed from the mirror as it was`, exitCodeOf(failed[0]!.err));
  }
}

/** Syncs every profile that has a connection; the names whose sync stopped early (exit 5). */
async function syncAll(session: Session, profiles: string[], since: number | undefined): Promise<Array<{ name: string; err: unknown }>> {
  const { resolveConnection } = await import('../../config/connection.js');
  const { runSync } = await import('../sync-run.js');
  const store = await session.mirror();
  const failed: Array<{ name: string; err: unknown }> = [];
  const one = async (name: string) => {
    let conn;
    try {
      conn = resolveConnection(session.io.env, name);
    } catch {
      // A profile another machine syncs into a shared mirror: answered from the mirror as it is.
      return;
    }
    try {
      await runSync(session, conn, { since, busy: 'skip', progress: false });
    } catch (err) {
      if (session.io.signal.aborted) throw err;
      failed.push({ name, err });
      note(session.io, `error: the sync of "${name}" failed: ${(err as Error).message}`);
    }
  };
  if (store.capabilities.parallelSyncs) await Promise.all(profiles.map(one));
  else for (const p of profiles) await one(p);
  return failed;
}
