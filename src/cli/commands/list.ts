// `events list`: a filtered query, answered from the mirror after a sync (unless --offline), or
// straight from the provider with --remote.
import { RetriesExhaustedError, UsageError } from '../../errors.js';
import type { EventFilter } from '../../store/contract.js';
import { thousands } from '../../output/number.js';
import { writeEvents } from '../../output/write.js';
import { note } from '../io.js';
import { parseCount, parseTime } from '../parse.js';
import type { Session } from '../session.js';

export interface ListFlags {
  type?: string[];
  since?: string;
  until?: string;
  object?: string;
  where?: Array<{ path: string; value: string }>;
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
  const since = flags.since === undefined ? undefined : parseTime('--since', flags.since, now);
  const until = flags.until === undefined ? undefined : parseTime('--until', flags.until, now);
  if (since !== undefined && until !== undefined && since > until) {
    throw new UsageError(`--since (${flags.since}) is after --until (${flags.until})`);
  }
  const limit = flags.all ? undefined : flags.limit === undefined ? DEFAULT_LIMIT : parseCount('--limit', flags.limit);
  return { filter: { types: flags.type ?? [], since, until, object: flags.object, where: flags.where ?? [] }, limit };
}

export async function listCommand(session: Session, flags: ListFlags): Promise<void> {
  const { filter, limit } = listQuery(flags);
  const write = session.writeOptions();
  const conn = flags.offline ? await session.readerConnection() : await session.connection();
  // The sync and --remote paths are imported when taken, so `list --offline` loads neither.
  if (flags.remote) return (await import('./list-remote.js')).remoteList(session, conn, filter, limit ?? Infinity);

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
  if (limit === undefined) {
    await writeEvents(session.io.stdout, store.stream(query), write);
  } else {
    const rows = await store.query(query, limit + 1);
    await writeEvents(session.io.stdout, rows.slice(0, limit), write);
    if (rows.length > limit) {
      const total = await store.countMatching(query, COUNT_CAP + 1);
      const many = total > COUNT_CAP ? `more than ${thousands(COUNT_CAP)}` : thousands(total);
      note(session.io, `showing ${limit} of ${many} matching events; use --limit N or --all for more`);
    }
  }
  // One line, after the results: why they may not be fresh (exit 5).
  if (syncFailure) throw new RetriesExhaustedError(`${syncFailure.message}; listed from the mirror as it was`);
}
