// `status` after syncs the provider refused (a bad key): three syncs, a tail and a forward leave no
// unfinished walk behind (each fetched nothing), and the failure shows once, as the last error.
// Both engines, on a mirror never synced and on one synced before the key went bad.
import { describe, expect, it } from 'vitest';
import { binaryFor, cleanupAfterEach } from '../support/cli.js';
import { SECRETS } from '../support/deliver.js';
import { blueaiHistory, startFakeBlueai } from '../support/fake-blueai.js';
import { ENGINES } from '../support/engines.js';

const cleanups = cleanupAfterEach();

interface Report {
  lastError: string | null;
  lastOk: string | null;
  backfill: unknown[];
  complete: unknown[];
  holes: unknown[];
}

describe.each(ENGINES)('status after syncs with a refused key (%s)', (engine) => {
  it.each([
    ['never synced', false],
    ['synced before', true],
  ])('%s: no empty walks, the failure once', async (_name, syncedBefore) => {
    const fake = await startFakeBlueai();
    cleanups.push(() => fake.close());
    fake.add(...blueaiHistory(30, Date.now() - 60_000));
    const { run } = await binaryFor('blueai', fake, cleanups, engine);
    if (syncedBefore) expect((await run(['sync'])).code).toBe(0);

    const bad = { EVENTS_API_KEY: 'sk_test_refused', WEBHOOK_SECRET: SECRETS.blueai };
    for (const args of [['sync'], ['sync'], ['sync'], ['tail'], ['forward', '--to', 'http://127.0.0.1:9/hook', '--secret-env', 'WEBHOOK_SECRET']]) {
      const failed = await run(args, bad);
      expect(failed.code, `${args[0]}: ${failed.stderr}`).toBe(4);
      expect(failed.stderr).toMatch(/^error: blueai: 401 Unauthorized/m);
    }

    const [report] = JSON.parse((await run(['status', '--json'])).stdout) as Report[];
    expect(report!.backfill).toEqual([]);
    expect(report!.lastError).toMatch(/^blueai: 401 Unauthorized on GET \/api\/v1\/events/);
    expect(report!.complete).toHaveLength(syncedBefore ? 1 : 0);
    if (syncedBefore) expect(report!.holes).toEqual([]);
    expect(report!.lastOk !== null).toBe(syncedBefore);

    const view = (await run(['status', '-o', 'table'])).stdout;
    expect(view.match(/401/g)).toHaveLength(1);
    expect(view).toMatch(/^ {2}last sync {3}\S+ \S+ UTC \(\d+ s ago\) — failed: blueai: 401 Unauthorized/m);
    expect(view).toMatch(/^ {2}backfill {4}none unfinished$/m);

    // The key mended, the next sync takes it from there.
    expect((await run(['sync'])).code).toBe(0);
    const [mended] = JSON.parse((await run(['status', '--json'])).stdout) as Report[];
    expect(mended).toMatchObject({ lastError: null, backfill: [], complete: [expect.anything()] });
  }, 120_000);
});
