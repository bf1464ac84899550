// The SQLite engine behind the mirror contract: one local file, better-sqlite3. Its calls are
// synchronous, so every method does its work at once and resolves; each write is one IMMEDIATE
// transaction. Each method hands its work to the file that does that job. The exception is a
// sync's commits, which a thread of their own writes (writer.ts) while the sync fetches on.
import type { EventRow } from '../../providers/types.js';
import type { Change, ConsumerState, EventFilter, EventVersion, LockAttempt, MetaFields, PageCommit, ProfileMeta, PruneResult, Range, RevisedEvent, StatKey, StatRow, Store, StoredEvent, StreamOrder, Walk } from '../contract.js';
import { eventsOf } from '../stream.js';
import { commitPages, importRows, putRows } from './commit.js';
import { consumerRows, removeConsumer, saveConsumer } from './consumers.js';
import * as history from './history.js';
import { Locks } from './locks.js';
import type { Db } from './open.js';
import { rareCheckpoints } from './pragmas.js';
import { fileBytes, pruneEvents } from './prune.js';
import { countMatching, eventBatches, queryEvents, statsRows } from './query.js';
import * as state from './state.js';
import { watchFile } from './watch.js';
import { SqliteWriter } from './writer.js';

export class SqliteStore implements Store {
  readonly engine = 'sqlite';
  // Each sync's commit is one transaction, and the writer thread runs them one at a time: syncs of
  // several profiles never interleave inside one. A prune's incremental vacuum gives the pages back
  // to the file system. A sync's batch is held twice while the writer thread commits it (the main thread's pages and the
  // thread's copy): 1,000 rows kept a 100k BlueAI sync's peak RSS at 129-137 MB where 3,000 took
  // 140-153 MB, for 7 % of the speed (3.79 s against 3.53 s; without the thread, 4.5 s).
  readonly capabilities = { parallelSyncs: true, pruneShrinksFiles: true, batchRows: 1_000 };
  private readonly locks: Locks;
  /** The sync's commits' thread; none for a read-only or in-memory database, which commit here. */
  private readonly writer: SqliteWriter | undefined;

  constructor(
    private readonly db: Db,
    readonly location: string,
  ) {
    this.locks = new Locks(db, location);
    if (!db.readonly) rareCheckpoints(db);
    if (!db.readonly && !db.memory) this.writer = new SqliteWriter({ file: location, busyTimeoutMs: db.pragma('busy_timeout', { simple: true }) as number });
  }

  async close(): Promise<void> {
    await this.writer?.close();
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
    // A walk is made by a sync about to commit pages: its writer thread starts now.
    this.writer?.warm();
    return state.createWalk(this.db, profile, walk);
  }

  async deleteWalks(profile: string, walkIds?: number[]): Promise<void> {
    state.deleteWalks(this.db, profile, walkIds);
  }

  async addCoverage(profile: string, range: Range): Promise<void> {
    this.db.transaction(() => state.addCoverage(this.db, profile, range)).immediate();
  }

  async commitPages(commit: PageCommit): Promise<Change[][]> {
    return this.writer ? this.writer.commit(commit) : commitPages(this.db, commit);
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
