// `events tail`: follows new events until stopped. On a terminal, an Ink view (loaded only here);
// in a pipe, each event's raw JSON on a line of stdout and the polling state on stderr.
import { UsageError } from '../../errors.js';
import { rowMatches } from '../../store/filter.js';
import { DEFAULT_OVERLAP_MS } from '../../sync/engine.js';
import type { JsonObject } from '../../providers/types.js';
import { follow } from '../../tail/follow.js';
import { followMirror } from '../../tail/follow-mirror.js';
import { createHub } from '../../tail/hub.js';
import { followAll, type ProfileLoop } from '../../tail/merge.js';
import type { TailUpdate } from '../../tail/types.js';
import type { Connection } from '../../config/connection.js';
import { selectedProfiles } from '../filters.js';
import { colorEnabled, type Io } from '../../io.js';
import { parseDuration, parseTime } from '../../parse.js';
import { Session } from '../session.js';
import { runBesideView } from '../view-beside.js';
import { runSync } from '../sync-run.js';
import { inBatches } from '../../store/stream.js';

export interface TailFlags {
  type?: string[];
  where?: Array<{ path: string; value: string }>;
  search?: string;
  allProfiles?: boolean;
  interval?: string;
  since?: string;
  overlap?: string;
  offline?: boolean;
  consumer?: string;
}

/** Polling faster than this would only spend the provider's rate limit. */
const MIN_INTERVAL_MS = 100;
/** On a terminal the view keeps this many lines, so --since replays no more than that. */
const VIEW_LINES = 1000;
/** Events per batch of a --since replay into a pipe. */
const REPLAY_BATCH = 1000;

export async function tailCommand(session: Session, flags: TailFlags): Promise<void> {
  // A durable position (src/deliver): the change log from the consumer's last written event.
  if (flags.consumer !== undefined) return (await import('./tail-consumer.js')).tailConsumer(session, { ...flags, consumer: flags.consumer });
  const start = Date.now();
  const intervalMs = flags.interval === undefined ? 5000 : parseDuration('--interval', flags.interval);
  if (intervalMs < MIN_INTERVAL_MS) throw new UsageError(`invalid --interval "${flags.interval}": poll at most every ${MIN_INTERVAL_MS}ms`);
  const overlapMs = flags.overlap === undefined ? DEFAULT_OVERLAP_MS : parseDuration('--overlap', flags.overlap);
  const since = flags.since === undefined ? undefined : parseTime('--since', flags.since, start);
  const filter = { types: flags.type ?? [], where: flags.where ?? [], search: flags.search };
  const { io } = session;
  const onTerminal = Boolean(io.stdout.isTTY);
  // Several profiles (--profile a,b, --all-profiles): one loop each, on a session (and a mirror
  // connection) of its own, merged into one stream or one view (tail/merge.ts).
  const many = await selectedProfiles(session, flags);
  const conns: Connection[] = [];
  if (many) {
    const { resolveConnection } = await import('../../config/connection.js');
    for (const name of many) {
      if (!flags.offline) conns.push(resolveConnection(io.env, name));
      else {
        const one = new Session(io, { ...session.options, profile: name });
        try {
          conns.push(await one.readerConnection());
        } finally {
          await one.close();
        }
      }
    }
  } else conns.push(flags.offline ? await session.readerConnection() : await session.connection());

  // Each loop gets its own session: the stop signal also ends the sync under way (q in the view),
  // and what the sync would print on stderr goes through the view (it would garble the screen).
  const stop = new AbortController();
  const signal = AbortSignal.any([io.signal, stop.signal]);
  const hub = createHub<TailUpdate>();
  const label = (c: Connection) => c.profileName || '(environment)';
  const sessions: Session[] = [];
  const loops: ProfileLoop[] = conns.map((conn) => ({
    tag: label(conn),
    run(emit) {
      const loopIo: Io = {
        ...io,
        signal,
        stderr: { write: (text: string) => text.split('\n').forEach((line) => line && emit({ kind: 'note', text: line })), isTTY: false },
      };
      const loopSession = new Session(loopIo, session.options);
      sessions.push(loopSession);
      return startLoop({ loopSession, conn, filter, flags, onTerminal, overlapMs, intervalMs, start, since, signal, emit });
    },
  }));
  let loop: Promise<void> | undefined;
  try {
    loop = followAll(loops, { several: many !== undefined, view: onTerminal ? (u) => hub.emit(u) : undefined, out: io.stdout, err: io.stderr, intervalMs, signal });
    if (!onTerminal) return await loop;

    const filters = [...filter.types.map((t) => `type ${t}`), ...filter.where.map((w) => `where ${w.path}=${w.value}`), ...(filter.search ? [`search ${filter.search}`] : [])].join(' · ');
    const info = { profile: conns.map(label).join(', '), provider: [...new Set(conns.map((c) => c.provider.name))].join(', '), filters };
    const load = async () => {
      const { showTail } = await import('../../ui/show.js');
      return () => showTail({ source: hub, info, color: colorEnabled(io), keys: Boolean(io.stdinIsTTY), stdout: io.stdout });
    };
    // An error from the loop (bad credentials) is reported on the normal screen, after the view.
    await runBesideView(load, loop, stop);
  } finally {
    stop.abort();
    await loop?.catch(() => undefined);
    for (const s of sessions) await s.close();
  }
}

interface LoopOptions {
  loopSession: Session;
  conn: Connection;
  filter: { types: string[]; where: Array<{ path: string; value: string }>; search?: string | undefined };
  flags: TailFlags;
  onTerminal: boolean;
  overlapMs: number;
  intervalMs: number;
  start: number;
  since: number | undefined;
  signal: AbortSignal;
  emit: (update: TailUpdate) => void;
}

/** One profile's follow loop: the mirror (--offline) or syncs of the provider. */
async function startLoop(o: LoopOptions): Promise<void> {
  const { loopSession, conn, filter, overlapMs, start, since, signal, emit } = o;
  const store = await loopSession.mirror();
  const stored = (from: number) => store.query({ ...filter, profile: conn.name, since: from }, o.onTerminal ? VIEW_LINES : undefined);
  // --since: the view keeps only its last VIEW_LINES, so it asks for those; a pipe gets every match.
  const replay = o.onTerminal
    ? async function* (from: number) {
        yield await stored(from);
      }
    : (from: number) => inBatches(store.stream({ ...filter, profile: conn.name, since: from }, 'oldest-first'), REPLAY_BATCH);
  // Only the view shows summaries: a pipe prints the raw events, and a long --since replay would
  // parse every one of them again for nothing.
  // An event the summary cannot read (whatever it holds) is shown without one.
  const summarize = o.onTerminal ? (raw: JsonObject) => { try { return conn.provider.summarize?.(raw) ?? ''; } catch { return ''; } } : undefined;
  return o.flags.offline
    ? followMirror({
        store,
        profile: conn.name,
        replay,
        matches: (event) => rowMatches({ ...event, raw: JSON.parse(event.raw) as JsonObject }, filter),
        summarize,
        overlapMs,
        start,
        since,
        signal,
        emit,
      })
    : follow({
        poll: async (hooks, first) => {
          const result = await runSync(loopSession, conn, { busy: 'skip', progress: false, overlapMs, since: first ? since : undefined, ...hooks });
          return result ? 'synced' : 'skipped';
        },
        stored,
        replay,
        matches: (row) => rowMatches(row, filter),
        summarize,
        intervalMs: o.intervalMs,
        overlapMs,
        start,
        since,
        signal,
        emit,
      });
}
