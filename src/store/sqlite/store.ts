// The SQLite engine behind the mirror contract: one local file, better-sqlite3. Its calls are
// synchronous, so every method does its work at once and resolves; a page and its walk position
// are one IMMEDIATE transaction.
import path from 'node:path';
import { MirrorError } from '../../errors.js';
import type { EventRow } from '../../providers/types.js';
import type {
  Change,
  ConsumerState,
  EventFilter,
  EventVersion,
  LockAttempt,
  PageCommit,
  MetaFields,
  ProfileMeta,
  PruneResult,
  Range,
  StatKey,
  StatRow,
  RevisedEvent,
  StoredEvent,
  Store,
  StreamOrder,
  Walk,
} from '../contract.js';
import type { OpenOptions } from '../open.js';
import { eventsOf } from '../stream.js';
import { consumerRows, removeConsumer, saveConsumer } from './consumers.js';
import { countEvents, eventVersions, getEvent, oldestAtOrAfter, profileKey, upsertPages, type RowToStore } from './commit.js';
import { tryLock, unlock } from './locks.js';
import { openMirror, type Db } from './open.js';
import { pruneEvents } from './prune.js';
import { changesSince, exportVersions, headRevision } from './history.js';
import { countMatching, eventBatches, queryEvents, statsRows } from './query.js';
import { addCoverage, coverage, createWalk, deleteWalk, deleteWalks, pendingWalks, readMeta, saveWalkProgress, updateMeta } from './state.js';
import { statement } from './statements.js';
import { watchFile } from './watch.js';

/** Locks this process holds, per mirror file: a second store on the same file must see them busy. */
const heldHere = new Map<string, Set<string>>();

export async function openSqlite(file: string, options: OpenOptions = {}): Promise<Store> {
  return new SqliteStore(openMirror(file, { readonly: options.readonly }), path.resolve(file));
}

/** The row as stored: the event's text as the provider served it, never re-serialised. */
const toRow = (row: EventRow, seen: number): RowToStore => ({
  id: row.id,
  type: row.type,
  time: row.time,
  updated: row.updated,
  object: row.object,
  raw: row.text,
  seen,
  parsed: row.raw,
});

export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  private readonly mine = new Set<string>();

  constructor(
    private readonly db: Db,
    readonly location: string,
  ) {
    // Each commit rewrites hundreds of index pages into the WAL; at SQLite's default a checkpoint
    // (with its fsyncs) ran every few commits and took most of a long sync's time on disk.
    // Every 10,000 WAL pages (about 40 MB) is enough to make checkpoints rare during a sync.
    if (!db.readonly) db.pragma('wal_autocheckpoint = 10000');
  }

  async close(): Promise<void> {
    for (const key of [...this.mine]) this.release(key);
    this.db.close();
  }

  async tryLock(key: string): Promise<LockAttempt> {
    const here = heldHere.get(this.location) ?? new Set<string>();
    heldHere.set(this.location, here);
    if (here.has(key)) return { ok: false, holder: `pid ${process.pid} (this process)` };
    const got = tryLock(this.db, key);
    if (!got.ok) return { ok: false, holder: `pid ${got.holder}` };
    here.add(key);
    this.mine.add(key);
    return { ok: true, lock: { release: async () => this.release(key) } };
  }

  private release(key: string): void {
    if (!this.mine.delete(key)) return;
    heldHere.get(this.location)?.delete(key);
    if (this.db.open) unlock(this.db, key);
  }

  async readMeta(profile?: string): Promise<ProfileMeta[]> {
    return readMeta(this.db, profile);
  }

  async updateMeta(profile: string, provider: string, fields: MetaFields): Promise<void> {
    updateMeta(this.db, profile, provider, fields);
  }

  async countEvents(profile: string): Promise<number> {
    return countEvents(this.db, profile);
  }

  async coverage(profile: string): Promise<Range[]> {
    return coverage(this.db, profile);
  }

  async pendingWalks(profile: string): Promise<Walk[]> {
    return pendingWalks(this.db, profile);
  }

  async createWalk(profile: string, walk: Omit<Walk, 'walkId'>): Promise<Walk> {
    return createWalk(this.db, profile, walk);
  }

  async deleteWalks(profile: string, walkIds?: number[]): Promise<void> {
    deleteWalks(this.db, profile, walkIds);
  }

  async addCoverage(profile: string, range: Range): Promise<void> {
    this.db.transaction(() => addCoverage(this.db, profile, range)).immediate();
  }

  async commitPages(commit: PageCommit): Promise<Change[][]> {
    const { db } = this;
    const { profile, provider, walk } = commit;
    const seen = Date.now();
    return db
      .transaction(() => {
        // The walk's row first: without it the pages would land outside any walk (a sync that lost
        // its lock to another one), and the whole commit is refused.
        const held = commit.done ? deleteWalk(db, walk.walkId) : saveWalkProgress(db, walk);
        if (!held) throw new MirrorError(`the ${walk.kind} walk of "${profile}" is no longer in the mirror (another sync replaced it); run the sync again`);
        if (commit.done) {
          // The walk reached its lower end: (floor, upper] is now held completely.
          addCoverage(db, profile, { lo: walk.floor, hi: walk.upper });
        }
        const changes = upsertPages(db, profile, commit.pages.map((page) => page.rows.map((r) => toRow(r, seen))));
        if (commit.remoteTotal !== undefined) updateMeta(db, profile, provider, { remoteTotal: commit.remoteTotal });
        return changes;
      })
      .immediate();
  }

  async putEvents(profile: string, provider: string, rows: EventRow[]): Promise<Change[]> {
    const seen = Date.now();
    return this.write(profile, provider, rows.map((r) => toRow(r, seen)));
  }

  async importVersions(profile: string, provider: string, versions: Array<StoredEvent & { seen: number }>): Promise<Change[]> {
    return this.write(profile, provider, versions);
  }

  private write(profile: string, provider: string, rows: RowToStore[]): Change[] {
    return this.db
      .transaction(() => {
        statement(this.db, 'INSERT INTO profiles (profile, provider) VALUES (?, ?) ON CONFLICT (profile) DO NOTHING').run(profile, provider);
        return upsertPages(this.db, profile, [rows])[0]!;
      })
      .immediate();
  }

  async getEvent(profile: string, id: string): Promise<StoredEvent | undefined> {
    return getEvent(this.db, profile, id);
  }

  async oldestAtOrAfter(profile: string, time: number) {
    return oldestAtOrAfter(this.db, profile, time);
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
    const rows = statement<[number, string], { id: string; n: number }>(
      this.db,
      'SELECT id, count(*) + 1 AS n FROM versions WHERE profile_id = ? AND id IN (SELECT value FROM json_each(?)) GROUP BY id',
    ).all(profileKey(this.db, profile), JSON.stringify(ids));
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  async headRevision(profile: string): Promise<number> {
    return headRevision(this.db, profile);
  }

  async changesSince(profile: string, rev: number, limit: number): Promise<RevisedEvent[]> {
    return changesSince(this.db, profile, rev, limit);
  }

  async versions(profile: string, id: string): Promise<EventVersion[]> {
    return eventVersions(this.db, profile, id);
  }

  async *exportVersions(profile: string): AsyncIterable<Array<StoredEvent & { rev: number; seen: number }>> {
    yield* exportVersions(this.db, profile);
  }

  async watch(onChange: () => void): Promise<{ close(): Promise<void> }> {
    return watchFile(this.db, this.location, onChange);
  }

  async prune(profile: string, before: number, onBatch?: (done: PruneResult) => void): Promise<PruneResult> {
    return pruneEvents(this.db, profile, before, onBatch);
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
