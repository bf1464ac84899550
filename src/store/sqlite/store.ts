// The SQLite engine behind the mirror contract: one local file, better-sqlite3. Its calls are
// synchronous, so every method does its work at once and resolves; each write is one IMMEDIATE
// transaction. Each method hands its work to the file that does that job.
import type { EventRow } from '../../providers/types.js';
import type { Change, ConsumerState, EventFilter, EventVersion, LockAttempt, MetaFields, PageCommit, ProfileMeta, PruneResult, Range, RevisedEvent, StatKey, StatRow, Store, StoredEvent, StreamOrder, Walk } from '../contract.js';
import { eventsOf } from '../stream.js';
import { commitPages, importRows, putRows } from './commit.js';
import { consumerRows, removeConsumer, saveConsumer } from './consumers.js';
import * as history from './history.js';
import { Locks } from './locks.js';
import type { Db } from './open.js';
import { fileBytes, pruneEvents } from './prune.js';
import { countMatching, eventBatches, queryEvents, statsRows } from './query.js';
import * as state from './state.js';
import { watchFile } from './watch.js';

export class SqliteStore implements Store {
  readonly engine = 'sqlite';
  // Each sync's commit is one synchronous transaction: syncs of several profiles never interleave
  // inside one. A prune's incremental vacuum gives the pages back to the file system.
  readonly capabilities = { parallelSyncs: true, pruneShrinksFiles: true };
  private readonly locks: Locks;

  constructor(
    private readonly db: Db,
    readonly location: string,
  ) {
    this.locks = new Locks(db, location);
    // Each commit rewrites hundreds of index pages into the WAL; at SQLite's default a checkpoint
    // (with its fsyncs) ran every few commits and took most of a long sync's time on disk.
    // Every 10,000 WAL pages (about 40 MB) is enough to make checkpoints rare during a sync.
    if (!db.readonly) db.pragma('wal_autocheckpoint = 10000');
  }

  async close(): Promise<void> {
    this.locks.releaseAll();
    this.db.close();
  }

  tryLock(key: string): Promise<LockAttempt> {
    return this.locks.tryLock(key);
  }

  async readMeta(profile?: string): Promise<ProfileMeta[]> {
    return state.readMeta(this.db, profile);
  }

  async updateMeta(profile: string, provider: string, fields: MetaFields): Promise<void> {
    state.updateMeta(this.db, profile, provider, fields);
  }

  async countEvents(profile: string): Promise<number> {
    return history.countEvents(this.db, profile);
  }

  async coverage(profile: string): Promise<Range[]> {
    return state.coverage(this.db, profile);
  }

  async pendingWalks(profile: string): Promise<Walk[]> {
    return state.pendingWalks(this.db, profile);
  }

  async createWalk(profile: string, walk: Omit<Walk, 'walkId'>): Promise<Walk> {
    return state.createWalk(this.db, profile, walk);
  }

  async deleteWalks(profile: string, walkIds?: number[]): Promise<void> {
    state.deleteWalks(this.db, profile, walkIds);
  }

  async addCoverage(profile: string, range: Range): Promise<void> {
    this.db.transaction(() => state.addCoverage(this.db, profile, range)).immediate();
  }

  async commitPages(commit: PageCommit): Promise<Change[][]> {
    return commitPages(this.db, commit);
  }

  async putEvents(profile: string, provider: string, rows: EventRow[]): Promise<Change[]> {
    return putRows(this.db, profile, provider, rows);
  }

  async importVersions(profile: string, provider: string, versions: Array<StoredEvent & { seen: number }>): Promise<Change[]> {
    return importRows(this.db, profile, provider, versions);
  }

  async getEvent(profile: string, id: string): Promise<StoredEvent | undefined> {
    return history.getEvent(this.db, profile, id);
  }

  async oldestAtOrAfter(profile: string, time: number) {
    return history.oldestAtOrAfter(this.db, profile, time);
  }

  async query(filter: EventFilter, limit?: number): Promise<StoredEvent[]> {
    return queryEvents(this.db, filter, limit);
  }

  stream(filter: EventFilter, order?: StreamOrder): AsyncIterable<StoredEvent> {
    return eventsOf(eventBatches(this.db, filter, order));
  }

  async countMatching(filter: EventFilter, atMost?: number): Promise<number> {
    return countMatching(this.db, filter, atMost);
  }

  async stats(filter: EventFilter, by: StatKey[]): Promise<StatRow[]> {
    return statsRows(this.db, filter, by);
  }

  async versionCounts(profile: string, ids: string[]): Promise<Map<string, number>> {
    return history.versionCounts(this.db, profile, ids);
  }

  async headRevision(profile: string): Promise<number> {
    return history.headRevision(this.db, profile);
  }

  async changesSince(profile: string, rev: number, limit: number): Promise<RevisedEvent[]> {
    return history.changesSince(this.db, profile, rev, limit);
  }

  async versions(profile: string, id: string): Promise<EventVersion[]> {
    return history.versions(this.db, profile, id);
  }

  async *exportVersions(profile: string): AsyncIterable<Array<StoredEvent & { rev: number; seen: number }>> {
    yield* history.exportVersions(this.db, profile);
  }

  async watch(onChange: () => void): Promise<{ close(): Promise<void> }> {
    return watchFile(this.db, this.location, onChange);
  }

  async prune(profile: string, before: number, onBatch?: (done: PruneResult) => void): Promise<PruneResult> {
    return pruneEvents(this.db, profile, before, onBatch);
  }

  async sizeOnDisk(): Promise<number> {
    return fileBytes(this.location);
  }

  async consumers(): Promise<ConsumerState[]> {
    return consumerRows(this.db);
  }

  async consumer(name: string, profile: string): Promise<ConsumerState | undefined> {
    return consumerRows(this.db, { name, profile })[0];
  }

  async saveConsumer(state: Pick<ConsumerState, 'name' | 'profile'> & Partial<ConsumerState>): Promise<void> {
    saveConsumer(this.db, state);
  }

  async removeConsumer(name: string): Promise<number> {
    return removeConsumer(this.db, name);
  }
}
