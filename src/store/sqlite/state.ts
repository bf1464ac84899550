// What the mirror knows about its own completeness: the time ranges it holds completely, the
// walks under way (each with the request its next page needs), and a line per profile for status.
import type { ApiRequest } from '../../providers/types.js';
import { columnsToSet } from '../columns.js';
import type { MetaFields, ProfileMeta, Range, Walk } from '../contract.js';
import { mergeRanges } from '../ranges.js';
import type { Db } from './open.js';
import { statement } from './statements.js';

/** The profile's covered ranges, newest first, merged. */
export function coverage(db: Db, profile: string): Range[] {
  return db
    .prepare<[string], Range>('SELECT lo, hi FROM coverage WHERE profile = ? ORDER BY hi DESC')
    .all(profile);
}

/** Records that [lo, hi] is complete, merging it with the ranges it touches. */
export function addCoverage(db: Db, profile: string, range: Range): void {
  const merged = mergeRanges([...coverage(db, profile), range]);
  db.prepare('DELETE FROM coverage WHERE profile = ?').run(profile);
  const insert = db.prepare('INSERT INTO coverage (profile, lo, hi) VALUES (?, ?, ?)');
  for (const r of merged) insert.run(profile, r.lo, r.hi);
}

/** The walks of a profile that have not finished, newest first. */
export function pendingWalks(db: Db, profile: string): Walk[] {
  const rows = db
    .prepare<[string], Omit<Walk, 'next' | 'kind'> & { next: string; kind: string }>(
      `SELECT walk_id AS walkId, kind, upper, floor, next, reached, pages, fetched, started
       FROM walks WHERE profile = ? ORDER BY upper DESC`,
    )
    .all(profile);
  return rows.map((r) => ({ ...r, kind: r.kind === 'head' ? 'head' : 'backfill', next: JSON.parse(r.next) as ApiRequest }));
}

/** Saves a new walk and returns it with its id. */
export function createWalk(db: Db, profile: string, walk: Omit<Walk, 'walkId'>): Walk {
  const info = db
    .prepare(
      `INSERT INTO walks (profile, kind, upper, floor, next, reached, pages, fetched, started)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(profile, walk.kind, walk.upper, walk.floor, JSON.stringify(walk.next), walk.reached, walk.pages, walk.fetched, walk.started);
  return { ...walk, walkId: Number(info.lastInsertRowid) };
}

/** Records a walk's progress after a committed page. */
/** Records a walk's progress after a committed page; false when the walk is no longer there. */
export function saveWalkProgress(db: Db, walk: Walk): boolean {
  const saved = statement(db, 'UPDATE walks SET next = ?, reached = ?, pages = ?, fetched = ? WHERE walk_id = ?').run(
    JSON.stringify(walk.next),
    walk.reached,
    walk.pages,
    walk.fetched,
    walk.walkId,
  );
  return saved.changes === 1;
}

/** Deletes a finished walk; false when it was no longer there. */
export function deleteWalk(db: Db, walkId: number): boolean {
  return db.prepare('DELETE FROM walks WHERE walk_id = ?').run(walkId).changes === 1;
}

/** Deletes the profile's walks of `walkIds`, or all of them. */
export function deleteWalks(db: Db, profile: string, walkIds?: number[]): void {
  if (walkIds === undefined) db.prepare('DELETE FROM walks WHERE profile = ?').run(profile);
  else if (walkIds.length > 0) db.prepare('DELETE FROM walks WHERE profile = ? AND walk_id IN (SELECT value FROM json_each(?))').run(profile, JSON.stringify(walkIds));
}

const META_COLUMNS = { lastSync: 'last_sync', lastOk: 'last_ok', lastError: 'last_error', remoteTotal: 'remote_total', skewMs: 'skew_ms', prunedBefore: 'pruned_before' } as const;

/** Updates a profile's status line; undefined fields keep their value. */
export function updateMeta(
  db: Db,
  profile: string,
  provider: string,
  fields: MetaFields,
): void {
  statement(db, 'INSERT INTO profiles (profile, provider) VALUES (?, ?) ON CONFLICT (profile) DO UPDATE SET provider = excluded.provider').run(profile, provider);
  // Only known fields name a column: a caller may pass a whole ProfileMeta along.
  for (const [column, value] of columnsToSet(fields, META_COLUMNS)) {
    statement(db, `UPDATE profiles SET ${column} = ? WHERE profile = ?`).run(value, profile);
  }
}

/** Every profile the mirror knows, or one. */
export function readMeta(db: Db, profile?: string): ProfileMeta[] {
  const sql = `SELECT profile, provider, last_sync AS lastSync, last_ok AS lastOk, last_error AS lastError,
               remote_total AS remoteTotal, skew_ms AS skewMs, pruned_before AS prunedBefore FROM profiles ${profile === undefined ? '' : 'WHERE profile = ?'} ORDER BY profile`;
  const stmt = db.prepare(sql);
  return (profile === undefined ? stmt.all() : stmt.all(profile)) as ProfileMeta[];
}
