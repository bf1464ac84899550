// How the binary starts: the bundle in dist/events.cjs run with a code cache beside it,
// the root help printed from the copy the build saved, and stdout/stderr written straight to
// their descriptors when they are pipes or files. Each must print what the CLI itself prints.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELP_COLUMNS } from '../../src/cli/program.js';
import { openStore } from '../../src/store/open.js';
import { sampleEvents } from '../support/deliver.js';
import { runInProcess } from '../support/io.js';
import { BIN, cleanEnv, cleanupAfterEach, runEvents, tempHome } from '../support/cli.js';
import { normalized } from '../support/rows.js';

const DIST = path.resolve(path.dirname(BIN), '..', 'dist');
const cleanups = cleanupAfterEach();

describe('events --help', () => {
  it('prints the saved help, which is what commander prints in a pipe and in wide terminals', async () => {
    const saved = fs.readFileSync(path.join(DIST, 'help.txt'), 'utf8');
    expect(saved).toMatch(/^Usage: events \[options\] \[command\]/);
    // The fast path: argv exactly --help, -h or nothing.
    for (const args of [['--help'], ['-h'], []]) {
      const r = await runEvents(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(saved);
      expect(r.stderr).toBe('');
    }
    // The same help through the whole CLI: a global option first makes argv miss the fast path.
    const slow = await runEvents(['--db', '/nonexistent/m.db', '--help']);
    expect(slow.code).toBe(0);
    expect(slow.stdout).toBe(saved);
    // In-process, from the sources: a pipe, and terminals at and above 80 columns, get that text.
    for (const tty of [{ tty: false }, { tty: true, columns: 80 }, { tty: true, columns: 200 }]) {
      expect((await runInProcess(['--help'], tty)).stdout).toBe(saved);
    }
  });

  it('wraps at a narrower terminal width, and never past 80 columns', async () => {
    // (Below about 65 columns commander stops wrapping descriptions: too little room beside the terms.)
    const narrow = (await runInProcess(['--help'], { tty: true, columns: 70 })).stdout;
    expect(narrow.split('\n').filter((line) => line.length > 70)).toEqual([]);
    const wide = (await runInProcess(['--help'], { tty: true, columns: 200 })).stdout;
    expect(Math.max(...wide.split('\n').map((line) => line.length))).toBeLessThanOrEqual(HELP_COLUMNS);
    expect(Math.max(...wide.split('\n').map((line) => line.length))).toBeGreaterThan(70);
  });

  it('ends quietly when the reader closes the pipe early', () => {
    for (const args of ['--help', '--db /nonexistent/m.db --help']) {
      // `set -o pipefail` is not in every sh: the binary's own status comes back through a file.
      const r = spawnSync('sh', ['-c', `("${process.execPath}" "${BIN}" ${args}; echo $? >&3) 3>&2 | head -1`], { encoding: 'utf8', env: cleanEnv() });
      expect(r.stdout).toMatch(/^Usage: events \[options\] \[command\]\n$/);
      expect(r.stderr.trim()).toBe('0');
    }
  });
});

describe('the code cache', () => {
  it('is written by the first run of a build, named for that build, and used by later runs', async () => {
    const home = tempHome();
    cleanups.push(home.cleanup);
    const caches = () => fs.readdirSync(DIST).filter((f) => /^events\.cjs\..*\.cache$/.test(f));
    const stamp = Math.trunc(fs.statSync(path.join(DIST, 'events.cjs')).mtimeMs);
    const env = { EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir };
    const first = await runEvents(['status'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(caches()).toContain(`events.cjs.${stamp}.cache`);
    // A cache that is not V8's (a truncated or foreign file) is rejected by V8 and replaced.
    const cacheFile = path.join(DIST, `events.cjs.${stamp}.cache`);
    const good = fs.readFileSync(cacheFile);
    fs.writeFileSync(cacheFile, good.subarray(0, 100));
    const again = await runEvents(['status'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(first.stdout);
    expect(fs.statSync(cacheFile).size).toBeGreaterThan(100);
  });
});

describe('output into pipes and files', () => {
  it('writes the same bytes into a file, a pipe and a socket', async () => {
    const home = tempHome();
    cleanups.push(home.cleanup);
    const env = cleanEnv({ EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir });
    const store = await openStore(home.db);
    // Enough to need many writes (about 4 MB), with non-ASCII text in it.
    await store.putEvents('p1', 'bem', sampleEvents('bem', 5_000).map((raw) => normalized('bem', { ...raw, note: 'café ✓ '.repeat(50) })));
    await store.close();
    const args = ['--profile', 'p1', 'list', '--offline', '--all', '-o', 'ndjson'];
    // A socket: what spawn gives a child.
    const viaSocket = await runEvents(args, { EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir });
    expect(viaSocket.code, viaSocket.stderr).toBe(0);
    expect(viaSocket.stdout.trimEnd().split('\n')).toHaveLength(5_000);
    // A pipe, as a shell makes it.
    const viaPipe = execFileSync('sh', ['-c', `"${process.execPath}" "${BIN}" ${args.join(' ')} | cat`], { encoding: 'utf8', env, maxBuffer: 1 << 30 });
    // A file.
    const file = path.join(home.dir, 'out.ndjson');
    execFileSync('sh', ['-c', `"${process.execPath}" "${BIN}" ${args.join(' ')} > "${file}"`], { env });
    expect(viaPipe).toBe(viaSocket.stdout);
    expect(fs.readFileSync(file, 'utf8')).toBe(viaSocket.stdout);
    // A reader that stops after one line: the binary ends quietly with 0 (EPIPE), whatever it was writing.
    const head = spawnSync('sh', ['-c', `("${process.execPath}" "${BIN}" ${args.join(' ')}; echo $? >&3) 3>&2 | head -1`], { encoding: 'utf8', env });
    expect(head.stdout).toBe(`${viaSocket.stdout.split('\n')[0]}\n`);
    expect(head.stderr.trim()).toBe('0');
  });
});
