// `events get ID`: one event, from the mirror, else (unless --offline) from the provider, then stored.
import { NotFoundError } from '../../errors.js';
import { writeOne } from '../../output/write.js';
import type { Session } from '../session.js';

export async function getCommand(session: Session, id: string, flags: { offline?: boolean }): Promise<void> {
  const write = session.writeOptions();
  const conn = await session.connection();
  const db = await session.mirror();
  const { getEvent, upsertEvents } = await import('../../store/events.js');
  let event = getEvent(db, conn.name, id);
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
    db.transaction(() => upsertEvents(db, conn.name, [row]))();
    event = getEvent(db, conn.name, row.id) ?? { ...row, raw: JSON.stringify(row.raw) };
  }
  writeOne(session.io.stdout, event, write);
}
