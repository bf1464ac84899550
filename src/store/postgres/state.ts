// What the mirror knows about itself, per profile: the status line, the ranges held completely,
// and the walks under way. Profiles are created on first write (profile_key) and never by reads.
import type { ApiRequest } from '../../providers/types.js';
import { columnsToSet } from '../columns.js';
import type { MetaFields, ProfileMeta, Range, Walk } from '../contract.js';
import { PROFILE_ID } from './query.js';
import type { Session } from './session.js';

const META = `SELECT profile, provider, last_sync AS "lastSync", last_ok AS "lastOk", last_error AS "lastError",
  remote_total AS "remoteTotal", skew_ms AS "skewMs", pruned_before AS "prunedBefore" FROM profiles`;

/** Every profile the mirror knows, or one. */
export function readMeta(session: Session, profile?: string): Promise<ProfileMeta[]> {
  return profile === undefined
    ? session.query<ProfileMeta>(`${META} ORDER BY profile`)
    : session.query<ProfileMeta>(`${META} WHERE profile = $1`, [profile]);
}

const META_COLUMNS = { lastSync: 'last_sync', lastOk: 'last_ok', lastError: 'last_error', remoteTotal: 'remote_total', skewMs: 'skew_ms', prunedBefore: 'pruned_before' } as const;

/** Creates or updates a profile's line in one statement; undefined fields keep their value. */
export async function updateMeta(session: Session, profile: string, provider: string, fields: MetaFields): Promise<void> {
  const set = columnsToSet(fields, META_COLUMNS);
  const params: unknown[] = [profile, provider, ...set.map(([, value]) => value)];
  const names = set.map(([column]) => column);
  const values = names.map((_, i) => `$${i + 3}`);
  await session.query(
    `INSERT INTO profiles (profile, provider${names.map((n) => `, ${n}`).join('')}) VALUES ($1, $2${values.map((v) => `, ${v}`).join('')})
     ON CONFLICT (profile) DO UPDATE SET provider = excluded.provider${names.map((n) => `, ${n} = excluded.${n}`).join('')}`,
    params,
  );
}

/** The profile's covered ranges, newest first, merged. */
export function coverage(session: Session, profile: string): Promise<Range[]> {
  return session.query<Range>(`SELECT lo, hi FROM coverage WHERE ${PROFILE_ID(1)} ORDER BY hi DESC`, [profile]);
}

/** Marks a range covered, merged with those it touches (add_coverage locks the profile). */
export async function addCoverage(session: Session, profile: string, range: Range): Promise<void> {
  await session.query(`SELECT add_coverage(profile_key($1, ''), $2, $3)`, [profile, range.lo, range.hi]);
}

/** The walks of a profile that have not finished, newest first. */
export async function pendingWalks(session: Session, profile: string): Promise<Walk[]> {
  const rows = await session.query<Omit<Walk, 'next'> & { next: string }>(
    `SELECT walk_id AS "walkId", kind, upper, floor, next, reached, pages, fetched, started
       FROM walks WHERE ${PROFILE_ID(1)} ORDER BY upper DESC, walk_id DESC`,
    [profile],
  );
  return rows.map((r) => ({ ...r, next: JSON.parse(r.next) as ApiRequest }));
}

/** Saves a new walk and returns it with its id. */
export async function createWalk(session: Session, profile: string, walk: Omit<Walk, 'walkId'>): Promise<Walk> {
  const next = JSON.stringify(walk.next);
  const row = await session.one<{ id: number }>(
    `INSERT INTO walks (profile_id, kind, upper, floor, next, reached, pages, fetched, started)
     VALUES (profile_key($1, ''), $2, $3, $4, $5, $6, $7, $8, $9) RETURNING walk_id AS id`,
    [profile, walk.kind, walk.upper, walk.floor, next, walk.reached, walk.pages, walk.fetched, walk.started],
  );
  return { ...walk, walkId: row.id };
}

/** Deletes the profile's walks of `walkIds`, or all of them. */
export async function deleteWalks(session: Session, profile: string, walkIds?: number[]): Promise<void> {
  if (walkIds === undefined) await session.query(`DELETE FROM walks WHERE ${PROFILE_ID(1)}`, [profile]);
  else if (walkIds.length > 0) await session.query(`DELETE FROM walks WHERE ${PROFILE_ID(1)} AND walk_id = ANY($2::bigint[])`, [profile, walkIds]);
}
