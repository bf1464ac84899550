// `events list --profile a,b` / `--all-profiles`: each selected profile that has a connection is
// synced first (in parallel on SQLite; one after another on PostgreSQL, whose one session carries
// every statement), each failure its own line while the others still answer; list.ts then answers
// from the mirror, merged newest first.
import { EventsError, UsageError, exitCodeOf } from '../../errors.js';
import { providersOf } from '../filters.js';
import { note } from '../../io.js';
import type { Session } from '../session.js';

/** The profiles to answer for, with their providers, and why the answer may not be fresh. */
export interface Synced {
  providers: Map<string, string>;
  /** Thrown after the results: a sync that stopped early (exit 5, or the first failure's code). */
  failure?: EventsError | undefined;
}

/** Syncs the profiles (unless --offline): their providers, as the mirror records them, and the failure to report. */
export async function syncMany(session: Session, flags: { remote?: boolean; offline?: boolean }, profiles: string[], since: number | undefined): Promise<Synced> {
  if (flags.remote) throw new UsageError('--remote asks one provider: use it with one profile');
  const failed = flags.offline ? [] : await syncAll(session, profiles, since);
  const providers = await providersOf(await session.mirror(), profiles);
  if (failed.length === 0) return { providers };
  // The exit code of the first failure (5 for a provider that kept failing, 4 for refused keys…).
  const names = failed.map((f) => `"${f.name}"`).join(', ');
  return { providers, failure: new EventsError(`the sync of ${names} failed; listed from the mirror as it was`, exitCodeOf(failed[0]!.err)) };
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
