// `events list --offline --all -o ndjson` into a reader that stops reading: the binary waits for
// the pipe to drain (writeEvents) instead of buffering the whole mirror in memory, and once the
// reader goes on every line arrives, once and in order.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { cleanupAfterEach, engineHome, startEvents } from '../support/cli.js';
import { sampleEvents } from '../support/deliver.js';
import { normalized } from '../support/rows.js';

const cleanups = cleanupAfterEach();
const COUNT = 50_000;
/** Each raw event padded to about 2 KB: the whole output is ~100 MB, far above any bound below. */
const PAD = 'x'.repeat(2_000);

function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

describe.skipIf(process.platform !== 'linux')('list into a paused pipe (sqlite)', () => {
  it(`keeps its memory bounded while the reader is paused, then writes all ${COUNT.toLocaleString('en-US')} lines`, async () => {
    const home = await engineHome('sqlite');
    cleanups.push(home.cleanup);
    const store = await openStore(home.db, {});
    try {
      for (let from = 0; from < COUNT; from += 5_000) {
        const batch = sampleEvents('bem', 5_000, from).map((raw) => normalized('bem', { ...raw, pad: PAD }));
        await store.putEvents('p1', 'bem', batch);
      }
    } finally {
      await store.close();
    }

    const child = startEvents(['--profile', 'p1', 'list', '--offline', '--all', '-o', 'ndjson'], { EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir });
    cleanups.push(() => child.exitCode === null && child.kill('SIGKILL'));
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    // Nobody reads stdout yet: the pipe fills and the binary must wait. Watch its memory for a while.
    child.stdout!.pause();
    let peak = 0;
    for (let i = 0; i < 30; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      peak = Math.max(peak, rssMb(child.pid!) ?? 0);
    }
    expect(child.exitCode, stderr).toBeNull();
    // Node itself, the SQLite page cache and a batch of rows (about 65 MB; buffering everything,
    // as before, passed 230 MB): well under the ~100 MB of output on top of Node.
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(150);

    // The reader goes on: every line, once, newest first.
    let text = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => (text += d));
    child.stdout!.resume();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code, stderr).toBe(0);
    const lines = text.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(COUNT);
    const events = lines.map((l) => JSON.parse(l) as { eventID: string; pad: string });
    expect(events.every((e) => e.pad === PAD)).toBe(true);
    expect(new Set(events.map((e) => e.eventID)).size).toBe(COUNT);
  }, 120_000);
});
