// Search in the SQLite mirror: the terms as an FTS5 MATCH expression, and the phrase check. The
// search index keeps which events hold each token, not where (detail=none, half the size), so
// it finds a phrase's words anywhere in an event. events_phrases(raw, search) then checks the
// events it found for each phrase as written: the words in order within one string value, by the
// same rule tail applies to events in memory.
import { searchMatches } from '../filter.js';
import type { Json } from '../../providers/types.js';
import { parseSearch, type SearchTerm } from '../search.js';
import type { Db } from './open.js';

/** Registers events_phrases on a connection (every connection: readers run searches too). */
export function registerPhrases(db: Db): void {
  // One search per statement: its parsed phrases are kept between rows.
  let last: { search: string; phrases: SearchTerm[] } | undefined;
  db.function('events_phrases', { deterministic: true }, (raw: unknown, search: unknown) => {
    if (last?.search !== search) last = { search: String(search), phrases: phrasesOf(String(search)) };
    return searchMatches(JSON.parse(String(raw)) as Json, last!.phrases) ? 1 : 0;
  });
}

/** The terms of more than one token: the only ones the index alone cannot confirm. */
export function phrasesOf(search: string): SearchTerm[] {
  return parseSearch(search).filter((t) => t.tokens.length > 1);
}

/**
 * The index's MATCH text for a search: every token of every term, all required. FTS5 walks the
 * first token's list and seeks the others', so the longest (likely the rarest) whole words go
 * first and prefixes last: `req_123457` read the list of `req`, which every event holds, 20 times
 * slower than the list of `123457`.
 */
export function indexQuery(search: string): string {
  const tokens = parseSearch(search).flatMap((t) => t.tokens.map((tok, i): SearchTerm => ({ ...t, tokens: [tok], kind: i === t.tokens.length - 1 ? t.kind : 'words' })));
  const rank = (t: SearchTerm) => (t.kind === 'prefix' ? -1 : t.tokens[0]!.length);
  return fts5Query(tokens.sort((a, b) => rank(b) - rank(a)));
}

/** The FTS5 MATCH expression: each term a quoted phrase (a prefix on its last token), joined by AND. */
export function fts5Query(terms: SearchTerm[]): string {
  return terms
    .map((t) => {
      const quoted = t.tokens.map((tok) => `"${tok}"`);
      if (t.kind === 'prefix') quoted[quoted.length - 1] = `${quoted[quoted.length - 1]}*`;
      return quoted.join(' + ');
    })
    .join(' AND ');
}
