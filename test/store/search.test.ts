// The --search parser (src/store/search.ts) and the FTS5 query the SQLite engine runs for it
// (src/store/sqlite/search.ts).
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseSearch } from '../../src/store/search.js';
import { fts5Query } from '../../src/store/sqlite/search.js';

describe('--search', () => {
  it.each([
    ['acme', [{ kind: 'words', text: 'acme', tokens: ['acme'] }], '"acme"'],
    ['ACME widgets', [{ kind: 'words', text: 'ACME', tokens: ['acme'] }, { kind: 'words', text: 'widgets', tokens: ['widgets'] }], '"acme" AND "widgets"'],
    ['inv*', [{ kind: 'prefix', text: 'inv', tokens: ['inv'] }], '"inv"*'],
    ['"renewal call"', [{ kind: 'words', text: 'renewal call', tokens: ['renewal', 'call'] }], '"renewal" + "call"'],
    ['req_17', [{ kind: 'words', text: 'req_17', tokens: ['req', '17'] }], '"req" + "17"'],
    ['a OR NOT b', [{ kind: 'words', text: 'a', tokens: ['a'] }, { kind: 'words', text: 'OR', tokens: ['or'] }, { kind: 'words', text: 'NOT', tokens: ['not'] }, { kind: 'words', text: 'b', tokens: ['b'] }], '"a" AND "or" AND "not" AND "b"'],
    ['"unclosed phrase', [{ kind: 'words', text: 'unclosed phrase', tokens: ['unclosed', 'phrase'] }], '"unclosed" + "phrase"'],
  ])('%s', (text, terms, fts) => {
    expect(parseSearch(text)).toEqual(terms);
    expect(fts5Query(parseSearch(text))).toBe(fts);
  });

  it('refuses a search with nothing to find', () => {
    for (const bad of ['', '  ', '*', '"" ()', '-']) expect(() => parseSearch(bad)).toThrow(UsageError);
  });
});
