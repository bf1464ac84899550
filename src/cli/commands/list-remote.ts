// `events list --remote`: asks the provider directly, without the mirror. The provider translates
// what it can filter itself; everything is then checked locally too, so the answer is the same
// whichever side did the filtering.
import type { Connection } from '../../config/connection.js';
import { UsageError } from '../../errors.js';
import { rowMatches } from '../../store/filter.js';
import { writeEvents, type WriteOptions } from '../../output/write.js';
import type { EventRow } from '../../providers/types.js';
import type { EventFilter, StoredEvent } from '../../store/contract.js';
import { note } from '../../io.js';
import type { Session } from '../session.js';

export async function remoteList(
  session: Session,
  conn: Connection,
  filter: Omit<EventFilter, 'profile'>,
  limit: number,
  write: WriteOptions,
): Promise<void> {
  const { provider } = conn;
  if (!provider.remoteRequest) throw new UsageError(`${provider.name} has no remote filters; drop --remote`);
  const first = provider.remoteRequest(filter, limit === Infinity ? 100 : limit);
  const client = await session.client(conn);
  const { walkPages } = await import('../../providers/walk.js');
  // A --where key the provider filtered on (bem's callIDs, Close's lead_id…) may not be a field of
  // the event itself: trust the server for those, and check the rest here.
  const sent = { ...first.query, ...first.body };
  const local = { ...filter, where: filter.where.filter((w) => sent[w.path] === undefined) };
  const found: EventRow[] = [];
  const warn = (line: string) => note(session.io, line);
  for await (const page of walkPages({ provider, client, from: first, floor: filter.since, signal: session.io.signal, warn })) {
    for (const row of page.rows) if (rowMatches(row, local, warn) && found.length < limit) found.push(row);
    if (found.length >= limit) break;
  }
  found.sort((a, b) => b.time - a.time || (a.id < b.id ? 1 : -1));
  // Tagged as the mirror's answers are, so --envelope wraps them alike.
  const events = found.map((r): StoredEvent & { profile: string; provider: string } => ({ ...r, raw: r.text, profile: conn.name, provider: provider.name }));
  await writeEvents(session.io.stdout, events, write);
}
