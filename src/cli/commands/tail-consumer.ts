// `tail --consumer NAME`: tail as a durable stream for scripts. Each matching event's raw JSON is
// written on a line of stdout, and the consumer's position moves past it only once the line has
// been handed to the pipe, so a script restarted after any stop sees no gap (at-least-once).
import { consume } from '../../deliver/consume.js';
import { eventMatcher } from '../../deliver/match.js';
import { syncLoops } from '../sync-loop.js';
import { UsageError } from '../../errors.js';
import { DEFAULT_OVERLAP_MS } from '../../sync/engine.js';
import { note, type OutStream } from '../../io.js';
import { parseDuration } from '../../parse.js';
import type { Session } from '../session.js';

export interface TailConsumerFlags {
  type?: string[];
  where?: Array<{ path: string; value: string }>;
  search?: string;
  allProfiles?: boolean;
  interval?: string;
  overlap?: string;
  offline?: boolean;
  since?: string;
  consumer?: string;
}

export async function tailConsumer(session: Session, flags: TailConsumerFlags & { consumer: string }): Promise<void> {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(flags.consumer)) throw new UsageError(`invalid --consumer "${flags.consumer}": use letters, digits, ".", "_" and "-"`);
  if (flags.since !== undefined) throw new UsageError('--since and --consumer do not go together: a consumer resumes from its position (move it with `events consumers reset NAME --since TIME`)');
  const intervalMs = flags.interval === undefined ? 5000 : parseDuration('--interval', flags.interval);
  if (intervalMs < 100) throw new UsageError(`invalid --interval "${flags.interval}": poll at most every 100ms`);
  const overlapMs = flags.overlap === undefined ? DEFAULT_OVERLAP_MS : parseDuration('--overlap', flags.overlap);
  if (flags.allProfiles || session.options.profile?.includes(',')) throw new UsageError('a consumer follows one profile: run one tail --consumer per profile');
  const matches = eventMatcher({ types: flags.type ?? [], where: flags.where ?? [], search: flags.search });
  const conn = flags.offline ? await session.readerConnection() : await session.connection();
  const { io } = session;
  const store = await session.mirror();
  const syncs = syncLoops(session, conn, { intervalMs, overlapMs }, {
    onWait: () => {},
    onSynced: () => {},
    onFailed: (error) => note(io, `tail: sync failing: ${error}; trying again in ${intervalMs / 1000}s`),
  });
  await consume({
    store,
    profile: conn.name,
    consumer: flags.consumer,
    signal: io.signal,
    firstSync: flags.offline ? undefined : syncs.once,
    syncLoop: flags.offline ? undefined : syncs.loop,
    concurrency: 1,
    async handle(event) {
      if (!matches(event)) return null;
      await writeFlushed(io.stdout, `${event.raw}\n`);
      return { ok: true };
    },
    note: (text) => note(io, `tail: ${text}`),
  });
}

/** Writes and waits until the stream has taken the text (a pipe's write is asynchronous in Node). */
function writeFlushed(out: OutStream, text: string): Promise<void> {
  const write = out.write as (text: string, cb?: (err?: Error | null) => void) => unknown;
  if (write.length < 2) {
    out.write(text);
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => write.call(out, text, (err) => (err ? reject(err) : resolve())));
}
