// The PostgreSQL engine behind the mirror contract: a team's shared mirror on a server that may be
// across a network. One session carries every statement and holds the locks; each write is one
// round trip (commit_page); LISTEN runs on a second session only while someone watches.
import type { EventRow } from '../../providers/types.js';
import type { Change, ConsumerState, EventFilter, EventVersion, LockAttempt, MetaFields, PageCommit, ProfileMeta, PruneResult, Range, RevisedEvent, StatKey, StatRow, Store, StoredEvent, StreamOrder, Walk } from '../contract.js';
import { eventsOf } from '../stream.js';
import { commitPages, importRows, putRows } from './commit.js';
import { connect } from './connect.js';
import { consumerRows, removeConsumer, saveConsumer } from './consumers.js';
import * as history from './history.js';
import { Locks } from './locks.js';
import { countMatching, eventBatches, queryEvents, statsRows } from './query.js';
import { pruneEvents } from './prune.js';
import { SearchIndexer } from './indexer.js';
import { analyzeIfOutgrown } from './statistics.js';
import { Session } from './session.js';
import * as state from './state.js';
import type { Target } from './target.js';
import { watchMirror } from './watch.js';

type Env = Record<string, string | undefined>;

export class PostgresStore implements Store {
  readonly engine = 'postgres';
  // One session carries every statement (and holds the locks), so syncs take turns on it. The
  // space a prune frees is reused by later writes (autovacuum); the server's files keep their size.
  readonly capabilities = { parallelSyncs: false, pruneShrinksFiles: false, batchRows: 3_000 };
  readonly location: string;
  private readonly locks: Locks;
  private readonly watchers = new Set<{ close(): Promise<void> }>();
  /** Events this store inserted or changed, for the statistics at close (statistics.ts). */
  private written = 0;
  private readonly indexer = new SearchIndexer(async () => {
    const session = new Session(await connect(this.target, this.env), this.target);
    session.reopen = () => connect(this.target, this.env);
    await session.start();
    return session;
  });

  constructor(
    private readonly session: Session,
    private readonly target: Target,
    private readonly env: Env,
  ) {
    this.location = target.location;
    this.locks = new Locks(session);
  }

  async close(): Promise<void> {
    await Promise.all([...this.watchers].map((w) => w.close()));
    this.watchers.clear();
    await this.indexer.close();
    // Statistics only help the planner: failing to make them loses nothing.
    await analyzeIfOutgrown(this.session, this.written).catch(() => undefined);
    // Ending the session releases its advisory locks on the server.
    await this.session.end();
  }

  tryLock(key: string): Promise<LockAttempt> {
    return this.locks.tryLock(key);
  }

  readMeta(profile?: string): Promise<ProfileMeta[]> {
    return state.readMeta(this.session, profile);
  }

  updateMeta(profile: string, provider: string, fields: MetaFields): Promise<void> {
    return state.updateMeta(this.session, profile, provider, fields);
  }

  countEvents(profile: string): Promise<number> {
    return history.countEvents(this.session, profile);
  }

  coverage(profile: string): Promise<Range[]> {
    return state.coverage(this.session, profile);
  }

  pendingWalks(profile: string): Promise<Walk[]> {
    return state.pendingWalks(this.session, profile);
  }

  createWalk(profile: string, walk: Omit<Walk, 'walkId'>): Promise<Walk> {
    return state.createWalk(this.session, profile, walk);
  }

  deleteWalks(profile: string, walkIds?: number[]): Promise<void> {
    return state.deleteWalks(this.session, profile, walkIds);
  }

  addCoverage(profile: string, range: Range): Promise<void> {
    return state.addCoverage(this.session, profile, range);
  }

  async commitPages(commit: PageCommit): Promise<Change[][]> {
    const changes = await this.indexed(commit.profile, commitPages(this.session, commit));
    for (const page of changes) this.count(page);
    return changes;
  }

  async putEvents(profile: string, provider: string, rows: EventRow[], warn?: (line: string) => void): Promise<Change[]> {
    return this.count(await this.indexed(profile, putRows(this.session, profile, provider, rows, warn)));
  }

  async importVersions(profile: string, provider: string, versions: Array<StoredEvent & { seen: number }>): Promise<Change[]> {
    return this.count(await this.indexed(profile, importRows(this.session, profile, provider, versions)));
  }

  /** Adds a write's new and changed events to what this store has written. */
  private count(changes: Change[]): Change[] {
    for (const change of changes) if (change !== 'same') this.written += 1;
    return changes;
  }

  /** A write's result, once committed, with its events' search entries asked for. */
  private async indexed<T>(profile: string, write: Promise<T>): Promise<T> {
    const result = await write;
    this.indexer.request(profile);
    return result;
  }

  getEvent(profile: string, id: string): Promise<StoredEvent | undefined> {
    return history.getEvent(this.session, profile, id);
  }

  oldestAtOrAfter(profile: string, time: number) {
    return history.oldestAtOrAfter(this.session, profile, time);
  }

  query(filter: EventFilter, limit?: number): Promise<StoredEvent[]> {
    return queryEvents(this.session, filter, limit);
  }

  stream(filter: EventFilter, order?: StreamOrder): AsyncIterable<StoredEvent> {
    return eventsOf(eventBatches(this.session, filter, order));
  }

  countMatching(filter: EventFilter, atMost?: number): Promise<number> {
    return countMatching(this.session, filter, atMost);
  }

  stats(filter: EventFilter, by: StatKey[]): Promise<StatRow[]> {
    return statsRows(this.session, filter, by);
  }

  versionCounts(profile: string, ids: string[]): Promise<Map<string, number>> {
    return history.versionCounts(this.session, profile, ids);
  }

  headRevision(profile: string): Promise<number> {
    return history.headRevision(this.session, profile);
  }

  changesSince(profile: string, rev: number, limit: number): Promise<RevisedEvent[]> {
    return history.changesSince(this.session, profile, rev, limit);
  }

  versions(profile: string, id: string): Promise<EventVersion[]> {
    return history.versions(this.session, profile, id);
  }

  exportVersions(profile: string): AsyncIterable<Array<StoredEvent & { rev: number; seen: number }>> {
    return history.exportVersions(this.session, profile);
  }

  async watch(onChange: () => void): Promise<{ close(): Promise<void> }> {
    const watcher = await watchMirror(this.target, this.env, onChange);
    const handle = {
      close: async () => {
        this.watchers.delete(handle);
        await watcher.close();
      },
    };
    this.watchers.add(handle);
    return handle;
  }

  prune(profile: string, before: number, onBatch?: (done: PruneResult) => void): Promise<PruneResult> {
    return pruneEvents(this.session, profile, before, onBatch);
  }

  /** The server's files are not ours to measure. */
  async sizeOnDisk(): Promise<undefined> {
    return undefined;
  }

  consumers(): Promise<ConsumerState[]> {
    return consumerRows(this.session);
  }

  async consumer(name: string, profile: string): Promise<ConsumerState | undefined> {
    return (await consumerRows(this.session, { name, profile }))[0];
  }

  saveConsumer(state: Pick<ConsumerState, 'name' | 'profile'> & Partial<ConsumerState>): Promise<void> {
    return saveConsumer(this.session, state);
  }

  removeConsumer(name: string): Promise<number> {
    return removeConsumer(this.session, name);
  }
}
