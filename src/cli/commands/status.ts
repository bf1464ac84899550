// `events status`: how fresh and how complete the mirror is, per profile: events held, the range
// it covers completely, the last sync, any unfinished backfill, and the provider's own count.
import { formatTime } from '../../output/line.js';
import { sanitize } from '../../output/sanitize.js';
import { csvRow } from '../../output/write.js';
import { providerNamed } from '../../providers/registry.js';
import { describeHole, holesOf, span } from '../cliffs.js';
import type { Session } from '../session.js';

export interface ProfileStatus {
  profile: string;
  provider: string;
  events: number;
  /** Ranges held completely, newest first: from (null = the oldest event served) to. */
  complete: Array<{ from: string | null; to: string }>;
  lastSync: string | null;
  lastOk: string | null;
  lastError: string | null;
  backfill: Array<{ kind: string; fetched: number; reachedBackTo: string | null; startedAt: string }>;
  providerTotal: number | null;
  /**
   * How far the provider's clock ran ahead of this machine's at the last sync (ms, from its HTTP
   * Date header; negative: behind); null when never measured.
   */
  clockSkewMs: number | null;
  /** `events prune` removed the events before this time; the range stays held. */
  prunedBefore: string | null;
  /** How many days of history the provider keeps (Close: 30), where it says. */
  retentionDays: number | null;
  /** What is not held completely: gaps between the complete ranges and unfinished backfills, newest first. */
  holes: Array<{ kind: 'gap' | 'backfill'; from: string; to: string; spanMs: number; leavesApiAt: string | null; message: string }>;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A skew worth a line: more than the Date header's grain and a slow round trip (as sync-run's note). */
const LARGE_SKEW_MS = 60_000;

/** The report of every profile in the mirror, or of the selected connection's alone. */
export async function statusReport(session: Session): Promise<ProfileStatus[]> {
  const { io, options } = session;
  // A selected connection narrows the report to it; otherwise every profile in the mirror.
  const selected = options.profile ?? io.env.EVENTS_PROFILE ?? (io.env.EVENTS_PROVIDER ? '' : undefined);
  const only = selected === undefined ? undefined : (await session.readerConnection()).name;
  const store = await session.mirror();
  const metas = await store.readMeta(only);
  const report: ProfileStatus[] = [];
  const now = Date.now();
  for (const m of metas) {
    const retentionDays = providerNamed(m.provider, io.env)?.retentionDays ?? null;
    const coverage = await store.coverage(m.profile);
    const walks = await store.pendingWalks(m.profile);
    report.push({
    profile: m.profile,
    provider: m.provider,
    events: await store.countEvents(m.profile),
    complete: coverage.map((r) => ({ from: iso(r.lo), to: iso(r.hi)! })),
    lastSync: iso(m.lastSync),
    lastOk: iso(m.lastOk),
    lastError: m.lastError || null,
    backfill: walks.map((w) => ({
      kind: w.kind,
      fetched: w.fetched,
      reachedBackTo: iso(w.reached),
      startedAt: iso(w.started)!,
    })),
    providerTotal: m.remoteTotal,
    clockSkewMs: m.skewMs ?? null,
    prunedBefore: iso(m.prunedBefore ?? null),
    retentionDays,
    holes: holesOf(coverage, walks, retentionDays, now).map((h) => ({
      kind: h.kind,
      from: iso(h.from)!,
      to: iso(h.to)!,
      spanMs: h.to - h.from,
      leavesApiAt: iso(h.leavesAt),
      message: describeHole(h, m.provider, now),
    })),
  });
  }
  return report;
}

export async function statusCommand(session: Session): Promise<void> {
  const { io } = session;
  const report = await statusReport(session);
  const format = session.format();
  if (format === 'json') io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (format === 'ndjson') for (const r of report) io.stdout.write(`${JSON.stringify(r)}\n`);
  else if (format === 'csv') {
    io.stdout.write('profile,provider,events,complete_from,complete_to,last_sync,backfill_pending\n');
    for (const r of report) {
      const c = r.complete[0];
      io.stdout.write(csvRow([r.profile, r.provider, String(r.events), c?.from ?? '', c?.to ?? '', r.lastSync ?? '', String(r.backfill.length > 0)], io.stdout));
    }
  } else io.stdout.write(renderStatus(report, Date.now()));
}

/** The report as people read it: a block per profile, sanitised whole (a last error is provider text; no colour of ours). */
export function renderStatus(report: ProfileStatus[], now: number): string {
  if (report.length === 0) return 'The mirror holds no profile yet: run `events sync`.\n';
  const ago = (t: string | null) => (t === null ? 'never' : `${formatTime(Date.parse(t))} UTC (${relative(now - Date.parse(t))})`);
  const blocks = report.map((r) => {
    const lines = [`${r.profile} (${r.provider})`, `  events      ${r.events.toLocaleString('en-US')}`];
    if (r.providerTotal !== null) {
      const gap = r.providerTotal - r.events;
      lines.push(`  provider    reports ${r.providerTotal.toLocaleString('en-US')}${gap === 0 ? ' (all held)' : gap > 0 ? ` (${gap.toLocaleString('en-US')} not held yet)` : ''}`);
    }
    if (r.complete.length === 0) lines.push('  complete    nothing yet');
    for (const [i, c] of r.complete.entries()) {
      const from = c.from === null ? 'the oldest event served' : `${formatTime(Date.parse(c.from))} UTC`;
      lines.push(`  ${i === 0 ? 'complete   ' : '           '} from ${from} to ${formatTime(Date.parse(c.to))} UTC`);
    }
    for (const h of r.holes) {
      lines.push(`  ${h.kind === 'gap' ? 'gap        ' : 'missing    '} ${formatTime(Date.parse(h.from))} → ${formatTime(Date.parse(h.to))} UTC (${span(h.spanMs)}): ${h.message}`);
    }
    if (r.prunedBefore !== null) {
      lines.push(`  pruned      events before ${formatTime(Date.parse(r.prunedBefore))} UTC were pruned (events prune); syncs do not fetch them again`);
    }
    if (r.retentionDays !== null) {
      lines.push(`  retention   ${r.provider} keeps ${r.retentionDays} days; older events are gone from the API, not from the mirror`);
    }
    if (r.clockSkewMs !== null && Math.abs(r.clockSkewMs) >= LARGE_SKEW_MS) {
      const minutes = Math.round(Math.abs(r.clockSkewMs) / 60_000);
      const side = r.clockSkewMs > 0 ? 'ahead of' : 'behind';
      lines.push(`  clock       ${r.provider}'s clock is ${minutes} min ${side} this machine (measured at the last sync)`);
    }
    lines.push(`  last sync   ${ago(r.lastSync)}${r.lastError ? ` — failed: ${r.lastError}` : r.lastSync ? ', ok' : ''}`);
    if (r.backfill.length === 0) lines.push('  backfill    none unfinished');
    for (const b of r.backfill) {
      const back = b.reachedBackTo ? `, back to ${formatTime(Date.parse(b.reachedBackTo))} UTC` : '';
      lines.push(`  backfill    unfinished ${b.kind} walk: ${b.fetched.toLocaleString('en-US')} events so far${back}; the next sync goes on from there`);
    }
    return lines.join('\n');
  });
  return sanitize(`${blocks.join('\n\n')}\n`);
}

function relative(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}
