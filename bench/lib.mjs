// Helpers for the benchmarks: spawning the built binary, timing it, reading its peak memory,
// and starting a fake provider in its own process.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = path.join(ROOT, 'bin', 'events.js');
const TIME = '/usr/bin/time';
const HAS_GNU_TIME = fs.existsSync(TIME) && spawnSync(TIME, ['-f', '%M', 'true']).status === 0;

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export function tempDir(name) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `events-bench-${name}-`));
}

/** The 1-minute load average, to print beside figures taken on a shared machine. */
export const load = () => os.loadavg()[0].toFixed(2);

/**
 * What every benchmarked process runs with, over this one's environment: each EVENTS_* variable
 * blanked, so the caller's own setup never leaks into a figure, and no NODE_EXTRA_CA_CERTS or
 * NODE_OPTIONS (null: left out). Some machines (this sandbox) set the first, and Node then reads
 * the certificates at every start: 80 ms that would hide the CLI's own cost in every figure.
 */
export const CLEAN_ENV = {
  ...Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith('EVENTS_')).map((k) => [k, ''])),
  NODE_EXTRA_CA_CERTS: null,
  NODE_OPTIONS: null,
};

/** This process's environment with `env` over it, leaving out the variables `env` sets to null. */
export const childEnv = (env) => Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== null));

/**
 * Runs `node bin/events.js ...args` to its end; returns wall ms, peak RSS (MB) and the exit code.
 * Peak RSS comes from GNU time (the kernel's maxrss of the child); without it, VmHWM is polled
 * from /proc every 10 ms, which can miss growth in the last moments.
 */
export function runEvents(args, env) {
  return new Promise((resolve, reject) => {
    const out = path.join(os.tmpdir(), `events-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const cmd = HAS_GNU_TIME ? [TIME, ['-f', '%M', '-o', out, process.execPath, BIN, ...args]] : [process.execPath, [BIN, ...args]];
    const started = performance.now();
    const child = spawn(cmd[0], cmd[1], { env: childEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    let polledKb = 0;
    const poll = HAS_GNU_TIME
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) polledKb = Math.max(polledKb, Number(m[1]));
          } catch {
            // the process has just exited
          }
        }, 10);
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (poll) clearInterval(poll);
      let kb = polledKb;
      if (HAS_GNU_TIME) {
        kb = Number(fs.readFileSync(out, 'utf8').trim().split('\n').pop());
        fs.rmSync(out, { force: true });
      }
      resolve({ ms, rssMb: kb / 1024, code, stderr });
    });
  });
}

/**
 * Starts `node bin/events.js ...args` (a command that follows, such as tail) with its stdout in a
 * pipe, and stops it once it has printed `lines` lines: wall ms to then, and its peak RSS (MB),
 * VmHWM polled from /proc every 10 ms.
 */
export function followUntil(args, env, lines) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = 0;
    let kb = 0;
    let stderr = '';
    const poll = setInterval(() => {
      try {
        kb = Math.max(kb, Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0));
      } catch {
        // the process has just exited
      }
    }, 10);
    child.stderr.on('data', (c) => (stderr += c));
    child.stdout.on('data', (chunk) => {
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) seen += 1;
      if (seen < lines) return;
      const ms = performance.now() - started;
      clearInterval(poll);
      child.kill();
      resolve({ ms, rssMb: kb / 1024 });
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      if (seen < lines) reject(new Error(`events ${args.join(' ')} exited ${code} after ${seen} of ${lines} lines: ${stderr}`));
    });
  });
}

export const rssMethod = HAS_GNU_TIME ? 'GNU time (maxrss)' : '/proc VmHWM polled every 10 ms';

/** Wall time (ms) of one synchronous run of `argv`, output read and dropped; throws on a failure. */
export function timeOnce(argv, env) {
  // Output goes into a pipe, as `events list | jq` has it.
  const started = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/**
 * Median wall time of each command over `runs` rounds, after one warm-up round. The commands take
 * turns within a round, so a burst of load on this shared machine hits them all alike.
 */
export function compareStarts(commands, runs) {
  const times = commands.map(() => []);
  for (let round = -1; round < runs; round++) {
    commands.forEach((c, i) => {
      const ms = timeOnce(c.argv, c.env);
      if (round >= 0) times[i].push(ms);
    });
  }
  return times.map(median);
}

/** Starts bench/fake-server.mjs for `provider` with `count` events; resolves once it listens. */
export function startFake(provider, count) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bench', 'fake-server.mjs'), provider, String(count)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    child.stdout.on('data', (c) => {
      text += c;
      const line = text.split('\n')[0];
      if (text.includes('\n')) resolve({ ...JSON.parse(line), stop: () => child.kill() });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the ${provider} fake exited (${code}) before listening`)));
  });
}

/** A provider's columns as a sync stores them: with the event's JSON text (what the fake serves). */
export function withText(columns) {
  return { ...columns, text: JSON.stringify(columns.raw) };
}
