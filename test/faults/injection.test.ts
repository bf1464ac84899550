// --where, --type and --object values with quotes, %, _, ; and SQL are matched literally against
// the mirror: events whose fields hold such values are found by exactly those values and nothing
// else, and no value changes the mirror.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../support/cli.js';
import { blueaiEvent, startFakeBlueai, type BlueaiEvent, type FakeBlueai } from '../support/fake-blueai.js';
import { runInProcess } from '../support/io.js';

let fake: FakeBlueai;
let home: ReturnType<typeof tempHome>;
let env: Record<string, string>;

/** Events whose type, data.id (the object) and data.status hold awkward values. */
const base = Date.now() - 60_000;
const event = (n: number, type: string, id: string, status: string, extra: Record<string, unknown> = {}): BlueaiEvent => {
  const e = blueaiEvent(n, base + n * 1000, type);
  return { ...e, data: { ...e.data, id, status, ...extra } };
};
const EVENTS = {
  quote: event(1, "invoice.o'brien", 'a_c', '100%'),
  lookalike: event(2, 'invoice.obrien', 'abc', '100x'),
  sql: event(3, 'x" OR 1=1; --', '%', "'; DROP TABLE events; --"),
  odd: event(4, 'invoice.paid', 'inv_1', 'paid', { 'we"ird': 'q"v', 'semi;colon': 'a;b' }),
  plain: event(5, 'invoice.o', 'ac', '100'),
};
const ID: Record<string, keyof typeof EVENTS> = Object.fromEntries(Object.entries(EVENTS).map(([k, e]) => [e.id, k as keyof typeof EVENTS]));

beforeAll(async () => {
  fake = await startFakeBlueai();
  fake.add(...Object.values(EVENTS));
  home = tempHome();
  env = { EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: fake.apiKey, EVENTS_BASE_URL: fake.url, EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir };
  const r = await runInProcess(['sync'], { env });
  expect(r.code, r.stderr).toBe(0);
});
afterAll(async () => {
  await fake.close();
  home.cleanup();
});

const list = async (args: string[]) => {
  const r = await runInProcess(['list', '--offline', '--all', '-o', 'ndjson', ...args], { env });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => ID[(JSON.parse(l) as BlueaiEvent).id]).sort();
};

const cases: Array<[string[], Array<keyof typeof EVENTS>]> = [
  [['--type', "invoice.o'brien"], ['quote']],
  [['--type', 'x" OR 1=1; --'], ['sql']],
  [['--type', "' OR '1'='1"], []],
  [['--type', "invoice.o'*"], ['quote']],
  [['--type', 'invoice.o*'], ['lookalike', 'plain', 'quote']],
  [['--type', '%'], []],
  [['--type', '%*'], []],
  [['--type', 'invoice._*'], []],
  [['--type', 'invoice.o_brien'], []],
  [['--where', 'data.status=100%'], ['quote']],
  [['--where', 'data.status=100_'], []],
  [['--where', 'data.status=%'], []],
  [['--where', "data.status='; DROP TABLE events; --"], ['sql']],
  [['--where', "data.status=' OR '1'='1"], []],
  [['--where', 'data.id=a_c'], ['quote']],
  [['--where', 'data.id=_bc'], []],
  [['--where', 'data.we"ird=q"v'], ['odd']],
  [['--where', 'data.semi;colon=a;b'], ['odd']],
  [['--where', "type=invoice.o'brien"], ['quote']],
  [['--object', 'a_c'], ['quote']],
  [['--object', '%'], ['sql']],
  [['--object', '_'], []],
  [['--object', "' OR 1=1 --"], []],
  [['--type', "invoice.o'brien", '--object', 'a_c', '--where', 'data.status=100%'], ['quote']],
];

describe('filters are matched literally', () => {
  it.each(cases)('%j', async (args, expected) => {
    expect(await list(args)).toEqual([...expected].sort());
  });

  it('get takes an id literally, and the mirror is intact after every query', async () => {
    const r = await runInProcess(['get', "x' OR '1'='1", '--offline'], { env });
    expect(r.code).toBe(3);
    expect(await list([])).toEqual(Object.keys(EVENTS).sort());
  });
});
