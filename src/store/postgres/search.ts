// Migration 3 of the PostgreSQL mirror (full text) and the search clause. Each event's
// string values (never its keys) become a stored, generated tsvector under the 'simple'
// configuration (lower-cased, no stemming: the FTS5 index of the SQLite engine finds the same plain
// words), with a GIN index. Adding the column computes it for every event already held.
import { SEARCH_MAX_BYTES } from '../../providers/event-text.js';
import type { SearchTerm } from '../search.js';

// jsonb cannot hold \u0000 or a lone surrogate; such rows (the `awkward` test of migration 1,
// repeated because a generated column may not read another) are indexed from their text with every
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
