// `events demo` stopped and started again with the same config dir and mirror: the webhook secret
// saved on its profile stays (the demo updates only its base URL and key), and its API serves every
// event it served before at the same time, so a full sync after the restart re-dates nothing.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { cleanupAfterEach, collecting, runEvents, tempHome, waitFor } from '../support/cli.js';
import { SECRETS } from '../support/deliver.js';

const cleanups = cleanupAfterEach();

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('events demo restarted', () => {
  it('keeps the saved webhook secret and serves every event at its first time', async () => {
    const home = tempHome();
    cleanups.push(home.cleanup);
    const env = { EVENTS_CONFIG_DIR: home.configDir, EVENTS_DB: home.db, WEBHOOK_SECRET: SECRETS.blueai };
    const events = async (args: string[]) => {
      const run = await runEvents(args, env);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      return run.stdout;
    };
    const startDemo = async (port: number) => {
      const demo = collecting(['demo', '--port', String(port)], env, cleanups);
      await waitFor(() => demo.stderr().includes('Ctrl-C stops the demo.'), 15_000, `the demo on port ${port}: ${demo.stderr()}`);
      return demo;
    };
    const times = async () => {
      const lines = (await events(['list', '--all', '--offline', '-o', 'ndjson'])).trim().split('\n');
      return new Map(lines.map((l) => JSON.parse(l) as { id: string; created_at: string }).map((e) => [e.id, e.created_at]));
    };

    const first = await startDemo(await freePort());
    await runEvents(['profile', 'secret', 'demo', '--env', 'WEBHOOK_SECRET'], env);
    await events(['sync']);
    // Its live events too: a new one every few seconds.
    const synced = (await times()).size;
    await waitFor(async () => (await events(['sync']), (await times()).size > synced), 20_000, 'a live event of the demo');
    const before = await times();
    first.child.kill('SIGINT');
    expect(await first.exit).toBe(130);

    const port = await freePort();
    await startDemo(port);
    const profile = JSON.parse(await events(['profile', 'show', 'demo', '-o', 'json'])) as Record<string, unknown>;
    expect(profile).toMatchObject({ provider: 'blueai', baseUrl: `http://127.0.0.1:${port}`, webhookSecret: '****YWk=' });

    // A full sync asks for the whole history again: an event served at another time would be a new version.
    await events(['sync', '--full']);
    const after = await times();
    expect(after.size).toBeGreaterThanOrEqual(before.size);
    for (const [id, time] of before) expect(after.get(id), id).toBe(time);
    const store = await openStore(home.db, { readonly: true });
    try {
      const [meta] = await store.readMeta();
      const revised: string[] = [];
      for (const id of after.keys()) if ((await store.versions(meta!.profile, id)).length !== 1) revised.push(id);
      expect(revised).toEqual([]);
    } finally {
      await store.close();
    }
  }, 90_000);
});
