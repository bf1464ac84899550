// `events consumers [list | reset NAME --since TIME | remove NAME]`: the durable consumers of
// forward/tail --consumer. A table on a terminal, one JSON object per position in a pipe.
import { UsageError } from '../../errors.js';
import { formatTime } from '../../output/line.js';
import { thousands } from '../../output/number.js';
import { sanitize } from '../../output/sanitize.js';
import type { Store } from '../../store/contract.js';
import { note } from '../../io.js';
import { parseTime } from '../../parse.js';
import type { Session } from '../session.js';

/** Lag is counted up to here ("more than 10,000"): an exact count would read the whole log. */
const LAG_CAP = 10_000;

export interface ConsumerReport {
  name: string;
  profile: string;
  rev: number;
  head: number;
  /** Changed events not yet acknowledged (at most LAG_CAP + 1). */
  behind: number;
  /** How long the oldest unacknowledged change has waited (ms), null when none waits. */
  behindMs: number | null;
  ackedAt: string | null;
  lastDelivery: string | null;
  failures: number;
  lastError: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export async function consumersList(session: Session): Promise<void> {
  const store = await session.mirror();
  const now = Date.now();
  const report: ConsumerReport[] = [];
  for (const c of await store.consumers()) {
    const pending = await store.changesSince(c.profile, c.rev, LAG_CAP + 1);
    report.push({
      name: c.name,
      profile: c.profile,
      rev: c.rev,
      head: await store.headRevision(c.profile),
      behind: pending.length,
      behindMs: pending[0] ? Math.max(0, now - pending[0].seen) : null,
      ackedAt: iso(c.ackedAt),
      lastDelivery: iso(c.lastDelivery),
      failures: c.failures,
      lastError: c.lastError,
    });
  }
  const { stdout } = session.io;
  if (session.format() !== 'table') {
    if (session.format() === 'json') stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else for (const r of report) stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  if (report.length === 0) return note(session.io, 'no consumers yet: `events forward --consumer NAME …` or `events tail --consumer NAME` starts one');
  const rows = report.map((r) => [
    r.name,
    r.profile,
    `${r.rev}/${r.head}`,
    r.behind === 0 ? 'up to date' : `${r.behind > LAG_CAP ? `> ${thousands(LAG_CAP)}` : thousands(r.behind)} events, ${Math.round((r.behindMs ?? 0) / 1000)}s`,
    r.lastDelivery ? `${formatTime(Date.parse(r.lastDelivery))} UTC` : '-',
    r.failures ? `${r.failures}${r.lastError ? ` (last: ${r.lastError})` : ''}` : '0',
  ].map(sanitize));
  const head = ['CONSUMER', 'PROFILE', 'POSITION', 'BEHIND', 'LAST DELIVERY', 'FAILURES'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const line of [head, ...rows]) stdout.write(`${line.map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}\n`);
}

export async function consumersReset(session: Session, name: string, flags: { since: string }): Promise<void> {
  const since = parseTime('--since', flags.since);
  const store = await session.mirror();
  const positions = await positionsOf(session, store, name);
  for (const c of positions) {
    const rev = await revisionBefore(store, c.profile, since);
    await store.saveConsumer({ name, profile: c.profile, rev, ackedAt: Date.now() });
    note(session.io, `consumer "${name}" on ${c.profile}: position ${c.rev} → ${rev}; it delivers the changes the mirror took in since ${new Date(since).toISOString()} on its next run`);
  }
}

export async function consumersRemove(session: Session, name: string): Promise<void> {
  const store = await session.mirror();
  await positionsOf(session, store, name);
  const n = await store.removeConsumer(name);
  note(session.io, `removed consumer "${name}" (${n} ${n === 1 ? 'position' : 'positions'})`);
}

/** The consumer's positions (on the selected profile when one is named); none is a usage error. */
async function positionsOf(session: Session, store: Store, name: string) {
  const named = session.options.profile ?? (session.io.env.EVENTS_PROFILE || undefined);
  const profile = named === undefined ? undefined : (await session.readerConnection()).name;
  const all = (await store.consumers()).filter((c) => c.name === name && (profile === undefined || c.profile === profile));
  if (all.length === 0) {
    const known = [...new Set((await store.consumers()).map((c) => c.name))];
    throw new UsageError(`no consumer named "${name}"${profile ? ` on ${profile}` : ''}; ${known.length ? `known: ${known.join(', ')}` : 'there are none yet'}`);
  }
  return all;
}

/**
 * The position just before the first change the mirror stored at or after `since`: revisions grow
 * in commit order, so everything above it was stored since then. The head when nothing was.
 */
async function revisionBefore(store: Store, profile: string, since: number): Promise<number> {
  let after = 0;
  for (;;) {
    const batch = await store.changesSince(profile, after, 1000);
    if (batch.length === 0) return after;
    const first = batch.find((e) => e.seen >= since);
    if (first) return first.rev - 1;
    after = batch[batch.length - 1]!.rev;
  }
}
