// Which events PostgreSQL refuses to store, one by one: after a batch failed on a data error, so
// that a single event (nested past the server's stack depth, say) never stops its page.
import { nesting } from '../../providers/json-spans.js';
import type { Session } from './session.js';

export type Warn = (line: string) => void;

/** Past this nesting a row is the likely culprit (the server's stack), and is tried first. */
const SUSPECT_DEPTH = 1000;

/** The rows (by index) the server cannot store, each with its reason. */
export async function refusedRows(session: Session, raws: string[]): Promise<Map<number, string>> {
  const suspects = raws.flatMap((raw, i) => (nesting(raw) > SUSPECT_DEPTH ? [i] : []));
  const refused = await probe(session, raws, suspects);
  return refused.size > 0 ? refused : probe(session, raws, raws.map((_, i) => i));
}

async function probe(session: Session, raws: string[], which: number[]): Promise<Map<number, string>> {
  const refused = new Map<number, string>();
  // What an insert computes from the raw text: the json itself (its search entry comes later).
  const sql = `SELECT $1::json IS NULL AS refused`;
  for (const i of which) {
    const raw = raws[i]!;
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
