// Profiles by their short key: the events tables name a profile by a small integer rather than
// its name, because the key stands in every index entry.
import type { Db } from './open.js';
import { statement } from './statements.js';

/** A key that no profile has: queries for an unknown profile match nothing. */
export const NO_PROFILE = -1;

/** The profile's key in the events table; with `create`, a new profile gets one. */
export function profileKey(db: Db, profile: string, options: { create?: boolean } = {}): number {
  const found = statement<[string], { key: number }>(db, 'SELECT profile_id AS key FROM profiles WHERE profile = ?').get(profile);
  if (found) return found.key;
  if (!options.create) return NO_PROFILE;
  return Number(statement(db, 'INSERT INTO profiles (profile) VALUES (?)').run(profile).lastInsertRowid);
}
