// `status` shows a large skew: the provider clock skew a sync measured (the HTTP Date
// header) is kept in the mirror, and the real binary's `status` reports it afterwards: a `clock`
// line when it is a minute or more, and `clockSkewMs` in json/ndjson always. Both engines.
import { describe, expect, it } from 'vitest';
import { binaryFor, cleanupAfterEach } from '../support/cli.js';
import { closeHistory, startFakeClose } from '../support/fake-close.js';
import { ENGINES, type Engine } from '../support/engines.js';

const cleanups = cleanupAfterEach();
const MINUTE = 60_000;

async function setup(engine: Engine, skewMs: number) {
  const fake = await startFakeClose();
  cleanups.push(() => fake.close());
  fake.setClockSkew(skewMs);
  // The provider's history reaches up to its own now.
  fake.add(...closeHistory(20, Date.now() + skewMs - 1_000));
  return binaryFor('close', { apiKey: fake.apiKey, url: fake.baseUrl }, cleanups, engine);
}

describe.each(ENGINES)('status reports the provider clock skew of the last sync (%s)', (engine) => {
  it('a provider 10 minutes ahead: a clock line in the view, clockSkewMs in json and ndjson', async () => {
    const { run } = await setup(engine, 10 * MINUTE);
    const sync = await run(['sync']);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stderr).toMatch(/close's clock is 10 min ahead of this machine's/);

    // A later run, with no sync of its own, still knows.
    const view = await run(['status', '-o', 'table']);
    expect(view.code, view.stderr).toBe(0);
    expect(view.stdout).toMatch(/^ {2}clock {7}close's clock is 10 min ahead of this machine \(measured at the last sync\)$/m);

    const json = await run(['status', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const [report] = JSON.parse(json.stdout) as Array<{ clockSkewMs: number | null }>;
    expect(Math.abs(report!.clockSkewMs! - 10 * MINUTE)).toBeLessThan(2_000);

    const ndjson = await run(['status', '-o', 'ndjson']);
    expect(ndjson.code, ndjson.stderr).toBe(0);
    const line = JSON.parse(ndjson.stdout.trim().split('\n')[0]!) as { clockSkewMs: number | null };
    expect(line.clockSkewMs).toBe(report!.clockSkewMs);
  });

  it('a provider 10 minutes behind says behind', async () => {
    const { run } = await setup(engine, -10 * MINUTE);
    expect((await run(['sync'])).code).toBe(0);
    const view = await run(['status', '-o', 'table']);
    expect(view.stdout).toMatch(/^ {2}clock {7}close's clock is 10 min behind this machine \(measured at the last sync\)$/m);
  });

  it('a provider in step: no clock line, and clockSkewMs is still there (small)', async () => {
    const { run } = await setup(engine, 0);
    expect((await run(['sync'])).code).toBe(0);
    const view = await run(['status', '-o', 'table']);
    expect(view.code, view.stderr).toBe(0);
    expect(view.stdout).toMatch(/last sync/);
    expect(view.stdout).not.toMatch(/clock/);
    const [report] = JSON.parse((await run(['status', '--json'])).stdout) as Array<{ clockSkewMs: number | null }>;
    expect(typeof report!.clockSkewMs).toBe('number');
    expect(Math.abs(report!.clockSkewMs!)).toBeLessThan(2_000);
  });
});
