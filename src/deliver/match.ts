// The filters of replay and forward for events held in memory (forward reads the change log, which
// the mirror's query does not filter): filter.ts's rule, plus --search over the string values.
import { rowMatches } from '../filter.js';
import type { Json, JsonObject } from '../providers/types.js';
import type { EventFilter, StoredEvent } from '../store/contract.js';
import { parseSearch, tokens, type SearchTerm } from '../store/search.js';

/** A predicate over stored events for `filter` (its profile aside). */
export function eventMatcher(filter: Omit<EventFilter, 'profile'>): (event: StoredEvent) => boolean {
  const terms = filter.search ? parseSearch(filter.search) : [];
  return (event) => {
    const raw = JSON.parse(event.raw) as JsonObject;
    if (!rowMatches({ ...event, raw }, filter)) return false;
    return terms.length === 0 || searchMatches(raw, terms);
  };
}

/** Each term's tokens occur in a row within one string value (the last as a prefix for `word*`). */
function searchMatches(raw: Json, terms: SearchTerm[]): boolean {
  const values: string[][] = [];
  const walk = (node: Json) => {
    if (typeof node === 'string') values.push(tokens(node));
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(raw);
  return terms.every((term) =>
    values.some((words) =>
      words.some((_, i) =>
        term.tokens.every((tok, j) => {
          const word = words[i + j];
          return word !== undefined && (term.kind === 'prefix' && j === term.tokens.length - 1 ? word.startsWith(tok) : word === tok);
        }),
      ),
    ),
  );
}
