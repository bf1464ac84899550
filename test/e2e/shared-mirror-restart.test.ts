// A PostgreSQL server that restarts under a `tail --offline` reader: the reader says it is failing,
// reconnects on its own, and then shows what a sync committed, including what was committed while
// it was away. A cluster of its own, because restarting the run's shared one would cut other tests.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupAfterEach, runEvents, startEvents, tempHome, waitFor } from '../support/cli.js';
import { blueaiEvent, startFakeBlueai } from '../support/fake-blueai.js';
import { startPostgres, type PgServer } from '../support/pg-server.js';

const cleanups = cleanupAfterEach();
let server: PgServer;

beforeAll(async () => {
  server = await startPostgres({ own: true });
}, 30_000);
afterAll(async () => server?.stop());

describe('tail --offline across a PostgreSQL restart', () => {
  it('keeps following: says it is failing while the server is down, then shows every event synced meanwhile and after, once', async () => {
    const fake = await startFakeBlueai({});
    cleanups.push(() => fake.close());
    const home = tempHome();
    cleanups.push(home.cleanup);
    const env = {
      EVENTS_DB: `${server.url}?schema=restart`,
      EVENTS_CONFIG_DIR: home.configDir,
      EVENTS_PROVIDER: 'blueai',
      EVENTS_API_KEY: fake.apiKey,
      EVENTS_BASE_URL: fake.url,
    };
    fake.add(blueaiEvent(1, Date.now() - 60_000));
    expect((await runEvents(['sync'], env)).code).toBe(0);

    const child: ChildProcess = startEvents(['tail', '--offline'], env);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    cleanups.push(() => void child.kill('SIGKILL'));
    const ids = () => stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id);
    await waitFor(() => stderr.includes('tail: live, following the mirror'), 15_000, 'tail --offline to go live');

    const before = blueaiEvent(2, Date.now());
    fake.add(before);
    expect((await runEvents(['sync'], env)).code).toBe(0);
    await waitFor(() => ids().includes(before.id), 5_000, 'the event synced before the restart');

    // While the server is down the reader says so, and stays up.
    await server.restart!(() => waitFor(() => /tail: failing: /.test(stderr), 15_000, `tail to say it lost the mirror (stderr: ${stderr})`));
    // A sync right after the restart commits while the reader may still be reconnecting.
    const during = blueaiEvent(3, Date.now());
    fake.add(during);
    const synced = await runEvents(['sync'], env);
    expect(synced.code, synced.stderr).toBe(0);
    await waitFor(() => ids().includes(during.id), 20_000, `the event synced across the restart (stderr: ${stderr})`);

    const after = blueaiEvent(4, Date.now());
    fake.add(after);
    expect((await runEvents(['sync'], env)).code).toBe(0);
    await waitFor(() => ids().includes(after.id), 5_000, 'the event synced after the restart');

    expect(ids()).toEqual([before.id, during.id, after.id]);
    expect(stderr).toMatch(/tail: failing: (lost the connection to|cannot reach) PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres\?schema=restart: .*\(next try in/);
    expect(stderr).toMatch(/tail: live again, following the mirror/);
    expect(child.exitCode).toBe(null);
    child.kill('SIGINT');
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(130);
  }, 60_000);
});
