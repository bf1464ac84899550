// `events sync [--full] [--overlap 5m] [--since TIME]`: brings the selected profile's mirror up to date.
import { parseDuration, parseTime } from '../../parse.js';
import type { Session } from '../session.js';
import { runSync } from '../sync-run.js';

export interface SyncFlags {
  full?: boolean;
  overlap?: string;
  since?: string;
}

export async function syncCommand(session: Session, flags: SyncFlags): Promise<void> {
  const overlapMs = flags.overlap === undefined ? undefined : parseDuration('--overlap', flags.overlap);
  const since = flags.since === undefined ? undefined : parseTime('--since', flags.since);
  const conn = await session.connection();
  await runSync(session, conn, { full: flags.full, overlapMs, since, busy: 'wait', progress: true });
  await (await import('../cliffs.js')).warnCliffs(session, [conn.name]);
}
