// The PostgreSQL the benchmarks measure against: $EVENTS_BENCH_PG, else a throwaway cluster
// (scripts/pg-cluster.mjs, as the tests make one) with fsync on and commits not waited for, the
// counterpart of the SQLite mirror's WAL with synchronous=NORMAL.
import { startPostgres } from '../scripts/pg-cluster.mjs';

/** { url, stop } of a server to bench against, or { missing } with the reason there is none. */
export async function benchPostgres() {
  if (process.env.EVENTS_BENCH_PG) return { url: process.env.EVENTS_BENCH_PG, stop: () => {} };
  try {
    return await startPostgres({ own: true, durable: true });
  } catch (err) {
    return { missing: err.message.split('\n')[0] };
  }
}
