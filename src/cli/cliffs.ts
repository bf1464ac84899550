// Holes in the mirror and the provider's retention "cliff": the gaps between the ranges held
// completely (and unfinished backfills), each with its span and, for a provider that keeps only N
// days (Close: 30), when its oldest part leaves the API for good. `status` shows them all; `sync`
// and `list` warn in one line when a cliff is less than 7 days away.
import { providerNamed } from '../providers/registry.js';
import type { Range, Walk } from '../store/contract.js';
import { note } from '../io.js';
import type { Session } from './session.js';

const DAY = 86_400_000;
export const WARN_WITHIN = 7 * DAY;

/** A stretch of the provider's history the mirror does not hold completely. */
export interface Hole {
  kind: 'gap' | 'backfill';
  /** Epoch ms: the older and newer end. */
  from: number;
  to: number;
  /** When the provider stops serving its oldest part (null: the provider keeps everything). */
  leavesAt: number | null;
}

/** The gaps between covered ranges (newest first) and the parts unfinished walks have not reached. */
export function holesOf(coverage: Range[], walks: Walk[], retentionDays: number | null, now: number): Hole[] {
  const leaves = (from: number) => (retentionDays === null ? null : from + retentionDays * DAY);
  const ranges = [...coverage].sort((a, b) => b.hi - a.hi);
  const holes: Hole[] = [];
  for (let i = 0; i + 1 < ranges.length; i++) {
    const newer = ranges[i]!;
    const older = ranges[i + 1]!;
    if (newer.lo !== null && newer.lo > older.hi) holes.push({ kind: 'gap', from: older.hi, to: newer.lo, leavesAt: leaves(older.hi) });
  }
  for (const w of walks) {
    if (w.kind !== 'backfill') continue;
    const to = w.reached ?? w.upper;
    // A walk to the end of history: what the provider still serves is what is missing.
    const from = w.floor ?? (retentionDays === null ? null : now - retentionDays * DAY);
    if (from !== null && to > from) holes.push({ kind: 'backfill', from, to, leavesAt: leaves(from) });
  }
  return holes;
}

/** "12 h", "3 days", "40 min": a span as people say it. */
export function span(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 3_600_000) return `${Math.max(1, Math.round(abs / 60_000))} min`;
  if (abs < 2 * DAY) return `${Math.round(abs / 3_600_000)} h`;
  return `${Math.round(abs / DAY)} days`;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** One sentence about a hole: its span, and when it leaves the API, with the command that saves it. */
export function describeHole(h: Hole, provider: string, now: number): string {
  const what = `${span(h.to - h.from)} of ${provider} history before ${new Date(h.to).toISOString().replace(/\.\d{3}Z$/, 'Z')} ${h.kind === 'gap' ? 'are not mirrored' : 'are not backfilled yet'}`;
  if (h.leavesAt === null) return `${what}: \`events sync --since ${day(h.from)}\``;
  if (h.leavesAt <= now) return `${what}, and the oldest of it has left the API already: \`events sync --since ${day(now - (h.leavesAt - h.from) + DAY)}\` saves what is left`;
  return `${what} and leave the API in ${span(h.leavesAt - now)}: \`events sync --since ${day(h.from)}\``;
}

/** One line on stderr per profile whose history leaves the API within 7 days while not mirrored. */
export async function warnCliffs(session: Session, profiles: string[], now = Date.now()): Promise<void> {
  const store = await session.mirror();
  const meta = new Map((await store.readMeta()).map((m) => [m.profile, m.provider]));
  for (const profile of profiles) {
    const provider = providerNamed(meta.get(profile) ?? '', session.io.env);
    if (!provider?.retentionDays) continue;
    const holes = holesOf(await store.coverage(profile), await store.pendingWalks(profile), provider.retentionDays, now);
    const soon = holes.filter((h) => h.leavesAt !== null && h.leavesAt - now < WARN_WITHIN).sort((a, b) => a.leavesAt! - b.leavesAt!);
    if (soon[0]) note(session.io, `warning: "${profile}": ${describeHole(soon[0], provider.name, now)}`);
  }
}
