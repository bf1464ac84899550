// Bad arguments, environments and files: each gets its exit code and one clear message on stderr,
// nothing on stdout, and no stack trace without --verbose. A mirror file that cannot be used is
// refused and left byte for byte as it was. Most cases run in-process; those marked `spawn` also
// run through the real binary, where the exit code goes through process.exit.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEvents, tempHome } from '../support/cli.js';
import { startFakeBlueai, blueaiHistory, type FakeBlueai } from '../support/fake-blueai.js';
import { runInProcess } from '../support/io.js';

interface Case {
  name: string;
  argv: string[];
  env?: Record<string, string>;
  /** Writes the file or directory the case is about; returns a path whose bytes must not change. */
  prepare?: (dir: string) => string | undefined;
  code: number;
  stderr: RegExp;
  spawn?: boolean;
}

let fake: FakeBlueai;
let home: ReturnType<typeof tempHome>;
/** The bytes of a real, complete mirror of 300 events. */
let realMirror: Buffer;

beforeAll(async () => {
  fake = await startFakeBlueai();
  fake.add(...blueaiHistory(300));
  home = tempHome();
  const r = await runInProcess(['sync'], { env: conn() });
  expect(r.code, r.stderr).toBe(0);
  realMirror = fs.readFileSync(home.db);
  // Saved profiles: one with a wrong key for the fake.
  fs.mkdirSync(path.join(home.dir, 'profiles'), { recursive: true });
  const add = await runInProcess(['profile', 'add', 'staging', '--provider', 'blueai', '--base-url', fake.url, '--api-key-env', 'K'], {
    env: { EVENTS_CONFIG_DIR: path.join(home.dir, 'profiles'), K: 'sk_wrong_key_for_staging' },
  });
  expect(add.code, add.stderr).toBe(0);
});
afterAll(async () => {
  await fake.close();
  home.cleanup();
});

/** An environment-only connection to the fake, on the shared real mirror. */
function conn(): Record<string, string> {
  return { EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: fake.apiKey, EVENTS_BASE_URL: fake.url, EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir };
}

/** A mirror path in the case's own directory, holding `bytes`. */
const mirrorWith = (bytes: () => Buffer) => (dir: string) => {
  const file = path.join(dir, 'mirror.db');
  fs.writeFileSync(file, bytes());
  return file;
};

const cases: Case[] = [
  { name: 'an unknown command', argv: ['frobnicate'], code: 2, stderr: /unknown command 'frobnicate'/, spawn: true },
  { name: 'an unknown flag', argv: ['list', '--offline', '--frob'], code: 2, stderr: /unknown option '--frob'/, spawn: true },
  { name: 'an unknown global flag', argv: ['--colour', 'list'], code: 2, stderr: /unknown option '--colour'/ },
  { name: 'a bad --since', argv: ['list', '--offline', '--since', 'yesterday'], code: 2, stderr: /invalid --since "yesterday"/ },
  { name: 'a --since after --until', argv: ['list', '--offline', '--since', '2026-02-01', '--until', '2026-01-01'], code: 2, stderr: /--since .* is after --until/ },
  { name: 'a zero --limit', argv: ['list', '--offline', '--limit', '0'], code: 2, stderr: /invalid --limit "0"/ },
  { name: 'a --limit that is not a number', argv: ['list', '--offline', '--limit', 'ten'], code: 2, stderr: /invalid --limit "ten"/ },
  { name: '--limit with --all', argv: ['list', '--offline', '--limit', '5', '--all'], code: 2, stderr: /--limit and --all do not go together/ },
  { name: 'a bad --interval', argv: ['tail', '--interval', 'fast'], code: 2, stderr: /invalid --interval "fast"/ },
  { name: 'a bad --overlap', argv: ['sync', '--overlap', 'a while'], code: 2, stderr: /invalid --overlap "a while"/ },
  { name: 'a bad --timeout', argv: ['sync', '--timeout', 'soon'], code: 2, stderr: /invalid --timeout "soon"/ },
  { name: 'a --where without =', argv: ['list', '--offline', '--where', 'status'], code: 2, stderr: /invalid --where "status"/ },
  { name: 'a --where without a path', argv: ['list', '--offline', '--where', '=paid'], code: 2, stderr: /invalid --where "=paid"/ },
  { name: 'a bad --type pattern', argv: ['list', '--offline', '--type', 'in*voice'], code: 2, stderr: /invalid --type "in\*voice"/ },
  { name: 'a bad --output', argv: ['list', '--offline', '-o', 'xml'], code: 2, stderr: /argument 'xml' is invalid/ },
  { name: 'an unknown profile', argv: ['list', '--offline', '--profile', 'nope'], code: 2, stderr: /no profile named "nope"/ },
  {
    name: 'no connection at all',
    argv: ['list', '--offline'],
    env: { EVENTS_PROVIDER: '', EVENTS_API_KEY: '' },
    code: 2,
    stderr: /no connection configured: add one with `events profile add/,
    spawn: true,
  },
  { name: 'an unknown provider', argv: ['list', '--offline'], env: { EVENTS_PROVIDER: 'stripe' }, code: 2, stderr: /unknown provider "stripe" in EVENTS_PROVIDER/ },
  { name: 'a provider without a key', argv: ['list', '--offline'], env: { EVENTS_API_KEY: '' }, code: 2, stderr: /EVENTS_API_KEY is not/ },
  { name: 'a base URL that is not http', argv: ['sync'], env: { EVENTS_BASE_URL: 'ftp://127.0.0.1/' }, code: 2, stderr: /invalid base URL "ftp:\/\/127\.0\.0\.1\/"/ },
  {
    name: 'a base URL that refuses connections',
    argv: ['sync', '--retries', '1'],
    env: { EVENTS_BASE_URL: 'http://127.0.0.1:9' },
    code: 5,
    stderr: /^error: blueai: connection refused on GET \/api\/v1\/events, still failing after 1 retry\n$/,
    spawn: true,
  },
  {
    name: 'a wrong key in a saved profile',
    argv: ['sync', '--profile', 'staging'],
    env: { EVENTS_PROVIDER: '', EVENTS_API_KEY: '' },
    code: 4,
    stderr: /401 Unauthorized on GET \/api\/v1\/events: .* — check the API key of profile "staging"/,
    spawn: true,
  },
  {
    name: 'a config file with bad JSON',
    argv: ['list', '--offline', '--profile', 'staging'],
    prepare: (dir) => {
      const file = path.join(dir, 'config', 'config.json');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, '{"profiles": {"staging": ');
      return file;
    },
    code: 2,
    stderr: /the config file .*config\.json is not valid JSON/,
    spawn: true,
  },
  { name: 'a mirror of random bytes', argv: ['list', '--offline'], prepare: mirrorWith(() => crypto.randomBytes(64 * 1024)), code: 1, stderr: /cannot open the mirror .*: the file is not an SQLite database/, spawn: true },
  { name: 'a truncated real mirror', argv: ['sync'], prepare: mirrorWith(() => realMirror.subarray(0, Math.floor(realMirror.length / 2))), code: 1, stderr: /cannot open the mirror .*: the database is corrupt/, spawn: true },
  { name: 'a real mirror cut inside its header', argv: ['list', '--offline'], prepare: mirrorWith(() => realMirror.subarray(0, 60)), code: 1, stderr: /cannot open the mirror/ },
  {
    name: 'an SQLite file that is not a mirror',
    argv: ['sync'],
    prepare: (dir) => {
      const file = path.join(dir, 'mirror.db');
      const db = new Database(file);
      db.exec('CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES (\'keep me\')');
      db.close();
      return file;
    },
    code: 1,
    stderr: /is an SQLite file but not an events mirror/,
  },
  {
    name: 'a mirror from a newer version',
    argv: ['list', '--offline'],
    prepare: (dir) => {
      const file = mirrorWith(() => realMirror)(dir);
      const db = new Database(file);
      db.pragma('user_version = 99');
      db.close();
      return file;
    },
    code: 1,
    stderr: /was written by a newer version of events \(schema 99\)/,
  },
  {
    name: 'a directory where the mirror should be',
    argv: ['list', '--offline'],
    prepare: (dir) => {
      fs.mkdirSync(path.join(dir, 'mirror.db'));
      return undefined;
    },
    code: 1,
    stderr: /cannot open the mirror .*mirror\.db: the file cannot be opened/,
    spawn: true,
  },
  {
    name: 'a mirror path under a file',
    argv: ['list', '--offline'],
    env: { EVENTS_DB: 'PARENT_IS_A_FILE' },
    prepare: (dir) => {
      const file = path.join(dir, 'plain.txt');
      fs.writeFileSync(file, 'not a directory\n');
      return file;
    },
    code: 1,
    stderr: /cannot create the directory of the mirror .*plain\.txt\/mirror\.db/,
  },
];

describe('bad input gets its exit code and one clear line', () => {
  /** The case's environment, in a directory of its own (mirror.db and config/ live there). */
  const setup = (c: Case) => {
    const own = tempHome();
    const touched = c.prepare?.(own.dir);
    const before = touched === undefined ? undefined : fs.readFileSync(touched);
    const env: Record<string, string> = { ...conn(), EVENTS_DB: path.join(own.dir, 'mirror.db'), EVENTS_CONFIG_DIR: path.join(own.dir, 'config') };
    if (c.argv.includes('--profile') && !c.prepare) env.EVENTS_CONFIG_DIR = path.join(home.dir, 'profiles');
    Object.assign(env, c.env);
    if (env.EVENTS_DB === 'PARENT_IS_A_FILE') env.EVENTS_DB = path.join(touched!, 'mirror.db');
    for (const [k, v] of Object.entries(env)) if (v === '') delete env[k];
    return { own, env, touched, before };
  };
  const check = (c: Case, r: { code: number | null; stdout: string; stderr: string }, files: ReturnType<typeof setup>) => {
    expect(r.code, r.stderr).toBe(c.code);
    expect(r.stderr).toMatch(c.stderr);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toMatch(/this is a bug/);
    expect(r.stdout).toBe('');
    if (files.touched !== undefined) expect(fs.readFileSync(files.touched).equals(files.before!), 'the file is left as it was').toBe(true);
  };

  it.each(cases)('$name (in-process)', async (c) => {
    const files = setup(c);
    try {
      check(c, await runInProcess(c.argv, { env: files.env }), files);
    } finally {
      files.own.cleanup();
    }
  });

  it.each(cases.filter((c) => c.spawn))('$name (the binary)', async (c) => {
    const files = setup(c);
    try {
      check(c, await runEvents(c.argv, files.env), files);
    } finally {
      files.own.cleanup();
    }
  });
});
