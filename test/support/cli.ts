// Running the real binary (bin/events.js, built into dist/) as a user would: a separate process
// with its own environment, temp mirror and temp config dir.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach } from 'vitest';

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
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
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

/** The binary pointed at `server` through EVENTS_* variables only, with a fresh temp mirror. */
export function binaryFor(provider: string, server: { apiKey: string; url: string }, cleanups: Array<() => unknown>) {
  const home = tempHome();
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

/** How many events a mirror file holds, whatever the profile (env-only use has one of its own). */
export function mirrorCount(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}
