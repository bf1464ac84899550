// Running the real binary (bin/events.js, built into dist/) as a user would: a separate process
// with its own environment, temp mirror and temp config dir.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { splitMirrorUrl, withPg } from './pg.js';
import { mirrorFor, type Engine } from './engines.js';

export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/events.js');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A fresh temp dir holding a mirror path and a config dir, removed by `cleanup`. */
export function tempHome(): { dir: string; db: string; configDir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'events-test-'));
  return {
    dir,
    db: path.join(dir, 'mirror.db'),
    configDir: path.join(dir, 'config'),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** An environment without the developer's own EVENTS_* settings, plus `env`. */
export function cleanEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('EVENTS_') && k !== 'NO_COLOR') base[k] = v;
  return { ...base, ...env };
}

/** Starts the binary; the caller waits with `finished`. */
export function startEvents(args: string[], env: Record<string, string | undefined> = {}, input?: string): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], { env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  if (input !== undefined) child.stdin?.end(input);
  else child.stdin?.end();
  return child;
}

/** Collects a started process's output until it exits. */
export function finished(child: ChildProcess): Promise<RunResult> {
  // Bytes first, text at the end: a chunk may end inside a multi-byte character.
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout?.on('data', (d: Buffer) => stdout.push(d));
  child.stderr?.on('data', (d: Buffer) => stderr.push(d));
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') })),
  );
}

/**
 * Starts the binary and collects its output as it comes (decoded as UTF-8 across chunks), for a
 * test that watches a long-running command; `cleanups` kills it if the test leaves it running.
 */
export function collecting(args: string[], env: Record<string, string | undefined>, cleanups: Array<() => unknown>) {
  const child = startEvents(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    return exit;
  });
  return { child, exit, stdout: () => stdout, stderr: () => stderr };
}

/** Runs the binary to completion. */
export function runEvents(args: string[], env: Record<string, string | undefined> = {}, input?: string): Promise<RunResult> {
  return finished(startEvents(args, env, input));
}

/** Resolves when `predicate` holds, polling; rejects after `timeoutMs`. No fixed sleeps in tests. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Cleanups (servers, temp dirs, processes) run after each test of the calling file, newest first. */
export function cleanupAfterEach(): Array<() => unknown> {
  const list: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of list.splice(0).reverse()) await c();
  });
  return list;
}

/** A temp home whose mirror is of `engine`: a file in the dir, or a fresh schema on the run's server. */
export interface EngineHome {
  engine: Engine;
  dir: string;
  /** What EVENTS_DB / --db gets: a file path or a postgres://…?schema=NAME URL. */
  db: string;
  configDir: string;
  /** Removes the dir, and drops the schema of a PostgreSQL mirror. */
  cleanup: () => Promise<void>;
}

/** `tempHome` for either engine; push `cleanup` onto the test's cleanups. */
export async function engineHome(engine: Engine): Promise<EngineHome> {
  const home = tempHome();
  const db = await mirrorFor(engine, home.dir);
  return {
    engine,
    dir: home.dir,
    db,
    configDir: home.configDir,
    cleanup: async () => {
      home.cleanup();
      if (engine === 'postgres') await dropPgMirror(db);
    },
  };
}

/** Drops the schema a mirror URL selects (and everything in it). */
export async function dropPgMirror(url: string): Promise<void> {
  const { schema } = splitMirrorUrl(url);
  await withPg(url, (c) => c.query(`DROP SCHEMA IF EXISTS "${schema.replace(/"/g, '""')}" CASCADE`));
}

/** The binary pointed at `server` through EVENTS_* variables only, with a fresh temp mirror of `engine`. */
export async function binaryFor(provider: string, server: { apiKey: string; url: string }, cleanups: Array<() => unknown>, engine: Engine = 'sqlite') {
  const home = await engineHome(engine);
  cleanups.push(home.cleanup);
  const env = (extra: Record<string, string> = {}) => ({
    EVENTS_PROVIDER: provider,
    EVENTS_API_KEY: server.apiKey,
    EVENTS_BASE_URL: server.url,
    EVENTS_DB: home.db,
    EVENTS_CONFIG_DIR: home.configDir,
    ...extra,
  });
  const run = (args: string[], extra?: Record<string, string>) => runEvents(args, env(extra));
  return { home, env, run };
}

/** What a mirror holds, read through the store contract as another process would (either engine). */
export interface MirrorState {
  /** Raw events keyed by id, over every profile (env-only use has a profile of its own). */
  events: Map<string, unknown>;
  /** Events as the queries return them; more than `distinct` would be a duplicate. */
  rows: number;
  /** Distinct (profile, id) pairs. */
  distinct: number;
  /** The id of every row, sorted (a duplicate shows twice). */
  ids: string[];
  /**
   * 'ok' when the engine finds the mirror sound: SQLite's PRAGMA integrity_check, and on both
   * engines the count of each profile agreeing with the rows its query returns.
   */
  integrity: string;
}

/** Reads a mirror (a file or a postgres:// URL) read-only through `openStore`. */
export async function inspectMirror(location: string): Promise<MirrorState> {
  const store = await openStore(location, { readonly: true });
  const events = new Map<string, unknown>();
  const ids: string[] = [];
  const keys = new Set<string>();
  const problems: string[] = [];
  try {
    for (const { profile } of await store.readMeta()) {
      // The two reads are two statements. On PostgreSQL a writer killed with -9 may still have a
      // commit in flight, which the server finishes after the kill and which can land between
      // them: a disagreement counts only if it lasts (2 s), as a broken mirror's would.
      let held = await store.query({ profile, types: [], where: [] });
      let counted = await store.countEvents(profile);
      for (let tries = 0; counted !== held.length && tries < 20; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        held = await store.query({ profile, types: [], where: [] });
        counted = await store.countEvents(profile);
      }
      for (const e of held) {
        ids.push(e.id);
        keys.add(`${profile}\0${e.id}`);
        events.set(e.id, JSON.parse(e.raw) as unknown);
      }
      if (counted !== held.length) problems.push(`${profile}: countEvents ${counted}, query ${held.length}`);
    }
  } finally {
    await store.close();
  }
  if (store.engine === 'sqlite') {
    const db = new Database(location, { readonly: true, fileMustExist: true });
    try {
      const check = String(db.pragma('integrity_check', { simple: true }));
      if (check !== 'ok') problems.push(check);
    } finally {
      db.close();
    }
  }
  ids.sort();
  return { events, rows: ids.length, distinct: keys.size, ids, integrity: problems.length === 0 ? 'ok' : problems.join('; ') };
}

/** How many events a mirror holds, whatever the profile (env-only use has one of its own). */
export async function mirrorCount(location: string): Promise<number> {
  return (await inspectMirror(location)).rows;
}

