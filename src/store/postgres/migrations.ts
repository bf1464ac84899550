// The PostgreSQL mirror's schema as a list of migrations; schema_version records how many have
// run. A new version of the schema is a new entry at the end, never an edit of a released one.
import { COUNTS_MIGRATION } from './counts.js';
import { functions } from './functions.js';
import { SEARCH_LIMIT_MIGRATION, SEARCH_MIGRATION, SEARCH_TABLE_MIGRATION } from './search.js';
import { TABLES } from './tables.js';

/** The migrations for a mirror whose NOTIFY channel is `channel` (commit_page notifies it). */
export function migrations(channel: string): string[] {
  return [
    TABLES,
    functions(channel),
    // 3: full text.
    SEARCH_MIGRATION,
    // 4: the provider's clock skew measured at the last sync, for `status`.
    `ALTER TABLE profiles ADD COLUMN skew_ms bigint`,
    // 5: per-type counts and pruning.
    COUNTS_MIGRATION,
    // 6: no search entry for events too large for a tsvector (they used to fail their insert).
    SEARCH_LIMIT_MIGRATION,
    // 7: the search entries in a table of their own, written behind the commits.
    SEARCH_TABLE_MIGRATION,
  ];
}
