// The store contract, part 6: the two engines give the same answers. The same rows go into a
// SQLite mirror and a PostgreSQL one, and each `--where` below must match the same events on both,
// whatever the answer is: the places where JSON paths and number texts are easiest to get apart.
// The raw texts are JSON.stringify's, as every event a sync or `get` stores.
import { describe, expect, it } from 'vitest';
import type { EventRow } from '../../src/providers/types.js';
import type { Store } from '../../src/store/contract.js';
import { filter, ids, row, T0, useMirrors } from './contract-support.js';

/** Rows written as providers' events are (JSON.stringify of parsed JSON). */
const rows: EventRow[] = [
  row('arr', { time: T0 + 1, raw: { id: 'arr', items: ['x', { sku: 's1' }], obj: { '0': 'zero' } } }),
  row('num', { time: T0 + 2, raw: { id: 'num', tiny: 1e-7, huge: 1e21, big: 12345678901234567890, negzero: -0, round: 100.0, third: 0.1 + 0.2 } }),
  row('misc', { time: T0 + 3, raw: { id: 'misc', n: null, nested: { b: 1 }, list: [1, 2], q: 'say "hi"\n', '': 'empty', e: 'é' } }),
];

const paths: Array<[string, string]> = [
  ['items.0', 'x'],
  ['items.1.sku', 's1'],
  ['obj.0', 'zero'],
  ['tiny', '1e-7'],
  ['tiny', '1.0e-07'],
  ['huge', '1e+21'],
  ['huge', '1.0e+21'],
  ['big', '12345678901234567000'],
  ['negzero', '0'],
  ['round', '100'],
  ['round', '100.0'],
  ['third', '0.30000000000000004'],
  ['n', 'null'],
  ['nested', '{"b":1}'],
  ['list', '[1,2]'],
  ['q', 'say "hi"\n'],
  ['', 'empty'],
  ['e', 'é'],
];

describe('store contract: both engines answer alike', () => {
  const sqlite = useMirrors('sqlite');
  const postgres = useMirrors('postgres');

  const load = async (store: Store) => {
    await store.putEvents('p', 'close', rows);
    return store;
  };

  it.each(paths)('--where %s=%s', async (path, value) => {
    const [a, b] = await Promise.all([sqlite.fresh().then((m) => load(m.store)), postgres.fresh().then((m) => load(m.store))]);
    const f = filter('p', { where: [{ path, value }] });
    const [onSqlite, onPostgres] = [ids(await a.query(f)), ids(await b.query(f))];
    expect(onSqlite, 'the events SQLite matched (expected: those PostgreSQL matched)').toEqual(onPostgres);
    expect(await a.countMatching(f)).toBe(await b.countMatching(f));
  });
});
