// The store contract, part 3: filtered queries newest first, streaming in batches, and counting.
// Every case runs on both engines, each on a fresh mirror.
import { describe, expect, it } from 'vitest';
import type { EventRow } from '../../src/providers/types.js';
import type { EventFilter, Store } from '../../src/store/contract.js';
import { ENGINES } from '../support/engines.js';
import { collect, filter, ids, row, T0, useMirrors } from './contract-support.js';

type Query = Partial<Omit<EventFilter, 'profile'>>;
const where = (...pairs: Array<[string, string]>): Query => ({ where: pairs.map(([path, value]) => ({ path, value })) });

/** The main data set of profile p; profile q holds look-alikes that must never show. */
const events: EventRow[] = [
  row('1', { type: 'invoice.paid', time: T0 + 100, object: 'inv_1', raw: { id: '1', data: { status: 'paid', amount: 100, ok: true, price: 19.99 } } }),
  row('2', { type: 'invoice.created', time: T0 + 200, object: 'inv_2', raw: { id: '2', data: { status: 'draft', amount: '100', ok: false, price: -3 } } }),
  row('3', { type: 'invoicex.created', time: T0 + 300, raw: { id: '3', data: { ok: 'true', amount: 1000, status: 'Paid' } } }),
  row('4', { type: 'crm.deal.created', time: T0 + 400, object: 'deal_1', raw: { id: '4', lead_id: 'lead_1', data: { amount: 2.5, ok: 'false' } } }),
  row('5', { type: 'invoice', time: T0 + 500, object: 'inv_1', raw: { id: '5', a: { b: { c: { d: 'deep' } } }, data: { amount: 0, n: null, sum: 0.1 + 0.2 } } }),
  row('6', {
    type: 'café.créé',
    time: T0 + 600,
    raw: { id: '6', 'we"ird': 'x', 'sp ace': 'y', 'br[0]': 'z', "it's": 'w', $: 'd', 'back\\slash': 'b', ü: 'u', '*': 's', nested: { 'a"b': { "c'd": 'e' } } },
  }),
];
const lookalikes: EventRow[] = [
  row('q1', { type: 'invoice.paid', time: T0 + 150, object: 'inv_1', raw: { id: 'q1', data: { status: 'paid', amount: 100, ok: true } } }),
];

const queries: Array<{ name: string; q: Query; expected: string[]; limit?: number }> = [
  { name: 'everything, newest first', q: {}, expected: ['6', '5', '4', '3', '2', '1'] },
  { name: 'an exact type', q: { types: ['invoice.paid'] }, expected: ['1'] },
  { name: 'an exact type that is also a prefix of others', q: { types: ['invoice'] }, expected: ['5'] },
  { name: 'a prefix.* pattern (not the bare prefix, not a longer word)', q: { types: ['invoice.*'] }, expected: ['2', '1'] },
  { name: 'a deeper prefix', q: { types: ['crm.deal.*'] }, expected: ['4'] },
  { name: 'several types and patterns', q: { types: ['invoice.paid', 'crm.*', 'nothing.here'] }, expected: ['4', '1'] },
  { name: 'a unicode prefix', q: { types: ['café.*'] }, expected: ['6'] },
  { name: 'a type nobody has', q: { types: ['invoice.refunded'] }, expected: [] },
  { name: 'since and until, both inclusive', q: { since: T0 + 200, until: T0 + 400 }, expected: ['4', '3', '2'] },
  { name: 'since alone', q: { since: T0 + 450 }, expected: ['6', '5'] },
  { name: 'until alone', q: { until: T0 + 100 }, expected: ['1'] },
  { name: 'an empty time window', q: { since: T0 + 201, until: T0 + 299 }, expected: [] },
  { name: 'an object', q: { object: 'inv_1' }, expected: ['5', '1'] },
  { name: 'a string path', q: where(['data.status', 'paid']), expected: ['1'] },
  { name: 'strings compare exactly (case)', q: where(['data.status', 'PAID']), expected: [] },
  { name: 'a number matches the number and the string', q: where(['data.amount', '100']), expected: ['2', '1'] },
  { name: 'zero', q: where(['data.amount', '0']), expected: ['5'] },
  { name: 'a decimal', q: where(['data.price', '19.99']), expected: ['1'] },
  { name: 'a negative number', q: where(['data.price', '-3']), expected: ['2'] },
  { name: 'a fraction', q: where(['data.amount', '2.5']), expected: ['4'] },
  // A number is compared as the raw text writes it (what `list` prints and users copy);
  // contract-agree.test.ts has the spellings where the engines are easiest to get apart.
  { name: 'a number with 17 significant digits, as its raw text has it', q: where(['data.sum', '0.30000000000000004']), expected: ['5'] },
  { name: 'true matches the boolean and the string', q: where(['data.ok', 'true']), expected: ['3', '1'] },
  { name: 'false matches the boolean and the string', q: where(['data.ok', 'false']), expected: ['4', '2'] },
  { name: 'a top-level key', q: where(['lead_id', 'lead_1']), expected: ['4'] },
  { name: 'a deeply nested path', q: where(['a.b.c.d', 'deep']), expected: ['5'] },
  { name: 'a path that leads to an object matches no value', q: where(['a.b', 'deep']), expected: [] },
  { name: 'a path nobody has', q: where(['data.missing', 'paid']), expected: [] },
  { name: 'a key with a double quote', q: where(['we"ird', 'x']), expected: ['6'] },
  { name: 'a key with a space', q: where(['sp ace', 'y']), expected: ['6'] },
  { name: 'a key with brackets', q: where(['br[0]', 'z']), expected: ['6'] },
  { name: 'a key with a single quote', q: where(["it's", 'w']), expected: ['6'] },
  { name: 'a key that is a dollar sign', q: where(['$', 'd']), expected: ['6'] },
  { name: 'a key with a backslash', q: where(['back\\slash', 'b']), expected: ['6'] },
  { name: 'a non-ASCII key', q: where(['ü', 'u']), expected: ['6'] },
  { name: 'a key that is a star', q: where(['*', 's']), expected: ['6'] },
  { name: 'nested keys with quotes', q: where(['nested.a"b.c\'d', 'e']), expected: ['6'] },
  { name: 'a quoted key is not its unquoted twin', q: where(['weird', 'x']), expected: [] },
  { name: 'several paths must all match', q: where(['data.amount', '100'], ['data.status', 'paid']), expected: ['1'] },
  { name: 'several paths, one missing', q: where(['data.amount', '100'], ['data.status', 'void']), expected: [] },
  {
    name: 'types, time, object and a path together',
    q: { types: ['invoice.*', 'invoice'], since: T0 + 50, until: T0 + 450, object: 'inv_1', ...where(['data.ok', 'true']) },
    expected: ['1'],
  },
  { name: 'a limit keeps the newest', q: {}, limit: 2, expected: ['6', '5'] },
  { name: 'a limit with a filter', q: { types: ['invoice.*', 'invoice'] }, limit: 2, expected: ['5', '2'] },
  { name: 'a limit above the count', q: { object: 'inv_1' }, limit: 50, expected: ['5', '1'] },
];

/** Values that look like SQL or LIKE patterns: matched literally everywhere. */
const sqlish: EventRow[] = [
  row('s1', { type: "x'; drop table events; --", time: T0 + 1, object: '%', raw: { id: 's1', note: "'; drop table events; --", pct: '%', us: '_' } }),
  row('s2', { type: 'a_b', time: T0 + 2, object: '_', raw: { id: 's2', note: 'plain', pct: '100%', us: 'a_b' } }),
  row('s3', { type: 'axb', time: T0 + 3, object: 'x', raw: { id: 's3', note: 'x', pct: 'x', us: 'axb' } }),
  row('s4', { type: 'a%b', time: T0 + 4, object: 'a%', raw: { id: 's4', note: '\\', pct: '%%', us: '"' } }),
];
const literal: Array<{ name: string; q: Query; expected: string[] }> = [
  { name: 'a type that is an SQL injection', q: { types: ["x'; drop table events; --"] }, expected: ['s1'] },
  { name: 'a type with _', q: { types: ['a_b'] }, expected: ['s2'] },
  { name: 'a type with %', q: { types: ['a%b'] }, expected: ['s4'] },
  { name: 'a type that is %', q: { types: ['%'] }, expected: [] },
  { name: 'a type that is _', q: { types: ['___'] }, expected: [] },
  { name: 'a prefix with _', q: { types: ['a_*'] }, expected: ['s2'] },
  { name: 'a prefix with %', q: { types: ['a%*'] }, expected: ['s4'] },
  { name: 'a prefix with a quote', q: { types: ["x'*"] }, expected: ['s1'] },
  { name: 'an object that is %', q: { object: '%' }, expected: ['s1'] },
  { name: 'an object that is _', q: { object: '_' }, expected: ['s2'] },
  { name: 'a where value that is an SQL injection', q: where(['note', "'; drop table events; --"]), expected: ['s1'] },
  { name: 'a where value that is %', q: where(['pct', '%']), expected: ['s1'] },
  { name: 'a where value with _', q: where(['us', 'a_b']), expected: ['s2'] },
  { name: 'a where value that is _', q: where(['us', '_']), expected: ['s1'] },
  { name: 'a where value that is a backslash', q: where(['note', '\\']), expected: ['s4'] },
  { name: 'a where value that is a double quote', q: where(['us', '"']), expected: ['s4'] },
  { name: 'a where path that is an SQL injection', q: where(["note') OR ('1'='1", 'x']), expected: [] },
  { name: 'a where value that is always-true SQL', q: where(['note', "x' OR '1'='1"]), expected: [] },
];

describe.each(ENGINES)('store contract on %s: queries', (engine) => {
  const m = useMirrors(engine);

  const loaded = async (rows: EventRow[]) => {
    const { store } = await m.fresh();
    // Written in two batches in an order that is not the time order.
    await store.putEvents('p', 'close', rows.slice(3));
    await store.putEvents('p', 'close', rows.slice(0, 3));
    await store.putEvents('q', 'close', lookalikes);
    return store;
  };

  it.each(queries)('query: $name', async ({ q, expected, limit }) => {
    const store = await loaded(events);
    const got = await store.query(filter('p', q), limit);
    expect(ids(got)).toEqual(expected);
    const byId = new Map(events.map((e) => [e.id, e]));
    for (const e of got) expect(e.raw).toBe(JSON.stringify(byId.get(e.id)!.raw));
    if (limit === undefined) {
      expect(ids(await collect(store.stream(filter('p', q))))).toEqual(expected);
      expect(await store.countMatching(filter('p', q))).toBe(expected.length);
    }
  });

  it.each(literal)('matched literally: $name', async ({ q, expected }) => {
    const store = await loaded(sqlish);
    expect(ids(await store.query(filter('p', q)))).toEqual(expected);
    expect(await store.countMatching(filter('p', q))).toBe(expected.length);
    expect(await store.countEvents('p')).toBe(4);
  });

  it('queries only the profile asked for', async () => {
    const store = await loaded(events);
    expect(ids(await store.query(filter('q')))).toEqual(['q1']);
    expect(await store.query(filter('nobody'))).toEqual([]);
    expect(await collect(store.stream(filter('nobody')))).toEqual([]);
    expect(await store.countMatching(filter('nobody'))).toBe(0);
  });

  it('breaks ties in time by arrival order, within a batch, across pages and across writes', async () => {
    const { store } = await m.fresh();
    await store.putEvents('p', 'close', [row('b', { time: T0 + 10 }), row('a', { time: T0 + 10 }), row('c', { time: T0 + 10 })]);
    const w = await store.createWalk('p', { kind: 'head', upper: T0 + 50, floor: null, next: { method: 'GET', path: '/e' }, reached: null, pages: 0, fetched: 0, started: T0 });
    await store.commitPages({
      profile: 'p',
      provider: 'close',
      walk: { ...w, pages: 2, fetched: 3 },
      pages: [{ rows: [row('z', { time: T0 + 10 }), row('e', { time: T0 + 20 })] }, { rows: [row('d', { time: T0 + 10 })] }],
      done: false,
    });
    await store.putEvents('p', 'close', [row('0', { time: T0 + 10 }), row('y', { time: T0 + 5 })]);
    const expected = ['e', 'b', 'a', 'c', 'z', 'd', '0', 'y'];
    expect(ids(await store.query(filter('p')))).toEqual(expected);
    expect(ids(await collect(store.stream(filter('p'))))).toEqual(expected);
    expect(ids(await store.query(filter('p'), 4))).toEqual(expected.slice(0, 4));
  });

  it('counts matches, stopping at atMost when it is given', async () => {
    const { store } = await m.fresh();
    await store.putEvents('p', 'close', Array.from({ length: 20 }, (_, i) => row(`e${i}`, { time: T0 + i, raw: { id: `e${i}`, odd: i % 2 === 1 } })));
    const all = filter('p');
    const odd = filter('p', where(['odd', 'true']));
    const cases: Array<[ReturnType<typeof filter>, number | undefined, number]> = [
      [all, undefined, 20],
      [all, 5, 5],
      [all, 20, 20],
      [all, 1_000, 20],
      [odd, undefined, 10],
      [odd, 3, 3],
      [odd, 11, 10],
      [filter('p', { types: ['none'] }), 5, 0],
    ];
    for (const [f, atMost, n] of cases) expect(await store.countMatching(f, atMost), `atMost ${atMost}`).toBe(n);
  });

  it('counts a pattern of several types and a time range up to atMost, each type read newest first', async () => {
    const { store } = await m.fresh();
    const types = ['invoice.paid', 'invoice.created', 'customer.created'];
    await store.putEvents('p', 'close', Array.from({ length: 30 }, (_, i) => row(`e${i}`, { time: T0 + i, type: types[i % 3]! })));
    const invoices = filter('p', { types: ['invoice.*'] });
    const cases: Array<[ReturnType<typeof filter>, number, number]> = [
      [invoices, 5, 5],
      [invoices, 19, 19],
      [invoices, 20, 20],
      [invoices, 1_000, 20],
      [filter('p', { types: ['invoice.*', 'customer.created'] }), 25, 25],
      [filter('p', { since: T0 + 10, until: T0 + 19 }), 1_000, 10],
      [filter('p', { since: T0 + 10, until: T0 + 19 }), 4, 4],
      [filter('p', { types: ['invoice.*'], since: T0 + 10, until: T0 + 19 }), 1_000, 7],
    ];
    for (const [f, atMost, n] of cases) expect(await store.countMatching(f, atMost), `${JSON.stringify(f)} atMost ${atMost}`).toBe(n);
  });

  describe('over more rows than one batch', () => {
    const N = 2_600;
    /** Few distinct times, so ties run across every batch boundary. */
    const big = Array.from({ length: N }, (_, i) =>
      row(`b${String(i).padStart(5, '0')}`, { type: i % 2 === 0 ? 'big.even' : 'big.odd', time: T0 + (i % 13), raw: { id: `b${i}`, i, third: i % 3 } }),
    );
    /** Newest first; equal times in the order written. */
    const order = (rows: EventRow[]) =>
      rows
        .map((r, i) => ({ r, i }))
        .sort((x, y) => y.r.time - x.r.time || x.i - y.i)
        .map(({ r }) => r.id);

    const fill = async (): Promise<Store> => {
      const { store } = await m.fresh();
      for (let i = 0; i < N; i += 650) await store.putEvents('p', 'close', big.slice(i, i + 650));
      await store.putEvents('q', 'close', big.slice(0, 10));
      return store;
    };

    it('stream() yields what query() returns, in the same order', async () => {
      const store = await fill();
      const expected = order(big);
      const queried = await store.query(filter('p'));
      expect(ids(queried)).toEqual(expected);
      const streamed = await collect(store.stream(filter('p')));
      expect(streamed).toEqual(queried);

      const evens = filter('p', { types: ['big.even'], ...where(['third', '1']) });
      const evenIds = order(big.filter((r) => r.type === 'big.even' && (r.raw.third as number) === 1));
      expect(evenIds.length).toBeGreaterThan(400);
      expect(ids(await store.query(evens))).toEqual(evenIds);
      expect(ids(await collect(store.stream(evens)))).toEqual(evenIds);
      // Oldest first: the exact reverse, across batch boundaries and ties in time.
      expect(await collect(store.stream(filter('p'), 'oldest-first'))).toEqual([...queried].reverse());
      expect(ids(await collect(store.stream(evens, 'oldest-first')))).toEqual([...evenIds].reverse());
      expect(await collect(store.stream(filter('nobody'), 'oldest-first'))).toEqual([]);
      // A --since/--until window in both orders: after the first batch the last row read bounds
      // the scan on its side in place of the window's own bound, and the window still holds.
      const window = filter('p', { since: T0 + 3, until: T0 + 9 });
      const inWindow = order(big.filter((r) => r.time >= T0 + 3 && r.time <= T0 + 9));
      expect(inWindow.length).toBeGreaterThan(1_000);
      expect(ids(await collect(store.stream(window)))).toEqual(inWindow);
      expect(ids(await collect(store.stream(window, 'oldest-first')))).toEqual([...inWindow].reverse());
      expect(await store.countMatching(evens)).toBe(evenIds.length);
      expect(await store.countMatching(filter('p'))).toBe(N);
      expect(await store.countMatching(filter('p'), 100)).toBe(100);
      // A bounded count with --where, over more rows than one chunk of PostgreSQL's walk in time
      // order: stopped at the bound, or every match when there are fewer.
      expect(await store.countMatching(evens, 100)).toBe(100);
      expect(await store.countMatching(evens, evenIds.length + 1)).toBe(evenIds.length);
      const thirds = filter('p', where(['third', '1']));
      const thirdIds = big.filter((r) => (r.raw.third as number) === 1).length;
      expect(await store.countMatching(thirds, N)).toBe(thirdIds);
      expect(await store.countMatching(filter('p', { since: T0 + 3, ...where(['third', '1']) }), N)).toBe(big.filter((r) => r.time >= T0 + 3 && (r.raw.third as number) === 1).length);
      expect(ids(await store.query(filter('p'), 1_500))).toEqual(expected.slice(0, 1_500));
    });

    it('a stream left early, or read while the store writes, leaves the store working', async () => {
      const store = await fill();
      const expected = order(big);
      const seen: string[] = [];
      for await (const e of store.stream(filter('p'))) {
        seen.push(e.id);
        if (seen.length === 1_500) break;
      }
      expect(seen).toEqual(expected.slice(0, 1_500));
      expect(ids(await store.query(filter('p'), 3))).toEqual(expected.slice(0, 3));

      // forward acknowledges as it delivers: writes between the items of a stream must work.
      const read: string[] = [];
      for await (const e of store.stream(filter('p'))) {
        read.push(e.id);
        if (read.length % 700 === 0) {
          await store.putEvents('q', 'close', [row(`w${read.length}`)]);
          await store.saveConsumer({ name: 'fwd', profile: 'p', rev: read.length });
        }
      }
      expect(read).toEqual(expected);
      expect((await store.consumer('fwd', 'p'))?.rev).toBe(2_100);
      expect(await store.countEvents('q')).toBe(13);
    });
  });
});
