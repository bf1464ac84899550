// The event filter held in memory (src/store/filter.ts): tail's new rows and `list --remote` pages must
// match --search as the mirror's index does.
import { describe, expect, it } from 'vitest';
import { searchMatches } from '../../src/store/filter.js';
import { parseSearch } from '../../src/store/search.js';

describe('searchMatches', () => {
  it('matches events in memory as the index does: values not keys, whole words, prefixes, phrases', () => {
    const raw = { id: 'ev_1', acme: 'x', data: { name: 'Acme Widgets', tags: ['blue', 'green'] }, note: 'quarterly renewal call' };
    const m = (q: string) => searchMatches(raw, parseSearch(q));
    expect(m('acme')).toBe(true);
    expect(m('acm')).toBe(false);
    expect(m('acm*')).toBe(true);
    expect(m('x')).toBe(true);
    expect(m('green widgets')).toBe(true);
    expect(m('"renewal call"')).toBe(true);
    expect(m('"call renewal"')).toBe(false);
    expect(m('"widgets blue"')).toBe(false); // a phrase stays within one value
    expect(m('data')).toBe(false); // a key
  });
});
