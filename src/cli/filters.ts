// The filter flags every command that reads events shares (list, tail, stats, export; replay and
// forward adopt them through `addFilterOptions` and `filterFromFlags`), and the selection of
// several profiles (`--profile a,b`, `--all-profiles`) into one timeline.
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import type { EventFilter, StoredEvent, Store, StreamOrder } from '../store/contract.js';
import { parseSearch } from '../store/search.js';
import { collect, parseTime, parseType, parseWhere } from '../parse.js';
import type { Session } from './session.js';

/** The flags `addFilterOptions` declares, as commander hands them over. */
export interface FilterFlags {
  type?: string[];
  since?: string;
  until?: string;
  object?: string;
  where?: Array<{ path: string; value: string }>;
  search?: string;
  allProfiles?: boolean;
}

/** Which of the shared filter flags a command takes (tail has no --until; its --since means "show first"). */
export interface FilterOptionSet {
  since?: boolean;
  until?: boolean;
}

/** Adds --type, --since, --until, --object, --where, --search and --all-profiles to `cmd`. */
export function addFilterOptions(cmd: Command, set: FilterOptionSet = {}): Command {
  cmd.addOption(new Option('-t, --type <type>', 'only events of this type; prefix.* matches a family; repeatable').argParser(collect(parseType)));
  if (set.since !== false) cmd.option('-s, --since <time>', 'only events at or after TIME (ISO 8601 or 90s/15m/2h/7d)');
  if (set.until !== false) cmd.option('-u, --until <time>', 'only events at or before TIME');
  cmd.option('--object <id>', 'only events about this object id');
  cmd.addOption(new Option('-w, --where <path=value>', 'only events whose raw JSON has this value at this dotted path; repeatable').argParser(collect(parseWhere)));
  cmd.addOption(searchOption());
  cmd.option('--all-profiles', 'every profile in the mirror and the config, as one timeline (or --profile a,b)');
  return cmd;
}

/** `--search TEXT`, checked when parsed (a search with nothing to find is a usage error). */
export function searchOption(): Option {
  return new Option('-q, --search <text>', 'full text over the string values: words, word* prefixes, "phrases"; all must occur').argParser(checkSearch);
}

function checkSearch(value: string): string {
  parseSearch(value);
  return value;
}

/** The filter the flags ask for (without the profile); every bad value is a usage error. */
export function filterFromFlags(flags: FilterFlags, now = Date.now()): Omit<EventFilter, 'profile'> {
  const since = flags.since === undefined ? undefined : parseTime('--since', flags.since, now);
  const until = flags.until === undefined ? undefined : parseTime('--until', flags.until, now);
  if (since !== undefined && until !== undefined && since > until) {
    throw new UsageError(`--since (${flags.since}) is after --until (${flags.until})`);
  }
  return { types: flags.type ?? [], since, until, object: flags.object, where: flags.where ?? [], search: flags.search };
}

/**
 * The profiles a command reads: several with `--profile a,b` or `--all-profiles` (every profile
 * the mirror holds and every saved one), else undefined: the one connection as before.
 */
export async function selectedProfiles(session: Session, flags: { allProfiles?: boolean | undefined }): Promise<string[] | undefined> {
  const named = session.options.profile;
  if (flags.allProfiles) {
    if (named !== undefined) throw new UsageError('--profile and --all-profiles do not go together: choose one');
    const { readProfiles } = await import('../config/profiles.js');
    const saved = Object.keys(readProfiles(session.io.env).profiles);
    const held = (await (await session.mirror()).readMeta()).map((m) => m.profile);
    const all = [...new Set([...held, ...saved])].sort();
    if (all.length === 0) throw new UsageError('no profiles yet: add one with `events profile add`, or run `events sync`');
    return all;
  }
  if (named !== undefined && named.includes(',')) {
    const names = [...new Set(named.split(',').map((n) => n.trim()).filter((n) => n !== ''))];
    if (names.length === 0) throw new UsageError(`invalid --profile "${named}": use a name, or names separated by commas`);
    return names;
  }
  return undefined;
}

/** An event with the profile it came from (a timeline over several profiles). */
export interface ProfiledEvent extends StoredEvent {
  profile: string;
  provider: string;
}

/** The providers of the profiles, as the mirror records them (a profile it does not hold yet: ''). */
export async function providersOf(store: Store, profiles: string[]): Promise<Map<string, string>> {
  const meta = new Map((await store.readMeta()).map((m) => [m.profile, m.provider]));
  return new Map(profiles.map((p) => [p, meta.get(p) ?? '']));
}

/** Newest first across profiles: `a` before `b` when it is newer (ties keep the profiles' order). */
const newer = (a: ProfiledEvent, b: ProfiledEvent) => a.time > b.time;

/** The timeline over `profiles`, every event, streamed: newest first, or oldest first (replay). */
export async function* timeline(
  store: Store,
  filter: Omit<EventFilter, 'profile'>,
  profiles: string[],
  providers: Map<string, string>,
  order: StreamOrder = 'newest-first',
): AsyncGenerator<ProfiledEvent> {
  const before = order === 'newest-first' ? newer : (a: ProfiledEvent, b: ProfiledEvent) => a.time < b.time;
  // A k-way merge of each profile's stream: constant memory, whatever the sizes.
  const its = profiles.map((profile) => {
    const provider = providers.get(profile) ?? '';
    const it = store.stream({ ...filter, profile }, order)[Symbol.asyncIterator]();
    return { profile, provider, it, head: undefined as ProfiledEvent | undefined, done: false };
  });
  const advance = async (s: (typeof its)[number]) => {
    const next = await s.it.next();
    if (next.done) {
      s.done = true;
      s.head = undefined;
    } else s.head = { ...next.value, profile: s.profile, provider: s.provider };
  };
  await Promise.all(its.map(advance));
  for (;;) {
    let best: (typeof its)[number] | undefined;
    for (const s of its) if (!s.done && s.head && (!best || before(s.head, best.head!))) best = s;
    if (!best) return;
    yield best.head!;
    await advance(best);
  }
}

/** The newest `limit` events over `profiles`, and whether more matched. */
export async function timelinePage(
  store: Store,
  filter: Omit<EventFilter, 'profile'>,
  profiles: string[],
  providers: Map<string, string>,
  limit: number,
): Promise<{ events: ProfiledEvent[]; more: boolean }> {
  const pages = await Promise.all(
    profiles.map(async (profile) =>
      (await store.query({ ...filter, profile }, limit + 1)).map((e) => ({ ...e, profile, provider: providers.get(profile) ?? '' })),
    ),
  );
  const merged: ProfiledEvent[] = [];
  const at = pages.map(() => 0);
  while (merged.length < limit + 1) {
    let best = -1;
    for (let i = 0; i < pages.length; i++) {
      const e = pages[i]![at[i]!];
      if (e && (best < 0 || newer(e, pages[best]![at[best]!]!))) best = i;
    }
    if (best < 0) break;
    merged.push(pages[best]![at[best]!++]!);
  }
  return { events: merged.slice(0, limit), more: merged.length > limit };
}
