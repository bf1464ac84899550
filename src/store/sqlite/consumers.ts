// Durable consumers in the SQLite mirror: each one's acknowledged revision per profile, and what
// `events consumers` shows about its deliveries.
import { columnsToSet } from '../columns.js';
import type { ConsumerState } from '../contract.js';
import { profileKey } from './profiles.js';
import type { Db } from './open.js';

const COLUMNS = `c.name, p.profile, c.rev, c.acked_at AS ackedAt, c.last_delivery AS lastDelivery,
  c.failures, c.last_error AS lastError`;

/** Every consumer, or the one named for a profile. */
export function consumerRows(db: Db, only?: { name: string; profile: string }): ConsumerState[] {
  const sql = `SELECT ${COLUMNS} FROM consumers c JOIN profiles p ON p.profile_id = c.profile_id
    ${only ? 'WHERE c.name = ? AND p.profile = ?' : ''} ORDER BY c.name, p.profile`;
  const stmt = db.prepare<unknown[], ConsumerState>(sql);
  return only ? stmt.all(only.name, only.profile) : stmt.all();
}

const POSITION = { rev: 'rev', ackedAt: 'acked_at', lastDelivery: 'last_delivery', failures: 'failures', lastError: 'last_error' } as const;

/** Creates a consumer or moves it; fields left undefined keep their value. */
export function saveConsumer(db: Db, state: Pick<ConsumerState, 'name' | 'profile'> & Partial<ConsumerState>): void {
  db.transaction(() => {
    const key = profileKey(db, state.profile, { create: true });
    db.prepare('INSERT INTO consumers (name, profile_id) VALUES (?, ?) ON CONFLICT DO NOTHING').run(state.name, key);
    for (const [column, value] of columnsToSet(state, POSITION)) {
      db.prepare(`UPDATE consumers SET ${column} = ? WHERE name = ? AND profile_id = ?`).run(value, state.name, key);
    }
  }).immediate();
}

/** Deletes a consumer on every profile; how many positions went. */
export function removeConsumer(db: Db, name: string): number {
  return db.prepare('DELETE FROM consumers WHERE name = ?').run(name).changes;
}
