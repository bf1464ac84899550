// JSON diffs between two versions of an event, as `events history` shows them (src/output/diff.ts).
import { describe, expect, it } from 'vitest';
import { diffJson } from '../../src/output/diff.js';

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
