// The planner's statistics after a large write. A table that grew from nothing, or by many times,
// keeps the figures of its last ANALYZE until autovacuum's next round comes to it (a minute or
// more), and meanwhile the planner picks plans for the small table: right after a 1,000,000-event
// build, `list --limit 20` took 1.05 s where it takes 0.25 s once the tables are analyzed. So a
// store that wrote does at its close what autovacuum would soon do: ANALYZE the tables, when its
// own writes passed autovacuum's threshold (50 rows plus a tenth of what the statistics count).
// PostgreSQL skips, with a notice, a table this user does not own.
import type { Session } from './session.js';

const TABLES = ['events', 'search_index'];

/** Analyzes the mirror's tables if `written` rows (new or changed events) outgrew their statistics. */
export async function analyzeIfOutgrown(session: Session, written: number): Promise<void> {
  if (written <= 50) return;
  const [counted] = await session.query<{ rows: number }>(`SELECT greatest(reltuples, 0)::float8 AS rows FROM pg_class WHERE oid = to_regclass('events')`);
  if (counted === undefined || written <= 50 + 0.1 * counted.rows) return;
  await session.query(`ANALYZE ${TABLES.join(', ')}`);
}
