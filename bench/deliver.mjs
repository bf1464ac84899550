// The delivery benchmark (`node bench/run.mjs deliver`): `replay` of 10,000 events to a loopback
// handler that answers at once, at concurrency 1 and 8 (deliveries/s, the binary's start-up
// included), and the time from an event's commit to the mirror to its arrival at the handler
// through `forward --offline` (SQLite file; the commit is made by this process, as a sync would).
// Environment: BENCH_DELIVER_RUNS (default 3), BENCH_DELIVER_LATENCY (events, default 50).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildMirror } from './build-mirror.mjs';
import { blueaiEvent } from '../test/support/generators.mjs';
import { BIN, childEnv, CLEAN_ENV, load, median, ROOT, runEvents, tempDir, withText } from './lib.mjs';

const RUNS = Number(process.env.BENCH_DELIVER_RUNS ?? 3);
const LATENCY_EVENTS = Number(process.env.BENCH_DELIVER_LATENCY ?? 50);
const N = 10_000;
const fmt = (n) => Math.round(n).toLocaleString('en-US');

/** A handler on 127.0.0.1 that answers 204 at once; `onBody` hears each body as it arrives. */
async function handler(onBody = () => {}) {
  let count = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      count += 1;
      onBody(body, performance.now() + performance.timeOrigin);
      res.writeHead(204).end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/hook`, count: () => count, close: () => new Promise((r) => server.close(r)) };
}

export async function deliverBench(report) {
  const dir = tempDir('deliver');
  try {
    const db = path.join(dir, 'm.db');
    await buildMirror(db, ['bench'], N);
    const env = { ...CLEAN_ENV, EVENTS_DB: db, EVENTS_CONFIG_DIR: path.join(dir, 'config'), SECRET: 'whsec_YmVuY2htYXJrLXNlY3JldC1vZi10aGlydHk=' };
    process.stderr.write(`deliver (load ${load()}; median of ${RUNS}; replay of ${fmt(N)} BlueAI events, signed)\n`);
    for (const concurrency of [1, 8]) {
      const times = [];
      for (let i = 0; i < RUNS; i++) {
        const h = await handler();
        const r = await runEvents(['--profile', 'bench', 'replay', '--to', h.url, '--secret-env', 'SECRET', '--concurrency', String(concurrency)], env);
        await h.close();
        if (r.code !== 0 || h.count() !== N) throw new Error(`replay exited ${r.code} after ${h.count()} deliveries: ${r.stderr}`);
        times.push(r.ms);
      }
      const ms = median(times);
      report(`replay ${fmt(N)} events to a loopback handler, --concurrency ${concurrency}`, `${fmt(N / (ms / 1000))} deliveries/s (${(ms / 1000).toFixed(1)} s with start-up)`);
    }
    const lat = await latency(dir, env);
    report(`commit → delivery through \`forward --offline\` (SQLite, ${LATENCY_EVENTS} events)`, `median ${lat.median.toFixed(0)} ms, p95 ${lat.p95.toFixed(0)} ms`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Commits events one at a time while `forward --offline` runs; the time each takes to arrive. */
async function latency(dir, env) {
  const { openStore } = await import(pathToFileURL(path.join(ROOT, 'dist', 'store', 'open.js')).href);
  const { blueai } = await import(pathToFileURL(path.join(ROOT, 'dist', 'providers', 'blueai.js')).href);
  const committed = new Map();
  const waits = [];
  let arrived;
  const h = await handler((body, at) => {
    const id = JSON.parse(body).id;
    if (committed.has(id)) waits.push(at - committed.get(id));
    arrived?.();
  });
  const child = spawn(process.execPath, [BIN, '--profile', 'bench', 'forward', '--offline', '--to', h.url, '--secret-env', 'SECRET'], { env: childEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const deadline = Date.now() + 30_000;
  while (!stderr.includes('live (following the mirror)')) {
    if (Date.now() > deadline) throw new Error(`forward did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const store = await openStore(env.EVENTS_DB);
  try {
    for (let i = 0; i < LATENCY_EVENTS; i++) {
      const raw = blueaiEvent(N + 1 + i, Date.now());
      const got = new Promise((r) => (arrived = r));
      await store.putEvents('bench', 'blueai', [withText(blueai.normalize(raw))]);
      committed.set(raw.id, performance.now() + performance.timeOrigin);
      await Promise.race([got, new Promise((_, reject) => setTimeout(() => reject(new Error(`event ${i} not delivered in 10 s`)), 10_000))]);
    }
  } finally {
    await store.close();
    child.kill('SIGINT');
    await h.close();
  }
  const sorted = [...waits].sort((a, b) => a - b);
  return { median: median(sorted), p95: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] };
}
