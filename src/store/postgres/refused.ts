// Which events PostgreSQL refuses to store, one by one: after a batch failed on a data error, so
// that a single event (nested past the server's stack depth, say) never stops its page.
import { searchExpression } from './search.js';
import type { Session } from './session.js';

export type Warn = (line: string) => void;

/** The rows (by index) the server cannot store, each with its reason. */
export async function refusedRows(session: Session, raws: string[]): Promise<Map<number, string>> {
  const refused = new Map<number, string>();
  // What an insert computes from the raw text: the json itself, and the search column.
  const sql = `SELECT (${searchExpression('$1::json')}) IS NULL AS unindexed`;
  for (const [i, raw] of raws.entries()) {
    try {
      await session.query(sql, [raw]);
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      if (!cause?.code || !/^(22|54)/.test(cause.code)) throw err;
      refused.set(i, cause.message ?? cause.code);
    }
  }
  return refused;
}
