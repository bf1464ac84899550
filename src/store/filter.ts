// The event filter of list and tail. The mirror answers it in SQL (each engine's query.ts); this is the
// same rule for events held in memory (tail's new rows, `list --remote` pages).
import type { EventFilter } from './contract.js';
import { stringValues } from '../providers/json-values.js';
import type { EventRow, Json } from '../providers/types.js';
import { parseSearch, tokens, type SearchTerm } from './search.js';

/**
 * The value at a dotted path, as the text `--where` compares with (booleans as true/false).
 * Throws a RangeError for an object or array nested too deep to print (rowMatches says so).
 */
export function valueAt(raw: Json, path: string): string | undefined {
  let node: Json | undefined = raw;
  for (const part of path.split('.')) {
    // A segment of digits indexes an array, as the mirror's queries read it.
    if (Array.isArray(node)) node = /^\d+$/.test(part) ? node[Number(part)] : undefined;
    else node = typeof node === 'object' && node !== null ? node[part] : undefined;
  }
  if (node === undefined || node === null) return undefined;
  return typeof node === 'object' ? JSON.stringify(node) : String(node);
}

/** Whether a type matches one of the patterns (exact, or `prefix.*`); no patterns match all. */
export function typeMatches(type: string, patterns: string[]): boolean {
  return patterns.length === 0 || patterns.some((p) => (p.endsWith('*') ? type.startsWith(p.slice(0, -1)) : type === p));
}

/**
 * Whether a row passes every part of the filter (the profile is the caller's concern). A --where
 * value too deeply nested to read does not match, and `warn` names the event.
 */
export function rowMatches(row: Pick<EventRow, 'id' | 'type' | 'time' | 'object' | 'raw'>, filter: Omit<EventFilter, 'profile'>, warn?: (line: string) => void): boolean {
  if (!typeMatches(row.type, filter.types)) return false;
  if (filter.since !== undefined && row.time < filter.since) return false;
  if (filter.until !== undefined && row.time > filter.until) return false;
  if (filter.object !== undefined && row.object !== filter.object) return false;
  for (const { path, value } of filter.where) {
    let found: string | undefined;
    try {
      found = valueAt(row.raw, path);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      warn?.(`warning: event ${JSON.stringify(row.id)}: --where ${path} is nested too deep to read; it does not match`);
      return false;
    }
    if (found !== value) return false;
  }
  return filter.search === undefined || searchMatches(row.raw, parseSearch(filter.search));
}

/** `--search` over an event held in memory: what the mirror's full text index finds. */
export function searchMatches(raw: Json, terms: SearchTerm[]): boolean {
  const values = stringValues(raw).map(tokens);
  const at = (toks: string[], i: number, t: SearchTerm) =>
    t.tokens.every((w, j) => (t.kind === 'prefix' && j === t.tokens.length - 1 ? toks[i + j]?.startsWith(w) : toks[i + j] === w));
  return terms.every((t) => values.some((toks) => toks.some((_, i) => at(toks, i, t))));
}
