// `events copy --to DB`: the whole mirror (every profile, or the one --profile names) into another
// mirror of either engine, so a team moves a laptop's mirror into PostgreSQL without fetching
// anything again. Everything goes through the store contract: the versions of each event in
// revision order (so the target rebuilds the same history and assigns its own revisions in the
// same order), the coverage, unfinished walks and consumer positions. Rerunning merges: the
// upsert's newer-wins rule makes a second copy change nothing.
import { UsageError } from '../../errors.js';
import { thousands } from '../../output/number.js';
import type { ConsumerState, Store, Walk } from '../../store/contract.js';
import { note } from '../../io.js';
import type { Session } from '../session.js';

export interface CopyTotals {
  versions: number;
  changed: number;
  ranges: number;
  walks: number;
  consumers: number;
}

export async function copyCommand(session: Session, flags: { to?: string }): Promise<void> {
  const { io } = session;
  if (!flags.to) throw new UsageError('copy needs --to DB: a mirror file or a postgres:// URL');
  const { openStore } = await import('../../store/open.js');
  const source = await session.mirror();
  const target = await openStore(flags.to, { env: io.env });
  try {
    if (target.engine === source.engine && target.location === source.location) {
      throw new UsageError(`--to names the mirror being copied (${source.location}): pick another`);
    }
    const only = session.options.profile ?? (io.env.EVENTS_PROFILE || undefined);
    const metas = await source.readMeta(only);
    if (only !== undefined && metas.length === 0) throw new UsageError(`the mirror ${source.location} holds no profile "${only}"`);
    const sum: CopyTotals = { versions: 0, changed: 0, ranges: 0, walks: 0, consumers: 0 };
    const consumers = await source.consumers();
    for (const meta of metas) {
      const mine = consumers.filter((c) => c.profile === meta.profile);
      const t = await copyProfile(source, target, meta.profile, meta.provider, mine, (n) =>
        note(io, `copy: ${meta.profile}: ${thousands(n)} versions…`),
      );
      const { profile, provider, ...fields } = meta;
      await target.updateMeta(profile, provider, fields);
      for (const k of Object.keys(sum) as Array<keyof CopyTotals>) sum[k] += t[k];
    }
    note(
      io,
      `copied ${metas.length} ${metas.length === 1 ? 'profile' : 'profiles'} to ${target.location}: ` +
        `${thousands(sum.versions)} event versions (${thousands(sum.changed)} new or newer there), ` +
        `${sum.ranges} covered ${sum.ranges === 1 ? 'range' : 'ranges'}, ${sum.walks} unfinished ${sum.walks === 1 ? 'walk' : 'walks'}, ` +
        `${sum.consumers} ${sum.consumers === 1 ? 'consumer' : 'consumers'}`,
    );
  } finally {
    await target.close();
  }
}

/** Copies one profile; `progress` hears the running count of versions every batch. */
export async function copyProfile(
  source: Store,
  target: Store,
  profile: string,
  provider: string,
  consumers: ConsumerState[],
  progress: (versions: number) => void,
): Promise<CopyTotals> {
  const totals: CopyTotals = { versions: 0, changed: 0, ranges: 0, walks: 0, consumers: 0 };
  // A consumer acknowledged up to source revision R: in the target it has seen what the target
  // held once every source version up to R was imported. Batches are cut at each R to learn it.
  const waiting = consumers.filter((c) => c.rev > 0).sort((a, b) => a.rev - b.rev);
  const positions = new Map<string, number>(consumers.filter((c) => c.rev === 0).map((c) => [c.name, 0]));
  for await (const batch of source.exportVersions(profile)) {
    let start = 0;
    for (let i = 0; i <= batch.length; i++) {
      const boundary = i === batch.length || (waiting[0] !== undefined && batch[i]!.rev > waiting[0].rev);
      if (!boundary) continue;
      if (i > start) {
        const changes = await target.importVersions(profile, provider, batch.slice(start, i));
        totals.versions += i - start;
        totals.changed += changes.filter((c) => c !== 'same').length;
        start = i;
      }
      if (i === batch.length) break;
      while (waiting[0] && batch[i]!.rev > waiting[0].rev) positions.set(waiting.shift()!.name, await target.headRevision(profile));
    }
    progress(totals.versions);
  }
  // Positions past the last version the source holds (none should be) reach the target's head.
  for (const c of waiting) positions.set(c.name, await target.headRevision(profile));

  for (const range of await source.coverage(profile)) {
    await target.addCoverage(profile, range);
    totals.ranges += 1;
  }
  const theirs = await target.pendingWalks(profile);
  const same = (a: Omit<Walk, 'walkId'>, b: Omit<Walk, 'walkId'>) =>
    a.kind === b.kind && a.upper === b.upper && a.floor === b.floor && a.started === b.started;
  for (const { walkId: _id, ...walk } of await source.pendingWalks(profile)) {
    if (theirs.some((w) => same(w, walk))) continue;
    await target.createWalk(profile, walk);
    totals.walks += 1;
  }
  for (const c of consumers) {
    // A consumer the target already has keeps its own place: it may have delivered more there.
    if (await target.consumer(c.name, profile)) continue;
    const { rev: _rev, ...rest } = c;
    await target.saveConsumer({ ...rest, rev: positions.get(c.name) ?? 0 });
    totals.consumers += 1;
  }
  return totals;
}
