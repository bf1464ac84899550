// `events prune --keep 30d` with the real binary and a loopback BlueAI, on both engines: the
// mirror then lists exactly the last 30 days, status says what was pruned, a following sync asks
// only for what is new (the pruned range stays held), and the SQLite file gets smaller.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binaryFor, cleanupAfterEach } from '../support/cli.js';
import { blueaiEvent, startFakeBlueai, type BlueaiEvent } from '../support/fake-blueai.js';
import { ENGINES } from '../support/engines.js';

const cleanups = cleanupAfterEach();
const MINUTE = 60_000;
const DAY = 86_400_000;

const fileBytes = (db: string) => [db, `${db}-wal`].reduce((sum, f) => sum + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
const ids = (events: Array<{ id: string }>) => events.map((e) => e.id).sort();

describe.each(ENGINES)('events prune (%s)', (engine) => {
  it('--keep 30d leaves the last 30 days, held; the next sync fetches only what is new', { timeout: 120_000 }, async () => {
    const fake = await startFakeBlueai();
    cleanups.push(() => fake.close());
    const now = Date.now();
    const cut = now - 30 * DAY;
    // 60 days of history, one event every 30 minutes, none within 10 minutes of the cut (the
    // binary reads its own clock a moment after this one).
    const history: BlueaiEvent[] = [];
    for (let n = 0, t = now - 60 * DAY; t < now - MINUTE; n++, t += 30 * MINUTE) {
      if (Math.abs(t - cut) > 10 * MINUTE) history.push(blueaiEvent(n, t));
    }
    fake.add(...history);
    const { run, home } = await binaryFor('blueai', { apiKey: fake.apiKey, url: fake.url }, cleanups, engine);
    const first = await run(['sync']);
    expect(first.code, first.stderr).toBe(0);
    const kept = history.filter((e) => Date.parse(e.created_at) >= cut);
    expect(kept.length).toBeGreaterThan(1000);
    expect(kept.length).toBeLessThan(history.length - 1000);
    const sizeBefore = fileBytes(home.db);

    const prune = await run(['prune', '--keep', '30d', '-o', 'table']);
    expect(prune.code, prune.stderr).toBe(0);
    expect(prune.stdout).toMatch(new RegExp(`: pruned ${(history.length - kept.length).toLocaleString('en-US')} events from before `));

    const listed = await run(['list', '--offline', '--all', '-o', 'ndjson']);
    expect(listed.code, listed.stderr).toBe(0);
    const rows = listed.stdout.trim().split('\n').map((l) => JSON.parse(l) as BlueaiEvent);
    expect(ids(rows)).toEqual(ids(kept));
    expect(rows).toEqual([...kept].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at)));

    const status = await run(['status', '--json']);
    const [report] = JSON.parse(status.stdout) as Array<{ events: number; prunedBefore: string; holes: unknown[] }>;
    expect(report!.events).toBe(kept.length);
    expect(Math.abs(Date.parse(report!.prunedBefore) - cut)).toBeLessThan(5 * MINUTE);
    expect(report!.holes).toEqual([]);
    expect((await run(['status', '-o', 'table'])).stdout).toMatch(/^ {2}pruned {6}events before .* UTC were pruned/m);

    // Three new events: the next sync asks for one page, and brings back nothing pruned.
    const fresh = [0, 1, 2].map((i) => blueaiEvent(100_000 + i, Date.now() - 1000 + i));
    fake.add(...fresh);
    const requests = fake.listRequests().length;
    expect((await run(['sync'])).code).toBe(0);
    expect(fake.listRequests().length - requests).toBe(1);
    const after = await run(['list', '--offline', '--all', '-o', 'ndjson']);
    expect(ids(after.stdout.trim().split('\n').map((l) => JSON.parse(l) as BlueaiEvent))).toEqual(ids([...kept, ...fresh]));

    if (engine === 'sqlite') expect(fileBytes(home.db)).toBeLessThan(sizeBefore * 0.75);
    else expect(prune.stderr).toMatch(/autovacuum/);
  });

  it('refuses a prune without a time, or with two', async () => {
    const fake = await startFakeBlueai();
    cleanups.push(() => fake.close());
    const { run } = await binaryFor('blueai', { apiKey: fake.apiKey, url: fake.url }, cleanups, engine);
    const none = await run(['prune']);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('error: prune needs --before TIME or --keep DURATION (e.g. --keep 90d)\n');
    const both = await run(['prune', '--keep', '30d', '--before', '2026-01-01']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--before and --keep do not go together/);
    const bad = await run(['prune', '--keep', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid --keep "soon"/);
  });
});
