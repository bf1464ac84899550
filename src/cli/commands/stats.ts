// `events stats [--by type|profile|object|day|hour]... [filters]`: counts per group over the mirror,
// with each group's first and last time. The engines group in SQL (an index-only count for type and
// time); this file merges profiles, fills a day/hour histogram's empty buckets and prints.
import { UsageError } from '../../errors.js';
import { bold } from '../../output/color.js';
import { formatTime } from '../../output/line.js';
import { thousands } from '../../output/number.js';
import { sanitize } from '../../output/sanitize.js';
import { csvRow } from '../../output/write.js';
import type { StatKey } from '../../store/contract.js';
import { filterFromFlags, selectedProfiles, type FilterFlags } from '../filters.js';
import { parseCount } from '../../parse.js';
import type { Session } from '../session.js';

export const STAT_KEYS = ['type', 'profile', 'object', 'day', 'hour'] as const;
export type GroupKey = (typeof STAT_KEYS)[number];

export interface StatsFlags extends FilterFlags {
  by?: string[];
  top?: string;
}

export interface Group {
  keys: Array<string | number | null>;
  count: number;
  first: number | null;
  last: number | null;
}

const STEP: Partial<Record<GroupKey, number>> = { day: 86_400_000, hour: 3_600_000 };
const MAX_BUCKETS = 10_000;

/** `--by` values, checked: one or two of the keys, none twice. */
export function parseBy(values: string[] | undefined): GroupKey[] {
  const by = (values ?? ['type']).flatMap((v) => v.split(',')).map((v) => v.trim());
  for (const k of by) if (!STAT_KEYS.includes(k as GroupKey)) throw new UsageError(`invalid --by "${k}": use ${STAT_KEYS.join(', ')}`);
  if (by.length === 0 || by.length > 2) throw new UsageError('--by takes one or two keys (e.g. --by type --by day)');
  if (new Set(by).size !== by.length) throw new UsageError(`--by ${by[0]} is given twice`);
  return by as GroupKey[];
}

/** The groups the flags ask for, over the selected profiles, in the order they are shown. */
export async function statsGroups(session: Session, flags: StatsFlags): Promise<{ by: GroupKey[]; groups: Group[] }> {
  const by = parseBy(flags.by);
  const filter = filterFromFlags(flags);
  const top = flags.top === undefined ? undefined : parseCount('--top', flags.top);
  const profiles = (await selectedProfiles(session, flags)) ?? [(await session.readerConnection()).name];
  const store = await session.mirror();
  const inner = by.filter((k): k is StatKey => k !== 'profile');
  const merged = new Map<string, Group>();
  for (const profile of profiles) {
    for (const row of await store.stats({ ...filter, profile }, inner)) {
      let i = 0;
      const keys = by.map((k) => (k === 'profile' ? profile : row.keys[i++]!));
      const id = JSON.stringify(keys);
      const g = merged.get(id);
      if (!g) merged.set(id, { keys, count: row.count, first: row.first, last: row.last });
      else {
        g.count += row.count;
        g.first = Math.min(g.first!, row.first);
        g.last = Math.max(g.last!, row.last);
      }
    }
  }
  let groups = [...merged.values()];
  const timeKey = STEP[by[0]!];
  if (timeKey !== undefined) {
    groups.sort((a, b) => (a.keys[0] as number) - (b.keys[0] as number) || String(a.keys[1]).localeCompare(String(b.keys[1])));
    if (by.length === 1) groups = fillBuckets(groups, timeKey, filter.since, filter.until);
    if (top !== undefined) groups = groups.slice(-top);
  } else {
    groups.sort((a, b) => b.count - a.count || String(a.keys).localeCompare(String(b.keys)));
    if (top !== undefined) groups = groups.slice(0, top);
  }
  return { by, groups };
}

export async function statsCommand(session: Session, flags: StatsFlags): Promise<void> {
  const { by, groups } = await statsGroups(session, flags);
  writeStats(session, by, groups);
}

/** The buckets between the first and last (or --since and --until), the empty ones at 0. */
function fillBuckets(groups: Group[], step: number, since?: number, until?: number): Group[] {
  if (groups.length === 0 && (since === undefined || until === undefined)) return groups;
  const floor = (t: number) => t - (t % step);
  const lo = floor(since ?? (groups[0]!.keys[0] as number));
  const hi = floor(until ?? (groups[groups.length - 1]!.keys[0] as number));
  if ((hi - lo) / step > MAX_BUCKETS) return groups;
  const at = new Map(groups.map((g) => [g.keys[0] as number, g]));
  const out: Group[] = [];
  for (let t = lo; t <= hi; t += step) out.push(at.get(t) ?? { keys: [t], count: 0, first: null, last: null });
  return out;
}

/** A group's key in the table: a type, object or profile is event content, so sanitised. */
const keyText = (k: GroupKey, v: string | number | null) =>
  v === null ? '' : k === 'day' ? new Date(v).toISOString().slice(0, 10) : k === 'hour' ? new Date(v).toISOString().slice(0, 13) + ':00' : sanitize(String(v));
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** A group as json prints it: each key by name (a day or hour as its ISO start), count, first, last. */
export function statRecord(by: GroupKey[], g: Group): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  by.forEach((k, i) => (r[k] = g.keys[i] === null ? null : k === 'day' || k === 'hour' ? iso(g.keys[i] as number) : g.keys[i]));
  return { ...r, count: g.count, first: iso(g.first), last: iso(g.last) };
}

function writeStats(session: Session, by: GroupKey[], groups: Group[]): void {
  const { io } = session;
  const { format, color, columns } = session.writeOptions();
  const record = (g: Group) => statRecord(by, g);
  if (format === 'json') return void io.stdout.write(`${JSON.stringify(groups.map(record), null, 2)}\n`);
  if (format === 'ndjson') {
    for (const g of groups) io.stdout.write(`${JSON.stringify(record(g))}\n`);
    return;
  }
  if (format === 'csv') {
    io.stdout.write(`${[...by, 'count', 'first', 'last'].join(',')}\n`);
    for (const g of groups) {
      const r = record(g);
      io.stdout.write(csvRow([...by.map((k) => String(r[k] ?? '')), String(g.count), String(r.first ?? ''), String(r.last ?? '')], io.stdout));
    }
    return;
  }
  if (groups.length === 0) return void io.stdout.write('no events match\n');
  // A table with a bar per row, scaled to the largest group and to what the window has left.
  const cells = groups.map((g) => [...by.map((k, i) => keyText(k, g.keys[i]!)), thousands(g.count), g.first === null ? '' : formatTime(g.first), g.last === null ? '' : formatTime(g.last)]);
  const heads = [...by.map((k) => k.toUpperCase()), 'COUNT', 'FIRST (UTC)', 'LAST (UTC)'];
  const widths = heads.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const max = Math.max(...groups.map((g) => g.count), 1);
  const room = Math.max(10, columns - widths.reduce((a, b) => a + b + 2, 0));
  const pad = (c: string[], i: number) => (i === by.length ? c[i]!.padStart(widths[i]!) : c[i]!.padEnd(widths[i]!));
  const out = [bold(heads.map((h, i) => (i === by.length ? h.padStart(widths[i]!) : h.padEnd(widths[i]!))).join('  ').trimEnd(), color)];
  for (const [n, c] of cells.entries()) {
    const bar = '█'.repeat(Math.round((groups[n]!.count / max) * room)) || (groups[n]!.count > 0 ? '▏' : '');
    out.push(`${c.map((_, i) => pad(c, i)).join('  ')}  ${color ? `\x1b[36m${bar}\x1b[39m` : bar}`.trimEnd());
  }
  io.stdout.write(`${out.join('\n')}\n`);
}
