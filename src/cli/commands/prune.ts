// `events prune --before TIME | --keep DURATION [--profile a,b | --all-profiles]`: deletes a
// profile's events older than a time, with their kept versions, to keep a mirror small. The range
// stays held (a sync never fetches it again) and status says what was pruned. The store deletes
// in short transactions and gives the space back as its engine can (store/*/prune.ts).
import { UsageError } from '../../errors.js';
import { formatTime } from '../../output/line.js';
import { thousands } from '../../output/number.js';
import { selectedProfiles } from '../filters.js';
import { note } from '../../io.js';
import { parseDuration, parseTime } from '../../parse.js';
import type { Session } from '../session.js';

export interface PruneFlags {
  before?: string;
  keep?: string;
  allProfiles?: boolean;
}

/** The time before which events go; a usage error unless exactly one of --before and --keep is given. */
export function pruneBefore(flags: PruneFlags, now = Date.now()): number {
  if (flags.before !== undefined && flags.keep !== undefined) throw new UsageError('--before and --keep do not go together: choose one');
  if (flags.keep !== undefined) return now - parseDuration('--keep', flags.keep);
  if (flags.before !== undefined) return parseTime('--before', flags.before, now);
  throw new UsageError('prune needs --before TIME or --keep DURATION (e.g. --keep 90d)');
}

export async function pruneCommand(session: Session, flags: PruneFlags): Promise<void> {
  const before = pruneBefore(flags);
  const profiles = (await selectedProfiles(session, flags)) ?? [(await session.readerConnection()).name];
  const store = await session.mirror();
  const start = await store.sizeOnDisk();
  const report = [];
  for (const profile of profiles) {
    const done = await store.prune(profile, before, (d) => {
      if (session.io.stderr.isTTY) session.io.stderr.write(`\r${profile}: ${thousands(d.events)} events pruned…`);
    });
    if (session.io.stderr.isTTY) session.io.stderr.write('\r\x1b[K');
    report.push({ profile, prunedBefore: new Date(before).toISOString(), events: done.events, versions: done.versions });
  }
  const format = session.format();
  if (format === 'json') session.io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (format === 'ndjson') for (const r of report) session.io.stdout.write(`${JSON.stringify(r)}\n`);
  else if (format === 'csv') {
    session.io.stdout.write('profile,pruned_before,events,versions\n');
    for (const r of report) session.io.stdout.write(`${[r.profile, r.prunedBefore, r.events, r.versions].join(',')}\n`);
  } else {
    for (const r of report) {
      const versions = r.versions > 0 ? ` and ${thousands(r.versions)} older versions` : '';
      session.io.stdout.write(`${r.profile}: pruned ${thousands(r.events)} events${versions} from before ${formatTime(before)} UTC\n`);
    }
  }
  const end = await store.sizeOnDisk();
  if (!store.capabilities.pruneShrinksFiles) {
    note(session.io, "the server's autovacuum makes the freed space reusable by later syncs; its files keep their size");
  } else if (start !== undefined && end !== undefined) note(session.io, `the mirror file went from ${mb(start)} to ${mb(end)}`);
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
