// `events tail`: follows new events until stopped. On a terminal, an Ink view (loaded only here);
// in a pipe, each event's raw JSON on a line of stdout and the polling state on stderr.
import { InterruptedError, UsageError } from '../../errors.js';
import { rowMatches } from '../../filter.js';
import { DEFAULT_OVERLAP_MS } from '../../sync/engine.js';
import type { JsonObject } from '../../providers/types.js';
import { follow } from '../../tail/follow.js';
import { followMirror } from '../../tail/follow-mirror.js';
import { createHub } from '../../tail/hub.js';
import { streamPrinter } from '../../tail/print.js';
import type { TailUpdate } from '../../tail/types.js';
import { colorEnabled, type Io } from '../io.js';
import { parseDuration, parseTime } from '../parse.js';
import { Session } from '../session.js';
import { runSync } from '../sync-run.js';

export interface TailFlags {
  type?: string[];
  where?: Array<{ path: string; value: string }>;
  interval?: string;
  since?: string;
  overlap?: string;
  offline?: boolean;
}

/** Polling faster than this would only spend the provider's rate limit. */
const MIN_INTERVAL_MS = 100;
/** On a terminal the view keeps this many lines, so --since replays no more than that. */
const VIEW_LINES = 1000;

export async function tailCommand(session: Session, flags: TailFlags): Promise<void> {
  const start = Date.now();
  const intervalMs = flags.interval === undefined ? 5000 : parseDuration('--interval', flags.interval);
  if (intervalMs < MIN_INTERVAL_MS) throw new UsageError(`invalid --interval "${flags.interval}": poll at most every ${MIN_INTERVAL_MS}ms`);
  const overlapMs = flags.overlap === undefined ? DEFAULT_OVERLAP_MS : parseDuration('--overlap', flags.overlap);
  const since = flags.since === undefined ? undefined : parseTime('--since', flags.since, start);
  const filter = { types: flags.type ?? [], where: flags.where ?? [] };
  const conn = flags.offline ? await session.readerConnection() : await session.connection();
  const { io } = session;
  const onTerminal = Boolean(io.stdout.isTTY);

  // The loop gets its own session: its stop signal also ends the sync under way (q in the view),
  // and what the sync would print on stderr goes through the view (it would garble the screen).
  const stop = new AbortController();
  const hub = createHub();
  const print = onTerminal ? undefined : streamPrinter(io.stdout, io.stderr, { intervalMs });
  const emit = (update: TailUpdate) => (print ? print(update) : hub.emit(update));
  const loopIo: Io = {
    ...io,
    signal: AbortSignal.any([io.signal, stop.signal]),
    stderr: { write: (text: string) => text.split('\n').forEach((line) => line && emit({ kind: 'note', text: line })), isTTY: false },
  };
  const loopSession = new Session(loopIo, session.options);
  try {
    const store = await loopSession.mirror();
    const stored = (from: number) => store.query({ ...filter, profile: conn.name, since: from }, onTerminal ? VIEW_LINES : undefined);
    const summarize = (raw: JsonObject) => conn.provider.summarize?.(raw) ?? '';
    const loop = flags.offline
      ? followMirror({
          store,
          profile: conn.name,
          stored,
          matches: (event) => rowMatches({ ...event, raw: JSON.parse(event.raw) as JsonObject }, filter),
          summarize,
          overlapMs,
          start,
          since,
          signal: loopIo.signal,
          emit,
        })
      : follow({
          poll: async (hooks, first) => {
            const result = await runSync(loopSession, conn, { busy: 'skip', progress: false, overlapMs, since: first ? since : undefined, ...hooks });
            return result ? 'synced' : 'skipped';
          },
          stored,
          matches: (row) => rowMatches(row, filter),
          summarize,
          intervalMs,
          overlapMs,
          start,
          since,
          signal: loopIo.signal,
          emit,
        });
    if (!onTerminal) return await loop;

    const { showTail } = await import('../../ui/show.js');
    const filters = [...filter.types.map((t) => `type ${t}`), ...filter.where.map((w) => `where ${w.path}=${w.value}`)].join(' · ');
    const view = showTail({
      source: hub,
      info: { profile: conn.profileName || '(environment)', provider: conn.provider.name, filters },
      color: colorEnabled(io),
      keys: Boolean(io.stdinIsTTY),
      stdout: io.stdout,
    });
    try {
      const how = await Promise.race([view.done, loop.then(() => 'stopped' as const)]);
      stop.abort();
      await loop;
      await view.close();
      if (how === 'interrupt') throw new InterruptedError();
    } finally {
      // An error from the loop (bad credentials) is reported on the normal screen, after the view.
      stop.abort();
      await view.close();
    }
  } finally {
    stop.abort();
    await loopSession.close();
  }
}
