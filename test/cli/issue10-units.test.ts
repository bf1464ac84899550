// The pure pieces behind issue 10's commands: the --search parser and its FTS5 text, the in-memory
// matcher tail uses, JSON diffs for history, holes and retention cliffs for status, --by parsing.
import { describe, expect, it } from 'vitest';
import { describeHole, holesOf, span } from '../../src/cli/cliffs.js';
import { parseBy } from '../../src/cli/commands/stats.js';
import { UsageError } from '../../src/errors.js';
import { searchMatches } from '../../src/filter.js';
import { diffJson } from '../../src/output/diff.js';
import { fts5Query, parseSearch } from '../../src/store/search.js';

const DAY = 86_400_000;

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

describe('history diffs', () => {
  it('names changed, added and removed paths, arrays by position', () => {
    const before = { id: 'e', data: { status_label: 'Active', items: [{ sku: 'a' }, { sku: 'b' }], gone: 1, empty: {} } };
    const after = { id: 'e', data: { status_label: 'Won', items: [{ sku: 'a' }], added: null, empty: {} } };
    expect(diffJson(before, after)).toEqual([
      { path: 'data.status_label', op: 'changed', from: 'Active', to: 'Won' },
      { path: 'data.added', op: 'added', to: null },
      { path: 'data.items.1.sku', op: 'removed', from: 'b' },
      { path: 'data.gone', op: 'removed', from: 1 },
    ]);
    expect(diffJson(after, after)).toEqual([]);
  });
});

describe('holes and cliffs', () => {
  const now = Date.UTC(2026, 11, 1, 12);
  it('finds the gaps between complete ranges and what unfinished backfills have not reached', () => {
    const coverage = [
      { lo: now - 2 * DAY, hi: now },
      { lo: now - 20 * DAY, hi: now - 10 * DAY },
      { lo: null, hi: now - 25 * DAY },
    ];
    const walk = { walkId: 1, kind: 'backfill' as const, upper: now - 30 * DAY, floor: now - 40 * DAY, next: { method: 'GET' as const, path: '/', query: {} }, reached: now - 35 * DAY, pages: 1, fetched: 1, started: now };
    expect(holesOf(coverage, [walk], 30, now)).toEqual([
      { kind: 'gap', from: now - 10 * DAY, to: now - 2 * DAY, leavesAt: now + 20 * DAY },
      { kind: 'gap', from: now - 25 * DAY, to: now - 20 * DAY, leavesAt: now + 5 * DAY },
      { kind: 'backfill', from: now - 40 * DAY, to: now - 35 * DAY, leavesAt: now - 10 * DAY },
    ]);
    expect(holesOf(coverage, [], null, now).map((h) => h.leavesAt)).toEqual([null, null]);
  });

  it('says when a hole leaves the API and how to save it', () => {
    expect(describeHole({ kind: 'gap', from: now - 28 * DAY, to: now - 27.5 * DAY, leavesAt: now + 2 * DAY }, 'close', now)).toBe(
      '12 h of close history before 2026-11-04T00:00:00Z are not mirrored and leave the API in 2 days: `events sync --since 2026-11-03`',
    );
    expect(describeHole({ kind: 'gap', from: now - 5 * DAY, to: now - 4 * DAY, leavesAt: null }, 'bem', now)).toBe(
      '24 h of bem history before 2026-11-27T12:00:00Z are not mirrored: `events sync --since 2026-11-26`',
    );
    expect(span(90 * 60_000)).toBe('2 h');
    expect(span(59_000)).toBe('1 min');
  });
});

describe('stats --by', () => {
  it('takes one or two keys, repeated or comma-separated', () => {
    expect(parseBy(undefined)).toEqual(['type']);
    expect(parseBy(['type', 'day'])).toEqual(['type', 'day']);
    expect(parseBy(['profile,hour'])).toEqual(['profile', 'hour']);
    for (const bad of [['week'], ['type', 'day', 'hour'], ['type', 'type']]) expect(() => parseBy(bad)).toThrow(UsageError);
  });
});
