// `events get ID`: one event, from the mirror, else (unless --offline) from the provider, then stored.
import { NotFoundError } from '../../errors.js';
import { writeOne } from '../../output/write.js';
import type { StoredEvent } from '../../store/contract.js';
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
    const raw = await client
      .send(conn.provider.getRequest(id), (body) => conn.provider.readOne(body))
      .catch((err: unknown) => {
        if (err instanceof NotFoundError) return null;
        throw err;
      });
    const row = raw ? conn.provider.normalize(raw) : undefined;
    // Some servers answer an unknown id with another event (fake-seam-connect does): not a match.
    if (!row || row.id !== id) throw new NotFoundError(`no event "${id}" in ${where}`);
    // Stored like a synced page: the same newer-wins rule, and a revision in the change log.
    await store.putEvents(conn.name, conn.provider.name, [row]);
    event = (await store.getEvent(conn.name, row.id)) ?? { ...row, raw: JSON.stringify(row.raw) };
  }
  return { profile: conn.name, provider: conn.provider.name, event };
}
