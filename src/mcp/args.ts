// A tool's arguments as the CLI's flags: the same parse helpers, so a bad value gives the same
// one-line message `events` prints for it, and the same filter reaches the mirror.
import { UsageError } from '../errors.js';
import { filterFromFlags, selectedProfiles, type FilterFlags } from '../cli/filters.js';
import { parseCount, parseType, parseWhere } from '../parse.js';
import type { EventFilter } from '../store/contract.js';
import { parseSearch } from '../store/search.js';
import type { ToolContext } from './context.js';

/** The filter arguments list_events and event_stats take (see schemas.ts). */
export interface FilterArgs {
  types?: string[] | undefined;
  since?: string | undefined;
  until?: string | undefined;
  object?: string | undefined;
  where?: string[] | undefined;
  search?: string | undefined;
}

/** The profile arguments: one or several names, or every profile. */
export interface ProfileArgs {
  profiles?: string[] | undefined;
  all_profiles?: boolean | undefined;
}

/** The flags commander would have handed the command for these arguments. */
export function filterFlags(args: FilterArgs & ProfileArgs): FilterFlags {
  if (args.search !== undefined) parseSearch(args.search);
  return {
    type: args.types?.map(parseType),
    since: args.since,
    until: args.until,
    object: args.object,
    where: args.where?.map(parseWhere),
    search: args.search,
    allProfiles: args.all_profiles,
  };
}

/** The filter (without the profile), every value checked as the CLI checks it. */
export function filterOf(args: FilterArgs, now = Date.now()): Omit<EventFilter, 'profile'> {
  return filterFromFlags(filterFlags(args), now);
}

/**
 * The profile names a call reads, and the Session for them: `profiles` stands for --profile a,b,
 * `all_profiles` for --all-profiles, neither for the server's --profile (or the default).
 */
export async function profilesOf(ctx: ToolContext, args: ProfileArgs) {
  if (args.all_profiles && args.profiles !== undefined && args.profiles.length > 0) {
    throw new UsageError('--profile and --all-profiles do not go together: choose one');
  }
  const session = ctx.session(args.all_profiles ? null : args.profiles?.length ? args.profiles.join(',') : undefined);
  const several = await selectedProfiles(session, { allProfiles: args.all_profiles });
  if (several) return { session, profiles: several, provider: undefined };
  const conn = await session.readerConnection();
  return { session, profiles: [conn.name], provider: conn.provider.name };
}

/** A count argument in 1..max, with the CLI's message for what is not a whole number. */
export function countArg(name: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = parseCount(name, String(value));
  if (n > max) throw new UsageError(`invalid ${name} "${value}": use a whole number from 1 to ${max}`);
  return n;
}
