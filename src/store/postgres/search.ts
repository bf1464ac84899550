// Migrations 3, 6 and 7 of the PostgreSQL mirror (full text) and the search clause. Each event's
// string values (never its keys) become a tsvector under the 'simple' configuration (lower-cased,
// no stemming: the FTS5 index of the SQLite engine finds the same plain words), with a GIN index.
// Migrations 3 and 6 kept it as a generated column of events; since 7 it is a row of search_index,
// made just behind the commits (indexer.ts), and a search reads events not yet indexed from their text.
import { SEARCH_MAX_BYTES } from '../../providers/event-text.js';
import type { SearchTerm } from '../search.js';

// jsonb cannot hold \u0000 or a lone surrogate; such rows (the `awkward` test of migration 1,
// repeated because the vector's expression reads only the raw text) are indexed from their text with every
// \u escape blanked, keys included: a rare row found a little too easily rather than a failed commit.
const AWKWARD = String.raw`strpos(raw::text, '\u') > 0 AND raw::text ~ '\\u(0000|[dD][89a-fA-F])'`;

export const SEARCH_MIGRATION = String.raw`
  ALTER TABLE events ADD COLUMN search tsvector GENERATED ALWAYS AS (
    CASE WHEN ${AWKWARD} THEN to_tsvector('simple', regexp_replace(raw::text, '\\u[0-9a-fA-F]{4}', ' ', 'g'))
         ELSE jsonb_to_tsvector('simple', raw::jsonb, '["string"]') END) STORED;
  CREATE INDEX events_search ON events USING gin (search);
`;

/**
 * The search column of an event whose json is `raw` (SQL): as migration 3's, but none for an
 * event over SEARCH_MAX_BYTES of text, whose vector could pass tsvector's 1 MB and fail its insert.
 */
export function searchExpression(raw: string): string {
  const text = `(${raw})::text`;
  return String.raw`CASE WHEN octet_length(${text}) > ${SEARCH_MAX_BYTES} THEN NULL
    WHEN strpos(${text}, '\u') > 0 AND ${text} ~ '\\u(0000|[dD][89a-fA-F])'
      THEN to_tsvector('simple', regexp_replace(${text}, '\\u[0-9a-fA-F]{4}', ' ', 'g'))
    ELSE jsonb_to_tsvector('simple', (${raw})::jsonb, '["string"]') END`;
}

/** Migration 5: the search column again, with searchExpression's size rule. */
export const SEARCH_LIMIT_MIGRATION = `
  ALTER TABLE events DROP COLUMN search;
  ALTER TABLE events ADD COLUMN search tsvector GENERATED ALWAYS AS (${searchExpression('raw')}) STORED;
  CREATE INDEX events_search ON events USING gin (search);
`;

/**
 * Migration 7: the search entries in a table of their own, written behind the commits. The vector
 * and its GIN index were two thirds of a page commit's work; a second session (indexer.ts) now
 * computes them for what was committed while the writer goes on with the next pages. An entry is
 * keyed by the revision it was made from, so a changed event's old entry never matches it; the
 * profile's indexed_rev says every event at or below it has its entry, and a search reads the
 * events above it from their text (searchSource): nothing committed is ever missed.
 */
export const SEARCH_TABLE_MIGRATION = String.raw`
  CREATE TABLE search_index (
    profile_id int      NOT NULL,
    rev        bigint   NOT NULL,
    search     tsvector NOT NULL,
    PRIMARY KEY (profile_id, rev)
  );
  INSERT INTO search_index (profile_id, rev, search) SELECT profile_id, rev, search FROM events WHERE search IS NOT NULL;
  ALTER TABLE events DROP COLUMN search;
  CREATE INDEX search_index_terms ON search_index USING gin (search);
  CREATE TABLE search_state (
    profile_id  int    PRIMARY KEY,
    indexed_rev bigint NOT NULL
  );
  INSERT INTO search_state (profile_id, indexed_rev) SELECT profile_id, last_rev FROM profiles;

  -- Indexes a profile's events committed above its indexed_rev; the new indexed_rev. Revisions
  -- are committed in order (commit_page's row lock), so every one up to last_rev as read here is
  -- visible to the statements after it.
  CREATE FUNCTION index_search(p_profile text) RETURNS bigint
  LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
  DECLARE v_pid int; v_lo bigint; v_hi bigint; r record;
  BEGIN
    SELECT profile_id, last_rev INTO v_pid, v_hi FROM profiles WHERE profile = p_profile;
    IF v_pid IS NULL THEN RETURN NULL; END IF;
    -- One indexer of a profile at a time: the next starts where this one ends.
    PERFORM pg_advisory_xact_lock(hashtext('events.search:' || current_schema()), v_pid);
    SELECT coalesce((SELECT indexed_rev FROM search_state WHERE profile_id = v_pid), 0) INTO v_lo;
    IF v_hi <= v_lo THEN RETURN v_lo; END IF;
    -- The entries of the versions these revisions replaced.
    DELETE FROM search_index s USING events e, versions v
     WHERE e.profile_id = v_pid AND e.rev > v_lo AND e.rev <= v_hi
       AND v.profile_id = v_pid AND v.id = e.id AND s.profile_id = v_pid AND s.rev = v.rev;
    BEGIN
      INSERT INTO search_index (profile_id, rev, search)
      SELECT v_pid, x.rev, x.search
        FROM (SELECT e.rev, ${searchExpression('e.raw')} AS search
                FROM events e WHERE e.profile_id = v_pid AND e.rev > v_lo AND e.rev <= v_hi
              OFFSET 0) x -- not flattened: the test below would compute each vector twice
       WHERE x.search IS NOT NULL;
    EXCEPTION WHEN data_exception OR program_limit_exceeded THEN
      -- An event the server cannot make a vector of (jsonb nesting past its stack) goes without
      -- one; the others are indexed one by one.
      FOR r IN SELECT e.rev, e.raw FROM events e WHERE e.profile_id = v_pid AND e.rev > v_lo AND e.rev <= v_hi LOOP
        BEGIN
          INSERT INTO search_index (profile_id, rev, search)
          SELECT v_pid, r.rev, x.search FROM (SELECT ${searchExpression('r.raw')} AS search) x WHERE x.search IS NOT NULL;
        EXCEPTION WHEN data_exception OR program_limit_exceeded THEN NULL;
        END;
      END LOOP;
    END;
    INSERT INTO search_state (profile_id, indexed_rev) VALUES (v_pid, v_hi)
      ON CONFLICT (profile_id) DO UPDATE SET indexed_rev = greatest(search_state.indexed_rev, excluded.indexed_rev);
    RETURN v_hi;
  END $$;
`;

/** A search's events: those with their entries, those above indexed_rev, or both. */
export type SearchPart = 'indexed' | 'unindexed' | 'both';

/**
 * The events of the profile whose key is `pid` (SQL) that a search finds, as a table named events:
 * those at or below `indexed` (a revision at most the profile's indexed_rev) by their entries, the
 * rest from their text. Queried apart (a `part` each, merged by the caller), the planner takes each
 * its own way: a rare word from the GIN index, a common one by walking the time index and looking
 * each event's entry up by its key.
 */
export function searchSource(pid: string, indexed: string, query: string, part: SearchPart): string {
  const entries = `SELECT e.* FROM events e WHERE e.profile_id = ${pid} AND e.rev <= ${indexed}
       AND EXISTS (SELECT 1 FROM search_index s WHERE s.profile_id = e.profile_id AND s.rev = e.rev AND s.search @@ (${query}))`;
  const text = `SELECT e.* FROM events e WHERE e.profile_id = ${pid} AND e.rev > ${indexed} AND (${searchExpression('e.raw')}) @@ (${query})`;
  if (part === 'indexed') return `(${entries}) AS events`;
  if (part === 'unindexed') return `(${text}) AS events`;
  return `(${entries} UNION ALL ${text}) AS events`;
}

/**
 * The tsquery of the terms, as SQL over bound parameters: a word or phrase goes through PostgreSQL's
 * own parser (phraseto_tsquery, so `19.99` or `foo-bar` read as the document's were), a prefix is
 * its tokens followed, the last with :*. Tokens are letters and digits only, safe inside quotes.
 */
export function tsquery(terms: SearchTerm[], params: unknown[]): string {
  return terms
    .map((t) => {
      if (t.kind === 'words') return `phraseto_tsquery('simple', $${params.push(t.text)})`;
      const text = t.tokens.map((tok, i) => `'${tok}'${i === t.tokens.length - 1 ? ':*' : ''}`).join(' <-> ');
      return `to_tsquery('simple', $${params.push(text)})`;
    })
    .join(' && ');
}
