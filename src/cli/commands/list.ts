// `events list`: a filtered query, answered from the mirror after a sync (unless --offline), or
// straight from the provider with --remote.
import { RetriesExhaustedError, UsageError } from '../../errors.js';
import type { EventFilter, Store } from '../../store/contract.js';
import { thousands } from '../../output/number.js';
import { writeEvents, type ListedEvent } from '../../output/write.js';
import { filterFromFlags, selectedProfiles, type FilterFlags } from '../filters.js';
import { note } from '../../io.js';
import { parseCount } from '../../parse.js';
import type { Session } from '../session.js';

export interface ListFlags extends FilterFlags {
  envelope?: boolean;
  limit?: string;
  all?: boolean;
  offline?: boolean;
  remote?: boolean;
}

export const DEFAULT_LIMIT = 50;
/** The note counts matches up to here and then says "more than": an exact count of a million costs seconds. */
export const COUNT_CAP = 10_000;

/** The filter and limit the flags ask for; every bad value is a usage error before any work. */
export function listQuery(flags: ListFlags, now = Date.now()): { filter: Omit<EventFilter, 'profile'>; limit: number | undefined } {
  if (flags.all && flags.limit !== undefined) throw new UsageError('--limit and --all do not go together: choose one');
  if (flags.offline && flags.remote) throw new UsageError('--offline and --remote do not go together: choose one');
  const filter = filterFromFlags(flags, now);
  const limit = flags.all ? undefined : flags.limit === undefined ? DEFAULT_LIMIT : parseCount('--limit', flags.limit);
  return { filter, limit };
}

/** The table marks events with more than one version (↻ n); other formats print events as they are. */
export async function withVersions(store: Store, events: ListedEvent[], fallbackProfile: string): Promise<ListedEvent[]> {
  const byProfile = new Map<string, string[]>();
  for (const e of events) {
    const p = e.profile ?? fallbackProfile;
    byProfile.set(p, [...(byProfile.get(p) ?? []), e.id]);
  }
  const counts = new Map<string, number>();
  for (const [p, idsOf] of byProfile) for (const [id, n] of await store.versionCounts(p, idsOf)) counts.set(`${p}\0${id}`, n);
  return events.map((e) => ({ ...e, versions: counts.get(`${e.profile ?? fallbackProfile}\0${e.id}`) }));
}

export async function listCommand(session: Session, flags: ListFlags): Promise<void> {
  const { filter, limit } = listQuery(flags);
  const profiles = await selectedProfiles(session, flags);
  if (profiles) return (await import('./list-many.js')).listMany(session, flags, profiles, filter, limit);
  const write = { ...session.writeOptions(), envelope: flags.envelope };
  const conn = flags.offline ? await session.readerConnection() : await session.connection();
  // The sync and --remote paths are imported when taken, so `list --offline` loads neither.
  if (flags.remote) return (await import('./list-remote.js')).remoteList(session, conn, filter, limit ?? Infinity, write);

  let syncFailure: RetriesExhaustedError | undefined;
  if (!flags.offline) {
    try {
      const { runSync } = await import('../sync-run.js');
      await runSync(session, conn, { since: filter.since, busy: 'skip', progress: false });
    } catch (err) {
      // What the sync kept is still worth showing; the exit code (5) tells scripts it is not fresh.
      if (!(err instanceof RetriesExhaustedError)) throw err;
      syncFailure = err;
    }
  }
  const store = await session.mirror();
  const query: EventFilter = { ...filter, profile: conn.name };
  const provider = conn.provider.name;
  const tag = async function* (events: AsyncIterable<ListedEvent>) {
    for await (const e of events) yield { ...e, profile: conn.name, provider };
  };
  if (limit === undefined) {
    await writeEvents(session.io.stdout, tag(store.stream(query)), write);
  } else {
    const rows = (await store.query(query, limit + 1)).map((e) => ({ ...e, profile: conn.name, provider }));
    const shown = write.format === 'table' ? await withVersions(store, rows.slice(0, limit), conn.name) : rows.slice(0, limit);
    await writeEvents(session.io.stdout, shown, write);
    if (rows.length > limit) {
      const total = await store.countMatching(query, COUNT_CAP + 1);
      const many = total > COUNT_CAP ? `more than ${thousands(COUNT_CAP)}` : thousands(total);
      note(session.io, `showing ${limit} of ${many} matching events; use --limit N or --all for more`);
    }
  }
  await (await import('../cliffs.js')).warnCliffs(session, [conn.name]);
  // One line, after the results: why they may not be fresh (exit 5).
  if (syncFailure) throw new RetriesExhaustedError(`${syncFailure.message}; listed from the mirror as it was`);
}
