// `events replay`: matching events from the mirror (never the network), oldest first, delivered
// to local handlers as their provider delivers webhooks. Exit 0 when every one was delivered.
// The matches are streamed from the mirror, a batch of deliveries at a time.
import { EventsError, ExitCode } from '../../errors.js';
import type { Deliverer } from '../../deliver/deliver.js';
import { checkDeliveryFlags, deliveryConnections, prepareDelivery, type DeliveryFlags } from '../delivery-setup.js';
import { pool } from '../../deliver/pool.js';
import { routeLabel, type Route } from '../../deliver/routes.js';
import type { ResultWriter } from '../../deliver/results.js';
import type { StoredEvent } from '../../store/contract.js';
import { thousands } from '../../output/number.js';
import { note } from '../../io.js';
import { filterFromFlags, timeline, type FilterFlags } from '../filters.js';
import { inBatches } from '../../store/stream.js';
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

/** Deliveries handed to the pool at a time: replay streams its matches, whatever their number. */
const JOB_BATCH = 1_000;

export async function replayCommand(session: Session, flags: ReplayFlags): Promise<void> {
  const { io } = session;
  const filter = filterFromFlags(flags);
  const checked = checkDeliveryFlags(session, flags, { retries: 3 });
  const conns = await deliveryConnections(session, flags, true);
  const store = await session.mirror();

  const prepared = new Map<string, { deliverer: Deliverer; profile: string }>();
  let writer: ResultWriter | undefined;
  for (const conn of conns) {
    const p = await prepareDelivery(session, conn, flags, { ...checked, signal: io.signal });
    writer ??= p.writer;
    prepared.set(conn.name, { deliverer: p.deliverer, profile: conn.profileName || conn.name });
  }
  const out = writer!;
  const names = conns.map((c) => c.name);
  const providers = new Map(conns.map((c) => [c.name, c.provider.name]));

  // Oldest first over every profile (ties: by profile order, then as stored), streamed: the
  // matches are read a batch at a time as the deliveries go, in flat memory.
  let matched = 0;
  let routed = 0;
  async function* jobs(): AsyncGenerator<Job> {
    for await (const event of timeline(store, filter, names, providers, 'oldest-first')) {
      matched += 1;
      const { deliverer, profile } = prepared.get(event.profile)!;
      const route = deliverer.route(event);
      if (!route) continue;
      routed += 1;
      yield { event, route, deliverer, profile };
    }
  }
  const jobBatches = () => inBatches(jobs(), JOB_BATCH);

  if (flags.dryRun) {
    for await (const jobs of jobBatches()) {
      for (const j of jobs) out.preview({ id: j.event.id, type: j.event.type, profile: j.profile, to: routeLabel(j.route), ...j.deliverer.preview(j.event) });
    }
    const unrouted = matched - routed;
    note(io, `replay --dry-run: ${thousands(routed)} events would be sent${unrouted ? `; ${thousands(unrouted)} match no --to route` : ''}`);
    return;
  }
  const started = Date.now();
  let failed = 0;
  let done = 0;
  // On a terminal, a progress line on stderr that the summary replaces (the total counted first).
  let total = 0;
  if (io.stderr.isTTY) for (const name of names) total += await store.countMatching({ ...filter, profile: name });
  const progress = io.stderr.isTTY ? setInterval(() => io.stderr.write(`\rreplay: ${thousands(done)} of ${thousands(total)}…`), 500) : undefined;
  try {
    for await (const jobs of jobBatches()) {
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
    }
  } finally {
    if (progress) {
      clearInterval(progress);
      io.stderr.write('\r\x1b[K');
    }
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  const unrouted = matched - routed;
  note(io, `replay: ${thousands(routed - failed)} delivered, ${thousands(failed)} failed in ${secs}s${unrouted ? `; ${thousands(unrouted)} matched no --to route` : ''}`);
  if (failed > 0) throw new EventsError(`${thousands(failed)} of ${thousands(routed)} deliveries failed after their retries`, ExitCode.error);
}
