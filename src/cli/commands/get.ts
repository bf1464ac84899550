// `events get ID`: one event, from the mirror, else (unless --offline) from the provider, then stored.
import { NotFoundError } from '../../errors.js';
import { writeOne } from '../../output/write.js';
import { oneRow } from '../../providers/event-text.js';
import type { StoredEvent } from '../../store/contract.js';
import { note } from '../../io.js';
import type { Session } from '../session.js';

export async function getCommand(session: Session, id: string, flags: { offline?: boolean }): Promise<void> {
  const write = session.writeOptions();
  writeOne(session.io.stdout, (await findEvent(session, id, flags)).event, write);
}

/** The event of the selected profile, from the mirror, else (unless offline) fetched and stored. */
export async function findEvent(session: Session, id: string, flags: { offline?: boolean | undefined }): Promise<{ profile: string; provider: string; event: StoredEvent }> {
  const conn = flags.offline ? await session.readerConnection() : await session.connection();
  const store = await session.mirror();
  let event = await store.getEvent(conn.name, id);
  if (!event) {
    const where = conn.profileName ? `profile "${conn.profileName}"` : `${conn.provider.name} (env)`;
    if (flags.offline) throw new NotFoundError(`no event "${id}" in the mirror of ${where} (--offline: the provider was not asked)`);
    const client = await session.client(conn);
    // The event's text is sliced from the response as served, like a synced page's.
    const row = await client
      .send(conn.provider.getRequest(id), (body, meta) => {
        const raw = conn.provider.readOne(body);
        return raw ? oneRow(conn.provider, raw, meta.text, (line) => note(session.io, line)) : undefined;
      })
      .catch((err: unknown) => {
        if (err instanceof NotFoundError) return undefined;
        throw err;
      });
    // Some servers answer an unknown id with another event (fake-seam-connect does): not a match.
    if (!row || row.id !== id) throw new NotFoundError(`no event "${id}" in ${where}`);
    // Stored like a synced page: the same newer-wins rule, and a revision in the change log.
    await store.putEvents(conn.name, conn.provider.name, [row], (line) => note(session.io, line));
    event = (await store.getEvent(conn.name, row.id)) ?? { ...row, raw: row.text };
  }
  return { profile: conn.name, provider: conn.provider.name, event };
}
