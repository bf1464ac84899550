// `events list`: a filtered query, answered from the mirror after a sync (unless --offline), or
// straight from the provider with --remote. Several profiles (`--profile a,b`, `--all-profiles`)
// are synced by list-many.ts and answered here alike, as one timeline newest first.
import { RetriesExhaustedError, UsageError } from '../../errors.js';
import type { EventFilter, Store } from '../../store/contract.js';
import { thousands } from '../../output/number.js';
import { writeEvents, type ListedEvent, type WriteOptions } from '../../output/write.js';
import { filterFromFlags, selectedProfiles, timeline, timelinePage, type FilterFlags } from '../filters.js';
import { note } from '../../io.js';
import { parseCount } from '../../parse.js';
import type { Session } from '../session.js';
import type { Synced } from './list-many.js';

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

export async function listCommand(session: Session, flags: ListFlags): Promise<void> {
  const { filter, limit } = listQuery(flags);
  const profiles = await selectedProfiles(session, flags);
  const write = { ...session.writeOptions(), envelope: flags.envelope, showProfile: profiles !== undefined };
  const synced = profiles
    ? await (await import('./list-many.js')).syncMany(session, flags, profiles, filter.since)
    : await syncOne(session, flags, filter, limit, write);
  if (!synced) return;
  await writeListed(session, await session.mirror(), filter, synced.providers, limit, write);
  await (await import('../cliffs.js')).warnCliffs(session, [...synced.providers.keys()]);
  // One line, after the results: why they may not be fresh.
  if (synced.failure) throw synced.failure;
}

/** The session's one profile, synced (unless --offline); undefined when --remote has answered. */
async function syncOne(session: Session, flags: ListFlags, filter: Omit<EventFilter, 'profile'>, limit: number | undefined, write: WriteOptions): Promise<Synced | undefined> {
  const conn = flags.offline ? await session.readerConnection() : await session.connection();
  // The sync and --remote paths are imported when taken, so `list --offline` loads neither.
  if (flags.remote) return void (await (await import('./list-remote.js')).remoteList(session, conn, filter, limit ?? Infinity, write));
  const providers = new Map([[conn.name, conn.provider.name]]);
  if (flags.offline) return { providers };
  try {
    const { runSync } = await import('../sync-run.js');
    await runSync(session, conn, { since: filter.since, busy: 'skip', progress: false });
    return { providers };
  } catch (err) {
    // What the sync kept is still worth showing; the exit code (5) tells scripts it is not fresh.
    if (!(err instanceof RetriesExhaustedError)) throw err;
    return { providers, failure: new RetriesExhaustedError(`${err.message}; listed from the mirror as it was`) };
  }
}

/** The mirror's answer over the profiles, newest first: every event, or `limit` and a note when more match. */
async function writeListed(
  session: Session,
  store: Store,
  filter: Omit<EventFilter, 'profile'>,
  providers: Map<string, string>,
  limit: number | undefined,
  write: WriteOptions,
): Promise<void> {
  const profiles = [...providers.keys()];
  if (limit === undefined) return writeEvents(session.io.stdout, timeline(store, filter, profiles, providers), write);
  const { events, more } = await timelinePage(store, filter, profiles, providers, limit);
  await writeEvents(session.io.stdout, write.format === 'table' ? await withVersions(store, events) : events, write);
  if (!more) return;
  let total = 0;
  for (const profile of profiles) total += await store.countMatching({ ...filter, profile }, COUNT_CAP + 1);
  const many = total > COUNT_CAP ? `more than ${thousands(COUNT_CAP)}` : thousands(total);
  note(session.io, `showing ${limit} of ${many} matching events; use --limit N or --all for more`);
}

/** The table marks events with more than one version (↻ n); other formats print events as they are. */
async function withVersions(store: Store, events: Array<ListedEvent & { profile: string }>): Promise<ListedEvent[]> {
  const byProfile = new Map<string, string[]>();
  for (const e of events) byProfile.set(e.profile, [...(byProfile.get(e.profile) ?? []), e.id]);
  const counts = new Map<string, number>();
  for (const [p, idsOf] of byProfile) for (const [id, n] of await store.versionCounts(p, idsOf)) counts.set(`${p}\0${id}`, n);
  return events.map((e) => ({ ...e, versions: counts.get(`${e.profile}\0${e.id}`) }));
}
