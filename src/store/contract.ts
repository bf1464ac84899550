// The mirror contract: everything the sync engine, the commands, `tail` and the delivery code need
// from a mirror, in the product's terms, never in SQL. Two engines implement it: sqlite/
// (better-sqlite3, one file) and postgres/ (pg, a team's shared server). Callers never know which
// one is underneath; open.ts picks it from the --db value.
//
// Rules every engine keeps (the store suite in test/store checks them on both):
//  - Events are keyed by (profile, id). An upsert keeps the version with the newer `updated`; an
//    equal `updated` with a different raw text replaces it too; an identical one is 'same'.
//  - Every insert or change of an event takes the next revision of its profile. Revisions of a
//    profile grow in commit order: a reader that has seen revision N never later finds a new
//    commit below N. The version an update replaces is kept (history).
//  - commitPages is atomic: the pages' rows, the walk's new position (or the coverage it earned)
//    and the revisions land together or not at all.
import type { ApiRequest, EventRow } from '../providers/types.js';
import type { Capabilities } from './capabilities.js';

/** What an upsert did to one event: new to the mirror, changed, or already there as it is. */
export type Change = 'new' | 'updated' | 'same';

/** One stored event, as queries return it. `raw` is the provider's JSON text, byte for byte. */
export interface StoredEvent {
  id: string;
  type: string;
  time: number;
  updated: number;
  object: string | null;
  raw: string;
}

/** A stored event with its place in the change log. */
export interface RevisedEvent extends StoredEvent {
  /** The profile's revision at which the mirror last changed this event. */
  rev: number;
  /** When the mirror stored this version (epoch ms). */
  seen: number;
}

/** One version of an event the mirror has held (history). */
export interface EventVersion {
  rev: number;
  updated: number;
  seen: number;
  raw: string;
}

/** The order of a stream: query()'s (the default), or its exact reverse. */
export type StreamOrder = 'newest-first' | 'oldest-first';

/** A query over one profile's events (list, tail, export…). */
export interface EventFilter {
  profile: string;
  /** Exact types, or `prefix.*` patterns. */
  types: string[];
  since?: number | undefined;
  until?: number | undefined;
  object?: string | undefined;
  /** Dotted paths into the raw event, each equal to its value (compared as text). */
  where: Array<{ path: string; value: string }>;
  /**
   * Full text over the raw event's string values (not its keys): words (whole, case-insensitive),
   * `word*` prefixes and `"phrases"`, all of which must occur (search.ts parses it).
   */
  search?: string | undefined;
}

/** What `stats` groups by inside one profile (the command adds `profile`). */
export type StatKey = 'type' | 'object' | 'day' | 'hour';

/** One group of `stats`: its key values (a day or hour as the epoch ms it starts at), count, time span. */
export interface StatRow {
  keys: Array<string | number | null>;
  count: number;
  first: number;
  last: number;
}

/** A range [lo, hi] of updated times the mirror holds completely; lo null reaches the oldest event. */
export interface Range {
  lo: number | null;
  hi: number;
}

/** A walk under way: it resumes from `next`, the request its last committed page saved. */
export interface Walk {
  walkId: number;
  kind: 'head' | 'backfill';
  upper: number;
  floor: number | null;
  next: ApiRequest;
  reached: number | null;
  pages: number;
  fetched: number;
  started: number;
}

export interface ProfileMeta {
  profile: string;
  provider: string;
  lastSync: number | null;
  lastOk: number | null;
  lastError: string | null;
  remoteTotal: number | null;
  /**
   * How far the provider's clock ran ahead of this machine's at the last sync that measured it
   * (ms, from its HTTP Date header; negative: behind); null when never measured.
   */
  skewMs: number | null;
  /** `events prune` removed the events older than this (epoch ms); null when never pruned. */
  prunedBefore: number | null;
}

/** The fields of a profile's status line a caller sets (prunedBefore is prune's own). */
export type MetaFields = Partial<Omit<ProfileMeta, 'profile' | 'provider'>>;

/** What `prune` removed. */
export interface PruneResult {
  events: number;
  /** Kept versions of the removed events. */
  versions: number;
}

/** Rows deleted per transaction by `prune`: no lock is held long enough to stall a sync. */
export const PRUNE_BATCH = 5000;

/** A batch of a walk's pages with the walk's position after the last of them. */
export interface PageCommit {
  profile: string;
  provider: string;
  /** The walk, its next/reached/pages/fetched already advanced past these pages. */
  walk: Walk;
  pages: Array<{ rows: EventRow[] }>;
  /** Hears of an event the engine cannot store (it names it; the rest are committed). */
  warn?: ((line: string) => void) | undefined;
  /** The walk reached its floor: mark (floor, upper] covered and delete the walk. */
  done: boolean;
  /** A count the provider reported (bem totalCount), if the pages carried one. */
  remoteTotal?: number | undefined;
}

/** A durable consumer's place in one profile's change log. */
export interface ConsumerState {
  name: string;
  profile: string;
  /** The last acknowledged revision: everything at or below it was delivered. */
  rev: number;
  /** When the position last moved (epoch ms). */
  ackedAt: number | null;
  /** The last delivery's outcome, for `events consumers`. */
  lastDelivery: number | null;
  failures: number;
  lastError: string | null;
}

/** The outcome of trying a lock: held (release() is safe to call twice), or busy with a description of the holder. */
export type LockAttempt = { ok: true; lock: { release(): Promise<void> } } | { ok: false; holder: string };

export interface Store {
  /** Which engine this is (its folder under src/store/), for messages. */
  readonly engine: string;
  /** Where the mirror is, fit to print: a file path, or a URL without its password. */
  readonly location: string;
  readonly capabilities: Capabilities;
  close(): Promise<void>;

  // Locks: `sync:PROFILE` (one walker per profile), `consumer:NAME:PROFILE` (one deliverer).
  // Held by this process (SQLite) or this database session (PostgreSQL); freed when it dies.
  tryLock(key: string): Promise<LockAttempt>;

  // Profiles and status.
  readMeta(profile?: string): Promise<ProfileMeta[]>;
  updateMeta(profile: string, provider: string, fields: MetaFields): Promise<void>;
  countEvents(profile: string): Promise<number>;

  // Sync state.
  coverage(profile: string): Promise<Range[]>;
  pendingWalks(profile: string): Promise<Walk[]>;
  createWalk(profile: string, walk: Omit<Walk, 'walkId'>): Promise<Walk>;
  /** Deletes the profile's walks: those of `walkIds`, or all of them. */
  deleteWalks(profile: string, walkIds?: number[]): Promise<void>;
  /**
   * Commits pages and the walk's position atomically; what happened to each row of each page.
   * A walk that is no longer pending (deleted by another sync) fails the whole commit.
   */
  commitPages(commit: PageCommit): Promise<Change[][]>;
  /** Upserts rows outside a walk (`get` storing what it fetched): same rules, same change log. */
  putEvents(profile: string, provider: string, rows: EventRow[], warn?: (line: string) => void): Promise<Change[]>;

  // Reads.
  getEvent(profile: string, id: string): Promise<StoredEvent | undefined>;
  /** The oldest event whose updated time is at or after `time` (a walk's resume boundary). */
  oldestAtOrAfter(profile: string, time: number): Promise<{ id: string; time: number; updated: number } | undefined>;
  /** Matching events, newest first (ties in arrival order), at most `limit` (none: all). */
  query(filter: EventFilter, limit?: number): Promise<StoredEvent[]>;
  /**
   * The same, streamed in bounded batches: constant memory over millions of rows. `oldest-first`
   * is the exact reverse order (time ascending, ties latest-arrived first): tail --since's replay.
   */
  stream(filter: EventFilter, order?: StreamOrder): AsyncIterable<StoredEvent>;
  /** How many match, counting no further than `atMost` when it is given. */
  countMatching(filter: EventFilter, atMost?: number): Promise<number>;
  /** Matching events counted per group of `by` (one or two keys), with each group's first and last time. */
  stats(filter: EventFilter, by: StatKey[]): Promise<StatRow[]>;
  /** How many versions (kept ones plus the current one) each of `ids` has; ids with one are left out. */
  versionCounts(profile: string, ids: string[]): Promise<Map<string, number>>;

  // The change log.
  /** The profile's newest revision (0 when it has none). */
  headRevision(profile: string): Promise<number>;
  /** Events whose current revision is above `rev`, in revision order, at most `limit`. */
  changesSince(profile: string, rev: number, limit: number): Promise<RevisedEvent[]>;
  /** Every version of an event the mirror kept, oldest first, the current one last. */
  versions(profile: string, id: string): Promise<EventVersion[]>;
  /**
   * Calls `onChange` soon after any process commits a change to this mirror (a hint: read
   * changesSince to learn what). PostgreSQL: LISTEN/NOTIFY plus a slow poll; SQLite: the file.
   */
  watch(onChange: () => void): Promise<{ close(): Promise<void> }>;

  // Copying a mirror (`events copy`).
  /**
   * Every version of every event of a profile (the kept ones and the current ones), in revision
   * order, in bounded batches: fed to importVersions in that order, it rebuilds the same history.
   */
  exportVersions(profile: string): AsyncIterable<Array<StoredEvent & { rev: number; seen: number }>>;
  /** Upserts versions as putEvents does, keeping the `seen` time each one carries. */
  importVersions(profile: string, provider: string, versions: Array<StoredEvent & { seen: number }>): Promise<Change[]>;
  /** Marks a range covered, merged with those it touches (copy brings the source's coverage). */
  addCoverage(profile: string, range: Range): Promise<void>;

  // Keeping the mirror small (`events prune`).
  /**
   * Deletes the profile's events whose time is before `before`, with their kept versions, in
   * transactions of PRUNE_BATCH rows (`onBatch` hears the running total), and records `before`
   * as the profile's prunedBefore (the later of it and an earlier one). Coverage is left as it
   * is: the pruned range stays held, so no sync fetches it again. Then the engine gives the space
   * back as it can (capabilities.pruneShrinksFiles).
   */
  prune(profile: string, before: number, onBatch?: (done: PruneResult) => void): Promise<PruneResult>;
  /** The bytes the mirror takes on disk, where the engine can tell (not a server's files). */
  sizeOnDisk(): Promise<number | undefined>;

  // Durable consumers.
  consumers(): Promise<ConsumerState[]>;
  consumer(name: string, profile: string): Promise<ConsumerState | undefined>;
  /** Creates or moves a consumer; fields left undefined keep their value. */
  saveConsumer(state: Pick<ConsumerState, 'name' | 'profile'> & Partial<ConsumerState>): Promise<void>;
  removeConsumer(name: string): Promise<number>;
}
