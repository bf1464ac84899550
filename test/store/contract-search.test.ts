// The store contract, part 6: full text search, stats per group, and version counts.
// Every case runs on both engines, each on a fresh mirror; the same words find the same events.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { splitMirrorUrl, withPg } from '../support/pg.js';
import type { EventRow } from '../../src/providers/types.js';
import type { EventFilter, StatKey } from '../../src/store/contract.js';
import { ENGINES } from '../support/engines.js';
import { collect, filter, ids, row, T0, useMirrors } from './contract-support.js';

type Query = Partial<Omit<EventFilter, 'profile'>>;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const events: EventRow[] = [
  row('1', { type: 'lead.created', time: T0 + 1 * HOUR, object: 'lead_1', raw: { id: '1', data: { name: 'Acme Widgets', note: 'Quarterly renewal call' } } }),
  row('2', { type: 'lead.updated', time: T0 + 2 * HOUR, object: 'lead_1', raw: { id: '2', data: { name: 'ACME widgets GmbH', status: 'Won' } } }),
  row('3', { type: 'invoice.paid', time: T0 + DAY + 5, object: 'inv_1', raw: { id: '3', data: { memo: 'renewals for acmeco', amount: 19.99 } } }),
  // The word only as a key, never a value: not found.
  row('4', { type: 'invoice.paid', time: T0 + DAY + HOUR, object: 'inv_2', raw: { id: '4', acme: 1, widgets: ['blue', 'Café Crème'] } }),
  row('5', { type: 'note.added', time: T0 + 3 * DAY, raw: { id: '5', text: 'call renewal quarterly', nested: { deep: [{ word: 'zeppelin' }] } } }),
];
const others: EventRow[] = [row('q1', { type: 'lead.created', time: T0 + 10, raw: { id: 'q1', data: { name: 'Acme Widgets' } } })];

const searches: Array<{ name: string; q: Query; expected: string[] }> = [
  { name: 'a word, case-insensitive', q: { search: 'acme' }, expected: ['2', '1'] },
  { name: 'a whole word only (acme is not acmeco)', q: { search: 'ACME' }, expected: ['2', '1'] },
  { name: 'a prefix', q: { search: 'acme*' }, expected: ['3', '2', '1'] },
  { name: 'every word must occur', q: { search: 'acme gmbh' }, expected: ['2'] },
  { name: 'a phrase keeps its order', q: { search: '"quarterly renewal"' }, expected: ['1'] },
  { name: 'the words of a phrase in another order are a different phrase', q: { search: '"renewal quarterly"' }, expected: ['5'] },
  { name: 'the same words without quotes in any order', q: { search: 'renewal quarterly' }, expected: ['5', '1'] },
  { name: 'keys are not searched', q: { search: 'widgets' }, expected: ['2', '1'] },
  { name: 'values in arrays and nested objects', q: { search: 'zeppelin' }, expected: ['5'] },
  { name: 'array values', q: { search: 'blue' }, expected: ['4'] },
  { name: 'non-ASCII words', q: { search: 'café' }, expected: ['4'] },
  { name: 'ids are string values too', q: { search: '3' }, expected: ['3'] },
  { name: 'combined with a type', q: { search: 'acme*', types: ['lead.*'] }, expected: ['2', '1'] },
  { name: 'combined with time and object', q: { search: 'acme', since: T0 + 90 * 60_000, object: 'lead_1' }, expected: ['2'] },
  { name: 'combined with --where', q: { search: 'acme', where: [{ path: 'data.status', value: 'Won' }] }, expected: ['2'] },
  { name: 'a word nobody has', q: { search: 'nowhere' }, expected: [] },
  { name: 'query syntax is literal text', q: { search: 'acme OR nowhere' }, expected: [] },
  { name: 'punctuation around a word is ignored', q: { search: '(acme);' }, expected: ['2', '1'] },
];

describe.each(ENGINES)('store contract on %s: search, stats, version counts', (engine) => {
  const m = useMirrors(engine);
  const loaded = async () => {
    const { store } = await m.fresh();
    await store.putEvents('p', 'close', events);
    await store.putEvents('q', 'close', others);
    return store;
  };

  it.each(searches)('search: $name', async ({ q, expected }) => {
    const store = await loaded();
    expect(ids(await store.query(filter('p', q)))).toEqual(expected);
    expect(ids(await collect(store.stream(filter('p', q))))).toEqual(expected);
    expect(await store.countMatching(filter('p', q))).toBe(expected.length);
  });

  it('indexes the events of a mirror made before full text when it is opened (the migration)', async () => {
    const { store, location } = await m.fresh();
    await store.putEvents('p', 'close', events);
    await m.close(store);
    // Back to the schema before full text, events and all.
    if (engine === 'sqlite') {
      const db = new Database(location);
      // (and before the clock skew of migration 4 and the type counts and pruning of migration 5)
      db.exec(
        `DROP TRIGGER events_fts_delete; DROP TABLE events_fts; ALTER TABLE profiles DROP COLUMN skew_ms; ` +
          `DROP TABLE type_counts; DROP TRIGGER events_count_delete; ` +
          `ALTER TABLE profiles DROP COLUMN pruned_before; PRAGMA user_version = 2;`,
      );
      db.close();
    } else {
      const schema = `"${splitMirrorUrl(location).schema.replace(/"/g, '""')}"`;
      await withPg(location, (c) =>
        c.query(
          `DROP TABLE ${schema}.search_index, ${schema}.search_state; DROP FUNCTION ${schema}.index_search; ALTER TABLE ${schema}.profiles DROP COLUMN skew_ms; ` +
            `DROP TABLE ${schema}.type_counts; DROP FUNCTION ${schema}.count_types CASCADE; ALTER TABLE ${schema}.profiles DROP COLUMN pruned_before; ` +
            `UPDATE ${schema}.schema_version SET version = 2`,
        ),
      );
    }
    const upgraded = await m.open(location);
    expect(ids(await upgraded.query(filter('p', { search: 'acme' })))).toEqual(['2', '1']);
    expect(ids(await upgraded.query(filter('p', { search: 'zeppelin' })))).toEqual(['5']);
  });

  it('keeps the index with the rows: a changed event is found by its new words only', async () => {
    const store = await loaded();
    await store.putEvents('p', 'close', [row('1', { type: 'lead.created', time: T0 + HOUR, updated: T0 + 5 * DAY, object: 'lead_1', raw: { id: '1', data: { name: 'Globex' } } })]);
    expect(ids(await store.query(filter('p', { search: 'globex' })))).toEqual(['1']);
    expect(ids(await store.query(filter('p', { search: 'acme' })))).toEqual(['2']);
    // A copy carries the index along (importVersions goes through the same writes).
    const { store: copy } = await m.fresh();
    for await (const batch of store.exportVersions('p')) await copy.importVersions('p', 'close', batch);
    expect(ids(await copy.query(filter('p', { search: 'globex' })))).toEqual(['1']);
    expect(ids(await copy.query(filter('p', { search: 'acme' })))).toEqual(['2']);
  });

  it('an event new and changed in the same write is found by its last words only', async () => {
    const { store } = await m.fresh();
    const v1 = row('n', { type: 'lead.created', time: T0, updated: T0, raw: { id: 'n', data: { name: 'Initech' } } });
    const v2 = row('n', { type: 'lead.created', time: T0, updated: T0 + HOUR, raw: { id: 'n', data: { name: 'Hooli' } } });
    const v3 = row('n', { type: 'lead.created', time: T0, updated: T0 + 2 * HOUR, raw: { id: 'n', data: { name: 'Vandelay' } } });
    expect(await store.putEvents('p', 'close', [v1, v2])).toEqual(['new', 'updated']);
    expect(ids(await store.query(filter('p', { search: 'hooli' })))).toEqual(['n']);
    expect(ids(await store.query(filter('p', { search: 'initech' })))).toEqual([]);
    // Changed again in a later write, then the same words twice: one entry, the newest.
    expect(await store.putEvents('p', 'close', [v3, v3])).toEqual(['updated', 'same']);
    expect(ids(await store.query(filter('p', { search: 'vandelay' })))).toEqual(['n']);
    expect(ids(await store.query(filter('p', { search: 'hooli' })))).toEqual([]);
    expect(await store.countMatching(filter('p', { search: 'vandelay' }))).toBe(1);
  });

  const stat = async (by: StatKey[], q: Query = {}) => {
    const store = await loaded();
    const rows = await store.stats(filter('p', q), by);
    return rows.map((r) => [...r.keys, r.count, r.first, r.last]).sort((a, b) => String(a).localeCompare(String(b)));
  };

  it('stats by type: counts and first/last times per group', async () => {
    expect(await stat(['type'])).toEqual([
      ['invoice.paid', 2, T0 + DAY + 5, T0 + DAY + HOUR],
      ['lead.created', 1, T0 + HOUR, T0 + HOUR],
      ['lead.updated', 1, T0 + 2 * HOUR, T0 + 2 * HOUR],
      ['note.added', 1, T0 + 3 * DAY, T0 + 3 * DAY],
    ]);
  });

  it('stats by day and by hour: buckets start at midnight and on the hour (UTC)', async () => {
    expect(await stat(['day'])).toEqual([
      [T0, 2, T0 + HOUR, T0 + 2 * HOUR],
      [T0 + DAY, 2, T0 + DAY + 5, T0 + DAY + HOUR],
      [T0 + 3 * DAY, 1, T0 + 3 * DAY, T0 + 3 * DAY],
    ]);
    const hours = await stat(['hour'], { types: ['invoice.*'] });
    expect(hours).toEqual([
      [T0 + DAY, 1, T0 + DAY + 5, T0 + DAY + 5],
      [T0 + DAY + HOUR, 1, T0 + DAY + HOUR, T0 + DAY + HOUR],
    ]);
  });

  it('stats by two keys, with a null object, over a filter', async () => {
    expect(await stat(['type', 'object'])).toEqual([
      ['invoice.paid', 'inv_1', 1, T0 + DAY + 5, T0 + DAY + 5],
      ['invoice.paid', 'inv_2', 1, T0 + DAY + HOUR, T0 + DAY + HOUR],
      ['lead.created', 'lead_1', 1, T0 + HOUR, T0 + HOUR],
      ['lead.updated', 'lead_1', 1, T0 + 2 * HOUR, T0 + 2 * HOUR],
      ['note.added', null, 1, T0 + 3 * DAY, T0 + 3 * DAY],
    ]);
    expect(await stat(['object'], { search: 'acme' })).toEqual([['lead_1', 2, T0 + HOUR, T0 + 2 * HOUR]]);
    expect(await stat([], { types: ['lead.*'] })).toEqual([[2, T0 + HOUR, T0 + 2 * HOUR]]);
    expect(await stat(['type'], { types: ['nothing'] })).toEqual([]);
  });

  it('counts versions: only events with more than one, per profile', async () => {
    const store = await loaded();
    await store.putEvents('p', 'close', [row('1', { updated: T0 + 5 * DAY, raw: { id: '1', v: 2 } })]);
    await store.putEvents('p', 'close', [row('1', { updated: T0 + 6 * DAY, raw: { id: '1', v: 3 } })]);
    await store.putEvents('p', 'close', [row('2', { time: T0 + 2 * HOUR, updated: T0 + 3 * HOUR, raw: { id: '2', v: 2 } })]);
    const counts = await store.versionCounts('p', ['1', '2', '3', 'missing']);
    expect(Object.fromEntries(counts)).toEqual({ '1': 3, '2': 2 });
    expect((await store.versionCounts('q', ['1', 'q1'])).size).toBe(0);
    expect((await store.versionCounts('nobody', [])).size).toBe(0);
  });
});
