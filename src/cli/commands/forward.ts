// `events forward`: the live form of replay. Follows each profile's change log (syncing every
// interval, or with --offline following what other processes sync) and delivers each new or
// changed event; --consumer makes it durable (src/deliver/consume.ts). A view on a terminal.
import type { Connection } from '../../config/connection.js';
import { UsageError } from '../../errors.js';
import { consume, type Handled } from '../../deliver/consume.js';
import type { Deliverer } from '../../deliver/deliver.js';
import { eventMatcher } from '../../deliver/match.js';
import { routeLabel } from '../../deliver/routes.js';
import { checkDeliveryFlags, deliveryConnections, prepareDelivery, type DeliveryFlags } from '../delivery-setup.js';
import { syncLoops } from '../sync-loop.js';
import { streamForward, type ForwardUpdate } from '../../deliver/updates.js';
import { createHub } from '../../tail/hub.js';
import type { RevisedEvent } from '../../store/contract.js';
import { DEFAULT_OVERLAP_MS } from '../../sync/engine.js';
import { filterFromFlags, type FilterFlags } from '../filters.js';
import { colorEnabled, type Io } from '../../io.js';
import { parseDuration } from '../../parse.js';
import { Session } from '../session.js';
import { runBesideView } from '../view-beside.js';

export interface ForwardFlags extends DeliveryFlags, FilterFlags {
  interval?: string;
  overlap?: string;
  offline?: boolean;
  consumer?: string;
  skipFailed?: boolean;
}

export async function forwardCommand(session: Session, flags: ForwardFlags): Promise<void> {
  const filter = filterFromFlags(flags);
  const matches = eventMatcher(filter);
  const checked = checkDeliveryFlags(session, flags, { retries: 3 });
  const intervalMs = flags.interval === undefined ? 5000 : parseDuration('--interval', flags.interval);
  if (intervalMs < 100) throw new UsageError(`invalid --interval "${flags.interval}": sync at most every 100ms`);
  const overlapMs = flags.overlap === undefined ? DEFAULT_OVERLAP_MS : parseDuration('--overlap', flags.overlap);
  if (flags.consumer !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(flags.consumer)) {
    throw new UsageError(`invalid --consumer "${flags.consumer}": use letters, digits, ".", "_" and "-"`);
  }
  if (flags.skipFailed && flags.consumer === undefined) throw new UsageError('--skip-failed goes with --consumer (without one, a failed delivery is reported and passed anyway)');
  const conns = await deliveryConnections(session, flags, Boolean(flags.offline));
  const { io } = session;
  const onTerminal = Boolean(io.stdout.isTTY);

  // As in tail: the loops have their own session and stop signal (q in the view), and what a sync
  // would print on stderr goes through the view on a terminal.
  const stop = new AbortController();
  const signal = AbortSignal.any([io.signal, stop.signal]);
  const hub = createHub<ForwardUpdate>();
  let emit: (u: ForwardUpdate) => void = (u) => hub.emit(u);
  const loopIo: Io = {
    ...io,
    signal,
    stderr: onTerminal ? { write: (t: string) => t.split('\n').forEach((line) => line && emit({ kind: 'note', text: line })), isTTY: false } : io.stderr,
  };
  const loopSession = new Session(loopIo, session.options);
  // A durable consumer never passes an event it could not deliver, unless told to.
  const durable = flags.consumer !== undefined && !flags.skipFailed;
  const deliverers = new Map<string, Deliverer>();
  for (const conn of conns) {
    const prepared = await prepareDelivery(session, conn, flags, {
      ...checked,
      retries: durable ? Infinity : checked.retries,
      signal,
      onRetry: ({ event, waitMs, error }) => {
        emit({ kind: 'state', state: { kind: 'handler-failing', id: event.id, error, retryAt: Date.now() + waitMs } });
        // `events consumers` shows why a consumer is stuck while it keeps retrying.
        if (flags.consumer !== undefined) {
          const lastError = `${event.id}: ${error}`.slice(0, 500);
          void loopSession.mirror().then((store) => store.saveConsumer({ name: flags.consumer!, profile: conn.name, lastError })).catch(() => undefined);
        }
      },
    });
    deliverers.set(conn.name, prepared.deliverer);
    if (!onTerminal && deliverers.size === 1) emit = streamForward(prepared.writer, io.stderr);
  }

  // Pausing (the view's p key) holds the next delivery until resumed.
  let paused: { resume: Promise<void>; release: () => void } | undefined;
  const handle = async (profile: string, event: RevisedEvent): Promise<Handled> => {
    if (paused) await paused.resume;
    const deliverer = deliverers.get(profile)!;
    const route = matches(event) ? deliverer.route(event) : undefined;
    if (!route) return null;
    emit({ kind: 'sending', event, profile, to: routeLabel(route) });
    const result = await deliverer.deliver(event, route);
    emit({ kind: 'result', result, event });
    return result.ok ? { ok: true } : { ok: false, error: result.error ?? `status ${result.status}` };
  };
  const control = {
    togglePause() {
      if (paused) {
        paused.release();
        paused = undefined;
      } else {
        let release!: () => void;
        paused = { resume: new Promise<void>((r) => (release = r)), release };
      }
      return paused !== undefined;
    },
    resend: (event: RevisedEvent, profile: string) => void handle(profile, event).catch(() => undefined),
  };
  const live = () => emit({ kind: 'state', state: { kind: 'live', offline: Boolean(flags.offline), every: flags.interval ?? '5s' } });

  const follow = async (conn: Connection) => {
    const store = await loopSession.mirror();
    const syncs = syncLoops(loopSession, conn, { intervalMs, overlapMs }, {
      onWait: (info) =>
        emit({
          kind: 'state',
          state: info.reason.startsWith('429')
            ? { kind: 'rate-limited', reason: info.reason, retryAt: Date.now() + info.waitMs }
            : { kind: 'sync-failing', error: info.reason, retryAt: Date.now() + info.waitMs },
        }),
      onSynced: live,
      onFailed: (error, retryAt) => emit({ kind: 'state', state: { kind: 'sync-failing', error, retryAt } }),
    });
    await consume({
      store,
      profile: conn.name,
      consumer: flags.consumer,
      signal,
      firstSync: flags.offline ? undefined : syncs.once,
      syncLoop: flags.offline ? undefined : syncs.loop,
      concurrency: checked.concurrency,
      handle: (event) => handle(conn.name, event),
      note: (text) => emit({ kind: 'note', text: conns.length > 1 ? `${conn.name}: ${text}` : text }),
      onProgress: ({ rev, head }) => (head - rev > 0 ? emit({ kind: 'state', state: { kind: 'catching-up', behind: head - rev } }) : live()),
    });
  };
  emit({ kind: 'state', state: { kind: 'starting' } });
  // One follower per profile; the first to fail for good (bad credentials) stops the others.
  const loop = Promise.all(conns.map((c) => follow(c).catch((err: unknown) => (stop.abort(), Promise.reject(err))))).then(() => undefined);
  try {
    if (!onTerminal) return await loop;
    const info = {
      profile: conns.map((c) => c.profileName || '(environment)').join(', '),
      provider: [...new Set(conns.map((c) => c.provider.name))].join(', '),
      consumer: flags.consumer ?? '',
      routes: checked.routes.map(routeLabel).join(' · '),
    };
    const load = async () => {
      const { showForward } = await import('../../ui/forward/show.js');
      return () => showForward({ subscribe: (l) => hub.subscribe(l), info, color: colorEnabled(io), keys: Boolean(io.stdinIsTTY), stdout: io.stdout, control });
    };
    await runBesideView(load, loop, stop);
  } finally {
    stop.abort();
    paused?.release();
    await loop.catch(() => undefined);
    await loopSession.close();
  }
}
