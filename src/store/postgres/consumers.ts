// Durable consumers: each one's acknowledged revision per profile, and what `events consumers`
// shows about its deliveries.
import { columnsToSet } from '../columns.js';
import type { ConsumerState } from '../contract.js';
import type { Session } from './session.js';

const SELECT = `SELECT c.name, p.profile, c.rev, c.acked_at AS "ackedAt", c.last_delivery AS "lastDelivery",
  c.failures, c.last_error AS "lastError" FROM consumers c JOIN profiles p ON p.profile_id = c.profile_id`;

/** Every consumer, or the one named for a profile. */
export function consumerRows(session: Session, only?: { name: string; profile: string }): Promise<ConsumerState[]> {
  return only
    ? session.query<ConsumerState>(`${SELECT} WHERE c.name = $1 AND p.profile = $2`, [only.name, only.profile])
    : session.query<ConsumerState>(`${SELECT} ORDER BY c.name, p.profile`);
}

const COLUMNS = { rev: 'rev', ackedAt: 'acked_at', lastDelivery: 'last_delivery', failures: 'failures', lastError: 'last_error' } as const;

/** Creates a consumer or moves it, in one statement; fields left undefined keep their value. */
export async function saveConsumer(session: Session, state: Pick<ConsumerState, 'name' | 'profile'> & Partial<ConsumerState>): Promise<void> {
  const set = columnsToSet(state, COLUMNS);
  const params: unknown[] = [state.name, state.profile, ...set.map(([, value]) => value)];
  const names = set.map(([column]) => column);
  const update = names.length > 0 ? `DO UPDATE SET ${names.map((n) => `${n} = excluded.${n}`).join(', ')}` : 'DO NOTHING';
  await session.query(
    `INSERT INTO consumers (name, profile_id${names.map((n) => `, ${n}`).join('')})
     VALUES ($1, profile_key($2, '')${names.map((_, i) => `, $${i + 3}`).join('')})
     ON CONFLICT (name, profile_id) ${update}`,
    params,
  );
}

/** Deletes a consumer on every profile; how many positions went. */
export async function removeConsumer(session: Session, name: string): Promise<number> {
  const rows = await session.query<{ n: number }>(`WITH gone AS (DELETE FROM consumers WHERE name = $1 RETURNING 1) SELECT count(*) AS n FROM gone`, [name]);
  return rows[0]!.n;
}
