// The throwaway PostgreSQL of the tests: scripts/pg-cluster.mjs, shared with the benchmarks.
export { SECRETIVE_PASSWORD, SECRETIVE_ROLE, startPostgres, type PgServer } from '../../scripts/pg-cluster.mjs';
