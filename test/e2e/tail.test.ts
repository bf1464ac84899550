// The real binary's `tail` in a pipe, against the BlueAI fake: one raw event per line, each shown
// once (new ones, and late ones inside the overlap), --since replays the mirror first, a failing
// sync does not end it, bad credentials do; Ctrl-C exits 130 and a closed pipe ends it quietly.
// Every case runs on both engines: a SQLite file and a PostgreSQL schema.
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/providers/types.js';
import { openStore } from '../../src/store/open.js';
import { collecting, engineHome, waitFor } from '../support/cli.js';
import { blueaiEvent, blueaiHistory, startFakeBlueai, type FakeBlueaiOptions } from '../support/fake-blueai.js';
import { ENGINES, type Engine } from '../support/engines.js';
import { normalized } from '../support/rows.js';

const MINUTE = 60_000;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(engine: Engine, options: FakeBlueaiOptions = {}) {
  const fake = await startFakeBlueai(options);
  const home = await engineHome(engine);
  cleanups.push(() => fake.close(), home.cleanup);
  const env = { EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: fake.apiKey, EVENTS_BASE_URL: fake.url, EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir };
  return { fake, env };
}

/** A started tail whose output is collected as it comes. */
function tail(args: string[], env: Record<string, string>) {
  const run = collecting(['tail', '--interval', '200ms', ...args], env, cleanups);
  const ids = () => run.stdout().split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as { id: string }).id);
  return { ...run, ids };
}

describe.each(ENGINES)('events tail in a pipe (%s)', (engine) => {
  it('prints each new and late-visible event once, as BlueAI returned it, and exits 130 on SIGINT', async () => {
    const { fake, env } = await setup(engine);
    const now = Date.now();
    fake.add(...blueaiHistory(30, now - 20_000));
    const t = tail([], env);
    await waitFor(() => t.stderr().includes('tail: live'), 10_000, 'tail to go live');

    const fresh = blueaiEvent(1001, Date.now());
    fake.add(fresh);
    await waitFor(() => t.ids().includes(fresh.id), 10_000, 'the new event');
    // Late: it becomes visible now, with a time older than events already served (inside the overlap).
    const late = blueaiEvent(1002, now - 2 * MINUTE);
    const another = blueaiEvent(1003, Date.now() + 1000);
    fake.add(late, another);
    await waitFor(() => t.ids().includes(late.id) && t.ids().includes(another.id), 10_000, 'the late and the next event');
    // A few more polls rescan the overlap: nothing may come twice.
    const polls = fake.listRequests().length;
    await waitFor(() => fake.listRequests().length >= polls + 3, 10_000, 'three more polls');

    expect(t.ids()).toEqual([fresh.id, late.id, another.id]);
    const lines = t.stdout().trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).toEqual(fresh);
    expect(JSON.parse(lines[1]!)).toEqual(late);
    // State on stderr, once per change, not once per poll.
    expect(t.stderr().match(/tail: live/g)).toHaveLength(1);

    t.child.kill('SIGINT');
    expect(await t.exit).toBe(130);
  });

  it('with --since first prints the mirrored events since then, oldest first and filtered, then follows', async () => {
    const { fake, env } = await setup(engine);
    const now = Date.now();
    // One event every 10 minutes for five hours; the types cycle through invoice.* and others.
    const history = Array.from({ length: 30 }, (_, i) => blueaiEvent(i, now - (29 - i) * 10 * MINUTE));
    fake.add(...history);
    const t = tail(['--since', '95m', '--type', 'invoice.*'], env);
    const expected = history.filter((e) => Date.parse(e.created_at) >= now - 95 * MINUTE && e.type.startsWith('invoice.')).map((e) => e.id);
    expect(expected.length).toBeGreaterThan(2);
    await waitFor(() => t.ids().length >= expected.length, 10_000, 'the replay');
    expect(t.ids()).toEqual(expected);

    const paid = blueaiEvent(2001, Date.now(), 'invoice.paid');
    const deal = blueaiEvent(2002, Date.now(), 'crm.deal.created');
    fake.add(deal, paid);
    await waitFor(() => t.ids().includes(paid.id), 10_000, 'the new invoice event');
    const polls = fake.listRequests().length;
    await waitFor(() => fake.listRequests().length >= polls + 2, 10_000, 'two more polls');
    expect(t.ids()).toEqual([...expected, paid.id]);
    t.child.kill('SIGINT');
    expect(await t.exit).toBe(130);
  });

  it('with --offline --since streams a replay of thousands of events, oldest first, each once', async () => {
    const { env } = await setup(engine);
    const now = Date.now();
    // More than three of the replay's batches, one a second, written straight into the mirror.
    const COUNT = 3_500;
    const history = Array.from({ length: COUNT }, (_, i) => blueaiEvent(i, now - (COUNT - i) * 1000));
    const store = await openStore(env.EVENTS_DB);
    await store.putEvents(`env:blueai@${new URL(env.EVENTS_BASE_URL).host}`, 'blueai', history.map((e) => normalized('blueai', e as unknown as JsonObject)));
    await store.close();
    const t = tail(['--offline', '--since', '2h'], env);
    await waitFor(() => t.ids().length >= COUNT, 20_000, 'the replay');
    expect(t.ids()).toEqual(history.map((e) => e.id));
    t.child.kill('SIGINT');
    expect(await t.exit).toBe(130);
  });

  it('keeps going through a sync that fails or is rate-limited, and says so on stderr', async () => {
    const { fake, env } = await setup(engine);
    fake.add(...blueaiHistory(5, Date.now() - 10_000));
    const t = tail(['--retries', '1'], env);
    await waitFor(() => t.stderr().includes('tail: live'), 10_000, 'tail to go live');
    fake.setFaults(() => 'html-503');
    await waitFor(() => /tail: failing: .*503/.test(t.stderr()), 10_000, 'the failing state');
    fake.setFaults(() => 'rate-limit');
    await waitFor(() => t.stderr().includes('tail: rate-limited (429 Too Many Requests; retrying in'), 10_000, 'the 429');
    fake.setFaults(undefined);
    const after = blueaiEvent(3001, Date.now());
    fake.add(after);
    await waitFor(() => t.ids().includes(after.id), 10_000, 'the event after recovery');
    // The state line follows the poll that printed the event: wait for it rather than race it.
    await waitFor(() => t.stderr().includes('tail: live again'), 10_000, 'the live-again line');
    expect(t.child.exitCode).toBe(null);
    t.child.kill('SIGINT');
    expect(await t.exit).toBe(130);
  });

  it('ends with exit 4 when the provider refuses the key', async () => {
    const { env } = await setup(engine);
    const t = tail([], { ...env, EVENTS_API_KEY: 'sk_wrong' });
    expect(await t.exit).toBe(4);
    expect(t.stderr()).toMatch(/^error: .*401/m);
    expect(t.stdout()).toBe('');
  });

  it('ends quietly with exit 0 when the reader closes the pipe', async () => {
    const { fake, env } = await setup(engine);
    fake.add(...blueaiHistory(5, Date.now() - 10_000));
    const t = tail([], env);
    await waitFor(() => t.stderr().includes('tail: live'), 10_000, 'tail to go live');
    fake.add(blueaiEvent(4001, Date.now()));
    await waitFor(() => t.ids().length === 1, 10_000, 'the first line');
    // The reader has had enough (`| head -1`): its end of the pipe closes, and tail writes again.
    t.child.stdout!.destroy();
    fake.add(blueaiEvent(4002, Date.now() + 1000));
    expect(await t.exit).toBe(0);
    expect(t.stderr()).not.toMatch(/error|\n\s+at /i);
  });
});
