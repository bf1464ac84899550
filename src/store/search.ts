// `--search TEXT`, parsed once for both engines: words, `word*` prefixes and `"phrases"`, every one
// of which must occur. Each engine turns the terms into its own query syntax (its search.ts), with
// every user token quoted, so no text a user types is query syntax.
import { UsageError } from '../errors.js';

/** One term: a word or phrase (its text), or a prefix. */
export interface SearchTerm {
  kind: 'words' | 'prefix';
  /** The user's text of the term, without quotes or the trailing `*`. */
  text: string;
  /** Its tokens: runs of letters and digits, lower-cased (what both engines index). */
  tokens: string[];
}

// Made on first use: a Unicode-property literal costs every command 0.3 ms as its module loads.
let TOKEN: RegExp | undefined;

export function tokens(text: string): string[] {
  TOKEN ??= new RegExp('[\\p{L}\\p{N}]+', 'gu');
  return (text.toLowerCase().match(TOKEN) ?? []).map((t) => t.normalize('NFC'));
}

/** The terms of a search; a UsageError when nothing in it can be searched for. */
export function parseSearch(text: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  const re = /"([^"]*)"?|(\S+)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const phrase = m[1];
    const word = m[2];
    if (phrase !== undefined) {
      const t = tokens(phrase);
      if (t.length > 0) terms.push({ kind: 'words', text: phrase, tokens: t });
    } else if (word !== undefined) {
      const prefix = word.endsWith('*');
      const body = prefix ? word.replace(/\*+$/, '') : word;
      const t = tokens(body);
      if (t.length > 0) terms.push({ kind: prefix ? 'prefix' : 'words', text: body, tokens: t });
    }
  }
  if (terms.length === 0) throw new UsageError(`invalid --search "${text}": give words, word* prefixes or "phrases" of letters and digits`);
  return terms;
}
