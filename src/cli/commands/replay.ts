// `events replay`: matching events from the mirror (never the network), oldest first, delivered
// to local handlers as their provider delivers webhooks. Exit 0 when every one was delivered.
import { EventsError, ExitCode } from '../../errors.js';
import type { Deliverer } from '../../deliver/deliver.js';
import { checkDeliveryFlags, deliveryConnections, prepareDelivery, type DeliveryFlags } from '../../deliver/setup.js';
import { pool } from '../../deliver/pool.js';
import { routeLabel, type Route } from '../../deliver/routes.js';
import type { ResultWriter } from '../../deliver/results.js';
import type { StoredEvent } from '../../store/contract.js';
import { thousands } from '../../output/number.js';
import { note } from '../io.js';
import { filterFromFlags, type FilterFlags } from '../filters.js';
import type { Session } from '../session.js';

export interface ReplayFlags extends DeliveryFlags, FilterFlags {
  dryRun?: boolean;
}

interface Job {
  event: StoredEvent;
  route: Route;
  deliverer: Deliverer;
  profile: string;
}

export async function replayCommand(session: Session, flags: ReplayFlags): Promise<void> {
  const { io } = session;
  const filter = filterFromFlags(flags);
  const checked = checkDeliveryFlags(session, flags, { retries: 3 });
  const conns = await deliveryConnections(session, flags, true);
  const store = await session.mirror();

  // Oldest first over every profile: each streams newest first, so the matches are gathered,
  // then ordered (ties: by profile order, then as stored).
  const jobs: Job[] = [];
  let writer: ResultWriter | undefined;
  let matched = 0;
  for (const conn of conns) {
    const prepared = await prepareDelivery(session, conn, flags, { ...checked, signal: io.signal });
    writer ??= prepared.writer;
    const events: StoredEvent[] = [];
    for await (const e of store.stream({ ...filter, profile: conn.name })) events.push(e);
    matched += events.length;
    for (const event of events.reverse()) {
      const route = prepared.deliverer.route(event);
      if (route) jobs.push({ event, route, deliverer: prepared.deliverer, profile: conn.profileName || conn.name });
    }
  }
  if (conns.length > 1) jobs.sort((a, b) => a.event.time - b.event.time);
  const unrouted = matched - jobs.length;
  const out = writer!;

  if (flags.dryRun) {
    for (const j of jobs) out.preview({ id: j.event.id, type: j.event.type, profile: j.profile, to: routeLabel(j.route), ...j.deliverer.preview(j.event) });
    note(io, `replay --dry-run: ${thousands(jobs.length)} events would be sent${unrouted ? `; ${thousands(unrouted)} match no --to route` : ''}`);
    return;
  }
  const started = Date.now();
  let failed = 0;
  let done = 0;
  // On a terminal, a progress line on stderr that the summary replaces.
  const progress = io.stderr.isTTY ? setInterval(() => io.stderr.write(`\rreplay: ${thousands(done)} of ${thousands(jobs.length)}…`), 500) : undefined;
  try {
    await pool(
      jobs,
      checked.concurrency,
      (j) => j.deliverer.deliver(j.event, j.route),
      (_j, result) => {
        done += 1;
        if (!result.ok) failed += 1;
        out.write(result);
      },
    );
  } finally {
    if (progress) {
      clearInterval(progress);
      io.stderr.write('\r\x1b[K');
    }
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  note(io, `replay: ${thousands(jobs.length - failed)} delivered, ${thousands(failed)} failed in ${secs}s${unrouted ? `; ${thousands(unrouted)} matched no --to route` : ''}`);
  if (failed > 0) throw new EventsError(`${thousands(failed)} of ${thousands(jobs.length)} deliveries failed after their retries`, ExitCode.error);
}
